/**
 * The submit form of a task: the role's declared form when it has one, else a field for each
 * attribute the unit has (typed by its value: number, text, boolean, JSON) and a way to add a
 * key; always a reasoning box. Only changed values are sent. The engine's validation errors
 * (paths `attributes.<key>`) appear next to their field; others above the buttons.
 */
import { useState, type FormEvent } from "react";
import type { UnitDetails } from "../api/queries.js";

export type FormField = NonNullable<UnitDetails["form"]>[number];
export type FieldType = FormField["type"];
export interface Issue {
  path: string;
  message: string;
}

export interface AttributeFormProps {
  form: FormField[] | null;
  attributes: Record<string, unknown>;
  issues: Issue[];
  busy: boolean;
  onSubmit(changed: Record<string, unknown>, reasoning: string): void;
}

function typeOf(v: unknown): FieldType {
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "string") return "text";
  return "json";
}

/** The fields to show: the form's, or one per attribute the unit has. */
export function fieldsFor(form: FormField[] | null, attributes: Record<string, unknown>): FormField[] {
  if (form !== null && form.length > 0) return form;
  return Object.entries(attributes).map(([key, v]) => ({ key, type: typeOf(v) }));
}

/** The text a field starts with. */
function initialText(field: FormField, v: unknown): string {
  const current = v === undefined ? field.default : v;
  if (current === undefined || current === null) return field.type === "json" && v === null ? "null" : "";
  if (field.type === "json") return JSON.stringify(current, null, 2);
  return String(current);
}

/** The value a field's text stands for, or an error message. */
export function parseField(field: FormField, text: string): { value: unknown } | { error: string } {
  switch (field.type) {
    case "number": {
      if (text.trim() === "") return { value: undefined };
      const n = Number(text);
      return Number.isFinite(n) ? { value: n } : { error: `${field.key} must be a number` };
    }
    case "boolean":
      return { value: text === "true" };
    case "json":
      if (text.trim() === "") return { value: undefined };
      try {
        return { value: JSON.parse(text) as unknown };
      } catch {
        return { error: `${field.key} must be JSON` };
      }
    case "choice": {
      if (text === "") return { value: undefined };
      const choice = (field.choices ?? []).find((c) => String(c) === text);
      return { value: choice ?? text };
    }
    default:
      return { value: text === "" && !field.required ? undefined : text };
  }
}

export function AttributeForm({ form, attributes, issues, busy, onSubmit }: AttributeFormProps) {
  const [extra, setExtra] = useState<FormField[]>([]);
  const fields = [...fieldsFor(form, attributes), ...extra];
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.key, initialText(f, attributes[f.key])])),
  );
  const [reasoning, setReasoning] = useState("");
  const [local, setLocal] = useState<Issue[]>([]);
  const [newKey, setNewKey] = useState("");
  const [newType, setNewType] = useState<FieldType>("text");
  const all = [...local, ...issues];
  const issueOf = (key: string) => all.find((i) => i.path === `attributes.${key}` || i.path === key);
  const general = all.filter((i) => !fields.some((f) => i.path === `attributes.${f.key}` || i.path === f.key));

  function submit(event: FormEvent) {
    event.preventDefault();
    const changed: Record<string, unknown> = {};
    const problems: Issue[] = [];
    for (const field of fields) {
      const parsed = parseField(field, texts[field.key] ?? "");
      if ("error" in parsed) problems.push({ path: `attributes.${field.key}`, message: parsed.error });
      else if (parsed.value !== undefined && JSON.stringify(parsed.value) !== JSON.stringify(attributes[field.key])) {
        changed[field.key] = parsed.value;
      }
    }
    setLocal(problems);
    if (problems.length === 0) onSubmit(changed, reasoning);
  }

  function addKey() {
    const key = newKey.trim();
    if (key === "" || fields.some((f) => f.key === key)) return;
    setExtra([...extra, { key, type: newType }]);
    setTexts({ ...texts, [key]: newType === "boolean" ? "false" : "" });
    setNewKey("");
  }

  return (
    <form className="attribute-form" onSubmit={submit} noValidate>
      {fields.map((field) => {
        const id = `field-${field.key}`;
        const issue = issueOf(field.key);
        const label = `${field.label ?? field.key}${field.required ? " (required)" : ""}`;
        const set = (text: string) => setTexts({ ...texts, [field.key]: text });
        const describedBy = issue === undefined ? undefined : `${id}-error`;
        return (
          <div className={`field${issue ? " invalid" : ""}`} key={field.key}>
            {field.type === "boolean" ? (
              <label className="check">
                <input
                  id={id}
                  type="checkbox"
                  checked={texts[field.key] === "true"}
                  onChange={(e) => set(String(e.target.checked))}
                  aria-describedby={describedBy}
                />
                {label}
              </label>
            ) : (
              <label htmlFor={id}>{label}</label>
            )}
            {field.type === "number" && (
              <input
                id={id}
                type="number"
                step="any"
                value={texts[field.key] ?? ""}
                onChange={(e) => set(e.target.value)}
                aria-describedby={describedBy}
              />
            )}
            {field.type === "text" && (
              <input
                id={id}
                type="text"
                value={texts[field.key] ?? ""}
                onChange={(e) => set(e.target.value)}
                aria-describedby={describedBy}
              />
            )}
            {field.type === "choice" && (
              <select
                id={id}
                value={texts[field.key] ?? ""}
                onChange={(e) => set(e.target.value)}
                aria-describedby={describedBy}
              >
                <option value="">(choose)</option>
                {(field.choices ?? []).map((c) => (
                  <option key={String(c)} value={String(c)}>
                    {String(c)}
                  </option>
                ))}
              </select>
            )}
            {field.type === "json" && (
              <textarea
                id={id}
                rows={3}
                value={texts[field.key] ?? ""}
                onChange={(e) => set(e.target.value)}
                aria-describedby={describedBy}
              />
            )}
            {issue && (
              <p id={`${id}-error`} className="error">
                {issue.message}
              </p>
            )}
          </div>
        );
      })}
      {(form === null || form.length === 0) && (
        <fieldset className="add-key">
          <legend>Add an attribute</legend>
          <label htmlFor="new-key">Key</label>
          <input id="new-key" value={newKey} onChange={(e) => setNewKey(e.target.value)} />
          <label htmlFor="new-type">Type</label>
          <select id="new-type" value={newType} onChange={(e) => setNewType(e.target.value as FieldType)}>
            <option value="text">text</option>
            <option value="number">number</option>
            <option value="boolean">boolean</option>
            <option value="json">JSON</option>
          </select>
          <button type="button" onClick={addKey} disabled={newKey.trim() === ""}>
            Add
          </button>
        </fieldset>
      )}
      <div className="field">
        <label htmlFor="reasoning">Reasoning</label>
        <textarea id="reasoning" rows={3} value={reasoning} onChange={(e) => setReasoning(e.target.value)} />
      </div>
      {general.map((i) => (
        <p className="error" role="alert" key={i.path + i.message}>
          {i.message}
        </p>
      ))}
      <button type="submit" disabled={busy}>
        Submit
      </button>
    </form>
  );
}
