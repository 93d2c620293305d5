/**
 * What an MCP client does with Chameleon's tools, whatever the transport: list them, start
 * work, do one role's whole job, fail a unit, and meet every kind of refusal.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { expect } from "vitest";
import type { Chameleon } from "../../src/chameleon.js";
import { uniqueName } from "../support/fixtures.js";

export const TOOLS = [
  "checkout_many",
  "checkout_work",
  "get_memory",
  "get_unit",
  "heartbeat",
  "held_work",
  "instance_overview",
  "list_work",
  "report_failure",
  "start_work",
  "submit_many",
  "submit_work",
  "unit_history",
];

/** An instance where `agent` holds Start and Work (not Finish), and a second instance with a unit. */
export async function setupInstances(ch: Chameleon): Promise<{ name: string; otherUnit: string }> {
  const name = uniqueName("mcp");
  await ch.instances.create({
    workflow: "Minimal",
    name,
    actors: [
      { name: "agent", type: "AI_AGENT", identityKey: "agent-1", roles: ["Start", "Work"] },
      { name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Finish"] },
    ],
  });
  await ch.memory.put(name, { role: "Work", key: "tone", value: "formal" });
  const other = uniqueName("mcp_other");
  await ch.instances.create({
    workflow: "Minimal",
    name: other,
    actors: [{ name: "agent", type: "AI_AGENT", identityKey: "agent-2", roles: ["Start", "Work"] }],
  });
  const { uowId } = await ch.work.start(other, { attributes: { secret: true } });
  return { name, otherUnit: uowId };
}

interface ToolReply {
  isError?: boolean;
  content: { type: string; text: string }[];
}

export async function callTool<T = unknown>(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<{ isError: boolean; text: string; json: T }> {
  const reply = (await client.callTool({ name, arguments: args })) as ToolReply;
  const text = reply.content.map((c) => c.text).join("\n");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { isError: reply.isError === true, text, json: json as T };
}

export async function listsTheTools(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
  for (const t of tools) {
    expect(t.description?.length, t.name).toBeGreaterThan(40);
    expect(t.inputSchema).toMatchObject({ type: "object", additionalProperties: false });
  }
  const byName = Object.fromEntries(tools.map((t) => [t.name, t.inputSchema]));
  const props = (tool: string) => Object.keys(byName[tool]?.properties ?? {}).sort();
  expect(props("checkout_work")).toEqual(["role", "uowId"]);
  expect(props("submit_work")).toEqual([
    "attributes",
    "children",
    "learn",
    "leaseToken",
    "priority",
    "reasoning",
    "uowId",
  ]);
  expect(byName.submit_work?.required?.sort()).toEqual(["leaseToken", "uowId"]);
  expect(props("checkout_many")).toEqual(["max", "role"]);
  expect(byName.checkout_many?.required?.sort()).toEqual(["max", "role"]);
  expect(props("submit_many")).toEqual(["submits"]);
  const entry = (byName.submit_many?.properties as { submits?: { items?: { properties?: object } } }).submits?.items;
  expect(Object.keys(entry?.properties ?? {}).sort()).toEqual(props("submit_work"));
  expect(props("report_failure")).toEqual(["details", "error", "leaseToken", "retryable", "uowId"]);
  expect(props("heartbeat")).toEqual(["leaseToken", "uowId"]);
  expect(props("get_memory")).toEqual(["query", "role"]);
  expect(props("start_work")).toEqual(["attributes", "idempotencyKey", "priority", "reasoning"]);
  expect(props("held_work")).toEqual(["role"]);
  expect(byName.start_work?.required).toEqual(["attributes"]);
  expect(props("get_unit")).toEqual(["uowId"]);
  expect(props("list_work")).toEqual(["after", "attributes", "limit", "overdue", "role", "status", "where"]);
  expect(props("unit_history")).toEqual(["uowId"]);
  expect(props("instance_overview")).toEqual([]);
}

/** list_work with a condition and chosen attributes, a page at a time; checkout of the chosen unit; its history. */
export async function choosesFromTheList(client: Client, otherUnit: string): Promise<void> {
  const ids: string[] = [];
  for (const amount of [9100, 20, 9200]) {
    const r = await callTool<{ uowId: string }>(client, "start_work", {
      attributes: { amount, vendor: "ACME" },
      reasoning: `invoice of ${amount}`,
    });
    ids.push(r.json.uowId);
  }
  type Page = {
    units: { uowId: string; attributes: Record<string, unknown>; heldBy: string | null }[];
    nextAfter: string | null;
  };
  const first = await callTool<Page>(client, "list_work", {
    role: "Work",
    where: "amount > 9000",
    attributes: ["amount"],
    limit: 1,
  });
  expect(first.isError, first.text).toBe(false);
  expect(first.json.units.map((u) => [u.uowId, u.attributes])).toEqual([[ids[0], { amount: 9100 }]]);
  expect(first.json.nextAfter).toBe(ids[0]);
  const second = await callTool<Page>(client, "list_work", {
    role: "Work",
    where: "amount > 9000",
    after: first.json.nextAfter,
  });
  expect(second.json.units.map((u) => u.uowId)).toEqual([ids[2]]);
  expect(second.json.nextAfter).toBeNull();
  const badWhere = await callTool(client, "list_work", { where: "amount >" });
  expect(badWhere.isError).toBe(true);
  expect(badWhere.text).toMatch(/where/);

  const chosen = await callTool<Unit>(client, "checkout_work", { role: "Work", uowId: ids[2] });
  expect(chosen.json.uowId).toBe(ids[2]);
  const held = await callTool<Page>(client, "list_work", { where: "amount == 9200" });
  expect(held.json.units.map((u) => u.heldBy)).toEqual(["agent"]);
  const history = await callTool<{ event: string; actorName: string; reasoning: string | null }[]>(
    client,
    "unit_history",
    { uowId: ids[2] },
  );
  expect(history.json.map((e) => [e.event, e.actorName, e.reasoning])).toEqual([
    ["GENESIS", "agent", "invoice of 9200"],
    ["CHECKOUT", "agent", null],
  ]);
  const other = await callTool(client, "unit_history", { uowId: otherUnit });
  expect(other.isError).toBe(true);
  expect(other.text).toMatch(/no unit/);
  // Give the chosen unit back so the instance's queue is as the other scenarios expect it.
  await callTool(client, "report_failure", { uowId: ids[2], leaseToken: chosen.json.leaseToken, error: "test" });
}

interface Unit {
  uowId: string;
  leaseToken: string;
  attributes: Record<string, unknown>;
  memory: { key: string; value: unknown }[];
}

/** start_work, then checkout_work → get_memory → heartbeat → submit_work until the queue is empty. */
export async function doesTheWholeJob(client: Client, ch: Chameleon, instance: string): Promise<void> {
  const started: string[] = [];
  for (const n of [1, 2, 3]) {
    const r = await callTool<{ uowId: string }>(client, "start_work", { attributes: { n }, reasoning: "test batch" });
    expect(r.isError, r.text).toBe(false);
    started.push(r.json.uowId);
  }
  const done: string[] = [];
  for (;;) {
    const unit = await callTool<Unit | null>(client, "checkout_work", { role: "Work" });
    expect(unit.isError, unit.text).toBe(false);
    if (unit.json === null) break;
    expect(unit.json.memory).toEqual([expect.objectContaining({ key: "tone", value: "formal" })]);
    const memory = await callTool<{ key: string }[]>(client, "get_memory", { role: "Work", query: "TON" });
    expect(memory.json.map((m) => m.key)).toEqual(["tone"]);
    const beat = await callTool<{ leaseExpiresAt: string }>(client, "heartbeat", {
      uowId: unit.json.uowId,
      leaseToken: unit.json.leaseToken,
    });
    expect(beat.isError, beat.text).toBe(false);
    expect(Date.parse(beat.json.leaseExpiresAt)).toBeGreaterThan(Date.now());
    const submitted = await callTool<{ status: string }>(client, "submit_work", {
      uowId: unit.json.uowId,
      leaseToken: unit.json.leaseToken,
      attributes: { doubled: (unit.json.attributes.n as number) * 2 },
      reasoning: "doubled n",
      learn: [{ key: "doubling", value: "works", shared: true }],
    });
    expect(submitted.isError, submitted.text).toBe(false);
    expect(submitted.json.status).toBe("COMPLETED");
    done.push(unit.json.uowId);
  }
  expect(done.sort()).toEqual([...started].sort());
  const unit = await callTool<{ status: string; attributes: Record<string, unknown> }>(client, "get_unit", {
    uowId: started[1],
  });
  expect(unit.json).toMatchObject({ status: "COMPLETED", attributes: { n: 2, doubled: 4 } });
  // The library sees what the tools did, written as the agent.
  const history = await ch.work.history(instance, started[0]!);
  const agentId = (await ch.instances.get(instance)).actors.find((a) => a.name === "agent")!.actorId;
  expect(history.filter((e) => e.event === "SUBMIT").map((e) => e.actorId)).toEqual([agentId]);
}

export async function reportsAFailure(client: Client): Promise<void> {
  const { json: started } = await callTool<{ uowId: string }>(client, "start_work", { attributes: { n: 9 } });
  // The agent chooses the unit; choosing it again while it holds it is refused, naming why.
  const unit = await callTool<Unit>(client, "checkout_work", { role: "Work", uowId: started.uowId });
  expect(unit.json.uowId).toBe(started.uowId);
  const taken = await callTool(client, "checkout_work", { role: "Work", uowId: started.uowId });
  expect(taken.isError).toBe(true);
  expect(taken.text).toMatch(/it is taken/);
  // A restarted agent finds its claim again.
  const held = await callTool<{ uowId: string; leaseToken: string }[]>(client, "held_work", { role: "Work" });
  expect(held.json.map((u) => [u.uowId, u.leaseToken])).toEqual([[started.uowId, unit.json.leaseToken]]);
  const failed = await callTool<{ status: string; interaction: string }>(client, "report_failure", {
    uowId: started.uowId,
    leaseToken: unit.json.leaseToken,
    error: "the document is unreadable",
    details: { page: 2 },
  });
  expect(failed.isError, failed.text).toBe(false);
  expect(failed.json).toMatchObject({ status: "FAILED", interaction: "Errors" });
  // The same lease again answers the failure's result; a lease never handed out is refused
  // with the library's message.
  const again = await callTool(client, "submit_work", { uowId: started.uowId, leaseToken: unit.json.leaseToken });
  expect(again.isError, again.text).toBe(false);
  expect(again.json).toEqual({ ...failed.json, alreadyDone: true });
  const lost = await callTool(client, "submit_work", { uowId: started.uowId, leaseToken: crypto.randomUUID() });
  expect(lost.isError).toBe(true);
  expect(lost.text).toMatch(new RegExp(started.uowId));
  // The overview shows the failure with its reason, where the unit waits now.
  const overview = await callTool<{
    interactions: { name: string; waiting: number }[];
    recentFailures: { uowId: string; reason: string; role: string }[];
  }>(client, "instance_overview", {});
  expect(overview.isError, overview.text).toBe(false);
  expect(overview.json.recentFailures[0]).toMatchObject({
    uowId: started.uowId,
    reason: "the document is unreadable",
    role: "Work",
  });
  // The agent sees its own role's interactions; EPSILON's, where the unit waits now, is not its.
  expect(overview.json.interactions.map((i) => i.name)).toEqual(["Todo"]);
}

export async function refuses(client: Client, otherUnit: string): Promise<void> {
  const wrongType = await callTool(client, "submit_work", { uowId: 5, leaseToken: "x" });
  expect(wrongType.isError).toBe(true);
  expect(wrongType.text).toMatch(/uowId/);
  const unknown = await callTool(client, "checkout_work", { role: "Work", bogus: 1 });
  expect(unknown.isError).toBe(true);
  expect(unknown.text).toMatch(/bogus/);
  const missing = await callTool(client, "start_work", {});
  expect(missing.isError).toBe(true);
  expect(missing.text).toMatch(/attributes/);
  const notMine = await callTool(client, "checkout_work", { role: "Finish" });
  expect(notMine).toMatchObject({ isError: true });
  expect(notMine.text).toMatch(/'agent' has no active assignment to role 'Finish'/);
  const memory = await callTool(client, "get_memory", { role: "Finish" });
  expect(memory.isError).toBe(true);
  expect(memory.text).toMatch(/no active assignment/);
  const noRole = await callTool(client, "checkout_work", { role: "Nope" });
  expect(noRole.isError).toBe(true);
  expect(noRole.text).toMatch(/Nope/);
  const other = await callTool(client, "get_unit", { uowId: otherUnit });
  expect(other.isError).toBe(true);
  expect(other.text).toMatch(new RegExp(`no unit '${otherUnit}'`));
  const otherSubmit = await callTool(client, "submit_work", { uowId: otherUnit, leaseToken: "x" });
  expect(otherSubmit.isError).toBe(true);
  expect(otherSubmit.text).toMatch(/no unit/);
}

/** checkout_many takes what waits, each unit with its own lease; submit_many answers per unit, a lost lease beside the others. */
export async function doesABatch(client: Client, ch: Chameleon, instance: string): Promise<void> {
  const mine: string[] = [];
  for (const n of [21, 22, 23]) {
    mine.push((await callTool<{ uowId: string }>(client, "start_work", { attributes: { n } })).json.uowId);
  }
  const taken = await callTool<{ units: Unit[] }>(client, "checkout_many", { role: "Work", max: 100 });
  expect(taken.isError, taken.text).toBe(false);
  const units = taken.json.units;
  expect(units.map((u) => u.uowId)).toEqual(expect.arrayContaining(mine));
  expect(new Set(units.map((u) => u.leaseToken)).size).toBe(units.length);
  expect(units[0]!.memory).toEqual([expect.objectContaining({ key: "tone" })]);
  const [lost, ...rest] = units;
  const submits = [
    ...rest.map((u) => ({ uowId: u.uowId, leaseToken: u.leaseToken, attributes: { batched: true } })),
    { uowId: lost!.uowId, leaseToken: crypto.randomUUID() },
  ];
  type Results = { results: { uowId: string; ok: boolean; result?: { status: string }; error?: { name: string } }[] };
  const first = await callTool<Results>(client, "submit_many", { submits });
  expect(first.isError, first.text).toBe(false);
  expect(first.json.results.map((r) => [r.uowId, r.ok])).toEqual(submits.map((s, i) => [s.uowId, i < rest.length]));
  expect(first.json.results.at(-1)!.error?.name).toBe("ConflictError");
  for (const r of first.json.results.slice(0, -1)) expect(r.result?.status).toBe("COMPLETED");
  // The unit refused is still held, as it was: its own lease submits it.
  const last = await callTool<Results>(client, "submit_many", {
    submits: [{ uowId: lost!.uowId, leaseToken: lost!.leaseToken }],
  });
  expect(last.json.results).toEqual([
    expect.objectContaining({ ok: true, result: expect.objectContaining({ status: "COMPLETED" }) }),
  ]);
  const none = await callTool<{ units: Unit[] }>(client, "checkout_many", { role: "Work", max: 5 });
  expect(none.json).toEqual({ units: [] });
  const bad = await callTool(client, "checkout_many", { role: "Work", max: 0 });
  expect(bad.isError).toBe(true);
  expect(bad.text).toMatch(/max/);
  const empty = await callTool(client, "submit_many", { submits: [] });
  expect(empty.isError).toBe(true);
  const agentId = (await ch.instances.get(instance)).actors.find((a) => a.name === "agent")!.actorId;
  for (const id of mine) {
    const submitted = (await ch.work.history(instance, id)).filter((e) => e.event === "SUBMIT");
    expect(submitted.map((e) => e.actorId)).toEqual([agentId]);
  }
}
