import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "console/test/**/*.test.{ts,tsx}"],
    // The CLI suites start a Node process per command; on two busy cores a suite of them takes a while.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two cores here; the server-engine suites create their own databases, so files may run side by side.
    maxWorkers: 2,
    // .ci/run sets CHAMELEON_TEST_TIMINGS to a file: the JSON results it prints each suite's time from.
    ...(process.env.CHAMELEON_TEST_TIMINGS
      ? { reporters: ["default", "json"], outputFile: { json: process.env.CHAMELEON_TEST_TIMINGS } }
      : {}),
  },
});
