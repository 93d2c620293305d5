/**
 * Chameleon's Prometheus metrics (docs/observe.md): a registry of its own per server or worker
 * (never prom-client's global one, so that several in one process do not collide), fed by the
 * engine's observer hook (ch.observe) for the counters and histograms, and read at scrape time
 * for the gauges. The gauges read from the instance store are exported by one kind of process
 * only (`chameleon serve`): workers that exported them too would make every unit count once per
 * worker in a sum.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Chameleon } from "../chameleon.js";
import type { Observation } from "../engine/observe.js";
import type { InteractionUnitCounts } from "../engine/overview.js";
import { UOWStatus } from "../schema/enums.js";

/**
 * The label naming a Chameleon instance. Not `instance`: Prometheus gives every scraped sample
 * an `instance` label of its own (the target's address), and would rename ours.
 */
export const INSTANCE_LABEL = "chameleon_instance";

/** How long the store gauges of one scrape are reused for the next (several scrapers, or a fast one). */
export const STORE_GAUGES_CACHE_MS = 5000;

export interface MetricsOptions {
  /**
   * Export the gauges read from the instance store (units by interaction and status, the
   * oldest waiting unit's age): true for the one kind of process that should (`serve`).
   */
  storeGauges: boolean;
  /** The number of open event streams, for `chameleon_event_stream_clients` (the HTTP server's). */
  eventStreamClients?: () => number;
  /** How long one read of the store gauges is reused, in ms (default STORE_GAUGES_CACHE_MS). */
  storeGaugesCacheMs?: number;
}

export interface ChameleonMetrics {
  readonly registry: Registry;
  /** The media type of the text (Prometheus text format 0.0.4). */
  readonly contentType: string;
  /** The text a scraper reads. */
  text(): Promise<string>;
  /** Stops listening to the engine (the registry keeps what it counted). */
  close(): void;
}

/** Seconds a unit waited before its checkout: a machine's queue (ms) up to a person's inbox (days). */
const WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, 7 * 24 * 3600];
/** Seconds from checkout to submit: a handler's milliseconds up to a person's working day. */
const STEP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 8 * 3600];

export function createMetrics(ch: Chameleon, options: MetricsOptions): ChameleonMetrics {
  const registry = new Registry();
  const registers = [registry];
  const byRole = [INSTANCE_LABEL, "role"] as const;

  const checkoutWait = new Histogram({
    name: "chameleon_checkout_wait_seconds",
    help: "Seconds a unit waited in its interaction before it was checked out, by role",
    labelNames: byRole,
    buckets: WAIT_BUCKETS,
    registers,
  });
  const stepDuration = new Histogram({
    name: "chameleon_step_duration_seconds",
    help: "Seconds from a unit's checkout to its submit (outcome submitted) or failure by its holder (outcome failed), by role",
    labelNames: [...byRole, "outcome"],
    buckets: STEP_BUCKETS,
    registers,
  });
  const steps = new Counter({
    name: "chameleon_steps_total",
    help: "Units submitted by their holder, by role",
    labelNames: byRole,
    registers,
  });
  const failures = new Counter({
    name: "chameleon_failures_total",
    help: "Units sent down the Ate path, by role and reason: error (work.fail), no_route (no eligible route at submit), rejected (an INBOUND guardian at checkout)",
    labelNames: [...byRole, "reason"],
    registers,
  });
  const reclaims = new Counter({
    name: "chameleon_reclaims_total",
    help: "Expired leases the sweep reclaimed, by role: outcome requeued (back in line) or failed (attempts spent)",
    labelNames: [...byRole, "outcome"],
    registers,
  });
  const timeouts = new Counter({
    name: "chameleon_timeouts_total",
    help: "Units the sweep timed out (moved to TAU) for waiting too long, by interaction and the role that takes from it",
    labelNames: [...byRole, "interaction"],
    registers,
  });

  const stores = [ch.stores.instances, ch.stores.templates];
  const storeLabel = (tier: string) => (tier === "instances" ? "instances" : "templates");
  new Gauge({
    name: "chameleon_db_pool_connections",
    help: "Connections of this process's pool, by store and state (used, idle); none on SQLite",
    labelNames: ["store", "state"],
    registers,
    collect() {
      this.reset();
      for (const s of stores) {
        const use = s.poolUse();
        if (use === null) continue;
        this.set({ store: storeLabel(s.tier), state: "used" }, use.open - use.idle);
        this.set({ store: storeLabel(s.tier), state: "idle" }, use.idle);
      }
    },
  });
  new Gauge({
    name: "chameleon_db_pool_max_connections",
    help: "The most connections this process's pool opens, by store; none on SQLite",
    labelNames: ["store"],
    registers,
    collect() {
      this.reset();
      for (const s of stores) {
        const use = s.poolUse();
        if (use !== null) this.set({ store: storeLabel(s.tier) }, use.max);
      }
    },
  });
  new Gauge({
    name: "chameleon_db_pool_waiting_requests",
    help: "Queries of this process waiting for a free connection, by store; none on SQLite",
    labelNames: ["store"],
    registers,
    collect() {
      this.reset();
      for (const s of stores) {
        const use = s.poolUse();
        if (use !== null) this.set({ store: storeLabel(s.tier) }, use.waiting);
      }
    },
  });

  const clients = options.eventStreamClients;
  if (clients !== undefined) {
    new Gauge({
      name: "chameleon_event_stream_clients",
      help: "Event streams (GET /instances/:id/events) open on this server",
      registers,
      collect() {
        this.set(clients());
      },
    });
  }

  if (options.storeGauges) storeGauges(ch, registers, options.storeGaugesCacheMs ?? STORE_GAUGES_CACHE_MS);

  const detach = ch.observe({
    observe(instance: string, o: Observation) {
      switch (o.kind) {
        case "checkout":
          checkoutWait.observe({ [INSTANCE_LABEL]: instance, role: o.role }, o.waitedSeconds);
          break;
        case "step":
          stepDuration.observe({ [INSTANCE_LABEL]: instance, role: o.role, outcome: o.outcome }, o.heldSeconds);
          if (o.outcome === "submitted") steps.inc({ [INSTANCE_LABEL]: instance, role: o.role });
          break;
        case "failure":
          failures.inc({ [INSTANCE_LABEL]: instance, role: o.role, reason: o.reason });
          break;
        case "reclaim":
          reclaims.inc({ [INSTANCE_LABEL]: instance, role: o.role, outcome: o.outcome });
          break;
        case "timeout":
          timeouts.inc({ [INSTANCE_LABEL]: instance, role: o.role, interaction: o.interaction });
          break;
      }
    },
  });

  return {
    registry,
    contentType: registry.contentType,
    text: () => registry.metrics(),
    close: detach,
  };
}

