/**
 * A blueprint graph drawn by the server (Graphviz SVG, with the counts on each interaction),
 * shown as an image: the markup is never put into the page, so nothing in it can run.
 */
import { useEffect, useMemo } from "react";

export function Graph({ svg, label }: { svg: string | undefined; label: string }) {
  const url = useMemo(
    () => (svg === undefined ? null : URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }))),
    [svg],
  );
  useEffect(() => () => (url === null ? undefined : URL.revokeObjectURL(url)), [url]);
  if (url === null) return <p>Drawing the graph…</p>;
  return <img className="graph" src={url} alt={label} />;
}
