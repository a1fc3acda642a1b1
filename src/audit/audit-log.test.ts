// The audit log's test suite (audit-suite.ts) on the embedded engine, SQLite in WAL mode.
import { openTestSqlite } from "../store/test-databases.ts";
import { defineAuditSuite } from "./audit-suite.ts";

defineAuditSuite("SQLite", openTestSqlite);
