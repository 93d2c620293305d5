/**
 * ch.templates.importYaml and what reads the template store after it (list, get, exportYaml,
 * graph), on every engine: versions, the all-or-nothing rule, nesting pins, refused input.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openChameleon, type Chameleon } from "../../src/chameleon.js";
import { ValidationError, type ValidationIssue } from "../../src/errors.js";
import { engines, type FreshStores } from "../support/engines.js";
import { uniqueName } from "../support/fixtures.js";
import { edit, EXAMPLE_FILES, exampleText, insertAfter, lineWith, MINIMAL, prototypeLayout } from "./helpers.js";

const TABLES = ["template_workflows", "template_roles", "template_components", "template_guardians"] as const;
type Counts = Record<(typeof TABLES)[number], number>;

/** minimal.yml's structure under another workflow name. */
const minimalNamed = (name: string): string => edit(MINIMAL, "name: Minimal", `name: ${name}`);

/** invoice_approval.yml under another workflow name. */
const invoiceNamed = (name: string): string =>
  edit(exampleText("invoice_approval.yml"), "name: Invoice_Approval", `name: ${name}`);

/** nested_order.yml with both workflows renamed (master, nested). */
function nestedNamed(master: string, nested: string): string {
  const text = edit(exampleText("nested_order.yml"), "name: Order_Fulfilment", `name: ${master}`);
  return edit(edit(text, "child_workflow: Shipping", `child_workflow: ${nested}`), "name: Shipping", `name: ${nested}`);
}

