/**
 * The facade: openChameleon() opens the two stores and wires the verbs of the library to
 * them. The template store and the instance store never share a connection.
 */
import { resolve as resolvePath } from "node:path";
import { ChameleonError, StoreError, ValidationError } from "./errors.js";
import { parseInput, z } from "./engine/input.js";
import { SETTING_RANGES } from "./engine/limits.js";
import { listTemplates, listVersions, loadTemplate, type TemplateSummary } from "./blueprint/catalog.js";
import { workflowsToYaml } from "./blueprint/export.js";
import { DRAWING_FORMATS, drawWorkflow, type DrawingFormat } from "./blueprint/graph.js";
import { importBlueprint, type ImportedWorkflow } from "./blueprint/import.js";
import type { BlueprintWorkflow } from "./blueprint/model.js";
import { addActor, setAssignment } from "./engine/actors.js";
import {
  adminRelease,
  cancelMany,
  reassign,
  releaseMany,
  type BulkResult,
  type ReassignResult,
} from "./engine/admin.js";
import { adminRetry } from "./engine/admin-retry.js";
import { bulkMove, type BulkReport } from "./engine/bulk.js";
import { cancel } from "./engine/cancel.js";
import { checkout, checkoutMany, type CheckedOutUnit } from "./engine/checkout.js";
import { createEngineContext, type EngineContext, type EngineSettings } from "./engine/context.js";
import { events, type EventStream } from "./engine/events.js";
import type { EngineObserver } from "./engine/observe.js";
import { ATTR, inSpan } from "./engine/trace.js";
import { fail, type FailResult } from "./engine/fail.js";
import { held, type HeldUnit } from "./engine/held.js";
import { heartbeat } from "./engine/heartbeat.js";
import { createInstance, type CreatedInstance } from "./engine/instantiate.js";
import { getInstance, listInstances, type InstanceDetails, type InstanceSummary } from "./engine/instances.js";
import { instanceGraph } from "./engine/instance-graph.js";
import { instanceHistory, type InstanceEventEntry } from "./engine/instance-events.js";
import { pause, type PauseResult } from "./engine/pause.js";
import { resume } from "./engine/resume.js";
import { createSchedule, deleteSchedule, listSchedules, setSchedulePaused, type Schedule } from "./engine/schedules.js";
import { tickSchedules, type TickResult } from "./engine/schedule-tick.js";
import { instanceOverview, unitCounts, type InstanceOverview, type InstanceUnitCounts } from "./engine/overview.js";
import { decayMemory, getMemory, markToxic, putMemory, type MemoryEntry } from "./engine/memory.js";
import {
  attributeHistory,
  getUnit,
  listUnits,
  unitHistory,
  type ReadOptions,
  type AttributeVersionEntry,
  type HistoryEntry,
  type UnitDetails,
  type UnitPage,
} from "./engine/queries.js";
import { startMany, startWork, type Started } from "./engine/start.js";
import { submit, submitMany, type SubmitManyItem, type SubmitResult } from "./engine/submit.js";
import { release } from "./engine/release.js";
import {
  issueOperatorToken,
  resolveOperatorToken,
  revokeOperatorToken,
  type OperatorIdentity,
} from "./engine/operators.js";
import { issueToken, resolveToken, revokeToken, type TokenIdentity } from "./engine/tokens.js";
import { Worker, type WorkerOptions } from "./worker/worker.js";
import { sweep, type SweepResult } from "./engine/sweep.js";
import { DatabaseClock } from "./store/clock.js";
import { readSchemaGuide, type SchemaGuideRow } from "./store/guide.js";
import { openStore, type InstanceStore, type TemplateStore } from "./store/open.js";
import { DEFAULT_URLS, storeLabel, type Tier } from "./store/url.js";

