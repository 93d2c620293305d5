/**
 * A dialect's driver package, required the first time it is asked for rather than when the
 * library is imported: a process on one engine never loads the other engines' drivers, and one
 * that opens no store (`chameleon --help`) loads none. Each dialect folder's driver.ts names its own.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export function driverLoader<T>(packageName: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(packageName) as T);
}
