// Tests for the border workload: a day holds the BTS volumes of its port and measure (within rounding), spread
// over hours with a plausible shape, in arrival order and the same for the same seed; crossings look like
// crossings (lanes, plates, valid VINs, documents, manifests), share values at realistic rates, and planted
// bursts and lookout hits are where the truth says.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { normalizeIdentifier } from "../normalize/identifiers.ts";
import { foldName } from "../normalize/names.ts";
import type { Crossing } from "./model.ts";
import { SOUTHERN_BORDER_PORTS } from "./ports.ts";
import { type BorderDay, southernBorderDay } from "./workload.ts";
import { expectedDayVolumes, MEASURES, type Volumes } from "./workload-volumes.ts";

const DATE = "2018-06-15";
const PORTS = ["2504", "2304", "2606"];

function tally(crossings: Iterable<Crossing>): Map<string, Volumes> {
  const counts = new Map<string, Volumes>();
  for (const crossing of crossings) {
    const row = counts.get(crossing.port) ?? (Object.fromEntries(MEASURES.map((measure) => [measure, 0])) as Volumes);
    const { kind } = crossing.conveyance;
    if (kind === "vehicle") {
      row["Personal Vehicles"] += 1;
      row["Personal Vehicle Passengers"] += crossing.people.length;
    } else if (kind === "pedestrian") row.Pedestrians += 1;
    else if (kind === "truck") row.Trucks += 1;
    else {
      row.Buses += 1;
      row["Bus Passengers"] += crossing.people.length - 1;
    }
    counts.set(crossing.port, row);
  }
  return counts;
}

