// Tests for the coordinated-arrival detector on hand-made crossings over a background of ordinary traffic: a burst
// of linked crossings raises exactly one alert, unlinked crossings or ones sharing only a common insurer raise none,
// people who crossed together days before link, a cold detector stays quiet, and referrals stay within the
// capacity budget and are the same for the same seed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Random } from "../demo/random.ts";
import {
  type BurstAlert,
  CoordinatedArrivalDetector,
  type CoordinatedArrivalSettings,
} from "./coordinated-arrivals.ts";
import type { BurstFinding, Crossing, Traveller } from "./model.ts";

const PORT = "2504";
const START = Date.parse("2018-06-14T00:00:00Z");
const MINUTE = 60_000;
const INSURERS = ["GNP Seguros", "Quálitas", "State Farm", "GEICO"];

let serial = 0;

function person(name: string, document?: string): Traveller {
  return {
    name,
    birthDate: "1980-01-01",
    ...(document ? { document: { type: "passport", number: document, country: "MX" } } : {}),
  };
}

/** A vehicle with its own registrant, address and phone, insured by one of the big insurers. */
function vehicle(time: number, overrides: Partial<Crossing["conveyance"]> = {}, people?: Traveller[]): Crossing {
  serial += 1;
  return {
    id: `c-${serial}`,
    port: PORT,
    lane: "general",
    time: new Date(time).toISOString(),
    conveyance: {
      kind: "vehicle",
      plate: `P${serial}`,
      registrant: `Registrant ${serial}`,
      insurer: INSURERS[serial % INSURERS.length] as string,
      registrantAddress: `${serial} Calle Uno, Tijuana`,
      registrantPhone: `+52664${String(1_000_000 + serial)}`,
      ...overrides,
    },
    people: people ?? [person(`Driver ${serial}`, `G${serial}`)],
  };
}

/**
 * Ordinary traffic: `perMinute` crossings a minute from `from` for `hours`, a quarter of them trucks with their own
 * broker, nothing shared but the big insurers.
 */
function background(detector: CoordinatedArrivalDetector, from: number, hours: number, perMinute = 2): BurstFinding[] {
  const rng = new Random(7);
  const findings: BurstFinding[] = [];
  for (let minute = 0; minute < hours * 60; minute++)
    for (let i = 0; i < perMinute; i++) {
      const crossing = vehicle(from + minute * MINUTE + rng.int(0, 59_999), rng.chance(0.25) ? { kind: "truck" } : {});
      if (crossing.conveyance.kind === "truck") crossing.manifest = { broker: `Broker ${serial}` };
      const finding = detector.observe(crossing);
      if (finding) findings.push(finding);
    }
  return findings;
}

function detector(settings: Partial<CoordinatedArrivalSettings> = {}) {
  const alerts: BurstAlert[] = [];
  return { detector: new CoordinatedArrivalDetector(settings, (alert) => alerts.push(alert)), alerts };
}

/** Feeds `crossings` one by one, with background traffic between them, and returns their findings. */
function arrive(subject: CoordinatedArrivalDetector, crossings: Crossing[]): Array<BurstFinding | undefined> {
  return crossings.map((crossing) => subject.observe(crossing));
}

/** Hours of background before the crossings under test: enough to judge rarity by (ten windows of traffic). */
const HOURS = 8;
const warm = START + HOURS * 60 * MINUTE;

test("a burst of linked crossings raises exactly one alert, naming every crossing and the link", () => {
  const { detector: subject, alerts } = detector();
  assert.deepEqual(background(subject, START, HOURS), []);
  const shared = "Calle Tercera 1661, Col. San Miguel, 22300 Tijuana, BCN";
  const burst = Array.from({ length: 8 }, (_, i) =>
    vehicle(warm + i * 2 * MINUTE, { registrantAddress: i % 2 ? shared : shared.toUpperCase() }),
  );
  const findings = arrive(subject, burst);
  assert.deepEqual(
    findings.map((finding) => finding !== undefined),
    [false, false, false, false, true, true, true, true],
    "the fifth linked crossing makes the burst",
  );
  assert.equal(new Set(alerts.map((alert) => alert.burstId)).size, 1, "one alert, updated as the burst grows");
  const last = alerts.at(-1) as BurstAlert;
  assert.deepEqual(
    last.crossingIds,
    burst.map((crossing) => crossing.id),
  );
  assert.deepEqual(findings[7]?.crossingIds, last.crossingIds);
  assert.deepEqual(findings[7]?.links, ["address"]);
  assert.deepEqual(
    last.links.map(({ kind, crossings }) => [kind, crossings]),
    [["address", 8]],
  );
  assert.equal(last.firstSeen, burst[0]?.time);
  // Traffic after the burst passes by it.
  assert.deepEqual(background(subject, warm + 20 * MINUTE, 1), []);
});

test("as many unlinked crossings, or crossings sharing only a big insurer, raise nothing", () => {
  const { detector: subject, alerts } = detector();
  background(subject, START, HOURS);
  const unlinked = Array.from({ length: 12 }, (_, i) => vehicle(warm + i * MINUTE));
  assert.deepEqual(arrive(subject, unlinked), new Array(12).fill(undefined));
  const insured = Array.from({ length: 12 }, (_, i) =>
    vehicle(warm + 15 * MINUTE + i * MINUTE, { insurer: "GNP Seguros" }),
  );
  assert.deepEqual(arrive(subject, insured), new Array(12).fill(undefined));
  assert.deepEqual(alerts, []);
});

