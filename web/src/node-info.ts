// Which node this application is served by, from the public health route: shown in the header and at sign-in.
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
