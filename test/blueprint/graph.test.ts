import { instance } from "@viz-js/viz";
import { describe, expect, it } from "vitest";
import { workflowGraph } from "../../src/blueprint/graph.js";
import type { BlueprintWorkflow } from "../../src/blueprint/model.js";
import { parseBlueprintText } from "../../src/blueprint/parse.js";
import { edit, exampleText, EXAMPLE_FILES, MINIMAL } from "./helpers.js";

function workflowsOf(text: string): BlueprintWorkflow[] {
  const { workflows, issues } = parseBlueprintText(text);
  expect(issues).toEqual([]);
  return workflows.map((w) => w.workflow);
}

/** Structural check of DOT: quoted strings closed, braces balanced, statements well formed. */
function expectWellFormedDot(dot: string): void {
  const withoutStrings = dot.replace(/"(?:[^"\\\n]|\\.)*"/g, "S");
  expect(withoutStrings).not.toContain('"');
  const lines = withoutStrings.trim().split("\n");
  expect(lines[0]).toBe("digraph S {");
  expect(lines.at(-1)).toBe("}");
  for (const line of lines.slice(1, -1)) {
    expect(line).toMatch(
      /^ {2}(\w+=S;|labelloc=t;|rankdir=TB;|\w+=[\d.]+;|(node|edge) \[[^\]]*\];|\w+ \[label=S, [^\]]*\];|\w+ -> \w+ \[label=S\];)$/,
    );
  }
}

