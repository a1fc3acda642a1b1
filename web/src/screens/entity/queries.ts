// The entity screen's API calls and the shapes they answer: the record, its neighbourhood (link graph and map),
// its timeline, the user's requests with the releases received, and the user's operations (map areas).
import { useQuery } from "@tanstack/react-query";
import type { ReleaseView } from "../../../../src/federation/exchange-service.ts";
import type { Entity } from "../../../../src/model/types.ts";
import type { Neighbourhood, TimelineEvent } from "../../../../src/records/graph-service.ts";
import { api } from "../../api.ts";

// The shapes are the server's own, imported as types only.
export type { ReleaseView as Release } from "../../../../src/federation/exchange-service.ts";
export type {
  GraphEdge as NeighbourEdge,
  GraphNode as NeighbourNode,
  Neighbourhood,
  TimelineEvent,
} from "../../../../src/records/graph-service.ts";

export interface OutgoingRequest {
  id: string;
  owner_node: string;
  reference: string;
  case_reference: string;
  purpose: string;
  status: string;
  updated_at: string;
  releases: ReleaseView[];
}

export interface Operation {
  id: string;
  operation_type: string;
  /** JSON: { kind: "circle", lat, lon, radiusM } or { kind: "polygon", points: [[lat, lon], …] }. */
  area: string;
  starts_at: string;
  ends_at: string;
  case_reference: string;
  closed_at: string | null;
}

const path = (id: string, rest = "") => `/api/v1/entities/${encodeURIComponent(id)}${rest}`;

export function useEntity(id: string) {
  return useQuery({ queryKey: ["entity", id], queryFn: () => api<Entity>(path(id)), enabled: id !== "" });
}

export function useNeighbourhood(id: string) {
  return useQuery({
    queryKey: ["entity", id, "neighbourhood"],
    queryFn: () => api<Neighbourhood>(path(id, "/neighbourhood?depth=1")),
  });
}

export function useTimeline(id: string) {
  return useQuery({
    queryKey: ["entity", id, "timeline"],
    queryFn: () => api<{ events: TimelineEvent[] }>(path(id, "/timeline")),
  });
}

/** The user's requests to partners with the releases received (everyone's, for supervisors). */
export function useRequests(enabled: boolean) {
  return useQuery({
    queryKey: ["requests", "mine"],
    queryFn: () => api<{ requests: OutgoingRequest[] }>("/api/v1/requests"),
    enabled,
  });
}

export function useOperations(enabled: boolean) {
  return useQuery({
    queryKey: ["deconfliction", "operations"],
    queryFn: () => api<{ operations: Operation[] }>("/api/v1/deconfliction/operations"),
    enabled,
  });
}
