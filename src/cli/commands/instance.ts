/** `chameleon instance create | list | show`: deployments of blueprints. */
import type { Command } from "commander";
import { intOption, output, parseJsonOption, table, withChameleon } from "../io.js";

export function registerInstance(program: Command): void {
  const instance = program.command("instance").description("Create and inspect instances (deployments of a blueprint)");

  instance
    .command("create")
    .description("Deploy a blueprint: clone it and every blueprint it nests into the instance store")
    .argument("<workflow>", "name of the blueprint (its newest version unless --version)")
    .requiredOption("--name <name>", "name of the new instance (unique)")
    .option("--version <n>", "the blueprint version to deploy")
    .option("--description <text>", "operational notes")
    .option("--actors <json>", 'actors to create with it: [{"name","type","identityKey","roles":[...]}]')
    .addHelpText(
      "after",
      `
Examples:
  chameleon instance create Invoice_Approval --name invoices-eu
  chameleon instance create Minimal --name try --actors '[{"name":"ann","type":"HUMAN","identityKey":"ann@example.com","roles":["Start","Work","Finish"]}]'`,
    )
    .action(
      async (
        workflow: string,
        opts: { name: string; version?: string; description?: string; actors?: string },
        cmd: Command,
      ) => {
        const actors = parseJsonOption("--actors", opts.actors, "array");
        const created = await withChameleon(cmd, (ch) =>
          ch.instances.create({
            workflow,
            name: opts.name,
            version: intOption("--version", opts.version, 1, 2 ** 31 - 1),
            description: opts.description,
            actors,
          }),
        );
        output(cmd, created, (c) =>
          [
            `Created instance ${c.name} (${c.instanceId}) of ${workflow}.`,
            ...c.actors.map((a) => `  actor ${a.name}: ${a.actorId}`),
          ].join("\n"),
        );
      },
    );

  instance
    .command("list")
    .description("List the instances of the instance store")
    .action(async (_opts: unknown, cmd: Command) => {
      const rows = await withChameleon(cmd, (ch) => ch.instances.list());
      output(cmd, rows, (list) =>
        list.length === 0
          ? "No instance yet; create one with: chameleon instance create WORKFLOW --name NAME"
          : table([
              ["NAME", "STATUS", "DEPLOYED", "INSTANCE ID"],
              ...list.map((i) => [i.name, i.status, i.deploymentDate.toISOString(), i.instanceId]),
            ]),
      );
    });

  instance
    .command("show")
    .description("Show an instance: its workflows, roles and actors")
    .argument("<instance>", "instance name or id")
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const details = await withChameleon(cmd, (ch) => ch.instances.get(name));
      output(cmd, details, (d) =>
        [
          `${d.name} (${d.instanceId}), ${d.status}, deployed ${d.deploymentDate.toISOString()}`,
          `Workflows: ${d.workflows.map((w) => `${w.name} v${w.version}${w.isMaster ? " (master)" : ""}`).join(", ")}`,
          "Roles:",
          table(d.roles.map((r) => [`  ${r.name}`, r.type, r.workflow])),
          "Actors:",
          table(d.actors.map((a) => [`  ${a.name}`, a.type, a.identityKey, a.roles.join(", ")])),
        ].join("\n"),
      );
    });
}
