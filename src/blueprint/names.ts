/** Naming rules shared by the parser, the validator, canonical form and export. */

/** Workflow, role, interaction, component and guardian names (BLUEPRINT.md). */
export const NAME_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

export function isValidName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/** The name of an unnamed guardian: `<component>_guard` for index 0, then `_guard_2`, `_guard_3`, ... */
export function defaultGuardianName(component: string, index: number): string {
  return index === 0 ? `${component}_guard` : `${component}_guard_${index + 1}`;
}
