/**
 * The rules of ENGINE.md section 3 that concern one workflow on its own: 1-9 and 11-13
 * (rule 10's cross-workflow part is in nesting.ts), and the project's own rules from 14 on
 * (docs/blueprint.md). Every violation is reported, with the path of the offending element
 * and its line.
 */
import type { ValidationIssue } from "../errors.js";
import { isProcessingRole, type RoleType } from "../schema/enums.js";
import { flowProblems } from "./flow.js";
import { checkGuardianConfig, decidesByCondition } from "./guardian-config.js";
import type { BlueprintComponent, BlueprintWorkflow } from "./model.js";
import { didYouMean } from "./names.js";
import type { ParsedWorkflow } from "./parse.js";
import { roleSettingProblems } from "./role-settings.js";

/** Adds issues for one workflow; `where` is an index path used only to find the line. */
export class WorkflowReport {
  readonly name: string;
  constructor(
    private readonly parsed: ParsedWorkflow,
    private readonly out: ValidationIssue[],
  ) {
    this.name = parsed.workflow.name;
  }

  add(rule: number, path: string, where: string, message: string): void {
    const line = this.line(where);
    const full = `${this.name}/${path}`;
    this.out.push(line === undefined ? { rule, path: full, message } : { rule, path: full, line, message });
  }

  /** The line of `where`, or of the nearest enclosing element that has one. */
  private line(where: string): number | undefined {
    let path = `${this.name}/${where}`;
    for (;;) {
      const line = this.parsed.lineOf(path);
      if (line !== undefined) return line;
      const cut = path.lastIndexOf("/");
      if (cut <= this.name.length) return undefined;
      path = path.slice(0, cut);
    }
  }
}

export function checkWorkflow(parsed: ParsedWorkflow, out: ValidationIssue[]): void {
  const report = new WorkflowReport(parsed, out);
  const w = parsed.workflow;
  const ctx = new Lookup(w);
  uniqueNames(report, w);
  references(report, w, ctx);
  singletons(report, w);
  strategies(report, w);
  interactionsFed(report, w, ctx);
  endpoints(report, w, ctx);
  guards(report, w, ctx);
  routing(report, w, ctx);
  guardianConfigs(report, w, ctx);
  handlerInbounds(report, w, ctx);
  ownHandlerInbounds(report, w, ctx);
  flow(report, w);
  roleSettings(report, w);
}

// ---------------------------------------------------------------------------------------------

const rolePath = (w: BlueprintWorkflow, i: number): string => `roles/${w.roles[i]?.name ?? ""}`;
const roleWhere = (i: number): string => `roles/#${i + 1}`;
const compPath = (w: BlueprintWorkflow, j: number): string => `components/${w.components[j]?.name ?? ""}`;
const compWhere = (j: number): string => `components/#${j + 1}`;

/** Resolved references, by first occurrence of each name, and components grouped by their ends. */
class Lookup {
  readonly roleType = new Map<string, RoleType>();
  readonly roleIndex = new Map<string, number>();
  readonly interactionIndex = new Map<string, number>();
  /** Components (with their index) by role index and direction, in file order. */
  private readonly byRole = new Map<string, { c: BlueprintComponent; j: number }[]>();
  /** Components whose role resolves, by interaction name. */
  readonly byInteraction = new Map<string, BlueprintComponent[]>();

  constructor(readonly w: BlueprintWorkflow) {
    w.roles.forEach((r, i) => {
      if (!this.roleIndex.has(r.name)) {
        this.roleIndex.set(r.name, i);
        this.roleType.set(r.name, r.type);
      }
    });
    w.interactions.forEach((x, i) => {
      if (!this.interactionIndex.has(x.name)) this.interactionIndex.set(x.name, i);
    });
    w.components.forEach((c, j) => {
      const role = this.roleIndex.get(c.role);
      if (role === undefined) return;
      push(this.byRole, `${role}:${c.direction}`, { c, j });
      push(this.byInteraction, c.interaction, c);
    });
  }

