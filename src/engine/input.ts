/**
 * Validation of what callers hand the library, with zod: wrong types and unknown fields are
 * refused before anything is read or written, with a ValidationError whose issues name the
 * field (`actors.0.roles`) and what is wrong.
 */
import { z } from "zod";
import { ValidationError, type ValidationIssue } from "../errors.js";
import type { JsonValue } from "../schema/json.js";
import { UNIT_PRIORITY } from "../schema/enums.js";
import { checkInputJson, LIMITS, UUID_SHAPE } from "./limits.js";

export { z };

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  // Depth first: a deeply nested value would exhaust the stack of the recursive schema.
  checkInputJson(value, what);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.map((i) => {
    const path = i.path.map(String).join(".");
    const keys = i.code === "unrecognized_keys" ? ` (${(i as { keys: string[] }).keys.join(", ")})` : "";
    return { rule: 0, path: path || what, message: `${what}${path ? ` ${path}` : ""}: ${i.message}${keys}` };
  });
  throw new ValidationError(issues[0]!.message, issues);
}

/** Any JSON value (what attribute values, memory values and AI context may be). */
export const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

export const jsonObject = z.record(z.string(), jsonValue);

export const name = z.string().min(1).max(LIMITS.keyLength);

/**
 * The name of an instance or an actor: never of an id's shape, since every call takes either
 * an id or a name in the same parameter and one must not be taken for the other.
 */
export const entityName = name.refine((n) => !UUID_SHAPE.test(n), {
  message: "must not have the shape of an id (a UUID): ids and names are given in the same parameters",
});

/** A unit's priority: a whole number from 0 to 9 (docs/engine.md, "Priority"). */
export const priority = z
  .number({ message: `must be a whole number from ${UNIT_PRIORITY.min} to ${UNIT_PRIORITY.max}` })
  .int({ message: `must be a whole number from ${UNIT_PRIORITY.min} to ${UNIT_PRIORITY.max}` })
  .min(UNIT_PRIORITY.min, {
    message: `must be from ${UNIT_PRIORITY.min} to ${UNIT_PRIORITY.max} (higher is taken first)`,
  })
  .max(UNIT_PRIORITY.max, {
    message: `must be from ${UNIT_PRIORITY.min} to ${UNIT_PRIORITY.max} (higher is taken first)`,
  });
