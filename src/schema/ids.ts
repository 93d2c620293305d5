import { v7 as uuidv7, validate, version } from "uuid";

/**
 * A new primary key. Version 7 UUIDs grow with time, so new rows land at the end of the
 * primary-key index instead of at random places (InnoDB clusters rows by primary key).
 */
export function newId(): string {
  return uuidv7();
}

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && validate(value) && version(value) >= 1;
}
