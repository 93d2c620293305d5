import type { Command } from "commander";
import type { SchemaGuideRow } from "../../store/guide.js";
import { UsageError, output, table, withChameleon } from "../io.js";

export function registerSchema(program: Command): void {
  const schema = program.command("schema").description("Inspect the schema of the stores");
  schema
    .command("guide")
    .description("Print v_ai_schema_guide: every table and column of a store, explained from inside the database")
    .option("--tier <tier>", "templates or instances (default: both)")
    .option("--table <name>", "only this table")
    .addHelpText(
      "after",
      `
Examples:
  chameleon schema guide --tier instances --table units_of_work
  chameleon schema guide --json > guide.json`,
    )
    .action(async (opts: { tier?: string; table?: string }, cmd: Command) => {
      if (opts.tier !== undefined && opts.tier !== "templates" && opts.tier !== "instances") {
        throw new UsageError(`--tier must be templates or instances, not '${opts.tier}'`);
      }
      const tiers = opts.tier ? [opts.tier as "templates" | "instances"] : (["templates", "instances"] as const);
      const rows = await withChameleon(cmd, async (ch) => {
        const all: SchemaGuideRow[] = [];
        for (const tier of tiers) all.push(...(await ch.schemaGuide(tier, { table: opts.table })));
        return all;
      });
      if (opts.table && rows.length === 0)
        throw new UsageError(`no table '${opts.table}' in the ${tiers.join(" or ")} store`);
      output(cmd, rows, formatGuide);
    });
}

function formatGuide(rows: SchemaGuideRow[]): string {
  const blocks: string[] = [];
  for (const tableRow of rows.filter((r) => r.column_name === null)) {
    const columns = rows.filter((r) => r.table_name === tableRow.table_name && r.column_name !== null);
    blocks.push(
      `${tableRow.table_name}: ${tableRow.description ?? ""}\n` +
        table(
          columns.map((c) => [
            `  ${c.column_name}`,
            c.data_type ?? "",
            [c.is_primary_key ? "PK" : "", c.foreign_key_target ? `-> ${c.foreign_key_target}` : ""]
              .filter(Boolean)
              .join(" "),
            c.description ?? "",
          ]),
        ),
    );
  }
  return blocks.join("\n\n");
}
