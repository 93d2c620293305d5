/**
 * The console's one table: a caption for screen readers, a header per column, a row per item.
 * Columns say how to show an item; numbers are right-aligned by their `numeric` flag.
 */
import type { ReactNode } from "react";

export interface Column<T> {
  /** The header; a visually hidden one for a column of controls. */
  label: string;
  hideLabel?: boolean;
  cell(row: T): ReactNode;
  /** Right-aligned digits: true, or per row. */
  numeric?: boolean | ((row: T) => boolean);
  /** Attributes for tests and styles (data-*) of the cell. */
  data?: Record<string, string>;
  className?: string;
}

export interface TableProps<T> {
  caption: string;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey(row: T): string;
  rowClass?(row: T): string | undefined;
  rowData?(row: T): Record<string, string>;
  className?: "units" | "history";
}

export function Table<T>({ caption, columns, rows, rowKey, rowClass, rowData, className = "units" }: TableProps<T>) {
  return (
    <table className={className}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col" key={c.label}>
              {c.hideLabel ? <span className="visually-hidden">{c.label}</span> : c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} className={rowClass?.(row)} {...(rowData?.(row) ?? {})}>
            {columns.map((c) => {
              const numeric = typeof c.numeric === "function" ? c.numeric(row) : c.numeric === true;
              const classes = [numeric ? "number" : "", c.className ?? ""].filter((x) => x !== "").join(" ");
              return (
                <td key={c.label} className={classes === "" ? undefined : classes} {...(c.data ?? {})}>
                  {c.cell(row)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
