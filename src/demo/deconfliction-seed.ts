// Deconfliction items for the demo federation, so each node's desk has conflicts to work on: targets on some of the
// cross-border subjects (each node registers its own version of the person, which partners' matching engines
// recognise), one vehicle two of the node's own cases both work, and operations of which some come within a few
// hundred metres and hours of a partner's at the same border crossing. Registered through the node's
// deconfliction service as the demo analyst, once, when the node is first made and the federation is up, so the
// checks reach the partners as they would in use. Deterministic apart from the dates, which follow the first start.
import { MATCH_FIELDS } from "../matching/entity-records.ts";
import type { Entity } from "../model/types.ts";
import type { PuenteNode } from "../node/node.ts";
import { demoPrincipal } from "./demo-principal.ts";
import { type AgencyProfile, crossAgencySubjects } from "./synthetic.ts";

/** Cross-border subjects each node registers as targets (of those it holds). */
const SUBJECT_TARGETS = 3;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface DemoOperation {
  type: "search-warrant" | "buy-bust" | "controlled-delivery" | "surveillance" | "arrest" | "undercover-meeting";
  lat: number;
  lon: number;
  radiusM: number;
  /** Days after the first start (UTC midnight), and hours into that day. */
  day: number;
  fromHour: number;
  toHour: number;
  risk: "low" | "medium" | "high";
}

// Pairs across the border at San Ysidro / El Chaparral (us, mx) and Blaine / Douglas (us, ca) come within the
// default 500 m and 120 min of each other; the others are far from every other operation.
const OPERATIONS: Record<string, DemoOperation[]> = {
  us: [
    {
      type: "surveillance",
      lat: 32.5422,
      lon: -117.0296,
      radiusM: 300,
      day: 1,
      fromHour: 14,
      toHour: 18,
      risk: "medium",
    },
    { type: "arrest", lat: 49.0004, lon: -122.7562, radiusM: 200, day: 2, fromHour: 12, toHour: 14, risk: "high" },
    { type: "search-warrant", lat: 33.4484, lon: -112.074, radiusM: 150, day: 3, fromHour: 6, toHour: 9, risk: "high" },
  ],
  mx: [
    {
      type: "controlled-delivery",
      lat: 32.541,
      lon: -117.029,
      radiusM: 250,
      day: 1,
      fromHour: 15,
      toHour: 17,
      risk: "high",
    },
    { type: "buy-bust", lat: 25.6866, lon: -100.3161, radiusM: 200, day: 2, fromHour: 20, toHour: 23, risk: "high" },
    { type: "surveillance", lat: 19.4326, lon: -99.1332, radiusM: 400, day: 4, fromHour: 9, toHour: 17, risk: "low" },
  ],
  ca: [
    {
      type: "surveillance",
      lat: 49.0022,
      lon: -122.7566,
      radiusM: 300,
      day: 2,
      fromHour: 11,
      toHour: 15,
      risk: "medium",
    },
    {
      type: "undercover-meeting",
      lat: 45.5017,
      lon: -73.5673,
      radiusM: 100,
      day: 3,
      fromHour: 19,
      toHour: 21,
      risk: "high",
    },
    { type: "search-warrant", lat: 43.6532, lon: -79.3832, radiusM: 150, day: 5, fromHour: 5, toHour: 8, risk: "high" },
  ],
};

/** The person as a target subject: their live values, under the match properties they feed. */
function personSubject(entity: Entity, country: string) {
  const fields = MATCH_FIELDS.Person ?? {};
  const values: Record<string, string[]> = {};
  for (const statement of entity.statements) {
    const field = fields[statement.property];
    if (!field || statement.retractedAt) continue;
    values[field] = [...(values[field] ?? []), statement.value];
  }
  return { kind: "person" as const, values, country };
}

/**
 * Registers the node's demo targets and operations; partners that registered theirs before see the conflicts
 * arrive through their outbox, and so does this node. `profiles` and `persons` are those the data was made with.
 */
export async function seedDemoDeconfliction(
  node: PuenteNode,
  profile: AgencyProfile,
  profiles: AgencyProfile[],
  persons: number,
  seed: number,
  now: Date = new Date(),
): Promise<void> {
  const analyst = await demoPrincipal(node, "analyst");
  const contact = node.config.pointOfContact;
  const prefix = profile.nodeId.toUpperCase();
  const cases = [`${prefix}-DEMO-001`, `${prefix}-DEMO-002`, `${prefix}-DEMO-003`];
  const service = node.deconfliction;

  const subjects = crossAgencySubjects(seed, profiles, persons)
    .map(({ ids }) => ids[profile.nodeId])
    .filter((id): id is string => id !== undefined)
    .slice(0, SUBJECT_TARGETS);
  for (const [index, id] of subjects.entries()) {
    const entity = await node.entityRepository.getEntity(id);
    if (!entity) continue;
    await service.registerTarget(analyst, {
      subject: personSubject(entity, profile.country),
      caseReference: cases[index % 2] as string,
      contact,
    });
  }

  // One vehicle worked by two of the node's own cases: a conflict on its own desk.
  const [vehicle] = await node.entityRepository.listEntities({ schema: "Vehicle", limit: 1 });
  const vin = vehicle?.statements.find((statement) => statement.property === "vinCode")?.value;
  if (vin)
    for (const caseReference of [cases[1], cases[2]] as string[])
      await service.registerTarget(analyst, {
        subject: { kind: "vehicle", values: { vin: [vin] }, country: profile.country },
        caseReference,
        contact,
      });

  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (const [index, operation] of (OPERATIONS[profile.nodeId] ?? []).entries()) {
    const day = midnight + operation.day * DAY;
    await service.registerOperation(analyst, {
      type: operation.type,
      area: { kind: "circle", lat: operation.lat, lon: operation.lon, radiusM: operation.radiusM },
      startsAt: new Date(day + operation.fromHour * HOUR).toISOString(),
      endsAt: new Date(day + operation.toHour * HOUR).toISOString(),
      risk: operation.risk,
      caseReference: cases[index % cases.length] as string,
      contact,
    });
  }
  // Checks (and the partners' notices in answer) go through the outbox; let this node's leave before the next
  // node registers, so each conflict is found once, by the node that registers second.
  await node.outbox.deliverDue();
  await node.outbox.deliverDue();
}
