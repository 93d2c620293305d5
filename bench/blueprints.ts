/** Blueprints made for measuring (and used by the tests of what they measure): a chain of processing steps, a wide 20-role workflow, a filtered error queue. */

/** ALPHA, then `steps` BETA roles in a row (each guarded by a condition), then Cerberus and OMEGA. */
export function chainBlueprint(name: string, steps: number): string {
  const roles = [
    "  - { name: Start, type: ALPHA }",
    ...Array.from({ length: steps }, (_, i) => `  - { name: S${i + 1}, type: BETA, strategy: HOMOGENEOUS }`),
    "  - { name: End, type: OMEGA }",
    "  - { name: Fix, type: EPSILON }",
    "  - { name: Clock, type: TAU }",
  ];
  const interactions = [
    ...Array.from({ length: steps }, (_, i) => `  - { name: Q${i + 1} }`),
    "  - { name: Done }",
    "  - { name: Errors }",
    "  - { name: Stale }",
  ];
  const components = ["  - { name: Start_Out, role: Start, interaction: Q1, direction: OUTBOUND }"];
  for (let i = 1; i <= steps; i++) {
    const next = i === steps ? "Done" : `Q${i + 1}`;
    components.push(`  - { name: S${i}_In, role: S${i}, interaction: Q${i}, direction: INBOUND }`);
    components.push(
      `  - { name: S${i}_Out, role: S${i}, interaction: ${next}, direction: OUTBOUND, guardian: { type: DIRECTIONAL_FILTER, config: { condition: "n >= 0 and len(tag) > 0" } } }`,
    );
  }
  components.push(
    "  - { name: End_In, role: End, interaction: Done, direction: INBOUND, guardian: { type: CERBERUS } }",
    "  - { name: Fix_In, role: Fix, interaction: Errors, direction: INBOUND, guardian: { type: PASS_THRU } }",
    "  - { name: Fix_Out, role: Fix, interaction: Done, direction: OUTBOUND }",
    "  - { name: Clock_In, role: Clock, interaction: Stale, direction: INBOUND }",
    "  - { name: Clock_Out, role: Clock, interaction: Errors, direction: OUTBOUND }",
  );
  return (
    [
      `workflow: { name: ${name} }`,
      "roles:",
      ...roles,
      "interactions:",
      ...interactions,
      "components:",
      ...components,
    ].join("\n") + "\n"
  );
}

/** A workflow of exactly 20 roles: ALPHA, 16 processing steps, OMEGA, EPSILON and TAU. */
export const twentyRoles = (name: string) => chainBlueprint(name, 16);

/**
 * One step, and an EPSILON whose guardian takes only units with fixable == true. ALPHA routes
 * only units with go == true, so a unit started with go == false is created FAILED, straight
 * in Fix's queue: a way to fill it with units Fix passes over.
 */
export function filteredFixBlueprint(name: string): string {
  return `workflow: { name: ${name} }
roles:
  - { name: Start, type: ALPHA }
  - { name: S1, type: BETA, strategy: HOMOGENEOUS }
  - { name: End, type: OMEGA }
  - { name: Fix, type: EPSILON }
  - { name: Clock, type: TAU }
interactions:
  - { name: Q1 }
  - { name: Done }
  - { name: Errors }
  - { name: Stale }
components:
  - { name: Start_Out, role: Start, interaction: Q1, direction: OUTBOUND, guardian: { type: DIRECTIONAL_FILTER, config: { condition: "go == true" } } }
  - { name: S1_In, role: S1, interaction: Q1, direction: INBOUND }
  - { name: S1_Out, role: S1, interaction: Done, direction: OUTBOUND }
  - { name: End_In, role: End, interaction: Done, direction: INBOUND, guardian: { type: CERBERUS } }
  - { name: Fix_In, role: Fix, interaction: Errors, direction: INBOUND, guardian: { type: CRITERIA_GATE, config: { condition: "fixable == true" } } }
  - { name: Fix_Out, role: Fix, interaction: Done, direction: OUTBOUND }
  - { name: Clock_In, role: Clock, interaction: Stale, direction: INBOUND }
  - { name: Clock_Out, role: Clock, interaction: Errors, direction: OUTBOUND }
`;
}
