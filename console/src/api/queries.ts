/** The reads the pages share, as TanStack Query hooks over the typed client. */
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "./client.js";
import type { paths } from "./schema.js";

type Ok<P extends keyof paths, M extends "get"> = paths[P][M] extends {
  responses: { 200: { content: { "application/json": infer T } } };
}
  ? T
  : never;

export type UnitRow = Ok<"/instances/{id}/work", "get">[number];
export type UnitDetails = Ok<"/instances/{id}/work/{uow}", "get">;
export type HistoryEntry = Ok<"/instances/{id}/work/{uow}/history", "get">[number];
export type HeldUnit = Ok<"/instances/{id}/held", "get">[number];
export type WorkListQuery = NonNullable<paths["/instances/{id}/work"]["get"]["parameters"]["query"]>;

export function useHeld(instance: string) {
  return useQuery({
    queryKey: ["held", instance],
    queryFn: async () => unwrap(await api.GET("/instances/{id}/held", { params: { path: { id: instance } } })),
    refetchInterval: 10_000,
  });
}

export function useWorkList(instance: string, query: WorkListQuery, refetchInterval = 10_000) {
  return useQuery({
    queryKey: ["work", instance, query],
    queryFn: async () => {
      const result = await api.GET("/instances/{id}/work", { params: { path: { id: instance }, query } });
      const rows = unwrap(result);
      // The next page starts after the unit the Link header names (with a condition, the last
      // unit read, which need not be the last one shown).
      const link = /<([^>]+)>;\s*rel="next"/.exec(result.response.headers.get("link") ?? "");
      const nextAfter = link === null ? null : new URL(link[1]!, window.location.origin).searchParams.get("after");
      return { rows, hasMore: nextAfter !== null, nextAfter };
    },
    refetchInterval,
  });
}

export function useUnit(instance: string, uow: string) {
  return useQuery({
    queryKey: ["unit", instance, uow],
    queryFn: async () =>
      unwrap(await api.GET("/instances/{id}/work/{uow}", { params: { path: { id: instance, uow } } })),
    refetchInterval: 10_000,
  });
}

export function useHistory(instance: string, uow: string) {
  return useQuery({
    queryKey: ["history", instance, uow],
    queryFn: async () =>
      unwrap(await api.GET("/instances/{id}/work/{uow}/history", { params: { path: { id: instance, uow } } })),
    refetchInterval: 10_000,
  });
}

/** An instance with its workflows, roles and actors (the instance, unit and actor pages). */
export function useInstance(id: string) {
  return useQuery({
    queryKey: ["instance", id],
    queryFn: async () => unwrap(await api.GET("/instances/{id}", { params: { path: { id } } })),
  });
}
