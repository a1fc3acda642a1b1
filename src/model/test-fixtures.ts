// Shared fixtures for tests that build statements: a record context with node defaults that pass validation.
import type { RecordContext } from "./validate.ts";

export function recordContext(overrides: Partial<RecordContext> = {}): RecordContext {
  return {
    nodeId: "mx-fgr",
    country: "MX",
    defaultMarkings: {
      tlp: "AMBER",
      sourceGrade: "F",
      infoGrade: "6",
      legalBasis: "CNPP art. 132",
      criminalIntelligence: false,
    },
    recordedBy: "user:ana",
    recordedAt: "2026-01-15T10:00:00.000Z",
    ...overrides,
  };
}
