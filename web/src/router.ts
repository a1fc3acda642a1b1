// Hash routes (#/search, #/entity/<id>, …): every node serves the application at `/` only, so no server-side
// routing is needed and a reload keeps the screen.
import { useEffect, useState } from "react";

export interface Route {
  /** The first path segment: "search", "entity", "requests", … */
  screen: string;
  /** The remaining segments, decoded. */
  params: string[];
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#\/?/u, "").split("?", 2);
  const [screen = "", ...params] = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { screen: screen || "search", params, query: new URLSearchParams(search) };
}

/** A link target for a screen and its parameters. */
export function href(screen: string, ...params: string[]): string {
  return `#/${[screen, ...params].map(encodeURIComponent).join("/")}`;
}

export function navigate(screen: string, ...params: string[]): void {
  window.location.hash = href(screen, ...params);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}