export interface ChameleonOptions extends Partial<EngineSettings> {
  /** Template store URL; default `CHAMELEON_TEMPLATES_URL`, else `sqlite:./chameleon-data/templates.db`. */
  templatesUrl?: string;
  /** Instance store URL; default `CHAMELEON_INSTANCES_URL`, else `sqlite:./chameleon-data/instances.db`. */
  instancesUrl?: string;
  /**
   * The directory of the SQLite stores (templates.db, instances.db) where no URL is given: a
   * URL option beats it, and it beats the environment's URLs and `CHAMELEON_DATA_DIR`.
   */
  dataDir?: string;
  /**
   * "existing": a SQLite store whose file does not exist yet is refused with a StoreError naming
   * its path, and no file is created (for callers that only act on what is there); default
   * "create".
   */
  stores?: "create" | "existing";
  /**
   * When the template store is opened (checked and its schema created or upgraded): at its
   * first use by `templates.*`, `instances.create` or `schemaGuide("templates")` (default), so
   * that a process that only runs instances works while it is unreachable; or "at-open", so
   * that openChameleon fails, writing nothing, when it does not answer.
   */
  templateStore?: "on-first-use" | "at-open";
  /**
   * For tests: the time to run at, moved by the instance database's offset from this process's
   * clock (measured at open). Without it the engine's time is the instance database's clock.
   */
  clock?: () => Date;
  /**
   * How long openChameleon waits for a database that does not answer yet (refused or cut
   * connections, a server starting up or shutting down: what the dialect calls transient),
   * trying again with backoff; default 0: the first such failure is thrown. A worker or server
   * started by a supervisor while its database restarts sets it, rather than dying at start.
   */
  waitForStoreSeconds?: number;
}

