/** SQLite's hot path (../hot-path.ts): statements prepared once and kept by the connection, run inside the step's IMMEDIATE transaction. */
import { claimAndLogInSteps, writeSubmitsInSteps, type HotPath } from "../hot-path.js";
import { checkoutGate } from "./checkout-gate.js";
import { claimHeads } from "./claim-heads.js";
import { insertAttributeVersions } from "./insert-attribute-versions.js";
import { insertLogs } from "./insert-logs.js";
import { lockUnits } from "./lock-units.js";
import { markClaimed } from "./mark-claimed.js";
import { moveUnits } from "./move-units.js";

export function sqliteHotPath(maxParameters: number): HotPath {
  const insertLogsHere: HotPath["insertLogs"] = (trx, entries) => insertLogs(trx, entries, maxParameters);
  const insertVersionsHere: HotPath["insertAttributeVersions"] = (trx, versions) =>
    insertAttributeVersions(trx, versions, maxParameters);
  return {
    checkoutGate,
    writeSubmits: writeSubmitsInSteps({
      insertAttributeVersions: insertVersionsHere,
      moveUnits,
      insertLogs: insertLogsHere,
    }),
    claimAndLog: claimAndLogInSteps({ claimHeads, markClaimed, insertLogs: insertLogsHere }),
    claimHeads,
    markClaimed,
    lockUnits,
    moveUnits,
    insertLogs: insertLogsHere,
    insertAttributeVersions: insertVersionsHere,
  };
}
