// Coordinated arrivals: cartels send many vehicles to one port at once (decoys among them) to drain secondary
// inspection. Per port, the detector keeps the arrivals of a sliding window and links two of them when they share
// a rare value: registrant, insurer, customs broker, registrant address or phone (normalised), or people who rode
// in one conveyance in the past days (co-travel between two vehicles of one registrant, a fleet's drivers, is no
// signal). Rarity is measured, not listed, in counts that decay with a half-life of two days (key-frequency.ts):
// a value is common when its background (its occurrences outside the current window) is a large share of the
// background traffic of its kind of conveyance (a carrier is judged among trucks, not among pedestrians), at the
// port (share × the window's arrivals of that kind > `maxPerWindow`) or at all ports (share > `maxShare`). Shares
// rather than rates, so that a value judged over a quiet night is not taken for rare in the morning rush. Quálitas, GNP Seguros, a fleet broker or a mail-drop address are common within minutes and link
// nothing; a burst's own value does not count against it, since only its occurrences outside the window are
// background. Until a port's background holds `minBackgroundWindows` windows of its current traffic, nothing there
// is rare (a detector started cold is blind for its first hours rather than wrong).
//
// Linked arrivals form components; one of at least `minBurst` crossings is a burst and raises one alert (updated as
// it grows, never one per crossing). Referring every member is what the decoys are for, so a burst gets at most
// `maxReferralsPerBurst` referrals and a port's bursts together at most `referralShare` of its secondary
// capacity per hour (a token bucket). Which members: each is referred with probability remaining referrals /
// members so far (about as many more are expected), doubled for members linked by two kinds of value or more,
// drawn from a hash of the seed and crossing id so that the choice is deterministic. The rest pass and stay
// recorded in the alert.
//
// Defaults and why:
// - a 30-minute window: linked vehicles released together reach the booths spread by the lanes' queues (at San
//   Ysidro the general-lane wait's median is 53 min and SENTRI's 10 min, so a convoy splits by tens of minutes),
//   while at the busiest port 30 minutes still hold only about a thousand arrivals, among which a shared rare value
//   means something;
// - a burst of five: households and carpools explain two or three linked vehicles, and five arrivals in one window
//   of a value expected 0.15 times per window happen by chance about once in 1.8 million windows (Poisson; a port
//   sees some 50 windows a day, and a busy port has thousands of values near that rate);
// - 0.15 per window: a value seen at that rate (at San Ysidro's peak one vehicle in 8,000, about five a day) is a
//   business, a fleet or a mail drop, not a household;
// - a share of 0.05 % of a kind's crossings over all ports (about 100 vehicles or 10 trucks a day at 2018
//   volumes): every big insurer and broker exceeds it, and a burst of any size, being inside its window, does not;
// - four windows of background: a single earlier sighting then already makes a value common (1 > 0.15 × 4), so a
//   detector started cold errs toward silence, yet starting at midnight it judges San Ysidro's morning rush;
// - co-travel remembered 14 days (two weekly cycles, for weekend trips) for at most a million people, about 230
//   MB; at full border volume some 300,000 people ride with others each day, so the cap, oldest forgotten first,
//   is what bounds the memory;
// - referrals: at most 3 a burst and a quarter of the port's secondary capacity an hour (ports.ts), so that a
//   flood of decoys takes a few inspections, not the port's.
import { hashSeed } from "../demo/random.ts";
import { normalizeIdentifier } from "../normalize/identifiers.ts";
import { foldName } from "../normalize/names.ts";
import { DecayingCounts } from "./key-frequency.ts";
import type { BurstFinding, ConveyanceKind, CoordinatedArrivals, Crossing } from "./model.ts";
import { southernBorderPort } from "./ports.ts";

