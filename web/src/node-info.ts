// Which node this application is served by (the public health route: shown in the header and at sign-in), and
// who its partners are (node id, agency, country), so screens can name them by agency.
import { useQuery } from "@tanstack/react-query";
import { api } from "./api.ts";

export interface NodeInfo {
  status: string;
  nodeId: string;
  agency: string;
  country: string;
}

export function useNodeInfo() {
  return useQuery({ queryKey: ["health"], queryFn: () => api<NodeInfo>("/api/v1/health"), staleTime: 60_000 });
}

export interface PartnerInfo {
  nodeId: string;
  agency: string;
  country: string;
}

export function usePartners() {
  return useQuery({
    queryKey: ["partners"],
    queryFn: async () => (await api<{ partners: PartnerInfo[] }>("/api/v1/partners")).partners,
    staleTime: 300_000,
  });
}