interface StoreReading {
  at: number;
  result: Promise<{ ok: boolean; rows: ({ instance: string } & InteractionUnitCounts)[] }>;
}

/**
 * Units by instance, interaction and status, and the oldest waiting unit's age: read at scrape
 * time from the overview's indexed counts (FINALIZED ones kept a minute, as there), one read
 * shared by both gauges and reused for `cacheMs`. A store that cannot be read leaves them empty
 * and sets chameleon_store_gauges_up to 0, so the rest of the scrape still answers.
 */
function storeGauges(ch: Chameleon, registers: Registry[], cacheMs: number): void {
  let kept: StoreReading | null = null;
  const read = (): StoreReading["result"] => {
    const now = performance.now();
    if (kept !== null && now - kept.at < cacheMs) return kept.result;
    const result = (async () => {
      try {
        const rows = [];
        for (const instance of await ch.instances.list()) {
          const counts = await ch.instances.unitCounts(instance.instanceId);
          for (const i of counts.interactions) rows.push({ instance: instance.name, ...i });
        }
        return { ok: true, rows };
      } catch {
        return { ok: false, rows: [] };
      }
    })();
    kept = { at: now, result };
    return result;
  };
  const labels = [INSTANCE_LABEL, "workflow", "interaction"] as const;
  new Gauge({
    name: "chameleon_units",
    help: "Units by instance, interaction and status (read from the instance store at scrape time)",
    labelNames: [...labels, "status"],
    registers,
    async collect() {
      const { rows } = await read();
      this.reset();
      for (const r of rows) {
        for (const status of UOWStatus) {
          this.set(
            { [INSTANCE_LABEL]: r.instance, workflow: r.workflow, interaction: r.interaction, status },
            r.byStatus[status],
          );
        }
      }
    },
  });
  new Gauge({
    name: "chameleon_oldest_waiting_seconds",
    help: "Seconds since the unit waiting longest in an interaction entered it (none when nothing waits there)",
    labelNames: labels,
    registers,
    async collect() {
      const { rows } = await read();
      this.reset();
      for (const r of rows) {
        if (r.oldestWaitingSeconds !== null) {
          this.set(
            { [INSTANCE_LABEL]: r.instance, workflow: r.workflow, interaction: r.interaction },
            r.oldestWaitingSeconds,
          );
        }
      }
    },
  });
  new Gauge({
    name: "chameleon_store_gauges_up",
    help: "1 when the last read of the store gauges (chameleon_units, chameleon_oldest_waiting_seconds) succeeded, else 0",
    registers,
    async collect() {
      this.set((await read()).ok ? 1 : 0);
    },
  });
}
