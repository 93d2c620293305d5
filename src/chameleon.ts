/**
 * The facade: openChameleon() opens the two stores and wires the verbs of the library to
 * them. The template store and the instance store never share a connection.
 */
import { ChameleonError, StoreError } from "./errors.js";
import { readSchemaGuide, type SchemaGuideRow } from "./store/guide.js";
import { connectStore, type InstanceStore, type TemplateStore } from "./store/open.js";
import { DEFAULT_URLS, type Tier } from "./store/url.js";

export interface ChameleonOptions {
  /** Template store URL; default `CHAMELEON_TEMPLATES_URL`, else `sqlite:./chameleon-data/templates.db`. */
  templatesUrl?: string;
  /** Instance store URL; default `CHAMELEON_INSTANCES_URL`, else `sqlite:./chameleon-data/instances.db`. */
  instancesUrl?: string;
}

export interface Chameleon {
  /** Typed access to each tier, for reading what the engine wrote. */
  readonly stores: { readonly templates: TemplateStore; readonly instances: InstanceStore };
  /** The rows of `v_ai_schema_guide` of one store. */
  schemaGuide(tier: Tier, options?: { table?: string }): Promise<SchemaGuideRow[]>;
  close(): Promise<void>;
}

export function resolveUrls(options: ChameleonOptions = {}): Record<Tier, string> {
  return {
    templates: options.templatesUrl ?? process.env.CHAMELEON_TEMPLATES_URL ?? DEFAULT_URLS.templates,
    instances: options.instancesUrl ?? process.env.CHAMELEON_INSTANCES_URL ?? DEFAULT_URLS.instances,
  };
}

export async function openChameleon(options: ChameleonOptions = {}): Promise<Chameleon> {
  const urls = resolveUrls(options);
  // Both stores must answer before either schema is touched: a bad URL changes nothing.
  const opened = await Promise.allSettled([
    connectStore("templates", urls.templates),
    connectStore("instances", urls.instances),
  ]);
  const closeAll = () =>
    Promise.all(opened.map((r) => (r.status === "fulfilled" ? r.value.close().catch(() => {}) : undefined)));
  const failure = opened.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) {
    await closeAll();
    throw asStoreError(failure.reason);
  }
  const templates = (opened[0] as PromiseFulfilledResult<TemplateStore>).value;
  const instances = (opened[1] as PromiseFulfilledResult<InstanceStore>).value;
  try {
    await templates.migrate();
    await instances.migrate();
  } catch (error) {
    await closeAll();
    throw asStoreError(error);
  }
  const stores = { templates, instances };
  return {
    stores,
    schemaGuide: (tier, opts) => readSchemaGuide(stores[tier].db, opts),
    async close() {
      await Promise.all([templates.close(), instances.close()]);
    },
  };
}

function asStoreError(error: unknown): ChameleonError {
  return error instanceof ChameleonError ? error : new StoreError(String(error), { cause: error });
}
