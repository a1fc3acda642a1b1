// Tests for seal monitoring in memory: each rule raising its alert and costing the express lane (for good), what
// must not alert (a fix on the corridor, one stray fix, a stop at a scheduled stop, darkness at the destination, a
// seal opened at an authorised place), seal reads against the manifest, out-of-order arrival, and rebuilding.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Random } from "../../demo/random.ts";
import type { GpsFix, SealEvent } from "../model.ts";
import { DEFAULT_SEAL_SETTINGS, SealMonitor } from "./seal-monitor.ts";
import { along, drive, FUEL_STOP_KM, fixAt, MINUTE, offset, park, ROUTE_KM, T0, testPlan } from "./test-routes.ts";

const ID = "SHP-1";

function setup(express = true) {
  const clock = { ms: T0 };
  const monitor = new SealMonitor(DEFAULT_SEAL_SETTINGS, () => new Date(clock.ms));
  monitor.track(testPlan(ID, { express }));
  return { clock, monitor };
}

const kinds = (alerts: Array<{ kind: string }>) => alerts.map((alert) => alert.kind);
const minute = (m: number) => T0 + m * MINUTE;
/** A fix 3 km east of the route at `km`: well outside a 1 km corridor. */
const offRoute = (m: number, km: number) => fixAt(ID, minute(m), offset(along(km), 0, 3_000));

function read(m: number, state: SealEvent["state"], extra: Partial<SealEvent> = {}): SealEvent {
  return {
    shipmentId: ID,
    manufacturer: "ACME",
    serial: "S-1001",
    state,
    time: new Date(minute(m)).toISOString(),
    ...extra,
  };
}

describe("no alert", () => {
  test("a truck on its corridor, stopping 11 minutes on the road and 40 at its fuel stop, keeps the express lane", () => {
    const { clock, monitor } = setup();
    const alerts = [
      ...monitor.addFixes(drive(ID, 0, 30, minute(0))),
      ...monitor.addFixes(park(ID, along(30), minute(31), 10)),
      ...monitor.addFixes(drive(ID, 31, FUEL_STOP_KM, minute(42))),
      ...monitor.addFixes(park(ID, along(FUEL_STOP_KM), minute(52), 40)),
      ...monitor.addFixes(drive(ID, FUEL_STOP_KM + 1, ROUTE_KM, minute(93))),
    ];
    assert.deepEqual(alerts, []);
    clock.ms = minute(94);
    assert.deepEqual(monitor.eligibility(ID), { eligible: true, reasons: [] });
    assert.deepEqual(monitor.takeUnsaved(), []);
  });

  test("one stray fix off the corridor is not a deviation", () => {
    const { clock, monitor } = setup();
    monitor.addFixes([...drive(ID, 0, 20, minute(0)), offRoute(21, 21), ...drive(ID, 22, 30, minute(22))]);
    clock.ms = minute(30);
    assert.equal(monitor.eligibility(ID).eligible, true);
  });

  test("a truck parked at its destination may go quiet", () => {
    const { clock, monitor } = setup();
    monitor.addFixes(drive(ID, 0, ROUTE_KM, minute(0)));
    clock.ms = minute(ROUTE_KM + 120);
    assert.deepEqual(monitor.sweep(), []);
    assert.equal(monitor.eligibility(ID).eligible, true);
  });

  test("a seal opened at an authorised place, placed by GPS or by the read and GPS together", () => {
    const { clock, monitor } = setup();
    monitor.addFixes(park(ID, along(0), minute(0), 10));
    const [lat, lon] = along(0);
    assert.deepEqual(monitor.addEvents([read(4, "opened"), read(6, "opened", { lat, lon }), read(8, "sealed")]), []);
    clock.ms = minute(10);
    assert.equal(monitor.eligibility(ID).eligible, true);
  });
});

