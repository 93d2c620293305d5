/** The instance overview and its graph, refreshed every two seconds (the server keeps an overview two seconds). */
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "./client.js";
import type { components } from "./schema.js";

export type Overview = components["schemas"]["OverviewReply"];

export function useOverview(instance: string, refetchInterval: number | false = 10_000) {
  return useQuery({
    queryKey: ["overview", instance],
    // FINALIZED units are the costly count (they pile up): a page that watches may see them 5 s late.
    queryFn: async () =>
      unwrap(
        await api.GET("/instances/{id}/overview", {
          params: { path: { id: instance }, query: { finalizedMaxAgeSeconds: "5" } },
        }),
      ),
    refetchInterval,
  });
}

/** The instance's own graph as SVG, with the counts on each interaction (and one unit marked). */
export function useGraph(instance: string, uow?: string, refetchInterval: number | false = 15_000) {
  return useQuery({
    queryKey: ["graph", instance, uow ?? null],
    queryFn: async () => {
      const result = await api.GET("/instances/{id}/graph", {
        params: { path: { id: instance }, query: { format: "svg", ...(uow === undefined ? {} : { uow }) } },
        parseAs: "text",
      });
      return unwrap(result) as string;
    },
    refetchInterval,
  });
}
