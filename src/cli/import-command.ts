// `puente import`: reads markings flags, runs the import service with a progress bar, and reports every problem
// as file:line: field: message. A failed import writes nothing and exits non-zero.
import { userInfo } from "node:os";
import cliProgress from "cli-progress";
import { formatImportIssue, importFile } from "../importer/import-service.ts";
import type { MarkingsInput } from "../model/types.ts";
import { openNode } from "../node/node.ts";

interface ImportFlags {
  dir: string;
  format?: "ftm" | "csv";
  schema?: string;
  map?: string[];
  id?: string;
  dryRun?: boolean;
  tlp?: string;
  grading?: string;
  handlingCode?: string;
  releasableCountries?: string;
  releasableAgencies?: string;
  useRestrictions?: string;
  legalBasis?: string;
  criminalIntelligence?: boolean;
  reasonableSuspicion?: string;
  reviewBy?: string;
}

function markingsFromFlags(flags: ImportFlags): MarkingsInput {
  const markings: MarkingsInput = {};
  if (flags.tlp) markings.tlp = flags.tlp;
  if (flags.grading) markings.grading = flags.grading;
  if (flags.handlingCode) markings.handlingCode = flags.handlingCode;
  if (flags.releasableCountries) markings.releasableCountries = flags.releasableCountries;
  if (flags.releasableAgencies) markings.releasableAgencies = flags.releasableAgencies;
  if (flags.useRestrictions) markings.useRestrictions = flags.useRestrictions;
  if (flags.legalBasis) markings.legalBasis = flags.legalBasis;
  if (flags.criminalIntelligence) markings.criminalIntelligence = true;
  if (flags.reasonableSuspicion) markings.reasonableSuspicion = flags.reasonableSuspicion;
  if (flags.reviewBy) markings.reviewBy = flags.reviewBy;
  return markings;
}

export async function importCommand(file: string, flags: ImportFlags): Promise<void> {
  const node = await openNode(flags.dir);
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: "importing [{bar}] {value} records" },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(0, 0);
  try {
    const summary = await importFile({
      path: file,
      ...(flags.format ? { format: flags.format } : {}),
      ...(flags.schema ? { schema: flags.schema } : {}),
      ...(flags.map ? { map: flags.map } : {}),
      ...(flags.id ? { idColumn: flags.id } : {}),
      markings: markingsFromFlags(flags),
      dryRun: Boolean(flags.dryRun),
      context: {
        nodeId: node.config.nodeId,
        country: node.config.country,
        defaultMarkings: node.config.defaultMarkings,
        recordedBy: `cli:${userInfo().username}`,
        recordedAt: new Date().toISOString(),
      },
      repository: node.entityRepository,
      onProgress: (done, total) => {
        if (!bar) return;
        if (total !== undefined) bar.setTotal(total);
        bar.update(done);
      },
    });
    bar?.stop();
    await node.audit.append({
      kind: "record.import",
      actor: `cli:${userInfo().username}`,
      details: {
        file: summary.file,
        records: summary.records,
        entities: summary.entities,
        written: summary.written,
        dryRun: Boolean(flags.dryRun),
        issues: summary.issues.length,
      },
    });
    if (summary.issues.length > 0) {
      for (const issue of summary.issues) console.error(formatImportIssue(issue));
      console.error(`puente: ${summary.issues.length} problem(s) in ${summary.file}; nothing was written.`);
      process.exitCode = 2;
      return;
    }
    const verb = summary.written ? "Imported" : "Checked (dry run, nothing written)";
    console.log(
      `${verb}: ${summary.records} records, ${summary.entities} entities, ${summary.statements} statements from ${summary.file}`,
    );
  } finally {
    bar?.stop();
    await node.close();
  }
}
