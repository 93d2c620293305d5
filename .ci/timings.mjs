// Prints each test file's wall time from vitest's JSON results (written by .ci/run), slowest first.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import process from "node:process";

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: node .ci/timings.mjs RESULTS.json\n");
  process.exit(2);
}
const { testResults } = JSON.parse(readFileSync(file, "utf8"));
const rows = testResults
  .map((r) => ({ name: relative(process.cwd(), r.name), seconds: (r.endTime - r.startTime) / 1000, status: r.status }))
  .sort((a, b) => b.seconds - a.seconds);
const total = rows.reduce((sum, r) => sum + r.seconds, 0);
process.stdout.write("ci: time per suite (s)\n");
for (const r of rows) process.stdout.write(`${r.seconds.toFixed(1).padStart(8)}  ${r.status.padEnd(6)}  ${r.name}\n`);
process.stdout.write(`${total.toFixed(1).padStart(8)}  total (suites run side by side, so more than the wall time)\n`);