/** Mermaid: every label quoted, with no raw quote, angle bracket or ampersand inside. */
function expectWellFormedMermaid(mermaid: string): void {
  const lines = mermaid.trim().split("\n");
  expect(lines[0]).toBe("flowchart LR");
  for (const line of lines.slice(2)) {
    const labels = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? "");
    expect(labels.length, line).toBe(1);
    expect(labels[0]!.replace(/<br\/>/g, "")).not.toMatch(/[<>&"]/);
  }
}

describe("workflowGraph", () => {
  for (const file of EXAMPLE_FILES) {
    for (const format of ["mermaid", "dot"] as const) {
      it(`draws every role, interaction and component of ${file} as ${format}`, () => {
        for (const w of workflowsOf(exampleText(file))) {
          const graph = workflowGraph(w, format);
          for (const name of [...w.roles, ...w.interactions, ...w.components].map((e) => e.name)) {
            expect(graph).toContain(name);
          }
          const edges = graph.split("\n").filter((l) => l.includes(format === "dot" ? " -> " : " -->|"));
          expect(edges).toHaveLength(w.components.length);
          if (format === "dot") expectWellFormedDot(graph);
          else expectWellFormedMermaid(graph);
        }
      });
    }
  }

  it("draws edges in the direction units flow, labelled with guardians and conditions", () => {
    const [w] = workflowsOf(exampleText("invoice_approval.yml"));
    const dot = workflowGraph(w!, "dot");
    // Intake (r0) pushes into Inbox (i0); Splitter (r1) pulls from it through its gate.
    expect(dot).toContain('r0 -> i0 [label="Intake_Out\\l"];');
    expect(dot).toContain('i0 -> r1 [label="Splitter_In\\lCRITERIA_GATE: total > 0 and len(lines) > 0\\l"];');
    const mermaid = workflowGraph(w!, "mermaid");
    expect(mermaid).toContain('r0 -->|"Intake_Out"| i0');
    expect(mermaid).toContain('i3 -->|"Reconciler_In<br/>CERBERUS (ARCHIVE)"| r4');
  });

  it("shapes nodes by role type and says which workflow a SIGMA role runs", () => {
    const [order] = workflowsOf(exampleText("nested_order.yml"));
    const dot = workflowGraph(order!, "dot");
    expect(dot).toContain('r0 [label="Order_Desk\\nALPHA", shape=circle];');
    expect(dot).toContain('r1 [label="Picker\\nAUTO (HOMOGENEOUS)", shape=box];');
    expect(dot).toContain('r2 [label="Ship\\nSIGMA (HOMOGENEOUS)\\nruns Shipping", shape=box, peripheries=2];');
    expect(dot).toContain('r3 [label="Close_Order\\nOMEGA", shape=doublecircle];');
    expect(dot).toContain('r4 [label="Order_Fixer\\nEPSILON", shape=hexagon];');
    expect(dot).toContain('i0 [label="New_Orders", shape=cylinder, margin="0.25,0.2"];');
    const mermaid = workflowGraph(order!, "mermaid");
    expect(mermaid).toContain('r0(("Order_Desk<br/>ALPHA"))');
    expect(mermaid).toContain('r2[["Ship<br/>SIGMA (HOMOGENEOUS)<br/>runs Shipping"]]');
    expect(mermaid).toContain('r3((("Close_Order<br/>OMEGA")))');
    expect(mermaid).toContain('r5{{"Order_Clock<br/>TAU"}}');
    expect(mermaid).toContain('i1[("To_Ship")]');
  });

  it("escapes quotes, <, >, & and backslashes in conditions for each format", () => {
    const condition = `name == "a<b>" and tag != 'x & y' and path == "c:\\\\n"`;
    const text = edit(
      MINIMAL,
      "{ name: Work_In, role: Work, interaction: Todo, direction: INBOUND }",
      `{ name: Work_In, role: Work, interaction: Todo, direction: INBOUND, guardian: { type: CRITERIA_GATE, config: { condition: ${JSON.stringify(condition)} } } }`,
    );
    const [w] = workflowsOf(text);
    expect(w!.components[1]!.guardians[0]!.config).toEqual({
      condition: `name == "a<b>" and tag != 'x & y' and path == "c:\\\\n"`,
    });

    const dot = workflowGraph(w!, "dot");
    expectWellFormedDot(dot);
    expect(dot).toContain(`CRITERIA_GATE: name == \\"a<b>\\" and tag != 'x &amp; y' and path == \\"c:\\\\\\\\n\\"`);

    const mermaid = workflowGraph(w!, "mermaid");
    expectWellFormedMermaid(mermaid);
    expect(mermaid).toContain(
      "CRITERIA_GATE: name == #34;a#60;b#62;#34; and tag != 'x #38; y' and path == #34;c:#92;#92;n#34;",
    );
  });

  it("draws components whose ends are unknown instead of failing", () => {
    const [w] = workflowsOf(MINIMAL);
    w!.components.push({
      name: "Stray",
      role: "Ghost",
      interaction: "Void",
      direction: "OUTBOUND",
      description: null,
      aiContext: null,
      guardians: [],
    });
    const dot = workflowGraph(w!, "dot");
    expectWellFormedDot(dot);
    expect(dot).toMatch(/u\d+ -> u\d+ \[label="Stray\\l"\];/);
    expect(workflowGraph(w!, "mermaid")).toContain("unknown role");
  });
});

describe("the SVG of the demo's workflow", () => {
  it("is drawn top to bottom, fits a laptop screen's width, and left-justifies edge labels beside their arrows", async () => {
    const [w] = workflowsOf(exampleText("invoice_approval.yml"));
    const viz = await instance();
    const svg = viz.renderString(workflowGraph(w!, "dot"), { format: "svg" });
    const [, width, height] = /<svg width="(\d+)pt" height="(\d+)pt"/.exec(svg) ?? [];
    // Left to right it was 2918 x 286 px: unreadable without scrolling sideways.
    expect(Number(width)).toBeLessThan(700);
    expect(Number(height)).toBeGreaterThan(Number(width));
    // Each edge label's text starts at its anchor (left-justified) rather than being centred on it.
    const edges = svg.match(/<g id="edge\d+" class="edge">[\s\S]*?<\/g>/g) ?? [];
    expect(edges).toHaveLength(w!.components.length);
    const edgeText = edges.map((g) => g.match(/<text[^>]*>/g) ?? []);
    expect(edgeText.flat().length).toBeGreaterThan(0);
    for (const t of edgeText.flat()) expect(t).toContain('text-anchor="start"');
  });
});
