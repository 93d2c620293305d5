/**
 * Examples for the `--help` of the commands that do not write their own beside their options
 * (most of the commands with them keep theirs in their register function). createProgram adds
 * these under "Examples:"; test/cli/help.test.ts checks that every command has some.
 */
export const EXAMPLES: Record<string, readonly string[]> = {
  "instance list": ["chameleon instance list", "chameleon instance list --json"],
  "instance show": ["chameleon instance show invoices-eu", "chameleon instance show invoices-eu --json"],
  "actor assign": ["chameleon actor assign invoices-eu ann Approver"],
  "actor revoke": ["chameleon actor revoke invoices-eu ann Approver"],
  "actor token": ["TOKEN=$(chameleon actor token invoices-eu ann)", "chameleon actor token invoices-eu claude --json"],
  "work list": [
    "chameleon work list invoices-eu --status ACTIVE",
    "chameleon work list invoices-eu --role Approver --json",
  ],
  "work show": ["chameleon work show invoices-eu UOW", "chameleon work show invoices-eu UOW --json"],
  "work history": ["chameleon work history invoices-eu UOW"],
  "work versions": [
    "chameleon work versions invoices-eu UOW",
    "chameleon work versions invoices-eu UOW --key amount --limit 20 --json",
  ],
  "work heartbeat": ["chameleon work heartbeat invoices-eu UOW --lease LEASE --actor ann"],
  "work fail": [
    "chameleon work fail invoices-eu UOW --lease LEASE --actor ann --error 'price list unreachable' --details '{\"status\":503}'",
  ],
  "work release": ["chameleon work release invoices-eu UOW --lease LEASE --actor ann"],
  "work cancel": [
    "chameleon work cancel invoices-eu UOW --reason 'duplicate invoice'",
    "chameleon work cancel invoices-eu UOW --actor fixer --reason 'cannot be repaired'",
  ],
  "memory get": ["chameleon memory get invoices-eu --role Line_Checker --actor 'Price checker' --query vendor"],
  "memory put": [
    "chameleon memory put invoices-eu --role Line_Checker --key vendor:ACME --value '{\"trusted\":true}'",
    "chameleon memory put invoices-eu --role Line_Checker --key tip --value '\"ask twice\"' --actor ann",
  ],
  "memory toxic": ["chameleon memory toxic invoices-eu MEMORY --reason 'led to a wrong approval'"],
  "memory decay": ["chameleon memory decay invoices-eu --days 90"],
  events: [
    "chameleon events invoices-eu",
    "chameleon events invoices-eu --follow --json",
    "chameleon events invoices-eu --follow --after CURSOR --event SUBMIT --event FAIL",
  ],
  sweep: ["chameleon sweep", "chameleon sweep invoices-eu --json"],
  mcp: [
    "chameleon --data-dir ~/chameleon-data mcp --instance tour --actor ann",
    "chameleon --instances postgres://app@db/chameleon mcp --instance invoices-eu --actor claude",
  ],
};
