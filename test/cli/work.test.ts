/** Driving a unit by hand with the real CLI binary: instance, actors, genesis, checkout, submit, history. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines, type FreshStores } from "../support/engines.js";
import { runCli } from "../support/cli.js";
import { EXAMPLES_DIR } from "../support/fixtures.js";

const sqlite = engines.find((e) => e.name === "sqlite")!;

describe("chameleon instance, actor and work commands", () => {
  let fresh: FreshStores;
  let stores: string[];
  const cli = (...args: string[]) => runCli([...args, ...stores]);
  const json = async (...args: string[]) => {
    const r = await cli(...args, "--json");
    expect(r.stderr, args.join(" ")).toBe("");
    expect(r.code, args.join(" ")).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown> & unknown[];
  };

  beforeAll(async () => {
    fresh = await sqlite.fresh();
    stores = ["--templates", fresh.templatesUrl, "--instances", fresh.instancesUrl];
    expect((await cli("template", "import", `${EXAMPLES_DIR}minimal.yml`)).code).toBe(0);
  });
  afterAll(() => fresh?.drop());

  // About fifteen CLI processes one after the other: each starts Node and opens the stores.
  it("drives one unit from genesis to FINALIZED", { timeout: 180_000 }, async () => {
    const created = await json("instance", "create", "Minimal", "--name", "by-hand");
    expect(created.name).toBe("by-hand");
    await json(
      "actor",
      "add",
      "by-hand",
      "--name",
      "ann",
      "--type",
      "HUMAN",
      "--identity",
      "ann@example.com",
      "--role",
      "Start",
      "--role",
      "Work",
    );
    await json("actor", "assign", "by-hand", "ann", "Finish");
    const shown = await json("instance", "show", "by-hand");
    expect((shown.actors as { name: string; roles: string[] }[]).find((a) => a.name === "ann")!.roles.sort()).toEqual([
      "Finish",
      "Start",
      "Work",
    ]);

    const { uowId } = await json("work", "start", "by-hand", "--attrs", '{"title":"by hand"}', "--actor", "ann");
    const unit = await json("work", "checkout", "by-hand", "--role", "Work", "--actor", "ann");
    expect(unit).toMatchObject({ uowId, attributes: { title: "by hand" }, attempt: 1 });
    await json("work", "heartbeat", "by-hand", uowId as string, "--lease", unit.leaseToken as string, "--actor", "ann");
    const submitted = await json(
      "work",
      "submit",
      "by-hand",
      uowId as string,
      "--lease",
      unit.leaseToken as string,
      "--actor",
      "ann",
      "--attrs",
      '{"done":true}',
      "--reasoning",
      "typed it",
    );
    expect(submitted).toMatchObject({ status: "COMPLETED", interaction: "Done" });

    // The same submit again answers the first result; a lease never handed out is refused:
    // one line, exit 1, nothing changed.
    const repeated = await json(
      "work",
      "submit",
      "by-hand",
      uowId as string,
      "--lease",
      unit.leaseToken as string,
      "--actor",
      "ann",
    );
    expect(repeated).toEqual({ ...submitted, alreadyDone: true });
    const again = await cli(
      "work",
      "submit",
      "by-hand",
      uowId as string,
      "--lease",
      "0190a000-0000-7000-8000-000000000000",
      "--actor",
      "ann",
    );
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split("\n")).toHaveLength(1);
    expect(again.stderr).toMatch(/^chameleon: unit .* is not the current lease/);

    const set = await json("work", "checkout", "by-hand", "--role", "Finish", "--actor", "ann");
    await json("work", "submit", "by-hand", uowId as string, "--lease", set.leaseToken as string, "--actor", "ann");
    expect(await json("work", "show", "by-hand", uowId as string)).toMatchObject({
      status: "FINALIZED",
      attributes: { title: "by hand", done: true },
    });
    const history = (await json("work", "history", "by-hand", uowId as string)) as unknown as { event: string }[];
    expect(history.map((e) => e.event)).toEqual([
      "GENESIS",
      "CHECKOUT",
      "SUBMIT",
      "SYNC_RELEASE",
      "CHECKOUT",
      "FINALIZE",
    ]);
    const people = await cli("work", "history", "by-hand", uowId as string);
    expect(people.stdout).toMatch(/GENESIS +ann +Start +Todo/);
    const list = (await json("work", "list", "by-hand", "--status", "FINALIZED")) as unknown as { uowId: string }[];
    expect(list.map((u) => u.uowId)).toEqual([uowId]);
    expect(await json("sweep", "by-hand")).toEqual({ reclaimed: 0, timedOut: 0, failures: [] });
    const token = await json("actor", "token", "by-hand", "ann");
    expect(token.token).toMatch(/^chm_/);
    await json("actor", "revoke", "by-hand", "ann", "Work");
    const refused = await cli("work", "checkout", "by-hand", "--role", "Work", "--actor", "ann");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("has no active assignment to role 'Work'");
  });

  it("lists with --where, --attrs and --limit, shows holders, actors and reasoning", { timeout: 180_000 }, async () => {
    await json("instance", "create", "Minimal", "--name", "reading");
    await json("actor", "add", "reading", "--name", "bea", "--type", "HUMAN", "--identity", "bea@example.com");
    await json("actor", "assign", "reading", "bea", "Start");
    await json("actor", "assign", "reading", "bea", "Work");
    const ids: string[] = [];
    for (const [amount, vendor] of [
      [9000, "ACME"],
      [10, "ACME"],
      [7000, "Other"],
    ] as const) {
      const started = await json(
        "work",
        "start",
        "reading",
        "--attrs",
        JSON.stringify({ amount, vendor }),
        "--actor",
        "bea",
        "--reasoning",
        `invoice of ${amount}`,
      );
      ids.push(started.uowId as string);
    }
    const first = await json("work", "checkout", "reading", "--role", "Work", "--actor", "bea");
    expect(first.uowId).toBe(ids[0]);
    // A second checkout says what bea already holds as Work.
    const second = await cli("work", "checkout", "reading", "--role", "Work", "--actor", "bea");
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`note   bea already holds 1 unit(s) as Work: ${ids[0]}`);
    expect(second.stdout).toContain(`unit   ${ids[1]}`);

    const page = await cli(
      "work",
      "list",
      "reading",
      "--where",
      "amount > 5000",
      "--attrs",
      "amount,vendor",
      "--limit",
      "1",
    );
    expect(page.code).toBe(0);
    const lines = page.stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      /^UNIT +STATUS +WHERE +CHILDREN +PARENT +HELD BY +LEASE UNTIL +PRIORITY +DUE +AMOUNT +VENDOR$/,
    );
    expect(lines[1]).toMatch(
      new RegExp(`^${ids[0]} +ACTIVE +Minimal/Todo +0/0 +bea +\\d{4}-\\d\\d-\\d\\d [0-9:.]+ +5 +9000 +"ACME"$`),
    );
    expect(lines[2]).toBe(`more: --after ${ids[0]}`);
    expect(lines).toHaveLength(3);
    const next = await json("work", "list", "reading", "--where", "amount > 5000", "--after", ids[0]!);
    expect(next.map((u) => (u as { uowId: string }).uowId)).toEqual([ids[2]]);
    const bad = await cli("work", "list", "reading", "--limit", "0");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--limit");
    const badWhere = await cli("work", "list", "reading", "--where", "amount >");
    expect(badWhere.code).toBe(2); // a ValidationError is a usage error
    expect(badWhere.stderr).toContain("where");

    const badPriority = await cli("work", "start", "reading", "--attrs", "{}", "--actor", "bea", "--priority", "12");
    expect(badPriority.code).toBe(2);
    expect(badPriority.stderr).toContain("--priority must be a whole number from 0 to 9");
    const urgent = await json("work", "start", "reading", "--attrs", "{}", "--actor", "bea", "--priority", "9");
    const listed = await json("work", "list", "reading", "--sort", "priority", "--desc", "--limit", "1");
    expect(listed.map((u) => (u as { uowId: string; priority: number }).priority)).toEqual([9]);
    expect((listed[0] as { uowId: string }).uowId).toBe(urgent.uowId);

    const shown = await cli("work", "show", "reading", ids[0]!);
    expect(shown.stdout).toMatch(/held by bea, lease until \d{4}-/);
    expect(shown.stdout).toContain("priority 5");
    const history = await cli("work", "history", "reading", ids[0]!);
    const rows = history.stdout.trim().split("\n");
    expect(rows[0]).toMatch(/^TIME +EVENT +ACTOR +ROLE +INTERACTION +REASONING +DETAILS$/);
    expect(rows[1]).toMatch(/ GENESIS +bea +Start +Todo +invoice of 9000 /);
    expect(rows[2]).toMatch(/ CHECKOUT +bea +Work +Todo /);

    // Every version of the attributes, with its writer and reasoning; one key, a page at a time.
    const versions = await cli("work", "versions", "reading", ids[0]!);
    const vrows = versions.stdout.trim().split("\n");
    expect(vrows[0]).toMatch(/^TIME +KEY +VERSION +ACTOR +REASONING +VALUE +ID$/);
    expect(vrows.slice(1).map((r) => r.split(/ {2,}/).slice(1, 6))).toEqual([
      ["amount", "1", "bea", "invoice of 9000", "9000"],
      ["vendor", "1", "bea", "invoice of 9000", '"ACME"'],
    ]);
    const oneKey = await json("work", "versions", "reading", ids[0]!, "--key", "vendor", "--limit", "1");
    expect(oneKey.map((v) => [(v as { key: string }).key, (v as { value: unknown }).value])).toEqual([
      ["vendor", "ACME"],
    ]);
    expect((await cli("work", "versions", "reading", ids[0]!, "--limit", "1001")).code).toBe(2);
  });

  it(
    "refuses bad JSON and bad flags as usage (exit 2) and bad operations as refusals (exit 1)",
    { timeout: 60_000 },
    async () => {
      const badJson = await cli("work", "start", "by-hand", "--attrs", "{title:");
      expect(badJson.code).toBe(2);
      expect(badJson.stderr).toMatch(/^chameleon: --attrs is not valid JSON/);
      const missing = await cli("work", "checkout", "by-hand", "--role", "Work");
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("required option '--actor <actor>' not specified");
      const unknownInstance = await cli("work", "list", "nowhere");
      expect(unknownInstance.code).toBe(1);
      expect(unknownInstance.stderr.trim()).toBe(
        `chameleon: instance store at ${fresh.instancesUrl.slice("sqlite:".length)} holds no instance 'nowhere'`,
      );
      const badType = await cli("actor", "add", "by-hand", "--name", "x", "--type", "ROBOT", "--identity", "x");
      expect(badType.code).toBe(2);
      expect(badType.stderr).toMatch(/actors.add type/);
      const dup = await cli("instance", "create", "Minimal", "--name", "by-hand");
      expect(dup.code).toBe(1);
      expect(dup.stderr.trim()).toBe("chameleon: an instance named 'by-hand' already exists");
      const help = await cli("work", "submit", "--help");
      expect(help.code).toBe(0);
      expect(help.stdout).toContain("Example:");
    },
  );
});