  componentsOf(i: number, direction: "INBOUND" | "OUTBOUND"): { c: BlueprintComponent; j: number }[] {
    return this.byRole.get(`${i}:${direction}`) ?? [];
  }

  rolesOfType(type: RoleType): number[] {
    return this.w.roles.flatMap((r, i) => (r.type === type && this.roleIndex.get(r.name) === i ? [i] : []));
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Rule 4: names unique per kind within the workflow. */
function uniqueNames(report: WorkflowReport, w: BlueprintWorkflow): void {
  const check = (kind: string, items: { name: string; path: string; where: string }[]): void => {
    const seen = new Map<string, string>();
    for (const item of items) {
      const first = seen.get(item.name);
      if (first === undefined) seen.set(item.name, item.where);
      else
        report.add(
          4,
          item.path,
          item.where,
          `${kind} name '${item.name}' is used more than once in workflow '${w.name}'`,
        );
    }
  };
  check(
    "role",
    w.roles.map((r, i) => ({ name: r.name, path: rolePath(w, i), where: roleWhere(i) })),
  );
  check(
    "interaction",
    w.interactions.map((x, i) => ({ name: x.name, path: `interactions/${x.name}`, where: `interactions/#${i + 1}` })),
  );
  check(
    "component",
    w.components.map((c, j) => ({ name: c.name, path: compPath(w, j), where: compWhere(j) })),
  );
  check(
    "guardian",
    w.components.flatMap((c, j) =>
      c.guardians.map((g, k) => ({
        name: g.name,
        path: `${compPath(w, j)}/guardians/${g.name}`,
        where: `${compWhere(j)}/guardians/#${k + 1}`,
      })),
    ),
  );
}

/** Rule 4: each component's role and interaction exist. */
function references(report: WorkflowReport, w: BlueprintWorkflow, ctx: Lookup): void {
  w.components.forEach((c, j) => {
    if (!ctx.roleIndex.has(c.role)) {
      report.add(
        4,
        `${compPath(w, j)}/role`,
        `${compWhere(j)}/role`,
        `component '${c.name}' of workflow '${w.name}' names unknown role '${c.role}'${didYouMean(c.role, ctx.roleIndex.keys())}`,
      );
    }
    if (!ctx.interactionIndex.has(c.interaction)) {
      report.add(
        4,
        `${compPath(w, j)}/interaction`,
        `${compWhere(j)}/interaction`,
        `component '${c.name}' of workflow '${w.name}' names unknown interaction '${c.interaction}'${didYouMean(c.interaction, ctx.interactionIndex.keys())}`,
      );
    }
  });
}

/** Rule 1: exactly one ALPHA, OMEGA, EPSILON and TAU. */
function singletons(report: WorkflowReport, w: BlueprintWorkflow): void {
  for (const type of ["ALPHA", "OMEGA", "EPSILON", "TAU"] as const) {
    const found = w.roles.flatMap((r, i) => (r.type === type ? [i] : []));
    if (found.length === 0)
      report.add(1, "roles", "roles", `workflow '${w.name}' has no ${type} role; it needs exactly one`);
    const names = found.map((i) => w.roles[i]?.name).join(", ");
    for (const i of found.slice(1)) {
      report.add(
        1,
        rolePath(w, i),
        roleWhere(i),
        `workflow '${w.name}' has ${found.length} ${type} roles (${names}); it needs exactly one`,
      );
    }
  }
}

/** Rule 2 (strategies) and the local half of rule 10 (child_workflow only, and always, on SIGMA). */
function strategies(report: WorkflowReport, w: BlueprintWorkflow): void {
  w.roles.forEach((r, i) => {
    const what = `role '${r.name}' of workflow '${w.name}'`;
    if (isProcessingRole(r.type) && r.strategy === null) {
      report.add(
        2,
        rolePath(w, i),
        roleWhere(i),
        `${what} has no strategy (a ${r.type} role needs HOMOGENEOUS or HETEROGENEOUS)`,
      );
    }
    if (!isProcessingRole(r.type) && r.strategy !== null) {
      report.add(
        2,
        `${rolePath(w, i)}/strategy`,
        `${roleWhere(i)}/strategy`,
        `${what} is ${r.type}, which takes no strategy`,
      );
    }
    if (r.type === "SIGMA" && r.childWorkflow === null) {
      report.add(10, rolePath(w, i), roleWhere(i), `${what} is SIGMA and names no child_workflow`);
    }
    if (r.type !== "SIGMA" && r.childWorkflow !== null) {
      report.add(
        10,
        `${rolePath(w, i)}/child_workflow`,
        `${roleWhere(i)}/child_workflow`,
        `${what} is ${r.type}; only a SIGMA role runs a child_workflow`,
      );
    }
  });
}

/** Rule 5: every interaction has a consumer and a producer (the engine feeds EPSILON's and TAU's). */
function interactionsFed(report: WorkflowReport, w: BlueprintWorkflow, ctx: Lookup): void {
  w.interactions.forEach((x, i) => {
    if (ctx.interactionIndex.get(x.name) !== i) return; // a duplicate: rule 4 already said so
    const touching = ctx.byInteraction.get(x.name) ?? [];
    const inbound = touching.filter((c) => c.direction === "INBOUND");
    const engineFed = inbound.some((c) => {
      const type = ctx.roleType.get(c.role);
      return type === "EPSILON" || type === "TAU";
    });
    const what = `interaction '${x.name}' of workflow '${w.name}'`;
    if (inbound.length === 0) {
      report.add(
        5,
        `interactions/${x.name}`,
        `interactions/#${i + 1}`,
        `${what} has no consumer (no INBOUND component)`,
      );
    }
    if (!engineFed && !touching.some((c) => c.direction === "OUTBOUND")) {
      report.add(
        5,
        `interactions/${x.name}`,
        `interactions/#${i + 1}`,
        `${what} has no producer (no OUTBOUND component)`,
      );
    }
  });
}

/** Rule 6: ALPHA only pushes; OMEGA pulls. */
function endpoints(report: WorkflowReport, w: BlueprintWorkflow, ctx: Lookup): void {
  for (const i of ctx.rolesOfType("ALPHA")) {
    const name = w.roles[i]?.name ?? "";
    if (ctx.componentsOf(i, "OUTBOUND").length === 0) {
      report.add(
        6,
        rolePath(w, i),
        roleWhere(i),
        `ALPHA role '${name}' of workflow '${w.name}' has no OUTBOUND component`,
      );
    }
    for (const { c, j } of ctx.componentsOf(i, "INBOUND")) {
      report.add(
        6,
        compPath(w, j),
        compWhere(j),
        `component '${c.name}' of workflow '${w.name}' is INBOUND to ALPHA role '${name}', which takes no input`,
      );
    }
  }
  for (const i of ctx.rolesOfType("OMEGA")) {
    if (ctx.componentsOf(i, "INBOUND").length === 0) {
      report.add(
        6,
        rolePath(w, i),
        roleWhere(i),
        `OMEGA role '${w.roles[i]?.name ?? ""}' of workflow '${w.name}' has no INBOUND component`,
      );
    }
  }
}

/** Rule 7: EPSILON's inputs are guarded; OMEGA's inputs are guarded by CERBERUS. */
function guards(report: WorkflowReport, w: BlueprintWorkflow, ctx: Lookup): void {
  for (const i of ctx.rolesOfType("EPSILON")) {
    for (const { c, j } of ctx.componentsOf(i, "INBOUND")) {
      if (c.guardians.length === 0) {
        report.add(
          7,
          compPath(w, j),
          compWhere(j),
          `component '${c.name}' of workflow '${w.name}' is INBOUND to EPSILON role '${c.role}' and has no guardian`,
        );
      }
    }
  }
  for (const i of ctx.rolesOfType("OMEGA")) {
    for (const { c, j } of ctx.componentsOf(i, "INBOUND")) {
      if (!c.guardians.some((g) => g.type === "CERBERUS")) {
        report.add(
          7,
          compPath(w, j),
          compWhere(j),
          `component '${c.name}' of workflow '${w.name}' is INBOUND to OMEGA role '${c.role}' and has no CERBERUS guardian`,
        );
      }
    }
  }
}

/** Rule 8: several ways out of a processing role need conditions on all but one (the default). */
function routing(report: WorkflowReport, w: BlueprintWorkflow, ctx: Lookup): void {
  w.roles.forEach((r, i) => {
    if (!isProcessingRole(r.type)) return;
    const outbound = ctx.componentsOf(i, "OUTBOUND");
    if (outbound.length < 2) return;
    const defaults = outbound.filter(({ c }) => !c.guardians.some((g) => decidesByCondition(g.type, g.config)));
    const names = defaults.map(({ c }) => c.name).join(", ");
    for (const { c, j } of defaults.slice(1)) {
      report.add(
        8,
        compPath(w, j),
        compWhere(j),
        `component '${c.name}' of workflow '${w.name}' has no routing condition, but role '${r.name}' already has a default route; ` +
          `of its ${outbound.length} OUTBOUND components at most one may go without a condition (these have none: ${names})`,
      );
    }
  });
}

/** Rules 12 (config shape, CERBERUS placement), 9 (conditions) and 3 (types inside COMPOSITE). */
function guardianConfigs(report: WorkflowReport, w: BlueprintWorkflow, ctx: Lookup): void {
  w.components.forEach((c, j) => {
    c.guardians.forEach((g, k) => {
      const path = `${compPath(w, j)}/guardians/${g.name}`;
      const where = `${compWhere(j)}/guardians/#${k + 1}`;
      const what = `guardian '${g.name}' of component '${c.name}' in workflow '${w.name}'`;
      for (const p of checkGuardianConfig(g.type, g.config)) {
        report.add(
          p.rule,
          `${path}/config`,
          p.at === "" ? `${where}/config` : `${where}/config/${p.at}`,
          `${what}: ${p.message}`,
        );
      }
      if (g.type !== "CERBERUS") return;
      if (c.direction === "OUTBOUND") {
        report.add(12, path, where, `${what}: CERBERUS is not allowed on an OUTBOUND component`);
      } else if (ctx.roleIndex.has(c.role) && ctx.roleType.get(c.role) !== "OMEGA") {
        report.add(
          12,
          path,
          where,
          `${what}: CERBERUS guards only the INBOUND components of the OMEGA role, not of ${ctx.roleType.get(c.role) ?? ""} role '${c.role}'`,
        );
      }
    });
  });
}

/** Rule 13: EPSILON and TAU each pull from exactly one interaction; OMEGA from exactly one. */
function handlerInbounds(report: WorkflowReport, w: BlueprintWorkflow, ctx: Lookup): void {
  for (const type of ["EPSILON", "TAU", "OMEGA"] as const) {
    for (const i of ctx.rolesOfType(type)) {
      const sources = new Set(ctx.componentsOf(i, "INBOUND").map(({ c }) => c.interaction));
      // OMEGA with none is rule 6's issue; reporting it twice would only add noise.
      if (sources.size === 1 || (type === "OMEGA" && sources.size === 0)) continue;
      const listed = sources.size === 0 ? "none" : [...sources].join(", ");
      report.add(
        13,
        rolePath(w, i),
        roleWhere(i),
        `${type} role '${w.roles[i]?.name ?? ""}' of workflow '${w.name}' must have exactly one INBOUND interaction` +
          `${type === "OMEGA" ? " (guarded by CERBERUS)" : ""}; it has ${sources.size} (${listed})`,
      );
    }
  }
}

/**
 * Rule 14: the INBOUND interaction of EPSILON, and that of TAU, is pulled from by that role
 * alone. An interaction's consumers decide the status units get there (FAILED for EPSILON's,
 * TIMEOUT for TAU's), so a shared one would hold units its other consumers may never take,
 * and the sweep could not move a stale unit to TAU at all.
 */
function ownHandlerInbounds(report: WorkflowReport, w: BlueprintWorkflow, ctx: Lookup): void {
  const owners = new Map<string, { type: "EPSILON" | "TAU"; role: string }>();
  for (const type of ["EPSILON", "TAU"] as const) {
    for (const i of ctx.rolesOfType(type)) {
      const role = w.roles[i]?.name ?? "";
      for (const { c } of ctx.componentsOf(i, "INBOUND")) {
        // EPSILON first: where both pull from one interaction, units arrive there FAILED.
        if (!owners.has(c.interaction)) owners.set(c.interaction, { type, role });
      }
    }
  }
  w.components.forEach((c, j) => {
    const owner = owners.get(c.interaction);
    if (c.direction !== "INBOUND" || owner === undefined || c.role === owner.role) return;
    const type = ctx.roleType.get(c.role);
    // Unknown roles (rule 4), a second EPSILON or TAU (rule 1) and ALPHA pulling (rule 6) are
    // already reported; a rule 14 issue on top would only repeat them.
    if (type === undefined || type === owner.type || type === "ALPHA") return;
    report.add(
      14,
      compPath(w, j),
      compWhere(j),
      `component '${c.name}' of workflow '${w.name}' makes ${type} role '${c.role}' pull from interaction '${c.interaction}', ` +
        `the INBOUND interaction of ${owner.type} role '${owner.role}'; EPSILON and TAU each need an INBOUND interaction of their own`,
    );
  });
}

/** Rule 11. */
function flow(report: WorkflowReport, w: BlueprintWorkflow): void {
  const roleName = (i: number): string => w.roles[i]?.name ?? "";
  for (const p of flowProblems(w)) {
    if (p.kind === "unreachable") {
      report.add(
        11,
        rolePath(w, p.role),
        roleWhere(p.role),
        `role '${roleName(p.role)}' of workflow '${w.name}' cannot be reached from ALPHA role '${roleName(p.from)}'`,
      );
    } else if (p.kind === "no-way-to-omega") {
      report.add(
        11,
        rolePath(w, p.role),
        roleWhere(p.role),
        `OMEGA role '${roleName(p.omega)}' of workflow '${w.name}' cannot be reached from role '${roleName(p.role)}'`,
      );
    } else {
      const first = p.roles[0] ?? 0;
      const names = p.roles.map((i) => `'${roleName(i)}'`).join(", ");
      const roles = p.roles.length === 1 ? `role ${names}` : `roles ${names}`;
      const components = p.components.map((j) => w.components[j]?.name ?? "").join(", ");
      report.add(
        11,
        rolePath(w, first),
        roleWhere(first),
        `${roles} of workflow '${w.name}' form a cycle (components ${components}) with no conditional component, so work can loop forever`,
      );
    }
  }
}

/** Rules 15 (a role's lease_seconds and max_attempts), 16 (its form), 17 (retry) and 18 (due_seconds): role-settings.ts. */
function roleSettings(report: WorkflowReport, w: BlueprintWorkflow): void {
  w.roles.forEach((r, i) => {
    for (const p of roleSettingProblems(r.config, `role '${r.name}' of workflow '${w.name}'`, r.type)) {
      report.add(p.rule, `${rolePath(w, i)}/config/${p.path}`, `${roleWhere(i)}/config/${p.path}`, p.message);
    }
  });
}