export interface Chameleon {
  readonly templates: {
    importYaml(text: string): Promise<{ workflows: ImportedWorkflow[] }>;
    list(): Promise<TemplateSummary[]>;
    /** Every stored version of one workflow, oldest first (NotFoundError when none is). */
    versions(name: string): Promise<TemplateSummary[]>;
    get(
      name: string,
      version?: number,
    ): Promise<TemplateSummary & { description: string | null; workflow: BlueprintWorkflow }>;
    exportYaml(name: string, version?: number): Promise<string>;
    /** The drawing of one version (default the newest): Mermaid (default), DOT, or SVG rendered from the DOT. */
    graph(name: string, options?: { format?: DrawingFormat; version?: number }): Promise<string>;
  };
  readonly instances: {
    create(input: unknown): Promise<CreatedInstance>;
    list(): Promise<InstanceSummary[]>;
    get(idOrName: string): Promise<InstanceDetails>;
    /**
     * The dashboard of an instance ({ maxAgeSeconds? }): per interaction and per role, units by
     * status, waiting and the oldest one's age, held by whom, failures and finalized units of
     * the last hour; totals; the latest failures. Kept per instance for `maxAgeSeconds` (default 2).
     */
    overview(idOrName: string, options?: unknown): Promise<InstanceOverview>;
    /**
     * The units of each interaction by status and the oldest waiting one's age, alone (what the
     * metrics' gauges export): the overview's two indexed counts, FINALIZED ones kept as there
     * ({ finalizedMaxAgeSeconds?: default 60 }).
     */
    unitCounts(idOrName: string, options?: unknown): Promise<InstanceUnitCounts>;
    /**
     * The instance's own graph, from the instance store, with the overview's counts on it
     * ({ format?: "svg" | "dot" | "mermaid" (default mermaid, as for templates.graph), uow?: a unit to mark, workflow?: a nested one }).
     */
    graph(idOrName: string, options?: unknown): Promise<string>;
    /**
     * Pauses the instance, or one role ({ role?, by, reason? }): checkout of the paused roles
     * returns nothing, genesis is refused, the stale clocks of their interactions stand still.
     */
    pause(idOrName: string, input: unknown): Promise<PauseResult>;
    /** Undoes a pause ({ role?, by, reason? }); the stale clocks go on from where they stopped. */
    resume(idOrName: string, input: unknown): Promise<PauseResult>;
    /** The instance's own events (pauses, resumes, schedule runs and missed ticks), newest first ({ limit?, before? }). */
    history(idOrName: string, options?: unknown): Promise<InstanceEventEntry[]>;
  };
  /** Cron schedules that start a unit at each tick (run by schedules.tick: the worker and the server call it). */
  readonly schedules: {
    /** A new schedule ({ name, cron, timezone? (IANA, default UTC), attributes?, by }), its first tick the next after now. */
    create(instanceId: string, input: unknown): Promise<Schedule>;
    list(instanceId: string): Promise<Schedule[]>;
    /** Stops a schedule (by id or name; { by, reason? }): the ticks until its resume are skipped. */
    pause(instanceId: string, schedule: string, input: unknown): Promise<Schedule>;
    /** Starts it again from its next tick after now ({ by, reason? }). */
    resume(instanceId: string, schedule: string, input: unknown): Promise<Schedule>;
    delete(instanceId: string, schedule: string, input: unknown): Promise<{ scheduleId: string; deleted: true }>;
    /** Starts the unit of every due schedule, in one instance or all: exactly one per tick, whoever calls it. */
    tick(instanceId?: string): Promise<TickResult>;
  };
  readonly actors: {
    add(instanceId: string, input: unknown): Promise<{ actorId: string }>;
    assign(instanceId: string, actorId: string, roleName: string): Promise<void>;
    revoke(instanceId: string, actorId: string, roleName: string): Promise<void>;
    /** A new bearer token for the actor (shown once; the store keeps its hash). */
    issueToken(instanceId: string, actorId: string): Promise<{ token: string; tokenId: string; actorId: string }>;
    /** The actor and instance a bearer token stands for, or null. */
    resolveToken(token: string): Promise<TokenIdentity | null>;
    revokeToken(tokenId: string): Promise<void>;
  };
  /** Named operators of the HTTP API: admin (every call) or viewer (every read, no change). */
  readonly operators: {
    /** A new operator token ({ name, scope: "admin" | "viewer" }), shown once; the store keeps its hash. */
    issueToken(input: unknown): Promise<{ token: string } & OperatorIdentity>;
    /** The operator a token stands for, or null for an unknown or revoked token. */
    resolveToken(token: string): Promise<OperatorIdentity | null>;
    revokeToken(tokenId: string): Promise<void>;
  };
  readonly work: {
    /** Genesis; with an `idempotencyKey`, a repeat returns the unit the first call made (`created: false`). */
    start(instanceId: string, input: unknown): Promise<Started>;
    /** Multi-genesis: several base units in one transaction. */
    startMany(instanceId: string, inputs: unknown[]): Promise<Started[]>;
    checkout(instanceId: string, input: unknown): Promise<CheckedOutUnit | null>;
    /** Up to `max` units of a role ({ role, actorId, max }), each with its own lease, in one transaction. */
    checkoutMany(instanceId: string, input: unknown): Promise<CheckedOutUnit[]>;
    heartbeat(instanceId: string, input: unknown): Promise<{ leaseExpiresAt: Date }>;
    submit(instanceId: string, input: unknown): Promise<SubmitResult>;
    /** Several submits in one transaction, answered per unit: a refused one leaves the others going through. */
    submitMany(instanceId: string, inputs: unknown[]): Promise<SubmitManyItem[]>;
    fail(instanceId: string, input: unknown): Promise<FailResult>;
    /** The units an actor holds now, with their lease tokens (give them to that actor only). */
    held(instanceId: string, input: unknown): Promise<HeldUnit[]>;
    cancel(instanceId: string, input: unknown): Promise<{ uowId: string; status: string }>;
    /** Gives a held unit back before its lease runs out: back where it was checked out from. */
    release(instanceId: string, input: unknown): Promise<{ uowId: string; status: string; interaction: string }>;
    /** An operator gives a held unit back for its holder ({ uowId, by, reason }); audited as SYSTEM. */
    adminRelease(instanceId: string, input: unknown): Promise<{ uowId: string; status: string; interaction: string }>;
    /** An operator hands a held unit to another actor of its role ({ uowId, actorId, by, reason }). */
    reassign(instanceId: string, input: unknown): Promise<ReassignResult>;
    /**
     * An operator sends a FAILED unit back into an interaction EPSILON has an OUTBOUND component
     * to ({ uowId, to, by, reason }): FAILED to PENDING, attempt 0; audited as SYSTEM.
     */
    adminRetry(instanceId: string, input: unknown): Promise<{ uowId: string; status: string; interaction: string }>;
    /**
     * An operator's move on the units a selection chooses ({ move: cancel | release | retry,
     * filter: work.list's filters and/or uowIds, to?, dryRun?, max?, after?, by, reason }): each
     * unit in its own step, skipped if it changed since it was chosen; `more` and `nextAfter` say
     * how to go on.
     */
    bulk(instanceId: string, input: unknown): Promise<BulkReport>;
    /** Cancels a list of units ({ uowIds, by, reason }), each in its own step, with a result per unit. */
    cancelMany(instanceId: string, input: unknown): Promise<BulkResult[]>;
    /** Releases a list of held units ({ uowIds, by, reason }), each in its own step, with a result per unit. */
    releaseMany(instanceId: string, input: unknown): Promise<BulkResult[]>;
    /** A unit; with `reader` (an actor), only one that actor may read (docs/engine.md "Who reads what"). */
    get(instanceId: string, uowId: string, options?: ReadOptions): Promise<UnitDetails>;
    /**
     * Units by filters and a `where` condition, sorted by a unit column, a page at a time: pass
     * the page's `nextAfter` (not enumerable; null on the last page) as `after` for the next.
     */
    list(instanceId: string, filter?: unknown): Promise<UnitPage>;
    history(instanceId: string, uowId: string, options?: ReadOptions): Promise<HistoryEntry[]>;
    /** Every version of a unit's attributes, by key and version, a page at a time ({ key?, limit?, after? }). */
    attributeHistory(instanceId: string, uowId: string, options?: unknown): Promise<AttributeVersionEntry[]>;
  };
  readonly memory: {
    get(instanceId: string, input: unknown): Promise<MemoryEntry[]>;
    put(instanceId: string, input: unknown): Promise<{ memoryId: string }>;
    markToxic(instanceId: string, memoryId: string, reason: string): Promise<void>;
    decay(instanceId: string, days: number): Promise<{ removed: number }>;
  };
  /**
   * The audit entries of one instance as they are written, by any process: `for await (const e
   * of ch.events(instance, { after }))`. Each event's `cursor`, given back as `after`, resumes
   * right after it without missing or repeating an entry. Options: follow (default true; false
   * ends once caught up), uowId, events (event types), signal. `await stream.open()` checks the
   * instance and options without waiting for an entry.
   */
  events(instanceId: string, options?: unknown): EventStream;
  /**
   * Hears what every step of this Chameleon did, once it committed (checkouts with their wait,
   * submits and failures with how long the unit was held, reclaims, timeouts): the hook metrics
   * are fed by. Returns the function that removes the observer.
   */
  observe(observer: EngineObserver): () => void;
  /** A worker that runs handlers for roles of one instance; call start() and stop(). */
  worker(options: WorkerOptions): Worker;
  /** Reclaims expired leases and times out stale units, in one instance or in all. */
  sweep(instanceId?: string): Promise<SweepResult>;
  /** The engine's context: settings, instance store and graph cache (for the worker and tests). */
  readonly engine: EngineContext;
  /** Typed access to each tier, for reading what the engine wrote (the template store's schema exists once it was first used). */
  readonly stores: { readonly templates: TemplateStore; readonly instances: InstanceStore };
  /** The rows of `v_ai_schema_guide` of one store. */
  schemaGuide(tier: Tier, options?: { table?: string }): Promise<SchemaGuideRow[]>;
  close(): Promise<void>;
}

