// The audit log's test suite (audit-suite.ts) on PostgreSQL (needs DATABASE_URL).
import { openTestPostgres } from "../store/test-databases.ts";
import { defineAuditSuite } from "./audit-suite.ts";

defineAuditSuite("PostgreSQL", openTestPostgres);