export const LINK_KINDS = ["registrant", "insurer", "broker", "address", "phone", "co-travel"] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export interface CoordinatedArrivalSettings {
  windowMinutes: number;
  /** Linked crossings that make a burst. */
  minBurst: number;
  /** A value whose share of the port's background traffic, times the window's arrivals (of its kind), exceeds this is common. */
  maxPerWindow: number;
  /** A value on more than this share of the crossings of its kind at all ports is common. */
  maxShare: number;
  /** Half-life of the counts that judge rarity. */
  halfLifeHours: number;
  /** Background (in windows of the current traffic) a port needs before any value there counts as rare. */
  minBackgroundWindows: number;
  /** How long a co-travel is remembered, and how many people at most. */
  coTravelDays: number;
  maxRemembered: number;
  /** Secondary inspections per hour by port code (default: the port table's figure, else `defaultSecondaryPerHour`). */
  secondaryPerHour: Readonly<Record<string, number>>;
  defaultSecondaryPerHour: number;
  /** The share of a port's secondary capacity that bursts together may take. */
  referralShare: number;
  maxReferralsPerBurst: number;
  /** Seeds the choice of whom to refer. */
  seed: number;
}

export const DEFAULT_COORDINATED_ARRIVALS: CoordinatedArrivalSettings = {
  windowMinutes: 30,
  minBurst: 5,
  maxPerWindow: 0.15,
  maxShare: 0.0005,
  halfLifeHours: 48,
  minBackgroundWindows: 4,
  coTravelDays: 14,
  maxRemembered: 1_000_000,
  secondaryPerHour: {},
  defaultSecondaryPerHour: 20,
  referralShare: 0.25,
  maxReferralsPerBurst: 3,
  seed: 0,
};

export interface BurstLink {
  kind: LinkKind;
  /** The shared value as first written (for co-travel, the earlier crossing the people shared). */
  value: string;
  /** Crossings of the burst that share it. */
  crossings: number;
}

/** A burst as the port supervisor sees it: every member, whom the plan referred, and what links them. */
export interface BurstAlert {
  burstId: string;
  port: string;
  firstSeen: string;
  lastSeen: string;
  crossingIds: string[];
  referred: string[];
  links: BurstLink[];
  /** Bursts that turned out to be part of this one; their alerts are superseded. */
  absorbed: string[];
}

/** Receives each burst when it is raised and again whenever it grows. */
export type BurstSink = (alert: BurstAlert) => void;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** A component is not followed beyond this many crossings (a bound on the work per arrival). */
const MAX_COMPONENT = 2_000;
/** Past conveyances remembered per person. */
const GROUPS_PER_PERSON = 4;
/** More people than this in one conveyance are not company (a bus, a van of workers). */
const MAX_GROUP = 9;

interface Arrival {
  id: string;
  time: number;
  kind: ConveyanceKind;
  /** Keys as "kind\u0000value", each once. */
  keys: string[];
  /** Folded registrant: co-travel between two vehicles of one registrant (a fleet's drivers) is no signal. */
  registrant: string | undefined;
  burst?: Burst;
}

interface Burst {
  id: string;
  port: string;
  members: Arrival[];
  /** Key → ids of the burst's crossings that share it. */
  links: Map<string, Set<string>>;
  /** Key → the value as first written. */
  values: Map<string, string>;
  referred: string[];
  absorbed: string[];
}

/** A list in arrival order whose front is dropped as the window slides. */
class Queue<T> {
  items: T[] = [];
  head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  front(): T | undefined {
    return this.items[this.head];
  }

