/** SQLite's hot path (../hot-path.ts): statements prepared once and kept by the connection, run inside the step's IMMEDIATE transaction. */
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

export const sqliteHotPath = (maxParameters: number): HotPath =>
  composedHotPath({
    checkoutGate,
    roleMemory,
    claimHeads,
    markClaimed,
    lockUnits,
    moveUnits,
    moveHeldUnit,
    insertLogs: (trx, entries) => insertLogs(trx, entries, maxParameters),
    insertAttributeVersions: (trx, versions) => insertAttributeVersions(trx, versions, maxParameters),
  });
