/**
 * `chameleon mcp --instance I --actor A` as a real process, driven by the SDK's Client over
 * stdio: the tools, an agent doing one role's whole job, failures and refusals.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "../support/cli.js";
import { engines } from "../support/engines.js";
import { useChameleon } from "../support/fixtures.js";
import {
  choosesFromTheList,
  doesABatch,
  doesTheWholeJob,
  listsTheTools,
  refuses,
  reportsAFailure,
  setupInstances,
} from "./scenario.js";

const sqlite = engines.find((e) => e.name === "sqlite")!;

describe("chameleon mcp over stdio", () => {
  const h = useChameleon(sqlite);
  const s = {} as { name: string; otherUnit: string; client: Client; stderr: string };

  const stores = () => ["--templates", h.fresh.templatesUrl, "--instances", h.fresh.instancesUrl];

  beforeAll(async () => {
    Object.assign(s, await setupInstances(h.ch));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, ...stores(), "mcp", "--instance", s.name, "--actor", "agent"],
      stderr: "pipe",
    });
    s.stderr = "";
    transport.stderr?.on("data", (d: Buffer) => (s.stderr += d.toString()));
    s.client = new Client({ name: "chameleon-test", version: "1.0.0" });
    await s.client.connect(transport);
  });
  afterAll(async () => {
    await s.client?.close();
  });

  it("introduces itself and lists the thirteen tools with their schemas", async () => {
    expect(s.client.getServerVersion()?.name).toBe("chameleon");
    expect(s.client.getInstructions()).toMatch(/checkout_work/);
    await listsTheTools(s.client);
  });

  it("does one role's whole job: start_work, then checkout_work, get_memory, heartbeat, submit_work until none is left", async () => {
    await doesTheWholeJob(s.client, h.ch, s.name);
  });

  it("reports a failure, and a lost lease is refused", async () => {
    await reportsAFailure(s.client);
  });

  it("refuses bad arguments, roles not assigned and units of another instance with tool errors", async () => {
    await refuses(s.client, s.otherUnit);
    expect(s.stderr).toBe("");
  });

  it("lists units with a condition and chosen attributes, takes the chosen one and reads its history", async () => {
    await choosesFromTheList(s.client, s.otherUnit);
    expect(s.stderr).toBe("");
  });

  it("checks out several units with checkout_many and submits them with submit_many, answered per unit", async () => {
    await doesABatch(s.client, h.ch, s.name);
  });

  it("refuses to start for an unknown actor, an unknown instance or the SYSTEM actor, printing nothing on stdout", async () => {
    const nobody = await runCli([...stores(), "mcp", "--instance", s.name, "--actor", "nobody"]);
    expect(nobody).toMatchObject({ code: 1, stdout: "" });
    expect(nobody.stderr).toMatch(/no actor 'nobody'/);
    const noInstance = await runCli([...stores(), "mcp", "--instance", "nowhere", "--actor", "agent"]);
    expect(noInstance).toMatchObject({ code: 1, stdout: "" });
    const system = await runCli([...stores(), "mcp", "--instance", s.name, "--actor", "SYSTEM"]);
    expect(system).toMatchObject({ code: 1, stdout: "" });
    expect(system.stderr).toMatch(/SYSTEM/);
    const usage = await runCli([...stores(), "mcp", "--instance", s.name]);
    expect(usage.code).toBe(2);
  });

  it("takes ids as well as names, and exits 0 when its standard input closes", async () => {
    const instance = await h.ch.instances.get(s.name);
    const agent = instance.actors.find((a) => a.name === "agent")!;
    const args = ["mcp", "--instance", instance.instanceId, "--actor", agent.actorId];
    const ended = await runCli([...stores(), ...args], { input: "" });
    expect(ended).toMatchObject({ code: 0, stdout: "" });
  });
});
