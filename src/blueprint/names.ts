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

/**
 * ` (did you mean 'Work'?)` when `name` is one or two edits away from a known one (letter case
 * ignored), else "". The closest wins; among equals, the first in `known`.
 */
export function didYouMean(name: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance && k !== name) {
      best = k;
      bestDistance = d;
    }
  }
  return best === undefined ? "" : ` (did you mean '${best}'?)`;
}

/** Levenshtein distance, capped: 3 stands for "three or more". */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || a.length > 64) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 3;
}
