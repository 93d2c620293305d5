// Type-checked by test/package/pack.test.ts against the installed package's declarations.
import { openChameleon, ValidationError, type Chameleon, type JsonValue } from "chameleon-workflow";

const ch: Chameleon = await openChameleon({ instancesUrl: "sqlite::memory:", templatesUrl: "sqlite::memory:" });
const worker = ch.worker({ instanceId: "Demo", handlers: { Work: () => ({ attributes: { done: true } }) } });
worker.on("processed", (p) => p.role.length + p.ms);
const attributes: JsonValue = { total: 12 };
export const seen: unknown[] = [attributes, ValidationError.name];
await ch.close();
