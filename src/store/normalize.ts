/**
 * Values cross the driver boundary in one shape on every engine. Drivers are set up to hand
 * back JSON as text and 64-bit integers as numbers (see each dialect); this plugin then turns
 * every column the schema defines as json, boolean or timestamp into its JavaScript value, by
 * column name. Column names are unambiguous across the schema (checked below), so the same
 * rule holds in joins and projections.
 */
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from "kysely";
import { OperationNodeTransformer, type PrimitiveValueListNode, type ValueNode } from "kysely";
import type { ColumnKind } from "../schema/define.js";
import { allTables } from "../schema/tables.js";
import type { JsonValue } from "../schema/json.js";

type Decoded = "json" | "boolean" | "timestamp" | "number";

function decodedKind(kind: ColumnKind): Decoded | null {
  switch (kind) {
    case "json":
      return "json";
    case "boolean":
      return "boolean";
    case "timestamp":
      return "timestamp";
    case "integer":
    case "bigint":
      return "number";
    default:
      return null;
  }
}

/** Column name -> how its values are decoded; null for text columns. */
const columnKinds = new Map<string, Decoded | null>();
for (const t of allTables) {
  for (const c of t.columns) {
    const kind = decodedKind(c.kind);
    const seen = columnKinds.get(c.name);
    if (seen !== undefined && seen !== kind) {
      throw new Error(`column name '${c.name}' has two kinds in the schema (${seen ?? "text"}, ${kind ?? "text"})`);
    }
    columnKinds.set(c.name, kind);
  }
}

function decode(kind: Decoded, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case "json":
      return typeof value === "string" ? (JSON.parse(value) as JsonValue) : value;
    case "boolean":
      return typeof value === "boolean" ? value : Number(value) !== 0;
    case "timestamp":
      return value instanceof Date ? value : new Date(value as string);
    case "number":
      return typeof value === "number" ? value : Number(value);
  }
}

export function decodeRow<R>(row: UnknownRow): R {
  for (const key in row) {
    const kind = columnKinds.get(key);
    if (kind) row[key] = decode(kind, row[key]);
  }
  return row as R;
}

/** Decodes every result row by column name. */
export class DecodeResultsPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    for (const row of args.result.rows) decodeRow(row);
    return args.result;
  }
}

/** Rewrites parameter values a driver cannot bind (SQLite takes neither Date nor boolean). */
export class EncodeValuesPlugin implements KyselyPlugin {
  readonly #transformer: OperationNodeTransformer;
  constructor(encode: (value: unknown) => unknown) {
    this.#transformer = new (class extends OperationNodeTransformer {
      protected override transformValue(node: ValueNode): ValueNode {
        return { ...node, value: encode(node.value) };
      }
      protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
        return { ...node, values: node.values.map(encode) };
      }
    })();
  }
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node, args.queryId);
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