/**
 * Each store's URL, the first of: its URL option, the `dataDir` option, its environment URL
 * (CHAMELEON_TEMPLATES_URL, CHAMELEON_INSTANCES_URL), CHAMELEON_DATA_DIR, ./chameleon-data.
 * A data directory is made absolute here, so the stores do not move with the working directory.
 */
export function resolveUrls(options: ChameleonOptions = {}): Record<Tier, string> {
  const inDir = (dir: string | undefined, file: string) =>
    dir === undefined || dir === "" ? undefined : `sqlite:${resolvePath(dir, file)}`;
  const envDir = process.env.CHAMELEON_DATA_DIR;
  return {
    templates:
      options.templatesUrl ??
      inDir(options.dataDir, "templates.db") ??
      process.env.CHAMELEON_TEMPLATES_URL ??
      inDir(envDir, "templates.db") ??
      DEFAULT_URLS.templates,
    instances:
      options.instancesUrl ??
      inDir(options.dataDir, "instances.db") ??
      process.env.CHAMELEON_INSTANCES_URL ??
      inDir(envDir, "instances.db") ??
      DEFAULT_URLS.instances,
  };
}

/** With `stores: "existing"`: a store that is not there is refused, naming where it was looked for. */
function refuseMissing(store: TemplateStore | InstanceStore): void {
  const path = store.missing();
  if (path !== null) {
    throw new StoreError(
      `no ${storeLabel(store.tier)} at ${path} (give --data-dir, or the store's URL, to use another)`,
    );
  }
}

