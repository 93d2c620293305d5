// Run by test/package/pack.test.ts inside a scratch project that installed the packed tarball.
import { readFileSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { openChameleon } from "chameleon-workflow";

const example = fileURLToPath(import.meta.resolve("chameleon-workflow/examples/minimal.yml"));
const ch = await openChameleon({ instancesUrl: "sqlite::memory:", templatesUrl: "sqlite::memory:" });
const { workflows } = await ch.templates.importYaml(readFileSync(example, "utf8"));
await ch.close();
process.stdout.write(JSON.stringify({ workflows, example }));