/** The master document of nestedNamed() on its own (its nested workflow must be in the store). */
const masterOnly = (master: string, nested: string): string => nestedNamed(master, nested).split("\n---\n")[0]!;

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`templates.importYaml on ${engine.name}`, () => {
    let fresh: FreshStores;
    let ch: Chameleon;
    beforeAll(async () => {
      fresh = await engine.fresh();
      ch = await openChameleon({ templatesUrl: fresh.templatesUrl, instancesUrl: fresh.instancesUrl });
    });
    afterAll(async () => {
      await ch?.close();
      await fresh?.drop();
    });

    async function counts(): Promise<Counts> {
      const db = ch.stores.templates.db;
      const out = {} as Counts;
      for (const table of TABLES) {
        const row = await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string | bigint>().as("n"))
          .executeTakeFirstOrThrow();
        out[table] = Number(row.n);
      }
      return out;
    }

    const versionsOf = async (name: string) =>
      (await ch.templates.list()).filter((t) => t.name === name).map((t) => t.version);

    it("imports every example, and its export imports again as the same version", async () => {
      for (const file of EXAMPLE_FILES) {
        const first = await ch.templates.importYaml(exampleText(file));
        expect(first.workflows.length).toBeGreaterThan(0);
        for (const w of first.workflows) {
          expect(w).toMatchObject({ version: 1, created: true });
          const yaml = await ch.templates.exportYaml(w.name);
          const again = await ch.templates.importYaml(yaml);
          expect(again.workflows).toEqual([{ workflowId: w.workflowId, name: w.name, version: 1, created: false }]);
        }
        // The original file again: nothing new either.
        const twice = await ch.templates.importYaml(exampleText(file));
        expect(twice.workflows).toEqual(first.workflows.map((w) => ({ ...w, created: false })));
      }
    });

    it("imports the Python prototype's layout, keeps the author's version and exports it canonically", async () => {
      const name = uniqueName("Prototype");
      const first = await ch.templates.importYaml(prototypeLayout(minimalNamed(name)));
      expect(first.workflows).toEqual([expect.objectContaining({ name, version: 1, created: true })]);
      const yaml = await ch.templates.exportYaml(name);
      expect(yaml).toMatch(/\n {2}author_version: "2\.1"\n/);
      expect(yaml).not.toContain("schema_json");
      expect((await ch.templates.importYaml(yaml)).workflows).toEqual([{ ...first.workflows[0], created: false }]);
      // The author's version is part of what the workflow says: another one is a new stored version.
      const next = await ch.templates.importYaml(prototypeLayout(minimalNamed(name), '  version: "2.2"\n'));
      expect(next.workflows).toEqual([expect.objectContaining({ name, version: 2, created: true })]);
    });

    it("stores nothing when the same unchanged file is imported twice", async () => {
      const name = uniqueName("Twice");
      const before = await counts();
      const first = await ch.templates.importYaml(minimalNamed(name));
      const after = await counts();
      expect(after).toEqual({
        template_workflows: before.template_workflows + 1,
        template_roles: before.template_roles + 5,
        template_components: before.template_components + 8,
        template_guardians: before.template_guardians + 2,
      });
      const second = await ch.templates.importYaml(minimalNamed(name));
      expect(second.workflows).toEqual([{ ...first.workflows[0], created: false }]);
      expect(await counts()).toEqual(after);
    });

    it("treats formatting, aliases, key order and a default guardian name as no change", async () => {
      const name = uniqueName("Same");
      const text = minimalNamed(name);
      const first = (await ch.templates.importYaml(text)).workflows[0]!;
      const before = await counts();
      let same = `# a comment\n${text}`;
      same = edit(same, "{ name: Start, type: ALPHA }", "{ type: ALPHA, role_name: Start }");
      same = edit(
        same,
        "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
        "{ name: Work, role_type: BETA, strategy: HOMOGENEOUS }",
      );
      same = edit(
        same,
        "guardian: { type: CERBERUS }",
        `guardians: [{ name: Finish_In_guard, type: CERBERUS, config: { child_disposition: ARCHIVE } }]`,
      );
      const again = (await ch.templates.importYaml(same)).workflows[0]!;
      expect(again).toEqual({ ...first, created: false });
      expect(await counts()).toEqual(before);
    });

    it("stores a changed condition or description as version 2, 3, and keeps the older versions usable", async () => {
      const name = uniqueName("Invoice");
      const v1 = (await ch.templates.importYaml(invoiceNamed(name))).workflows[0]!;
      const changedCondition = edit(invoiceNamed(name), "price * qty > 5000", "price * qty > 9000");
      const v2 = (await ch.templates.importYaml(changedCondition)).workflows[0]!;
      expect(v2).toMatchObject({ name, version: 2, created: true });
      expect(v2.workflowId).not.toBe(v1.workflowId);
      const changedDescription = edit(
        changedCondition,
        "description: Split an invoice into lines, check and approve them, then reconcile.",
        "description: Split, check, approve, reconcile.",
      );
      const v3 = (await ch.templates.importYaml(changedDescription)).workflows[0]!;
      expect(v3).toMatchObject({ name, version: 3, created: true });

      expect(await versionsOf(name)).toEqual([1, 2, 3]);
      const old = await ch.templates.get(name, 1);
      expect(old).toMatchObject({ workflowId: v1.workflowId, version: 1 });
      expect(old.description).toBe("Split an invoice into lines, check and approve them, then reconcile.");
      expect(await ch.templates.exportYaml(name, 1)).toContain('"price * qty > 5000"');
      expect(await ch.templates.exportYaml(name, 2)).toContain('"price * qty > 9000"');
      const newest = await ch.templates.exportYaml(name);
      expect(newest).toContain("description: Split, check, approve, reconcile.");
      expect(newest).toContain('"price * qty > 9000"');
      // Re-importing the newest export changes nothing.
      expect((await ch.templates.importYaml(newest)).workflows[0]).toEqual({ ...v3, created: false });
    });

    it("stores neither workflow of a file whose second workflow is invalid", async () => {
      const good = uniqueName("Good");
      const bad = uniqueName("Bad");
      const broken = edit(
        minimalNamed(bad),
        "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
        "{ name: Work, type: BETA }",
      );
      const text = `${minimalNamed(good)}---\n${broken}`;
      const before = await counts();
      const error = await rejection(ch.templates.importYaml(text));
      expect(error.issues).toContainEqual({
        rule: 2,
        path: `${bad}/roles/Work`,
        line: lineWith(text, "{ name: Work, type: BETA }"),
        message: `role 'Work' of workflow '${bad}' has no strategy (a BETA role needs HOMOGENEOUS or HETEROGENEOUS)`,
      });
      expect(await counts()).toEqual(before);
      expect(await versionsOf(good)).toEqual([]);
      expect(await versionsOf(bad)).toEqual([]);
    });

    it("points a SIGMA role at the nested version stored by the same import", async () => {
      const master = uniqueName("Order");
      const nested = uniqueName("Ship");
      const { workflows } = await ch.templates.importYaml(nestedNamed(master, nested));
      const m = workflows.find((w) => w.name === master)!;
      const n = workflows.find((w) => w.name === nested)!;
      expect([m.created, n.created]).toEqual([true, true]);
      const ship = await ch.stores.templates.db
        .selectFrom("template_roles")
        .select(["child_workflow_id", "role_type"])
        .where("workflow_id", "=", m.workflowId)
        .where("name", "=", "Ship")
        .executeTakeFirstOrThrow();
      expect(ship).toEqual({ child_workflow_id: n.workflowId, role_type: "SIGMA" });
    });

    it("nests a workflow already in the store, pinned to its newest version; a new nested version makes a new master version", async () => {
      const nested = uniqueName("Ship");
      const master = uniqueName("Order");
      const n1 = (await ch.templates.importYaml(nestedNamed(uniqueName("Other"), nested))).workflows.find(
        (w) => w.name === nested,
      )!;
      // A new master that nests the stored workflow without including it.
      const m1 = (await ch.templates.importYaml(masterOnly(master, nested))).workflows;
      expect(m1).toEqual([{ workflowId: expect.any(String), name: master, version: 1, created: true }]);
      const shipOf = async (workflowId: string) =>
        (
          await ch.stores.templates.db
            .selectFrom("template_roles")
            .select("child_workflow_id")
            .where("workflow_id", "=", workflowId)
            .where("name", "=", "Ship")
            .executeTakeFirstOrThrow()
        ).child_workflow_id;
      expect(await shipOf(m1[0]!.workflowId)).toBe(n1.workflowId);

      // A new version of the nested workflow, then the unchanged master file again: the pin
      // is part of the comparison, so the master becomes version 2, pointing at the new one.
      const nestedText = nestedNamed(uniqueName("Other"), nested).split("\n---\n")[1]!;
      const n2 = (await ch.templates.importYaml(edit(nestedText, "Pack and hand over", "Pack and give"))).workflows[0]!;
      expect(n2).toMatchObject({ name: nested, version: 2, created: true });
      const m2 = (await ch.templates.importYaml(masterOnly(master, nested))).workflows[0]!;
      expect(m2).toMatchObject({ name: master, version: 2, created: true });
      expect(await shipOf(m2.workflowId)).toBe(n2.workflowId);
      expect(await shipOf(m1[0]!.workflowId)).toBe(n1.workflowId);
      expect((await ch.templates.importYaml(masterOnly(master, nested))).workflows[0]).toEqual({
        ...m2,
        created: false,
      });
      const shown = (await ch.templates.get(master, 1)) as { nested?: unknown };
      expect(shown.nested).toEqual({ [nested]: { workflowId: n1.workflowId, version: 1 } });
    });

    it("refuses a SIGMA role whose nested workflow is neither in the file nor in the store (rule 10)", async () => {
      const master = uniqueName("Order");
      const missing = uniqueName("Missing");
      const text = masterOnly(master, missing);
      const before = await counts();
      const error = await rejection(ch.templates.importYaml(text));
      expect(error.issues).toEqual([
        {
          rule: 10,
          path: `${master}/roles/Ship/child_workflow`,
          line: lineWith(text, `child_workflow: ${missing}`),
          message: `SIGMA role 'Ship' of workflow '${master}' runs workflow '${missing}', which is neither in this file nor in the template store`,
        },
      ]);
      expect(await counts()).toEqual(before);
    });

    describe("refuses bad input and stores nothing", () => {
      const cases: [string, () => string | unknown, (issues: ValidationIssue[], text: unknown) => void][] = [
        [
          "malformed YAML, with its line",
          () => "workflow:\n  name: Broken\nroles: [\n  - { name: Start\n",
          (issues) => {
            expect(issues.length).toBeGreaterThan(0);
            expect(issues[0]).toMatchObject({ rule: 0, line: expect.any(Number) });
            expect(issues[0]!.message).toMatch(/^YAML: /);
          },
        ],
        [
          "an unknown key, named",
          () => insertAfter(minimalNamed(uniqueName("Key")), "{ name: Done }", "  - { name: Extra, colour: red }"),
          (issues, text) => {
            expect(issues).toContainEqual(
              expect.objectContaining({
                rule: 0,
                line: lineWith(text as string, "colour: red"),
                message: expect.stringContaining("unknown key 'colour' in interaction 'Extra'"),
              }),
            );
          },
        ],
        [
          "a file over 1 MiB",
          () => `${minimalNamed(uniqueName("Big"))}# ${"x".repeat(1_048_576)}\n`,
          (issues) => {
            expect(issues).toEqual([
              { rule: 0, path: "file", message: expect.stringMatching(/at most 1048576 bytes/) },
            ]);
          },
        ],
        [
          "a value that is not a string",
          () => 42,
          (issues) => expect(issues).toEqual([{ rule: 0, path: "file", message: "the blueprint must be YAML text" }]),
        ],
        [
          "an empty file",
          () => "# nothing here\n",
          (issues) => expect(issues).toEqual([{ rule: 0, path: "file", message: "the blueprint holds no workflow" }]),
        ],
      ];
      for (const [what, make, check] of cases) {
        it(what, async () => {
          const input = make();
          const before = await counts();
          const error = await rejection(ch.templates.importYaml(input as string));
          check(error.issues, input);
          expect(await counts()).toEqual(before);
        });
      }
    });

    it("draws every role and interaction of the stored version, in Mermaid and DOT", async () => {
      const name = uniqueName("Drawn");
      await ch.templates.importYaml(invoiceNamed(name));
      await ch.templates.importYaml(invoiceNamed(name).replace(/\bApprover\b/g, "Reviewer"));
      for (const version of [1, 2]) {
        const { workflow } = await ch.templates.get(name, version);
        for (const format of ["mermaid", "dot"] as const) {
          const graph = await ch.templates.graph(name, { format, version });
          expect(graph.startsWith(format === "dot" ? "digraph" : "flowchart")).toBe(true);
          for (const element of [...workflow.roles, ...workflow.interactions]) expect(graph).toContain(element.name);
          const [present, absent] = version === 1 ? ["Approver", "Reviewer"] : ["Reviewer", "Approver"];
          expect(graph).toMatch(new RegExp(`\\b${present}\\b`));
          expect(graph).not.toMatch(new RegExp(`\\b${absent}\\b`));
        }
      }
      // The default is the newest version, as Mermaid.
      expect(await ch.templates.graph(name)).toBe(await ch.templates.graph(name, { format: "mermaid", version: 2 }));
      // An untyped caller asking for another format is refused, not given DOT.
      const refused = await rejection(ch.templates.graph(name, { format: "png" as "dot" }));
      expect(refused.issues).toEqual([
        { rule: 0, path: "format", message: "unknown graph format 'png' (expected svg, dot, mermaid)" },
      ]);
      expect(await ch.templates.graph(name, { format: "svg", version: 1 })).toMatch(/<svg[\s\S]*Approver/);
    });

    it("lists every version, by name and then version", async () => {
      const name = uniqueName("Listed");
      for (const description of ["one", "two", "three"]) {
        await ch.templates.importYaml(
          insertAfter(minimalNamed(name), `name: ${name}`, `  description: ${description}`),
        );
      }
      const list = await ch.templates.list();
      expect(list.filter((t) => t.name === name).map((t) => t.version)).toEqual([1, 2, 3]);
      // Each name's versions together and in ascending order (the order of names is the database's).
      const seen: string[] = [];
      list.forEach((t, i) => {
        const previous = list[i - 1];
        if (previous?.name === t.name) expect(t.version).toBeGreaterThan(previous.version);
        else {
          expect(seen).not.toContain(t.name);
          seen.push(t.name);
        }
      });
      for (const t of list) {
        expect(Object.keys(t).sort()).toEqual(["createdAt", "name", "version", "workflowId"]);
        expect(t.createdAt).toBeInstanceOf(Date);
      }
    });
  });
}