/** The longest wait for a store at open: an hour. */
export const WAIT_FOR_STORE_MAX_SECONDS = 3_600;

const range = (r: { min: number; max: number }) => z.number().min(r.min).max(r.max);
const settingsInput = z.object({
  leaseTimeoutSeconds: range(SETTING_RANGES.leaseTimeoutSeconds).optional(),
  humanLeaseTimeoutSeconds: range(SETTING_RANGES.leaseTimeoutSeconds).optional(),
  maxAttempts: range(SETTING_RANGES.maxAttempts).int().optional(),
  maxSubmitBytes: range(SETTING_RANGES.maxSubmitBytes).int().optional(),
  waitForStoreSeconds: z.number().min(0).max(WAIT_FOR_STORE_MAX_SECONDS).optional(),
});

/** First wait before trying an unanswering store again; it doubles up to WAIT_MAX_MS. */
const WAIT_FIRST_MS = 100;
const WAIT_MAX_MS = 2_000;

/** Runs `open` until it succeeds, or fails other than transiently, or `seconds` are spent. */
async function untilAnswered(store: InstanceStore, seconds: number, open: () => Promise<void>): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  for (let wait = WAIT_FIRST_MS; ; wait = Math.min(wait * 2, WAIT_MAX_MS)) {
    try {
      return await open();
    } catch (error) {
      const cause = error instanceof StoreError && error.cause !== undefined ? error.cause : error;
      if (!store.dialect.isTransient(cause) || performance.now() + wait > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

export async function openChameleon(options: ChameleonOptions = {}): Promise<Chameleon> {
  // Settings are refused before any store is opened.
  parseInput(
    settingsInput,
    {
      leaseTimeoutSeconds: options.leaseTimeoutSeconds,
      humanLeaseTimeoutSeconds: options.humanLeaseTimeoutSeconds,
      maxAttempts: options.maxAttempts,
      maxSubmitBytes: options.maxSubmitBytes,
      waitForStoreSeconds: options.waitForStoreSeconds,
    },
    "openChameleon",
  );
  const urls = resolveUrls(options);
  const atOpen = (options.templateStore ?? "on-first-use") === "at-open";
  // Both URLs are refused here when bad; neither database is touched yet.
  const templates = openStore("templates", urls.templates);
  let instances: InstanceStore;
  try {
    instances = openStore("instances", urls.instances);
  } catch (error) {
    await templates.close().catch(() => {});
    throw error;
  }
  const closeAll = () => Promise.all([templates.close().catch(() => {}), instances.close().catch(() => {})]);
  const existingOnly = options.stores === "existing";
  try {
    if (existingOnly) {
      refuseMissing(instances);
      if (atOpen) refuseMissing(templates);
    }
    await untilAnswered(instances, options.waitForStoreSeconds ?? 0, async () => {
      // The stores opened here must answer before either schema is touched: a bad store changes nothing.
      const pinged = await Promise.allSettled([instances.ping(), ...(atOpen ? [templates.ping()] : [])]);
      const failure = pinged.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failure) throw failure.reason;
      // Migrating again after a cut is safe (store/migrations.ts): each step is kept or redone.
      if (atOpen) await templates.migrate();
      await instances.migrate();
    });
  } catch (error) {
    await closeAll();
    throw asStoreError(error);
  }
  // The template store, checked and migrated at its first use; a failed attempt is made again
  // at the next use (the server may be back).
  let templatesReady: Promise<TemplateStore> | null = atOpen ? Promise.resolve(templates) : null;
  const templateStore = (): Promise<TemplateStore> => {
    if (templatesReady) return templatesReady;
    const attempt = Promise.resolve()
      .then(() => (existingOnly ? refuseMissing(templates) : undefined))
      .then(() => templates.ping())
      .then(async () => {
        await templates.migrate();
        return templates;
      });
    templatesReady = attempt;
    attempt.catch(() => {
      if (templatesReady === attempt) templatesReady = null;
    });
    return attempt;
  };
  const clock = new DatabaseClock(instances.db, instances.dialect, options.clock);
  try {
    await clock.measure();
  } catch (error) {
    await closeAll();
    throw new StoreError(`${instances.label}: could not read the database's clock: ${String(error)}`, { cause: error });
  }
  const stores = { templates, instances };
  const ctx = createEngineContext(
    instances,
    {
      leaseTimeoutSeconds: options.leaseTimeoutSeconds,
      humanLeaseTimeoutSeconds: options.humanLeaseTimeoutSeconds,
      maxAttempts: options.maxAttempts,
      maxSubmitBytes: options.maxSubmitBytes,
    },
    () => clock.now(),
  );
  const facade: Chameleon = {
    templates: {
      importYaml: (text) =>
        inSpan("chameleon.import", async (span) => {
          const imported = await importBlueprint(await templateStore(), text);
          if (span.isRecording()) {
            span.setAttributes({
              [ATTR.workflow]: imported.workflows.map((w) => `${w.name}@${w.version}`),
              [ATTR.created]: imported.workflows.filter((w) => w.created).length,
            });
          }
          return imported;
        }),
      list: async () => listTemplates(await templateStore()),
      get: async (name, version) => loadTemplate((await templateStore()).db, name, version),
      exportYaml: async (name, version) =>
        workflowsToYaml([(await loadTemplate((await templateStore()).db, name, version)).workflow]),
      versions: async (name) => listVersions(await templateStore(), name),
      graph: async (name, opts = {}) => {
        const format = opts.format ?? "mermaid";
        if (!DRAWING_FORMATS.includes(format)) {
          throw ValidationError.single(
            "format",
            `unknown graph format '${String(format)}' (expected ${DRAWING_FORMATS.join(", ")})`,
          );
        }
        return drawWorkflow((await loadTemplate((await templateStore()).db, name, opts.version)).workflow, format);
      },
    },
    instances: {
      create: async (input) => createInstance(ctx, await templateStore(), input),
      list: () => listInstances(ctx),
      get: (idOrName) => getInstance(ctx, idOrName),
      overview: (idOrName, options) => instanceOverview(ctx, idOrName, options),
      unitCounts: (idOrName, options) => unitCounts(ctx, idOrName, options),
      graph: (idOrName, options) => instanceGraph(ctx, idOrName, options),
      pause: (idOrName, input) => pause(ctx, idOrName, input),
      resume: (idOrName, input) => resume(ctx, idOrName, input),
      history: (idOrName, options) => instanceHistory(ctx, idOrName, options),
    },
    schedules: {
      create: (instance, input) => createSchedule(ctx, instance, input),
      list: (instance) => listSchedules(ctx, instance),
      pause: (instance, schedule, input) => setSchedulePaused(ctx, instance, schedule, true, input),
      resume: (instance, schedule, input) => setSchedulePaused(ctx, instance, schedule, false, input),
      delete: (instance, schedule, input) => deleteSchedule(ctx, instance, schedule, input),
      tick: (instance) => tickSchedules(ctx, instance),
    },
    actors: {
      add: (instance, input) => addActor(ctx, instance, input),
      assign: (instance, actor, role) => setAssignment(ctx, instance, actor, role, "ACTIVE"),
      revoke: (instance, actor, role) => setAssignment(ctx, instance, actor, role, "REVOKED"),
      issueToken: (instance, actor) => issueToken(ctx, instance, actor),
      resolveToken: (token) => resolveToken(ctx, token),
      revokeToken: (tokenId) => revokeToken(ctx, tokenId),
    },
    operators: {
      issueToken: (input) => issueOperatorToken(ctx, input),
      resolveToken: (token) => resolveOperatorToken(ctx, token),
      revokeToken: (tokenId) => revokeOperatorToken(ctx, tokenId),
    },
    work: {
      start: (instance, input) => startWork(ctx, instance, input),
      startMany: (instance, inputs) => startMany(ctx, instance, inputs),
      checkout: (instance, input) => checkout(ctx, instance, input),
      checkoutMany: (instance, input) => checkoutMany(ctx, instance, input),
      heartbeat: (instance, input) => heartbeat(ctx, instance, input),
      submit: (instance, input) => submit(ctx, instance, input),
      submitMany: (instance, inputs) => submitMany(ctx, instance, inputs),
      fail: (instance, input) => fail(ctx, instance, input),
      held: (instance, input) => held(ctx, instance, input),
      cancel: (instance, input) => cancel(ctx, instance, input),
      release: (instance, input) => release(ctx, instance, input),
      adminRelease: (instance, input) => adminRelease(ctx, instance, input),
      reassign: (instance, input) => reassign(ctx, instance, input),
      adminRetry: (instance, input) => adminRetry(ctx, instance, input),
      bulk: (instance, input) => bulkMove(ctx, instance, input),
      cancelMany: (instance, input) => cancelMany(ctx, instance, input),
      releaseMany: (instance, input) => releaseMany(ctx, instance, input),
      get: (instance, uowId, options) => getUnit(ctx, instance, uowId, options),
      list: (instance, filter) => listUnits(ctx, instance, filter),
      history: (instance, uowId, options) => unitHistory(ctx, instance, uowId, options),
      attributeHistory: (instance, uowId, options) => attributeHistory(ctx, instance, uowId, options),
    },
    memory: {
      get: (instance, input) => getMemory(ctx, instance, input),
      put: (instance, input) => putMemory(ctx, instance, input),
      markToxic: (instance, memoryId, reason) => markToxic(ctx, instance, memoryId, reason),
      decay: (instance, days) => decayMemory(ctx, instance, days),
    },
    sweep: (instance) => sweep(ctx, instance),
    events: (instance, eventOptions) => events(ctx, instance, eventOptions),
    observe: (observer) => ctx.observers.add(observer),
    worker: (workerOptions) => new Worker(facade, workerOptions),
    engine: ctx,
    stores,
    schemaGuide: async (tier, opts) =>
      readSchemaGuide(tier === "templates" ? (await templateStore()).db : instances.db, opts),
    async close() {
      await clock.close();
      await Promise.all([templates.close(), instances.close()]);
    },
  };
  return facade;
}

function asStoreError(error: unknown): ChameleonError {
  return error instanceof ChameleonError ? error : new StoreError(String(error), { cause: error });
}
