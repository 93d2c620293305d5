import { readFileSync } from "node:fs";

/** The version of this package, from its package.json (one level up from src/ and dist/ alike). */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}
