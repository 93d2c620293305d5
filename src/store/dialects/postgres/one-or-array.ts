/**
 * A parameter of a statement that has a one-unit text of scalars beside its batch text of
 * arrays (docs/engine.md, "Prepared statements on PostgreSQL"): the one item's value, or an
 * array of every item's value.
 */
export const oneOrArray =
  <I>(items: readonly I[]) =>
  <T>(value: (item: I) => T): T | T[] =>
    items.length === 1 ? value(items[0]!) : items.map(value);
