// @vitest-environment happy-dom
/**
 * The task form: the role's declared fields (typed inputs, labels, required marks, choices),
 * or fields for the unit's own attributes plus added keys; only changed values are sent; the
 * engine's validation errors appear beside their field.
 */
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AttributeForm, parseField, type FormField } from "../src/components/AttributeForm.js";

afterEach(cleanup);

const FORM: FormField[] = [
  { key: "approved", type: "boolean", label: "Approve this line?", required: true },
  { key: "limit", type: "number", label: "Limit" },
  { key: "grade", type: "choice", label: "Grade", choices: ["A", "B", 3] },
  { key: "extra", type: "json", label: "Extra" },
  { key: "note", type: "text", label: "Note" },
];

describe("AttributeForm", () => {
  it("renders the role's form with labels and sends only what changed, typed, with the reasoning", () => {
    const onSubmit = vi.fn();
    render(
      <AttributeForm
        form={FORM}
        attributes={{ limit: 10, note: "old" }}
        issues={[]}
        busy={false}
        onSubmit={onSubmit}
      />,
    );
    fireEvent.click(screen.getByLabelText("Approve this line? (required)"));
    fireEvent.change(screen.getByLabelText("Limit"), { target: { value: "2500.5" } });
    fireEvent.change(screen.getByLabelText("Grade"), { target: { value: "3" } });
    fireEvent.change(screen.getByLabelText("Extra"), { target: { value: '{"a":[1]}' } });
    fireEvent.change(screen.getByLabelText("Reasoning"), { target: { value: "checked twice" } });
    fireEvent.click(screen.getByRole("button", { name: "Submit" }));
    // note is unchanged, so it is not sent; the choice keeps its type (3, a number).
    expect(onSubmit).toHaveBeenCalledWith(
      { approved: true, limit: 2500.5, grade: 3, extra: { a: [1] } },
      "checked twice",
    );
  });

  it("refuses a bad number or bad JSON beside the field, sending nothing", () => {
    const onSubmit = vi.fn();
    render(<AttributeForm form={FORM} attributes={{}} issues={[]} busy={false} onSubmit={onSubmit} />);
    fireEvent.change(screen.getByLabelText("Extra"), { target: { value: "{oops" } });
    fireEvent.click(screen.getByRole("button", { name: "Submit" }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByLabelText("Extra").getAttribute("aria-describedby")).toBe("field-extra-error");
    expect(document.getElementById("field-extra-error")?.textContent).toBe("extra must be JSON");
  });

  it("shows the engine's validation errors beside their fields, and others above the buttons", () => {
    render(
      <AttributeForm
        form={FORM}
        attributes={{}}
        busy={false}
        onSubmit={() => {}}
        issues={[
          { path: "attributes.approved", message: "attributes.approved is required by the form of role 'Approver'" },
          { path: "body", message: "the unit is too large" },
        ]}
      />,
    );
    expect(document.getElementById("field-approved-error")?.textContent).toMatch(/required by the form/);
    expect(screen.getByRole("alert").textContent).toBe("the unit is too large");
  });

  it("without a form, offers the unit's attributes typed by their values, and a key can be added", () => {
    const onSubmit = vi.fn();
    render(
      <AttributeForm
        form={null}
        attributes={{ amount: 5, vendor: "ACME", urgent: false, tags: ["x"] }}
        issues={[]}
        busy={false}
        onSubmit={onSubmit}
      />,
    );
    expect((screen.getByLabelText("amount") as HTMLInputElement).type).toBe("number");
    expect((screen.getByLabelText("vendor") as HTMLInputElement).type).toBe("text");
    expect((screen.getByLabelText("urgent") as HTMLInputElement).type).toBe("checkbox");
    expect(screen.getByLabelText("tags").tagName).toBe("TEXTAREA");
    fireEvent.change(screen.getByLabelText("Key"), { target: { value: "score" } });
    fireEvent.change(screen.getByLabelText("Type"), { target: { value: "number" } });
    fireEvent.click(screen.getByRole("button", { name: "Add" }));
    fireEvent.change(screen.getByLabelText("score"), { target: { value: "7" } });
    fireEvent.click(screen.getByLabelText("urgent"));
    fireEvent.click(screen.getByRole("button", { name: "Submit" }));
    expect(onSubmit).toHaveBeenCalledWith({ urgent: true, score: 7 }, "");
  });
});

describe("parseField", () => {
  it("reads each type, and leaves an empty optional field out", () => {
    expect(parseField({ key: "n", type: "number" }, " 12 ")).toEqual({ value: 12 });
    expect(parseField({ key: "n", type: "number" }, "")).toEqual({ value: undefined });
    expect(parseField({ key: "n", type: "number" }, "1e400")).toEqual({ error: "n must be a number" });
    expect(parseField({ key: "t", type: "text" }, "")).toEqual({ value: undefined });
    expect(parseField({ key: "t", type: "text", required: true }, "")).toEqual({ value: "" });
    expect(parseField({ key: "b", type: "boolean" }, "false")).toEqual({ value: false });
    expect(parseField({ key: "j", type: "json" }, "null")).toEqual({ value: null });
  });
});
