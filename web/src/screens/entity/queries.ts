// The entity screen's API calls and the shapes they answer: the record, its neighbourhood (link graph and map),
// its timeline, the user's requests with the releases received, and the user's operations (map areas).
import { useQuery } from "@tanstack/react-query";
import type { Entity, Markings, Provenance } from "../../../../src/model/types.ts";
import { api } from "../../api.ts";

export interface NeighbourNode {
  id: string;
  schema: string;
  caption: string;
  latitude?: number;
  longitude?: number;
  date?: string;
  /** A record a partner released to the user (id "release:<release id>"), not one of this node's. */
  released?: boolean;
  /** For a released record: the node that owns it, and the release it came in. */
  owner?: string;
  releaseId?: string;
}

export interface NeighbourEdge {
  source: string;
  target: string;
  /** The linking property, the relation's schema, or for a released record "match", "possible-match" or
   * "same-identifier". */
  label: string;
  /** For an edge drawn from a relation (Associate, Ownership, …): the relation's own record. */
  relation?: string;
  /** For a released record's match: the matching score. */
  score?: number;
}

/** The answer of GET /api/v1/entities/:id/neighbourhood (src/records/graph-service.ts). */
export interface Neighbourhood {
  root: string;
  nodes: NeighbourNode[];
  edges: NeighbourEdge[];
  /** Whether records were left out to keep the chart small. */
  truncated: boolean;
}

/** One event of GET /api/v1/entities/:id/timeline: the record's own, or one of its vehicles' (`via`). */
export interface TimelineEvent {
  id: string;
  eventType?: string;
  date?: string;
  port?: string;
  location?: string;
  latitude?: number;
  longitude?: number;
  summary?: string;
  via?: string;
}

/** A statement as a release carries it (src/federation/exchange-service.ts, ReleaseView). */
export interface ReleasedStatement {
  statementId: string;
  property: string;
  /** The value in the layout this release writes it in: it marks the copy as this node's. */
  value: string;
  format?: string;
  provenance: Provenance;
  markings: Markings;
  usableInEvidence: boolean;
}

/** A release as GET /api/v1/requests lists it, with `withdrawn`: the statement ids the owner has retracted since. */
export interface Release {
  releaseId: string;
  requestId: string;
  owner: string;
  recipient: string;
  issuedAt: string;
  watermark: string;
  caveat: string;
  reference: string;
  schema: string;
  statements: ReleasedStatement[];
  redacted: string[];
  withdrawn: string[];
}

export interface OutgoingRequest {
  id: string;
  owner_node: string;
  reference: string;
  case_reference: string;
  purpose: string;
  status: string;
  updated_at: string;
  releases: Release[];
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
