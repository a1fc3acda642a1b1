// Partners' lookouts kept in a local cache, so screening never waits on a partner. Each node asks every partner, over
// the signed node-to-node route, for the lookouts that changed since the version it last read: those its policy lets
// leave for this node (never TLP:RED or AMBER+STRICT, only if a releasable-to list names this country or agency), and
// the withdrawn ones. Expired lookouts drop out on both sides by their expiry; a partner that leaves the federation is
// forgotten. What arrives is checked again, and kept only if screening could use it.
import type { AuditLog } from "../../audit/audit-log.ts";
import { getFromPartner, type PartnerStatus } from "../../federation/client.ts";
import type { Federation } from "../../federation/federation.ts";
import type { Member } from "../../federation/manifest.ts";
import type { BorderRepository, PartnerLookoutRow } from "../../store/border-repository.ts";
import type { LookoutIndex } from "./lookout-index.ts";
import { minimalSubject, type PartnerLookout, partnerLookoutProblem } from "./lookouts.ts";

export const BORDER_LOOKOUTS_PATH = "/federation/v1/border/lookouts";

/** One answer of the route: a page of changes after the version asked for. */
export interface PartnerLookoutPage {
  lookouts: PartnerLookout[];
  /** Lookouts withdrawn since: remove them. */
  removed: string[];
  /** The version to ask from next time. */
  next: number;
  /** More changes wait after `next`. */
  more: boolean;
}

/** Lookouts per page of the route. */
export const LOOKOUT_PAGE = 1000;
/** Pages read from one partner in one sync; the rest wait for the next. */
const MAX_PAGES = 100;
const DEADLINE_MS = 10_000;

export interface SyncReport {
  partner: string;
  status: PartnerStatus;
  kept: number;
  removed: number;
  /** Lookouts received that could not be kept (malformed, expired, or marked to stay at their owner). */
  refused: number;
  detail?: string;
}

export class PartnerLookoutSync {
  private running: Promise<SyncReport[]> | undefined;

  constructor(
    private readonly federation: Federation,
    private readonly repository: BorderRepository,
    private readonly index: LookoutIndex,
    private readonly audit: AuditLog,
    private readonly clock: () => Date,
  ) {}

  /** Reads every partner's changes into the cache and the index; a sync under way is joined, not repeated. */
  syncAll(): Promise<SyncReport[]> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<SyncReport[]> {
    const partners = this.federation.partners();
    for (const owner of await this.repository.cachedPartners())
      if (!partners.some((partner) => partner.nodeId === owner)) {
        await this.repository.dropPartner(owner);
        for (const lookout of this.index.ownedBy(owner)) this.index.remove(lookout.id, owner);
      }
    return Promise.all(partners.map((partner) => this.syncPartner(partner)));
  }

  private async syncPartner(partner: Member): Promise<SyncReport> {
    const owner = partner.nodeId;
    const report: SyncReport = { partner: owner, status: "ok", kept: 0, removed: 0, refused: 0 };
    let since = await this.repository.partnerCursor(owner);
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const outcome = await getFromPartner<PartnerLookoutPage>(
        this.federation,
        partner,
        `${BORDER_LOOKOUTS_PATH}?since=${since}`,
        DEADLINE_MS,
        this.clock,
      );
      if (outcome.status !== "ok") {
        report.status = outcome.status;
        report.detail = outcome.detail;
        break;
      }
      const page = outcome.body;
      const now = this.clock();
      // By id: a lookout sent twice in one page is kept once, as last sent.
      const kept = new Map<string, PartnerLookoutRow>();
      const withdrawn = (Array.isArray(page.removed) ? page.removed : []).filter((id) => typeof id === "string");
      const removed = [...withdrawn];
      for (const lookout of Array.isArray(page.lookouts) ? page.lookouts : []) {
        if (partnerLookoutProblem(lookout, now.getTime())) {
          report.refused++;
          // Whatever was kept under that id before goes too.
          if (typeof lookout?.id === "string") removed.push(lookout.id);
          continue;
        }
        kept.set(lookout.id, {
          owner,
          lookout_id: lookout.id,
          subject: JSON.stringify(minimalSubject(lookout.subject)),
          severity: lookout.severity,
          tlp: lookout.tlp,
          contact: JSON.stringify({
            name: lookout.contact.name,
            email: lookout.contact.email,
            ...(typeof lookout.contact.phone === "string" ? { phone: lookout.contact.phone } : {}),
          }),
          expires_at: new Date(Date.parse(lookout.expiresAt)).toISOString(),
          received_at: now.toISOString(),
        });
      }
      const next = Number.isSafeInteger(page.next) && page.next > since ? page.next : since;
      await this.repository.applyPartnerPage(owner, [...kept.values()], removed, next, now.toISOString());
      for (const id of removed) this.index.remove(id, owner);
      for (const row of kept.values())
        this.index.add(
          row.lookout_id,
          owner,
          row.severity as PartnerLookout["severity"],
          row.expires_at,
          JSON.parse(row.subject),
        );
      report.kept += kept.size;
      report.removed += withdrawn.length;
      if (!page.more || next === since) break;
      since = next;
    }
    if (report.kept + report.removed + report.refused > 0)
      await this.audit.append({
        kind: "border.partner-lookouts-received",
        actor: `node:${owner}`,
        details: { kept: report.kept, removed: report.removed, refused: report.refused },
      });
    return report;
  }
}