test("crossings sharing an obscure insurer, a small broker or a phone written differently do link", () => {
  for (const [link, value] of [
    ["insurer", (i: number) => ({ insurer: i % 2 ? "Aseguradora Tapia S.A." : "ASEGURADORA TAPIA, S.A." })],
    ["phone", (i: number) => ({ registrantPhone: i % 2 ? "+52 (664) 784-4822" : "+526647844822" })],
  ] as const) {
    const { detector: subject } = detector();
    background(subject, START, HOURS);
    const findings = arrive(
      subject,
      Array.from({ length: 5 }, (_, i) => vehicle(warm + i * MINUTE, value(i))),
    );
    assert.deepEqual(findings[4]?.links, [link]);
  }
  const { detector: subject } = detector();
  background(subject, START - HOURS * 60 * MINUTE, 2 * HOURS);
  const trucks = Array.from({ length: 5 }, (_, i) => ({
    ...vehicle(warm + i * MINUTE, { kind: "truck" }),
    manifest: { broker: "Agencia Aduanal Rangel S.C.", shipmentId: `S${i}` },
  }));
  assert.deepEqual(arrive(subject, trucks)[4]?.links, ["broker"]);
});

test("a cold detector raises nothing: there is no background yet to tell rare values from common ones", () => {
  const { detector: subject, alerts } = detector();
  arrive(
    subject,
    Array.from({ length: 10 }, (_, i) => vehicle(START + i * MINUTE, { registrantAddress: "1 Shared St" })),
  );
  assert.deepEqual(alerts, []);
});

test("people who crossed together days before link their separate vehicles; a forgotten trip does not", () => {
  const crew = ["A", "B", "C", "D", "E", "F"].map((name) => person(`Crew ${name}`, `G-CREW-${name}`));
  for (const [daysAgo, expected] of [
    [2, true],
    [20, false],
  ] as const) {
    const { detector: subject, alerts } = detector({ coTravelDays: 14 });
    const before = warm - daysAgo * 24 * 60 * MINUTE;
    // Together in three cars, pairs that overlap: A+B, B+C+D, D+E+F.
    arrive(subject, [
      vehicle(before, {}, [crew[0], crew[1]] as Traveller[]),
      vehicle(before + MINUTE, {}, [crew[1], crew[2], crew[3]] as Traveller[]),
      vehicle(before + 2 * MINUTE, {}, [crew[3], crew[4], crew[5]] as Traveller[]),
    ]);
    background(subject, START, HOURS);
    const findings = arrive(
      subject,
      crew.map((member, i) => vehicle(warm + i * 3 * MINUTE, {}, [member])),
    );
    assert.equal(findings[5] !== undefined, expected, `${daysAgo} days ago`);
    if (expected) {
      assert.deepEqual(findings[5]?.links, ["co-travel"]);
      assert.equal(alerts.at(-1)?.crossingIds.length, 6);
    } else assert.deepEqual(alerts, []);
  }
});

test("two vehicles of one fleet carrying the same drivers by turns are not a co-travel link", () => {
  const { detector: subject, alerts } = detector();
  const drivers = Array.from({ length: 6 }, (_, i) => person(`Team ${i}`, `G-TEAM-${i}`));
  const fleet = { registrant: "Transportes del Norte S.A. de C.V.", kind: "truck" as const };
  arrive(
    subject,
    drivers.map((driver, i) => vehicle(START + i * MINUTE, fleet, [driver, drivers[(i + 1) % 6] as Traveller])),
  );
  background(subject, START + 10 * MINUTE, HOURS);
  arrive(
    subject,
    drivers.map((driver, i) => vehicle(warm + 10 * MINUTE + i * MINUTE, fleet, [driver])),
  );
  assert.deepEqual(alerts, []);
});

function referralRun(seed: number, secondaryPerHour: number) {
  serial = 0; // the same crossings, ids included, every run
  const { detector: subject, alerts } = detector({ seed, secondaryPerHour: { [PORT]: secondaryPerHour } });
  background(subject, START, HOURS);
  const findings = arrive(
    subject,
    Array.from({ length: 30 }, (_, i) => vehicle(warm + i * MINUTE, { registrant: "Leticia Vázquez Paredes" })),
  );
  return { findings, alerts };
}

test("a burst never gets more referrals than its budget, and the same seed refers the same crossings", () => {
  // 40 an hour × 25 % = 10 for bursts, but at most 3 for one burst.
  const roomy = referralRun(1, 40);
  const referred = roomy.findings.filter((finding) => finding?.referThis);
  assert.ok(referred.length >= 1 && referred.length <= 3, `${referred.length} referred`);
  assert.equal(roomy.findings.filter((finding) => finding !== undefined).length, 26, "every member from the fifth");
  assert.deepEqual(
    roomy.alerts.at(-1)?.referred,
    referred.map((finding) => finding?.crossingIds.at(-1)),
  );
  // 4 an hour × 25 % = 1 referral in the hour for all bursts of the port.
  const tight = referralRun(1, 4);
  assert.equal(tight.findings.filter((finding) => finding?.referThis).length, 1);
  const again = referralRun(1, 40);
  assert.deepEqual(
    again.findings.map((finding) => finding?.referThis),
    roomy.findings.map((finding) => finding?.referThis),
  );
  const seeds = [2, 3, 4, 5, 6].map((seed) =>
    referralRun(seed, 40)
      .findings.map((finding) => (finding?.referThis ? "R" : "."))
      .join(""),
  );
  assert.ok(new Set(seeds).size > 1, "other seeds pick other crossings");
});
