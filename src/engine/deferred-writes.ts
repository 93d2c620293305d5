/**
 * The writes a batch keeps back and sends together at its end: routed units placed in their
 * next interactions, and the attribute versions their submits wrote, each one statement for
 * the batch (store/dialects/hot-path.ts). Only for moves whose arrival has no consequence
 * beyond the row (place.ts, arrivesPlainly), and sent before anything else in the step reads
 * or writes those units again.
 */
import type { AttributeRow, Move } from "../store/dialects/hot-path.js";
import type { Step } from "./step.js";

export class DeferredWrites {
  readonly moves: Move[] = [];
  readonly versions: AttributeRow[] = [];

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
}
