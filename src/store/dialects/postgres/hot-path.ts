/** PostgreSQL's hot path (../hot-path.ts): arrays through unnest, so every text is the same for any batch. */
import type { HotPath } from "../hot-path.js";
import { checkoutGate } from "./checkout-gate.js";
import { claimAndLog } from "./claim-and-log.js";
import { claimHeads } from "./claim-heads.js";
import { gateAndClaim } from "./gate-and-claim.js";
import { insertAttributeVersions } from "./insert-attribute-versions.js";
import { insertLogs } from "./insert-logs.js";
import { lockUnits } from "./lock-units.js";
import { markClaimed } from "./mark-claimed.js";
import { moveUnits } from "./move-units.js";
import { roleMemory } from "./role-memory.js";
import { submitHeld } from "./submit-held.js";
import { writeSubmits } from "./write-submits.js";

export const postgresHotPath: HotPath = {
  checkoutGate,
  roleMemory,
  claimAndLog,
  gateAndClaim,
  claimHeads,
  markClaimed,
  lockUnits,
  moveUnits,
  submitHeld,
  writeSubmits,
  insertLogs,
  insertAttributeVersions,
};
