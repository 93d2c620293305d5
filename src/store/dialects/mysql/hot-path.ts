/** MySQL/MariaDB's hot path (../hot-path.ts): no array parameters, so batch texts are built per row count, kept and prepared (prepared.ts). */
import { composedHotPath, type HotPath } from "../hot-path.js";
import { checkoutGate } from "./checkout-gate.js";
import { claimHeads } from "./claim-heads.js";
import { insertAttributeVersions } from "./insert-attribute-versions.js";
import { insertLogs } from "./insert-logs.js";
import { lockUnits } from "./lock-units.js";
import { markClaimed } from "./mark-claimed.js";
import { moveHeldUnit } from "./move-held-unit.js";
import { moveUnits } from "./move-units.js";
import { roleMemory } from "./role-memory.js";

export const mysqlHotPath = (maxParameters: number): HotPath =>
  composedHotPath({
    checkoutGate,
    roleMemory,
    claimHeads,
    markClaimed,
    lockUnits,
    moveUnits: (trx, moves) => moveUnits(trx, moves, maxParameters),
    moveHeldUnit,
    insertLogs: (trx, entries) => insertLogs(trx, entries, maxParameters),
    insertAttributeVersions: (trx, versions) => insertAttributeVersions(trx, versions, maxParameters),
  });