describe("a day at three ports", () => {
  const day: BorderDay = southernBorderDay({ seed: 11, date: DATE, ports: PORTS });
  const crossings = [...day.crossings()];

  test("holds each port's BTS volumes for the day, measure by measure", () => {
    const counted = tally(crossings);
    for (const port of PORTS) {
      const expected = expectedDayVolumes(port, DATE);
      for (const measure of [
        "Personal Vehicles",
        "Personal Vehicle Passengers",
        "Pedestrians",
        "Trucks",
        "Buses",
        "Bus Passengers",
      ] as const) {
        const got = counted.get(port)?.[measure] ?? 0;
        assert.ok(Math.abs(got - expected[measure]) <= 0.5, `${port} ${measure}: ${got} for ${expected[measure]}`);
        assert.equal(got, day.counts.get(port)?.[measure], `${port} ${measure} as the day reports it`);
      }
    }
    // A June Friday at San Ysidro: near the 2018 average of 39,741 vehicles a day, not a month's worth.
    assert.ok(Math.abs((counted.get("2504")?.["Personal Vehicles"] ?? 0) - 39_741) < 4000);
  });

  test("the year adds up to the README's daily averages, spread over the week as traffic is", () => {
    let year = 0;
    for (let month = 1; month <= 12; month++) {
      const days = new Date(Date.UTC(2018, month, 0)).getUTCDate();
      for (let d = 1; d <= days; d++)
        year += expectedDayVolumes("2504", `2018-${String(month).padStart(2, "0")}-${String(d).padStart(2, "0")}`)[
          "Personal Vehicles"
        ];
    }
    assert.ok(Math.abs(year / 365 - 39_741) < 1, `${year / 365} vehicles a day`);
    // Within a week: cargo is a weekday business, travellers cross most on Sundays and Mondays.
    const sunday = expectedDayVolumes("2304", "2018-06-17");
    const wednesday = expectedDayVolumes("2304", "2018-06-13");
    assert.ok(sunday.Trucks < 0.2 * wednesday.Trucks, `${sunday.Trucks} trucks on Sunday, ${wednesday.Trucks}`);
    assert.ok(sunday["Personal Vehicles"] > 1.1 * wednesday["Personal Vehicles"]);
  });

  test("arrives in time order, within each port's local day, busier at the morning peak than at 3 a.m.", () => {
    for (let i = 1; i < crossings.length; i++)
      assert.ok((crossings[i - 1] as Crossing).time <= (crossings[i] as Crossing).time, `out of order at ${i}`);
    // San Ysidro keeps Pacific daylight time in June: local midnight is 07:00 UTC.
    const hours = new Array<number>(24).fill(0);
    for (const crossing of crossings.filter((c) => c.port === "2504" && c.conveyance.kind === "vehicle")) {
      const offset = Date.parse(crossing.time) - Date.parse(`${DATE}T07:00:00Z`);
      assert.ok(offset >= 0 && offset < 86_400_000, `${crossing.time} outside the local day`);
      const hour = Math.floor(offset / 3_600_000);
      hours[hour] = (hours[hour] as number) + 1;
    }
    assert.ok((hours[7] as number) > 5 * (hours[3] as number), `07:00 ${hours[7]}, 03:00 ${hours[3]}`);
    // Laredo's trucks keep the commercial bridges' hours (07:00–24:00 local, CDT = UTC−5).
    for (const truck of crossings.filter((c) => c.port === "2304" && c.conveyance.kind === "truck")) {
      const hour = new Date(Date.parse(truck.time) - 5 * 3_600_000).getUTCHours();
      assert.ok(hour >= 7, `truck at ${hour}:00`);
    }
  });

  test("has realistic lanes, plates, VINs, documents and manifests", () => {
    const vehicles = crossings.filter((c) => c.port === "2504" && c.conveyance.kind === "vehicle");
    const sentri = vehicles.filter((c) => c.lane === "sentri-nexus").length / vehicles.length;
    assert.ok(sentri > 0.18 && sentri < 0.27, `SENTRI share ${sentri}`);
    assert.ok(vehicles.some((c) => c.lane === "ready"));
    assert.ok(
      crossings.filter((c) => c.port === "2606").every((c) => c.lane === "general"),
      "Sasabe has no SENTRI",
    );
    const jurisdictions = new Set(vehicles.map((c) => c.conveyance.plateJurisdiction));
    assert.ok(jurisdictions.has("US-CA") && jurisdictions.has("MX-BCN"));
    for (const crossing of vehicles.slice(0, 2000)) {
      assert.equal(normalizeIdentifier("vin", crossing.conveyance.vin ?? "")?.valid, true, crossing.conveyance.vin);
      for (const traveller of crossing.people) assert.ok(traveller.document?.number && traveller.name);
      assert.equal(crossing.people[0]?.role, "driver");
    }
    const trucks = crossings.filter((c) => c.conveyance.kind === "truck");
    assert.ok(trucks.some((c) => c.lane === "fast"));
    for (const truck of trucks) {
      assert.match(truck.conveyance.usdot ?? "", /^\d{7}$/u);
      if (truck.manifest?.commodity === "empty") continue;
      assert.ok(truck.manifest?.broker && truck.manifest.shipmentId && truck.manifest.sealNumbers?.length);
      for (const seal of truck.manifest.sealNumbers ?? []) assert.match(seal, /^[A-Z]+:[A-Z]{2}\d{8}$/u);
    }
    const shipments = trucks.map((c) => c.manifest?.shipmentId).filter(Boolean);
    assert.equal(new Set(shipments).size, shipments.length, "shipment ids are unique");
  });

  test("shares values as real traffic does: big insurers widely, addresses and registrants rarely", () => {
    const vehicles = crossings.filter((c) => c.port === "2504" && c.conveyance.kind === "vehicle");
    const share = (values: Array<string | undefined>) => {
      const counts = new Map<string, number>();
      for (const value of values) if (value) counts.set(foldName(value), (counts.get(foldName(value)) ?? 0) + 1);
      return counts;
    };
    const insurers = share(vehicles.map((c) => c.conveyance.insurer));
    assert.ok(Math.max(...insurers.values()) > 0.08 * vehicles.length, "the biggest insurer covers many");
    const addresses = share(vehicles.map((c) => c.conveyance.registrantAddress));
    const alone = [...addresses.values()].filter((n) => n === 1).length;
    assert.ok(alone > 0.85 * addresses.size, `${alone} of ${addresses.size} addresses on one vehicle`);
    assert.ok(Math.max(...addresses.values()) >= 10, "fleets and mail drops share an address");
    const brokers = share(crossings.filter((c) => c.port === "2304").map((c) => c.manifest?.broker));
    assert.ok(Math.max(...brokers.values()) > 100, "a big broker clears many trucks at Laredo");
  });

  test("is the same for the same seed and differs for another", () => {
    const first = [...southernBorderDay({ seed: 11, date: DATE, ports: ["2606"] }).crossings()];
    assert.deepEqual(
      first,
      crossings.filter((c) => c.port === "2606"),
    );
    const other = [...southernBorderDay({ seed: 12, date: DATE, ports: ["2606"] }).crossings()];
    assert.notDeepEqual(other, first);
  });
});

test("every southern-border port has a code, a time zone and a secondary capacity", () => {
  assert.equal(SOUTHERN_BORDER_PORTS.length, 27);
  for (const port of SOUTHERN_BORDER_PORTS) {
    assert.match(port.code, /^2[3-6]\d\d$/u);
    assert.ok(port.secondaryPerHour > 0 && port.timeZone.startsWith("America/"));
  }
});