describe("each alert costs the express lane, with the alert as the reason", () => {
  test("leaving the corridor: two consecutive fixes outside it", () => {
    const { clock, monitor } = setup();
    monitor.addFixes(drive(ID, 0, 20, minute(0)));
    const raised = monitor.addFixes([offRoute(21, 21), offRoute(22, 22), offRoute(23, 23)]);
    assert.deepEqual(kinds(raised), ["route-deviation"]);
    assert.equal(raised[0]?.time, new Date(minute(21)).toISOString(), "from the first fix outside");
    assert.match(raised[0]?.detail ?? "", /outside its 1000 m corridor, 3\.0 km from the route/u);
    // Back on the route: the lane does not come back by itself.
    monitor.addFixes(drive(ID, 24, 40, minute(24)));
    clock.ms = minute(40);
    const { eligible, reasons } = monitor.eligibility(ID);
    assert.equal(eligible, false);
    assert.deepEqual(kinds(reasons), ["route-deviation"]);
  });

  test("stopping more than 20 minutes outside authorised places and scheduled stops", () => {
    const { clock, monitor } = setup();
    monitor.addFixes(drive(ID, 0, 20, minute(0)));
    assert.deepEqual(monitor.addFixes(park(ID, along(20), minute(21), 19)), [], "20 minutes is not yet too long");
    const raised = monitor.addFixes(park(ID, along(20), minute(41), 10));
    assert.deepEqual(kinds(raised), ["unscheduled-stop"]);
    assert.equal(raised[0]?.time, new Date(minute(20)).toISOString());
    clock.ms = minute(51);
    assert.deepEqual(kinds(monitor.eligibility(ID).reasons), ["unscheduled-stop"]);
    assert.equal(monitor.eligibility(ID).eligible, false);
  });

  test("going dark: a gap of more than 15 minutes between fixes", () => {
    const { clock, monitor } = setup();
    monitor.addFixes(drive(ID, 0, 20, minute(0)));
    const raised = monitor.addFixes(drive(ID, 37, 45, minute(37)));
    assert.deepEqual(kinds(raised), ["dark-period"]);
    assert.match(raised[0]?.detail ?? "", /no GPS fix for 17 min/u);
    clock.ms = minute(45);
    assert.equal(monitor.eligibility(ID).eligible, false);
  });

  test("going dark, seen by the clock while it lasts and not raised again when the fixes resume", () => {
    const { clock, monitor } = setup();
    monitor.addFixes(drive(ID, 0, 20, minute(0)));
    clock.ms = minute(35);
    assert.equal(monitor.eligibility(ID).eligible, true, "15 minutes is not yet dark");
    clock.ms = minute(36);
    const { eligible, reasons } = monitor.eligibility(ID);
    assert.equal(eligible, false);
    assert.deepEqual(kinds(reasons), ["dark-period"]);
    assert.deepEqual(kinds(monitor.takeUnsaved()), ["dark-period"], "handed to the store");
    assert.deepEqual(monitor.sweep(), []);
    assert.deepEqual(monitor.addFixes(drive(ID, 21, 30, minute(50))), []);
  });

  test("the sweep notices darkness without anyone asking", () => {
    const { clock, monitor } = setup();
    monitor.addFixes(drive(ID, 0, 20, minute(0)));
    clock.ms = minute(40);
    assert.deepEqual(kinds(monitor.sweep()), ["dark-period"]);
  });

  test("a seal opened on the road, placed by the nearest GPS fix", () => {
    const { clock, monitor } = setup();
    monitor.addFixes(drive(ID, 0, 30, minute(0)));
    const raised = monitor.addEvents([read(20, "opened")]);
    assert.deepEqual(kinds(raised), ["seal-opened-outside-authorised-place"]);
    assert.match(raised[0]?.detail ?? "", /by the GPS fix of 2026-03-02T08:20:00.000Z/u);
    // A "sealed" read afterwards (reads are unauthenticated) does not undo it.
    assert.deepEqual(monitor.addEvents([read(22, "sealed")]), []);
    clock.ms = minute(30);
    assert.deepEqual(kinds(monitor.eligibility(ID).reasons), ["seal-opened-outside-authorised-place"]);
  });

  test("a read claiming the warehouse is not believed when GPS puts the truck on the road", () => {
    const { monitor } = setup();
    monitor.addFixes(drive(ID, 0, 30, minute(0)));
    const [lat, lon] = along(0);
    const raised = monitor.addEvents([read(20, "opened", { lat, lon })]);
    assert.deepEqual(kinds(raised), ["seal-opened-outside-authorised-place"]);
    assert.match(raised[0]?.detail ?? "", /by the GPS fix/u);
  });

  test("a read whose own position is off the authorised places, one that nothing places, one GPS does not back", () => {
    const { monitor } = setup();
    const [warehouseLat, warehouseLon] = along(0);
    assert.match(
      monitor.addEvents([read(60, "opened", { lat: warehouseLat, lon: warehouseLon })])[0]?.detail ?? "",
      /no GPS fix within 5 min corroborates it/u,
    );
    const [lat, lon] = along(50);
    assert.match(
      monitor.addEvents([read(0, "opened", { lat, lon })])[0]?.detail ?? "",
      /by the seal read's own position/u,
    );
    assert.match(monitor.addEvents([read(30, "opened", { serial: "S-1002" })])[0]?.detail ?? "", /nothing places it/u);
  });
});