  shift(): void {
    this.head++;
    this.compact();
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Drops `item` (usually the front); compacts the array now and then. */
  remove(item: T): void {
    if (this.items[this.head] === item) this.head++;
    else {
      const at = this.items.indexOf(item, this.head);
      if (at >= 0) this.items.splice(at, 1);
    }
    this.compact();
  }

  private compact(): void {
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

interface PortState {
  code: string;
  /** Every crossing in the window (those with link keys are also in `arrivals`), and how many of each kind. */
  window: Queue<{ time: number; kind: ConveyanceKind }>;
  inWindow: Map<ConveyanceKind, number>;
  arrivals: Queue<Arrival>;
  byKey: Map<string, Queue<Arrival>>;
  tokens: number;
  tokensAt: number;
}

const keyOf = (kind: LinkKind, value: string) => `${kind}\u0000${value}`;
/**
 * What is counted, by kind of conveyance (a carrier is judged among trucks, not among pedestrians): a value
 * everywhere and at one port, and the crossings everywhere and at one port.
 */
const valueKey = (kind: ConveyanceKind, key: string) => `${kind}\u0003${key}`;
const portKey = (port: string, kind: ConveyanceKind, key: string) => `${port}\u0001${kind}\u0003${key}`;
const total = (kind: ConveyanceKind) => `\u0002${kind}`;
const portTotal = (port: string, kind: ConveyanceKind) => `${port}\u0002${kind}`;
const kindOf = (key: string) => key.slice(0, key.indexOf("\u0000")) as LinkKind;

/** A phone in E.164: as written when it already is (most lane systems send it so), else through libphonenumber. */
function phoneKey(raw: string): string {
  if (/^\+[1-9]\d{7,14}$/u.test(raw)) return raw;
  return normalizeIdentifier("phone", raw)?.value ?? raw.replace(/\D/gu, "");
}

/** Who a traveller is, for remembering whom they crossed with: their document, else name and birth date. */
function personKey(person: Crossing["people"][number]): string | undefined {
  const number = person.document?.number?.toUpperCase().replace(/[^A-Z0-9]/gu, "");
  if (number) return `${person.document?.country ?? ""}:${number}`;
  return person.birthDate ? `${foldName(person.name)}|${person.birthDate}` : undefined;
}

/** People seen in one conveyance: per person, the last few conveyances (crossing ids), forgotten after some days. */
class CoTravel {
  private readonly seen = new Map<string, { groups: string[]; time: number }>();

  constructor(
    private readonly keepMs: number,
    private readonly max: number,
  ) {}

  /** The conveyances the person was seen in, unless they are older than the memory keeps. */
  groups(person: string, now: number): readonly string[] {
    const entry = this.seen.get(person);
    return entry && entry.time >= now - this.keepMs ? entry.groups : [];
  }

  remember(crossingId: string, people: string[], time: number): void {
    for (const person of people) {
      const entry = this.seen.get(person);
      const groups = entry ? [...entry.groups.slice(1 - GROUPS_PER_PERSON), crossingId] : [crossingId];
      // Re-inserted at the end: the map stays in order of last sighting, so the oldest go first.
      this.seen.delete(person);
      this.seen.set(person, { groups, time: Math.max(time, entry?.time ?? time) });
    }
    for (const [person, entry] of this.seen) {
      if (this.seen.size <= this.max && entry.time >= time - this.keepMs) break;
      this.seen.delete(person);
    }
  }
}

export class CoordinatedArrivalDetector implements CoordinatedArrivals {
  private readonly settings: CoordinatedArrivalSettings;
  /** Made on the first crossing: a node that screens nothing keeps no table. */
  private table: DecayingCounts | undefined;
  private readonly coTravel: CoTravel;
  private readonly ports = new Map<string, PortState>();
  private readonly windowMs: number;

  constructor(
    settings: Partial<CoordinatedArrivalSettings> = {},
    private readonly sink: BurstSink = () => {},
  ) {
    this.settings = { ...DEFAULT_COORDINATED_ARRIVALS, ...settings };
    const { windowMinutes, minBurst, halfLifeHours, coTravelDays, maxRemembered } = this.settings;
    if (!(windowMinutes > 0) || !(minBurst >= 2) || !(halfLifeHours > 0))
      throw new RangeError("windowMinutes and halfLifeHours must be positive and minBurst at least 2");
    this.windowMs = windowMinutes * 60_000;
    this.coTravel = new CoTravel(coTravelDays * DAY_MS, maxRemembered);
  }

  private get counts(): DecayingCounts {
    this.table ??= new DecayingCounts(this.settings.halfLifeHours * HOUR_MS);
    return this.table;
  }

  observe(crossing: Crossing): BurstFinding | undefined {
    const time = Date.parse(crossing.time);
    if (Number.isNaN(time)) throw new RangeError(`crossing ${crossing.id}: time "${crossing.time}" is not a date-time`);
    this.counts.advance(time);
    const port = this.port(crossing.port, time);
    this.expire(port, time);
    const { kind } = crossing.conveyance;
    port.window.push({ time, kind });
    port.inWindow.set(kind, (port.inWindow.get(kind) ?? 0) + 1);
    this.counts.add(total(kind));
    this.counts.add(portTotal(port.code, kind));
    const { keys, raw } = this.keysOf(crossing, time);
    for (const key of keys) {
      if (kindOf(key) === "co-travel") continue;
      this.counts.add(valueKey(kind, key));
      this.counts.add(portKey(port.code, kind, key));
    }
    this.rememberCoTravel(crossing, time);
    if (keys.length === 0) return undefined;
    const registrant = crossing.conveyance.registrant;
    const arrival: Arrival = {
      id: crossing.id,
      time,
      kind,
      keys,
      registrant: registrant ? foldName(registrant) : undefined,
    };
    const rare = new Map<string, boolean>();
    const isRare = (key: string, of: ConveyanceKind) => {
      const cached = `${of}\u0004${key}`;
      let answer = rare.get(cached);
      if (answer === undefined) {
        answer = this.rare(port, key, of, of === kind && keys.includes(key));
        rare.set(cached, answer);
      }
      return answer;
    };
    port.arrivals.push(arrival);
    for (const key of keys) {
      if (!isRare(key, kind)) continue;
      const list = port.byKey.get(key) ?? new Queue<Arrival>();
      list.push(arrival);
      port.byKey.set(key, list);
    }
    return this.burstOf(port, arrival, isRare, raw);
  }

  private port(code: string, time: number): PortState {
    let state = this.ports.get(code);
    if (!state) {
      const capacity = this.settings.secondaryPerHour[code] ?? southernBorderPort(code)?.secondaryPerHour;
      state = {
        code,
        window: new Queue(),
        inWindow: new Map(),
        arrivals: new Queue(),
        byKey: new Map(),
        tokens: this.budget(capacity),
        tokensAt: time,
      };
      this.ports.set(code, state);
    }
    return state;
  }

  /** Referrals per hour a port's bursts may take together. */
  private budget(capacity: number | undefined): number {
    return this.settings.referralShare * (capacity ?? this.settings.defaultSecondaryPerHour);
  }

  private expire(port: PortState, now: number): void {
    for (let first = port.window.front(); first && first.time < now - this.windowMs; first = port.window.front()) {
      port.window.shift();
      port.inWindow.set(first.kind, (port.inWindow.get(first.kind) ?? 1) - 1);
    }
    for (let oldest = port.arrivals.front(); oldest && oldest.time < now - this.windowMs; ) {
      port.arrivals.remove(oldest);
      for (const key of oldest.keys) {
        const list = port.byKey.get(key);
        if (!list) continue;
        list.remove(oldest);
        if (list.size === 0) port.byKey.delete(key);
      }
      oldest = port.arrivals.front();
    }
  }

  /** The crossing's link keys, normalised, each once; and the first way each was written. */
  private keysOf(crossing: Crossing, time: number): { keys: string[]; raw: Map<string, string> } {
    const raw = new Map<string, string>();
    const add = (kind: LinkKind, value: string | undefined, normalised: string | undefined) => {
      if (!value || !normalised) return;
      const key = keyOf(kind, normalised);
      if (!raw.has(key)) raw.set(key, value);
    };
    const { registrant, insurer, registrantAddress, registrantPhone } = crossing.conveyance;
    add("registrant", registrant, registrant && foldName(registrant));
    add("insurer", insurer, insurer && foldName(insurer));
    add("broker", crossing.manifest?.broker, crossing.manifest?.broker && foldName(crossing.manifest.broker));
    add("address", registrantAddress, registrantAddress && foldName(registrantAddress));
    if (registrantPhone) add("phone", registrantPhone, phoneKey(registrantPhone));
    for (const person of crossing.people) {
      const key = personKey(person);
      if (key) for (const group of this.coTravel.groups(key, time)) add("co-travel", group, group);
    }
    return { keys: [...raw.keys()], raw };
  }

  private rememberCoTravel(crossing: Crossing, time: number): void {
    const { kind } = crossing.conveyance;
    if ((kind !== "vehicle" && kind !== "truck") || crossing.people.length < 2 || crossing.people.length > MAX_GROUP)
      return;
    const people = [...new Set(crossing.people.map(personKey).filter((key): key is string => key !== undefined))];
    if (people.length >= 2) this.coTravel.remember(crossing.id, people, time);
  }

  /**
   * Whether a value links crossings at this port now. Co-travel always does (a past conveyance is shared by a
   * handful of people at most). Any other value does when its background, its occurrences outside the current
   * window, is a small share of the background traffic: at the port, that share times the window's arrivals must
   * stay within `maxPerWindow`; over all ports, within `maxShare`. Shares, not rates, so that a value judged over a
   * quiet night is not mistaken for rare in the morning rush; and until the port's background holds
   * `minBackgroundWindows` windows of the current traffic, nothing is rare there.
   */
  private rare(port: PortState, key: string, kind: ConveyanceKind, own: boolean): boolean {
    if (kindOf(key) === "co-travel") return true;
    const { minBackgroundWindows, maxPerWindow, maxShare } = this.settings;
    const window = port.inWindow.get(kind) ?? 0;
    const background = this.counts.count(portTotal(port.code, kind)) - window;
    if (background < minBackgroundWindows * window) return false;
    // The window's own occurrences (the arrival's among them) are what is being judged, not background.
    const list = port.byKey.get(key);
    let inWindow = own ? 1 : 0;
    if (list) for (let i = list.head; i < list.items.length; i++) if (list.items[i]?.kind === kind) inWindow++;
    const atPort = Math.max(0, this.counts.count(portKey(port.code, kind, key)) - inWindow);
    if ((atPort / background) * window > maxPerWindow) return false;
    const everywhere = Math.max(0, this.counts.count(valueKey(kind, key)) - inWindow);
    return everywhere <= maxShare * (this.counts.count(total(kind)) - window);
  }

  /** The component of linked arrivals the new one belongs to, and the burst it makes or joins. */
  private burstOf(
    port: PortState,
    arrival: Arrival,
    isRare: (key: string, kind: ConveyanceKind) => boolean,
    raw: Map<string, string>,
  ): BurstFinding | undefined {
    const component = [arrival];
    const seen = new Set([arrival]);
    for (let i = 0; i < component.length && component.length < MAX_COMPONENT; i++) {
      const from = component[i] as Arrival;
      for (const key of from.keys) {
        const list = port.byKey.get(key);
        if (!list || list.size < 2 || !isRare(key, from.kind)) continue;
        const coTravel = kindOf(key) === "co-travel";
        for (let j = list.head; j < list.items.length; j++) {
          const to = list.items[j] as Arrival;
          if (seen.has(to) || (coTravel && from.registrant !== undefined && from.registrant === to.registrant))
            continue;
          seen.add(to);
          component.push(to);
        }
      }
    }
    const bursts = [...new Set(component.map((member) => member.burst).filter((b): b is Burst => b !== undefined))];
    if (bursts.length === 0 && component.length < this.settings.minBurst) return undefined;
    bursts.sort((a, b) => (a.members[0] as Arrival).time - (b.members[0] as Arrival).time);
    const burst = bursts[0] ?? this.newBurst(port, component);
    for (const other of bursts.slice(1)) this.absorb(burst, other);
    for (const member of component)
      if (member.burst !== burst) {
        member.burst = burst;
        burst.members.push(member);
      }
    burst.members.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1));
    // What links the members: every rare value two or more of them share.
    const strength = new Set<LinkKind>();
    for (const member of component)
      for (const key of member.keys) {
        const list = port.byKey.get(key);
        if (!list || list.size < 2 || !isRare(key, member.kind)) continue;
        const sharing = list.items.slice(list.head).filter((other) => seen.has(other));
        if (sharing.length < 2) continue;
        const ids = burst.links.get(key) ?? new Set<string>();
        for (const other of sharing) ids.add(other.id);
        burst.links.set(key, ids);
        if (!burst.values.has(key)) burst.values.set(key, raw.get(key) ?? key.slice(key.indexOf("\u0000") + 1));
        if (member === arrival) strength.add(kindOf(key));
      }
    const referThis = this.refer(port, burst, arrival, strength.size);
    this.sink(this.alertOf(burst));
    return {
      burstId: burst.id,
      port: port.code,
      crossingIds: burst.members.map((member) => member.id),
      links: LINK_KINDS.filter((kind) => [...burst.links.keys()].some((key) => kindOf(key) === kind)),
      referThis,
    };
  }

  /** A new burst, named after its earliest crossing so that the same arrivals always give the same id. */
  private newBurst(port: PortState, component: Arrival[]): Burst {
    const first = component.reduce((a, b) => (b.time < a.time || (b.time === a.time && b.id < a.id) ? b : a));
    return {
      id: `burst-${port.code}-${hashSeed(port.code, first.id).toString(36)}`,
      port: port.code,
      members: [],
      links: new Map(),
      values: new Map(),
      referred: [],
      absorbed: [],
    };
  }

  private absorb(into: Burst, other: Burst): void {
    for (const member of other.members) {
      member.burst = into;
      into.members.push(member);
    }
    for (const [key, ids] of other.links) {
      const mine = into.links.get(key) ?? new Set<string>();
      for (const id of ids) mine.add(id);
      into.links.set(key, mine);
      if (!into.values.has(key)) into.values.set(key, other.values.get(key) ?? "");
    }
    into.referred.push(...other.referred);
    into.absorbed.push(other.id, ...other.absorbed);
  }

  /** Whether to refer this member: within the burst's and the port's budgets, by a seeded draw. */
  private refer(port: PortState, burst: Burst, arrival: Arrival, strength: number): boolean {
    const perHour = this.budget(
      this.settings.secondaryPerHour[port.code] ?? southernBorderPort(port.code)?.secondaryPerHour,
    );
    port.tokens = Math.min(perHour, port.tokens + ((arrival.time - port.tokensAt) / HOUR_MS) * perHour);
    port.tokensAt = Math.max(port.tokensAt, arrival.time);
    const remaining = this.settings.maxReferralsPerBurst - burst.referred.length;
    if (port.tokens < 1 || remaining <= 0) return false;
    const chance = Math.min(1, ((strength >= 2 ? 2 : 1) * remaining) / burst.members.length);
    if (hashSeed(this.settings.seed, burst.id, arrival.id) / 4_294_967_296 >= chance) return false;
    port.tokens -= 1;
    burst.referred.push(arrival.id);
    return true;
  }

  private alertOf(burst: Burst): BurstAlert {
    const first = burst.members[0] as Arrival;
    const last = burst.members[burst.members.length - 1] as Arrival;
    return {
      burstId: burst.id,
      port: burst.port,
      firstSeen: new Date(first.time).toISOString(),
      lastSeen: new Date(last.time).toISOString(),
      crossingIds: burst.members.map((member) => member.id),
      referred: [...burst.referred],
      links: [...burst.links]
        .map(([key, ids]) => ({ kind: kindOf(key), value: burst.values.get(key) ?? "", crossings: ids.size }))
        .sort((a, b) => b.crossings - a.crossings || LINK_KINDS.indexOf(a.kind) - LINK_KINDS.indexOf(b.kind)),
      absorbed: [...burst.absorbed],
    };
  }
}