describe("plants", () => {
  const bursts = [
    { port: "2506", size: 8, start: "10:00", link: "address" as const },
    { port: "2304", size: 6, start: "11:30", link: "broker" as const },
    { port: "2506", size: 6, start: "13:00", link: "co-travel" as const, date: DATE, togetherDaysAgo: 2 },
  ];
  const lookouts = [
    {
      lookoutId: "LO-1",
      person: { given: "José Luis", paternal: "Hernández", maternal: "Villalobos", birthDate: "1979-03-21" },
      port: "2506",
      count: 3,
    },
    { lookoutId: "LO-2", plate: { plate: "BCN4821A", jurisdiction: "MX-BCN" }, port: "2304", time: "09:15" },
  ];
  const options = { seed: 5, scale: 0.02, ports: ["2506", "2304"], bursts, lookouts };

  test("bursts are where the truth says, sharing one value within their minutes", () => {
    const day = southernBorderDay({ ...options, date: DATE });
    const byId = new Map([...day.crossings()].map((crossing) => [crossing.id, crossing]));
    assert.equal(day.truth.bursts.length, 3);
    const [address, broker] = day.truth.bursts.map((burst) => burst.crossingIds.map((id) => byId.get(id) as Crossing));
    assert.equal(address?.length, 8);
    assert.equal(new Set(address?.map((c) => c.conveyance.registrantAddress)).size, 1);
    const times = (address ?? []).map((c) => Date.parse(c.time));
    assert.ok(Math.max(...times) - Math.min(...times) <= 20 * 60_000);
    assert.equal(new Set(broker?.map((c) => c.manifest?.broker)).size, 1);
    assert.ok(broker?.every((c) => c.conveyance.kind === "truck"));
  });

  test("a co-travel burst's people crossed together on the day the truth names", () => {
    const before = southernBorderDay({ ...options, date: "2018-06-13" });
    const together = before.truth.together[0]?.crossingIds ?? [];
    const earlier = [...before.crossings()].filter((c) => together.includes(c.id));
    assert.ok(earlier.length >= 2 && earlier.every((c) => c.people.length >= 2));
    const day = southernBorderDay({ ...options, date: DATE });
    const ids = new Set(day.truth.bursts[2]?.crossingIds);
    const drivers = [...day.crossings()].filter((c) => ids.has(c.id)).map((c) => c.people[0]?.document?.number);
    const passengers = new Set(earlier.flatMap((c) => c.people.map((p) => p.document?.number)));
    assert.equal(drivers.length, 6);
    assert.ok(drivers.every((number) => passengers.has(number)));
  });

  test("lookouts are placed under a variant of their name or plate", () => {
    const day = southernBorderDay({ ...options, date: DATE });
    const byId = new Map([...day.crossings()].map((crossing) => [crossing.id, crossing]));
    const hits = day.truth.lookouts;
    assert.deepEqual(
      hits.map((hit) => hit.lookoutId),
      ["LO-1", "LO-1", "LO-1", "LO-2"],
    );
    for (const hit of hits.filter((h) => h.lookoutId === "LO-1")) {
      const traveller = byId.get(hit.crossingId)?.people[0];
      assert.equal(traveller?.name, hit.written);
      assert.match(foldName(hit.written), /h[a-z]*n[a-z]*d[a-z]*z|villalobos|vilalobos/u);
    }
    const plate = byId.get(hits[3]?.crossingId ?? "")?.conveyance.plate ?? "";
    assert.equal(plate, hits[3]?.written);
    assert.notEqual(plate, "BCN4821A");
    assert.ok(plate.replace(/[\s-]/gu, "").length === 8);
  });

  test("bad options are refused with the place at fault", () => {
    assert.throws(() => southernBorderDay({ seed: 1, date: "2018-02-30" }), /date: "2018-02-30"/u);
    assert.throws(() => southernBorderDay({ seed: 1, ports: ["2504", "9999"] }), /ports\[1\]/u);
    assert.throws(
      () =>
        southernBorderDay({
          seed: 1,
          ports: ["2504"],
          bursts: [{ port: "2504", size: 5, start: "25:00", link: "phone" }],
        }),
      /bursts\[0\]\.start/u,
    );
    assert.throws(
      () =>
        southernBorderDay({
          seed: 1,
          ports: ["2504"],
          bursts: [{ port: "2504", size: 5, start: "10:00", link: "broker" }],
        }),
      /bursts\[0\]\.link: port 2504 takes no trucks/u,
    );
    assert.throws(() => southernBorderDay({ seed: 1, lookouts: [{ lookoutId: "x" }] }), /lookouts\[0\]/u);
  });
});
