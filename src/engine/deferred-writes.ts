/**
 * The writes a batch keeps back and sends together at its end: routed units placed in their
 * next interactions, and the attribute versions their submits wrote, each one statement for
 * the batch (store/dialects/hot-path.ts). Only for moves whose arrival has no consequence
 * beyond the row (place.ts, arrivesPlainly), and sent before anything else in the step reads
 * or writes those units again.
 */
import type { AttributeRow, Move } from "../store/dialects/hot-path.js";
import { announce, logRows } from "./audit.js";
import type { Step } from "./step.js";

export class DeferredWrites {
  readonly moves: Move[] = [];
  readonly versions: AttributeRow[] = [];

  /** Sends what is kept, before the step writes anything else. */
  async flush(step: Step): Promise<void> {
    const hot = step.ctx.store.dialect.hotPath;
    if (this.versions.length > 0) {
      await hot.insertAttributeVersions(step.trx, {
        instanceId: step.graph.instanceId,
        at: step.at,
        rows: this.versions.splice(0),
      });
    }
    if (this.moves.length > 0) await hot.moveUnits(step.trx, { at: step.at, units: this.moves.splice(0) });
  }

  /**
   * Sends what is kept and the step's audit entries so far together (on PostgreSQL one
   * statement), at the end of a step: the step has nothing left to write.
   */
  async finish(step: Step): Promise<void> {
    const logs = logRows(step.logs.splice(0));
    if (this.versions.length + this.moves.length + logs.length === 0) return;
    await step.ctx.store.dialect.hotPath.writeSubmits(step.trx, {
      instanceId: step.graph.instanceId,
      at: step.at,
      versions: this.versions.splice(0),
      moves: this.moves.splice(0),
      logs,
    });
    if (logs.length > 0) await announce(step.ctx, step.trx, step.graph.instanceId);
  }
}
