import { v7 as uuidv7, validate, version } from "uuid";

/**
 * A new primary key. Version 7 UUIDs grow with time, so new rows land at the end of the
 * primary-key index instead of at random places (InnoDB clusters rows by primary key).
 * `at`: the time to stamp it with instead of this process's clock (a lease's checkout time).
 */
export function newId(at?: Date): string {
  return at === undefined ? uuidv7() : uuidv7({ msecs: at.getTime() });
}

/** The millisecond time a version 7 UUID carries in its first 48 bits. */
export function uuidTimeMs(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && validate(value) && version(value) >= 1;
}