describe("seal reads against the manifest", () => {
  test("a seal not on the manifest is flagged once; the manifest's form is matched loosely", () => {
    const { monitor } = setup();
    monitor.addFixes(park(ID, along(0), minute(0), 5));
    assert.deepEqual(monitor.addEvents([read(1, "sealed", { manufacturer: "acme", serial: " s-1002" })]), []);
    const raised = monitor.addEvents([
      read(2, "sealed", { serial: "S-9999" }),
      read(3, "sealed", { serial: "S-9999" }),
    ]);
    assert.deepEqual(kinds(raised), ["seal-not-on-manifest"]);
    assert.match(raised[0]?.detail ?? "", /ACME:S-9999/u);
  });

  test("a low battery is flagged once per seal", () => {
    const { monitor } = setup();
    monitor.addFixes(park(ID, along(0), minute(0), 5));
    assert.deepEqual(monitor.addEvents([read(1, "sealed", { battery: 21 })]), []);
    assert.deepEqual(
      kinds(monitor.addEvents([read(2, "sealed", { battery: 20 }), read(3, "sealed", { battery: 12 })])),
      ["seal-battery-low"],
    );
  });
});

describe("eligibility", () => {
  test("only for shipments that asked for it, whose tracking has started, and that this monitor holds", () => {
    const { monitor } = setup(false);
    monitor.addFixes(drive(ID, 0, 5, minute(0)));
    assert.deepEqual(monitor.eligibility(ID), { eligible: false, reasons: [] });
    const fresh = setup().monitor;
    assert.deepEqual(fresh.eligibility(ID), { eligible: false, reasons: [] }, "no fix yet");
    assert.deepEqual(fresh.eligibility("SHP-UNKNOWN"), { eligible: false, reasons: [] });
  });

  test("an idle shipment is dropped from memory after a day", () => {
    const { clock, monitor } = setup();
    monitor.addFixes(drive(ID, 0, ROUTE_KM, minute(0)));
    clock.ms = minute(ROUTE_KM) + 25 * 3_600_000;
    monitor.sweep();
    assert.equal(monitor.has(ID), false);
  });
});

/** A trip with a deviation, a long stop, a dark gap and a drive on: every track rule fires once. */
function eventfulTrip(): GpsFix[] {
  return [
    ...drive(ID, 0, 20, minute(0)),
    offRoute(21, 21),
    offRoute(22, 22),
    offRoute(23, 23),
    ...drive(ID, 24, 30, minute(24)),
    ...park(ID, along(30), minute(31), 30),
    ...drive(ID, 31, 50, minute(80)),
  ];
}

describe("arrival order and rebuilding", () => {
  test("fixes arriving out of order, within minutes of each other, raise the same alerts", () => {
    const { monitor } = setup();
    const inOrder = kinds(monitor.addFixes(eventfulTrip())).sort();
    assert.deepEqual(inOrder, ["dark-period", "route-deviation", "unscheduled-stop"]);
    const random = new Random(8);
    for (let run = 0; run < 40; run++) {
      const shuffled = setup().monitor;
      const fixes = eventfulTrip();
      // Uploads of 1 to 3 fixes, sent with neighbouring uploads swapped at random: a few minutes out of order.
      const uploads: GpsFix[][] = [];
      for (let i = 0; i < fixes.length; ) {
        const size = random.int(1, 3);
        uploads.push(fixes.slice(i, i + size));
        i += size;
      }
      for (let i = 0; i + 1 < uploads.length; i++)
        if (random.chance(0.5)) [uploads[i], uploads[i + 1]] = [uploads[i + 1] as GpsFix[], uploads[i] as GpsFix[]];
      const raised = uploads.flatMap((upload) => shuffled.addFixes(upload));
      assert.deepEqual(kinds(raised).sort(), inOrder, `run ${run}`);
    }
  });

  test("a sent-again fix changes nothing", () => {
    const { monitor } = setup();
    const fixes = eventfulTrip();
    monitor.addFixes(fixes);
    assert.deepEqual(monitor.addFixes(fixes), []);
  });

  test("a monitor rebuilt from stored alerts and replayed fixes raises nothing again", () => {
    const { clock, monitor } = setup();
    monitor.addFixes(eventfulTrip());
    monitor.addEvents([read(25, "opened")]);
    clock.ms = minute(90);
    const before = monitor.eligibility(ID);
    const stored = monitor.takeUnsaved();
    assert.equal(stored.length, 4);

    const rebuilt = new SealMonitor(DEFAULT_SEAL_SETTINGS, () => new Date(clock.ms));
    rebuilt.track(testPlan(ID));
    rebuilt.restore(stored);
    rebuilt.addFixes(eventfulTrip());
    rebuilt.addEvents([read(25, "opened")]);
    assert.deepEqual(rebuilt.takeUnsaved(), []);
    assert.deepEqual(rebuilt.eligibility(ID), before);
  });
});
