// Entry point: i18n first, then React with TanStack Query and the session.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { setUpI18n } from "./i18n/index.ts";
import { SessionProvider } from "./session.tsx";
import "./styles.css";

const queries = new QueryClient({
  defaultOptions: {
    // Refused or missing records stay refused: retrying a 404 or 401 only adds load and audit noise.
    queries: { retry: (count, error) => count < 2 && !("status" in error && Number(error.status) < 500) },
  },
});

await setUpI18n();
const root = document.getElementById("root");
if (!root) throw new Error("no #root element");
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
