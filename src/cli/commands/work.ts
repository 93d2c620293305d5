/** `chameleon work ...`: drive units by hand, the way a person or an agent would. */
import type { Command } from "commander";
import type { AttributeVersionEntry, HistoryEntry } from "../../engine/queries.js";
import { UNIT_PRIORITY } from "../../schema/enums.js";
import { intOption, output, parseJsonOption, table, withChameleon } from "../io.js";
import { addUnitFilterOptions, unitFilterOf, type UnitFilterOptions } from "../unit-filter.js";
import { registerBulk } from "./bulk.js";

const when = (d: Date) => d.toISOString().replace("T", " ").replace("Z", "");

export function registerWork(program: Command): void {
  const work = program.command("work").description("Start, check out, submit, fail, cancel and inspect units of work");

  work
    .command("start")
    .description("Create a base unit (genesis by ALPHA of the master workflow)")
    .argument("<instance>", "instance name or id")
    .requiredOption("--attrs <json>", "the unit's attributes, a JSON object")
    .option("--actor <actor>", "who starts it (needs the ALPHA role); default SYSTEM")
    .option("--reasoning <text>", "why")
    .option("--idempotency-key <key>", "a key of yours: run again with it, the command prints the same unit")
    .option("--priority <n>", "0 to 9, higher is checked out first (default 5); children inherit it")
    .addHelpText(
      "after",
      `\nExample:\n  chameleon work start invoices-eu --attrs '{"vendor":"ACME","total":120,"lines":[{"sku":"pen","price":2,"qty":60}]}' --idempotency-key mail-4711`,
    )
    .action(
      async (
        instance: string,
        opts: { attrs: string; actor?: string; reasoning?: string; idempotencyKey?: string; priority?: string },
        cmd: Command,
      ) => {
        const attributes = parseJsonOption("--attrs", opts.attrs, "object");
        const priority = intOption("--priority", opts.priority, UNIT_PRIORITY.min, UNIT_PRIORITY.max);
        const r = await withChameleon(cmd, (ch) =>
          ch.work.start(instance, {
            attributes,
            actorId: opts.actor,
            reasoning: opts.reasoning,
            ...(opts.idempotencyKey === undefined ? {} : { idempotencyKey: opts.idempotencyKey }),
            ...(priority === undefined ? {} : { priority }),
          }),
        );
        output(cmd, r, (x) => x.uowId);
      },
    );

  work
    .command("held")
    .description("The units an actor holds now, with their lease tokens")
    .argument("<instance>", "instance name or id")
    .requiredOption("--actor <actor>", "actor name or id")
    .option("--role <role>", "only units held for this role")
    .addHelpText("after", "\nExample:\n  chameleon work held invoices-eu --actor Ada")
    .action(async (instance: string, opts: { actor: string; role?: string }, cmd: Command) => {
      const units = await withChameleon(cmd, (ch) =>
        ch.work.held(instance, { actorId: opts.actor, ...(opts.role === undefined ? {} : { role: opts.role }) }),
      );
      output(cmd, units, (list) =>
        list.length === 0
          ? `${opts.actor} holds nothing.`
          : table([
              ["UNIT", "ROLE", "LEASE", "EXPIRES"],
              ...list.map((u) => [u.uowId, u.role, u.leaseToken, when(u.leaseExpiresAt)]),
            ]),
      );
    });

  work
    .command("checkout")
    .description("Claim the oldest unit a role may take (or the one named by --unit), with a lease")
    .argument("<instance>", "instance name or id")
    .requiredOption("--role <role>", "the role to work as")
    .requiredOption("--actor <actor>", "actor name or id")
    .option("--unit <uow>", "take this unit, or fail saying why not (default: the oldest waiting)")
    .addHelpText(
      "after",
      "\nExamples:\n  chameleon work checkout invoices-eu --role Approver --actor Ada --json\n  chameleon work checkout invoices-eu --role Approver --actor Ada --unit 0190c1f2-...",
    )
    .action(async (instance: string, opts: { role: string; actor: string; unit?: string }, cmd: Command) => {
      const { unit, alreadyHeld } = await withChameleon(cmd, async (ch) => {
        // What the actor held for this role before: a lost answer may have left a claim behind.
        const before = await ch.work.held(instance, { actorId: opts.actor, role: opts.role });
        return {
          unit: await ch.work.checkout(instance, {
            role: opts.role,
            actorId: opts.actor,
            ...(opts.unit === undefined ? {} : { uowId: opts.unit }),
          }),
          alreadyHeld: before,
        };
      });
      const holds =
        alreadyHeld.length === 0
          ? []
          : [
              `note   ${opts.actor} already holds ${alreadyHeld.length} unit(s) as ${opts.role}: ${alreadyHeld.map((h) => h.uowId).join(", ")} (chameleon work held)`,
            ];
      output(cmd, unit, (u) =>
        u === null
          ? [`Nothing waits for ${opts.role}.`, ...holds].join("\n")
          : [
              ...holds,
              `unit   ${u.uowId} (attempt ${u.attempt}, in ${u.interaction})`,
              `lease  ${u.leaseToken}`,
              `attributes ${JSON.stringify(u.attributes)}`,
              ...(u.memory.length
                ? [`memory ${JSON.stringify(Object.fromEntries(u.memory.map((m) => [m.key, m.value])))}`]
                : []),
              ...(u.set ? [`set    ${u.set.map((m) => m.uowId).join(", ")}`] : []),
            ].join("\n"),
      );
    });

  work
    .command("submit")
    .description("Hand a checked-out unit back with new attribute values; it is routed on")
    .argument("<instance>", "instance name or id")
    .argument("<uow>", "unit id")
    .requiredOption("--lease <token>", "the lease token of the checkout")
    .requiredOption("--actor <actor>", "actor name or id")
    .option("--attrs <json>", "changed attributes, a JSON object")
    .option("--reasoning <text>", "why")
    .option("--children <json>", 'split into children: [{"attributes":{...}}]')
    .option("--learn <json>", 'memory to keep if the unit finishes well: [{"key","value","shared"}]')
    .option("--priority <n>", "the unit's new priority, 0 to 9; its children inherit it")
    .addHelpText(
      "after",
      `\nExample:\n  chameleon work submit invoices-eu 0190… --lease 0190… --actor Ada --attrs '{"approved":true}' --reasoning "matches the order"`,
    )
    .action(
      async (
        instance: string,
        uowId: string,
        opts: {
          lease: string;
          actor: string;
          attrs?: string;
          reasoning?: string;
          children?: string;
          learn?: string;
          priority?: string;
        },
        cmd: Command,
      ) => {
        const priority = intOption("--priority", opts.priority, UNIT_PRIORITY.min, UNIT_PRIORITY.max);
        const input = {
          ...(priority === undefined ? {} : { priority }),
          uowId,
          leaseToken: opts.lease,
          actorId: opts.actor,
          attributes: parseJsonOption("--attrs", opts.attrs, "object"),
          reasoning: opts.reasoning,
          children: parseJsonOption("--children", opts.children, "array"),
          learn: parseJsonOption("--learn", opts.learn, "array"),
        };
        const r = await withChameleon(cmd, (ch) => ch.work.submit(instance, input));
        output(
          cmd,
          r,
          (x) =>
            `${x.uowId} is ${x.status} in ${x.interaction}${x.children ? `; children ${x.children.join(", ")}` : ""}`,
        );
      },
    );

  work
    .command("fail")
    .description("Report that the work could not be done; the unit goes to the error handler")
    .argument("<instance>", "instance name or id")
    .argument("<uow>", "unit id")
    .requiredOption("--lease <token>", "the lease token of the checkout")
    .requiredOption("--actor <actor>", "actor name or id")
    .requiredOption("--error <text>", "what went wrong")
    .option("--details <json>", "facts of the failure, JSON")
    .option(
      "--retryable",
      "the failure may pass: another attempt after the role's retry backoff, while attempts remain",
    )
    .action(
      async (
        instance: string,
        uowId: string,
        opts: { lease: string; actor: string; error: string; details?: string; retryable?: boolean },
        cmd: Command,
      ) => {
        const details = parseJsonOption("--details", opts.details, "object");
        const r = await withChameleon(cmd, (ch) =>
          ch.work.fail(instance, {
            uowId,
            leaseToken: opts.lease,
            actorId: opts.actor,
            error: opts.error,
            details,
            ...(opts.retryable ? { retryable: true } : {}),
          }),
        );
        output(
          cmd,
          r,
          (x) =>
            `${x.uowId} is ${x.status} in ${x.interaction}${x.availableAt ? `, available again at ${x.availableAt}` : ""}`,
        );
      },
    );

  work
    .command("heartbeat")
    .description("Keep a lease alive")
    .argument("<instance>", "instance name or id")
    .argument("<uow>", "unit id")
    .requiredOption("--lease <token>", "the lease token of the checkout")
    .requiredOption("--actor <actor>", "actor name or id")
    .action(async (instance: string, uowId: string, opts: { lease: string; actor: string }, cmd: Command) => {
      const r = await withChameleon(cmd, (ch) =>
        ch.work.heartbeat(instance, { uowId, leaseToken: opts.lease, actorId: opts.actor }),
      );
      output(cmd, r, (x) => `lease valid until ${x.leaseExpiresAt.toISOString()}`);
    });

  work
    .command("release")
    .description("Give a checked-out unit back before its lease runs out")
    .argument("<instance>", "instance name or id")
    .argument("<uow>", "unit id")
    .requiredOption("--lease <token>", "the lease token of the checkout")
    .requiredOption("--actor <actor>", "actor name or id")
    .action(async (instance: string, uowId: string, opts: { lease: string; actor: string }, cmd: Command) => {
      const r = await withChameleon(cmd, (ch) =>
        ch.work.release(instance, { uowId, leaseToken: opts.lease, actorId: opts.actor }),
      );
      output(cmd, r, (x) => `${x.uowId} is ${x.status} in ${x.interaction}`);
    });

  work
    .command("cancel")
    .description("Give up on a unit (admin, or the actor holding it as EPSILON or TAU)")
    .argument("<instance>", "instance name or id")
    .argument("<uow>", "unit id")
    .requiredOption("--reason <text>", "why, recorded in the audit log")
    .option("--actor <actor>", "the EPSILON or TAU actor holding it; default: the admin")
    .action(async (instance: string, uowId: string, opts: { reason: string; actor?: string }, cmd: Command) => {
      const r = await withChameleon(cmd, (ch) =>
        ch.work.cancel(instance, { uowId, actorId: opts.actor, reason: opts.reason }),
      );
      output(cmd, r, (x) => `${x.uowId} is ${x.status}`);
    });

  work
    .command("show")
    .description("Show a unit: status, place, counts and latest attributes")
    .argument("<instance>", "instance name or id")
    .argument("<uow>", "unit id")
    .action(async (instance: string, uowId: string, _opts: unknown, cmd: Command) => {
      const u = await withChameleon(cmd, (ch) => ch.work.get(instance, uowId));
      output(cmd, u, (x) =>
        [
          `${x.uowId} ${x.status} in ${x.workflow}/${x.interaction}${x.parentId ? ` (child of ${x.parentId})` : ""}`,
          `children ${x.finishedChildCount}/${x.childCount} back, attempt ${x.attempt}, priority ${x.priority}`,
          ...(x.availableAt.getTime() > x.enteredInteractionAt.getTime()
            ? [`available from ${when(x.availableAt)}`]
            : []),
          ...(x.dueAt === null ? [] : [`due ${when(x.dueAt)}${x.overdue ? " (overdue)" : ""}`]),
          ...(x.heldBy === null
            ? []
            : [`held by ${x.heldBy}${x.leaseExpiresAt ? `, lease until ${when(x.leaseExpiresAt)}` : " (no lease)"}`]),
          ...(x.children.length > 0 ? [`child units ${x.children.join(", ")}`] : []),
          ...(x.nestedCopy ? [`nested copy ${x.nestedCopy}`] : []),
          ...(x.nestedOriginal ? [`copy of ${x.nestedOriginal}`] : []),
          `attributes ${JSON.stringify(x.attributes, null, 2)}`,
        ].join("\n"),
      );
    });

  const list = work
    .command("list")
    .description("List units by filters and a condition over their attributes, a page at a time")
    .argument("<instance>", "instance name or id");
  addUnitFilterOptions(list)
    .option("--sort <column>", "createdAt, enteredInteractionAt, updatedAt, attempt or priority")
    .option("--desc", "newest (or largest) first")
    .option("--limit <n>", "at most this many units (1 to 100000)")
    .option("--after <uow>", "the unit after which the page starts (the last of the previous page)")
    .option("--attrs <keys>", "attribute keys to show as columns, comma-separated")
    .addHelpText(
      "after",
      `\nExample:\n  chameleon work list invoices-eu --where "amount > 5000 and vendor == 'ACME'" --attrs amount,vendor --limit 20`,
    )
    .action(
      async (
        instance: string,
        opts: UnitFilterOptions & {
          sort?: string;
          desc?: boolean;
          limit?: string;
          after?: string;
          attrs?: string;
        },
        cmd: Command,
      ) => {
        const limit = intOption("--limit", opts.limit, 1, 100_000);
        const keys = opts.attrs === undefined ? [] : opts.attrs.split(",").filter((k) => k !== "");
        const filter = {
          ...unitFilterOf(opts),
          ...(opts.sort === undefined ? {} : { sort: opts.sort }),
          ...(opts.desc ? { order: "desc" } : {}),
          ...(limit === undefined ? {} : { limit }),
          ...(opts.after === undefined ? {} : { after: opts.after }),
          ...(keys.length === 0 ? {} : { attributes: keys }),
        };
        const rows = await withChameleon(cmd, (ch) => ch.work.list(instance, filter));
        output(cmd, rows, (list) =>
          [
            table([
              [
                "UNIT",
                "STATUS",
                "WHERE",
                "CHILDREN",
                "PARENT",
                "HELD BY",
                "LEASE UNTIL",
                "PRIORITY",
                "DUE",
                ...keys.map((k) => k.toUpperCase()),
              ],
              ...list.map((u) => [
                u.uowId,
                u.status,
                `${u.workflow}/${u.interaction}`,
                `${u.finishedChildCount}/${u.childCount}`,
                u.parentId ?? "",
                u.heldBy ?? "",
                u.leaseExpiresAt ? when(u.leaseExpiresAt) : "",
                String(u.priority),
                u.dueAt ? `${when(u.dueAt)}${u.overdue ? " OVERDUE" : ""}` : "",
                ...keys.map((k) => (u.attributes && k in u.attributes ? JSON.stringify(u.attributes[k]) : "")),
              ]),
            ]),
            ...(rows.nextAfter === null ? [] : [`more: --after ${rows.nextAfter}`]),
          ].join("\n"),
        );
      },
    );

  registerBulk(work);

  work
    .command("history")
    .description("The audit trail of a unit, oldest first")
    .argument("<instance>", "instance name or id")
    .argument("<uow>", "unit id")
    .action(async (instance: string, uowId: string, _opts: unknown, cmd: Command) => {
      const rows = await withChameleon(cmd, (ch) => ch.work.history(instance, uowId));
      output(cmd, rows, formatHistory);
    });

  work
    .command("versions")
    .description("Every version of a unit's attributes, with who wrote it, why and when, a page at a time")
    .argument("<instance>", "instance name or id")
    .argument("<uow>", "unit id")
    .option("--key <key>", "only this attribute")
    .option("--limit <n>", "at most this many versions (1 to 1000)")
    .option("--after <id>", "the attributeId after which the page starts (the last of the previous page)")
    .action(
      async (instance: string, uowId: string, opts: { key?: string; limit?: string; after?: string }, cmd: Command) => {
        const limit = intOption("--limit", opts.limit, 1, 1000);
        const rows = await withChameleon(cmd, (ch) =>
          ch.work.attributeHistory(instance, uowId, {
            ...(opts.key === undefined ? {} : { key: opts.key }),
            ...(limit === undefined ? {} : { limit }),
            ...(opts.after === undefined ? {} : { after: opts.after }),
          }),
        );
        output(cmd, rows, formatVersions);
      },
    );
}

export function formatVersions(rows: AttributeVersionEntry[]): string {
  return table([
    ["TIME", "KEY", "VERSION", "ACTOR", "REASONING", "VALUE", "ID"],
    ...rows.map((v) => [
      when(v.createdAt),
      v.key,
      String(v.version),
      v.actorName,
      v.reasoning ?? "",
      JSON.stringify(v.value),
      v.attributeId,
    ]),
  ]);
}

export function formatHistory(rows: HistoryEntry[]): string {
  return table([
    ["TIME", "EVENT", "ACTOR", "ROLE", "INTERACTION", "REASONING", "DETAILS"],
    ...rows.map((e) => [
      when(e.timestamp),
      e.event,
      e.actorName,
      e.role ?? "",
      e.interaction ?? "",
      e.reasoning ?? "",
      e.details === null ? "" : JSON.stringify(e.details),
    ]),
  ]);
}
