// An in-memory index of operations (an area and a time window each) answering "which operations conflict with this
// one in space and time?" without scanning them all. Operations are filed in the cells of a grid that their
// bounding box touches; a query visits the cells of its own box grown by the buffer, drops operations whose window
// is too far off, and lets the exact geometry decide on the rest.
//
// The grid has rows of 0.05° of latitude (5.6 km) cut into columns of about the same width in kilometres, so a cell
// is roughly square at any latitude. Columns wrap around at ±180°, so an operation near the antimeridian is found
// from the other side. An operation whose box would fill more than MAX_CELLS cells (a polygon over about 100 km across)
// is kept in a short list every query checks.
import {
  type Area,
  type Box,
  METRES_PER_DEGREE,
  type PreparedArea,
  prepareArea,
  preparedAreasConflict,
  validateArea,
  windowsConflict,
} from "./geometry.ts";

export interface IndexedOperation {
  id: string;
  area: Area;
  /** Epoch ms; start ≤ end. */
  start: number;
  end: number;
}

export interface ConflictRules {
  /** Metres two areas may be apart and still conflict. */
  bufferM: number;
  /** Milliseconds two windows may be apart and still conflict. */
  bufferMs: number;
}

const CELL_DEG = 0.05;
const ROWS = Math.round(180 / CELL_DEG);
/** Columns per row: 360° at the row's middle latitude cut into pieces as wide as a row is high. */
const COLUMNS = Int32Array.from({ length: ROWS }, (_, row) =>
  Math.max(1, Math.floor((360 * Math.cos(((row + 0.5) * CELL_DEG - 90) * (Math.PI / 180))) / CELL_DEG)),
);
/** Above this many columns per row a key would collide with the next row's. */
const ROW_STRIDE = 8192;
const MAX_CELLS = 400;
/** Extra reach of a query's search box beyond the buffer, for the projection's error and the curvature of circles. */
const SLACK_RATIO = 0.02;
const SLACK_M = 10;

interface Entry {
  id: string;
  area: PreparedArea;
  start: number;
  end: number;
  /** The grid cells it is filed in; undefined for an operation kept in the list of wide ones. */
  cells: number[] | undefined;
}

const rowOf = (lat: number) => Math.min(ROWS - 1, Math.max(0, Math.floor((lat + 90) / CELL_DEG)));

/** How many grid cells the box touches; with `visit`, calls it with each of them once. */
function forEachCell(box: Box, visit?: (cell: number) => void): number {
  let count = 0;
  for (let row = rowOf(box.minLat); row <= rowOf(box.maxLat); row++) {
    const columns = COLUMNS[row] as number;
    const first = Math.floor(((box.minLon + 180) / 360) * columns);
    const last = Math.floor(((box.maxLon + 180) / 360) * columns);
    const span = Math.min(columns, last - first + 1);
    count += span;
    if (visit)
      for (let column = first; column < first + span; column++)
        visit(row * ROW_STRIDE + (((column % columns) + columns) % columns));
  }
  return count;
}

/** The box grown by `metres` in every direction (longitudes at the poleward edge, where a degree is shortest). */
function grow(box: Box, metres: number): Box {
  const degrees = metres / METRES_PER_DEGREE;
  const minLat = Math.max(-90, box.minLat - degrees);
  const maxLat = Math.min(90, box.maxLat + degrees);
  const cos = Math.cos(Math.min(90, Math.max(Math.abs(minLat), Math.abs(maxLat))) * (Math.PI / 180));
  const lonDegrees = cos > 0 ? degrees / cos : 360;
  if (lonDegrees >= 180) return { minLat, maxLat, minLon: -180, maxLon: 180 };
  return { minLat, maxLat, minLon: box.minLon - lonDegrees, maxLon: box.maxLon + lonDegrees };
}

function operationProblem(area: Area, start: number, end: number): string | undefined {
  const problem = validateArea(area);
  if (problem) return problem;
  if (!Number.isFinite(start) || !Number.isFinite(end) || start > end)
    return `an operation's window must be finite epoch milliseconds with start ≤ end, not ${start}–${end}`;
  return undefined;
}

export class OperationIndex {
  private readonly entries: Array<Entry | undefined> = [];
  private readonly slotOf = new Map<string, number>();
  private readonly free: number[] = [];
  private readonly cells = new Map<number, number[]>();
  private readonly wide = new Set<number>();
  /** Per slot, the number of the last query that met it, so a slot filed in several cells is checked once. */
  private stamps = new Uint32Array(1024);
  private generation = 0;

  get size(): number {
    return this.slotOf.size;
  }

  /** Files an operation, replacing one with the same id. Throws a RangeError for an invalid area or window. */
  add(operation: IndexedOperation): void {
    const problem = operationProblem(operation.area, operation.start, operation.end);
    if (problem) throw new RangeError(`operation ${operation.id}: ${problem}`);
    this.remove(operation.id);
    const slot = this.free.pop() ?? this.entries.length;
    const area = prepareArea(operation.area);
    const entry: Entry = { id: operation.id, area, start: operation.start, end: operation.end, cells: undefined };
    if (forEachCell(area.box) > MAX_CELLS) this.wide.add(slot);
    else {
      const cells: number[] = [];
      forEachCell(area.box, (cell) => {
        cells.push(cell);
        const slots = this.cells.get(cell);
        if (slots) slots.push(slot);
        else this.cells.set(cell, [slot]);
      });
      entry.cells = cells;
    }
    this.entries[slot] = entry;
    this.slotOf.set(operation.id, slot);
    if (this.stamps.length < this.entries.length) {
      const stamps = new Uint32Array(this.entries.length * 2);
      stamps.set(this.stamps);
      this.stamps = stamps;
    }
  }

  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    const entry = this.entries[slot] as Entry;
    if (entry.cells)
      for (const cell of entry.cells) {
        const slots = this.cells.get(cell) as number[];
        // Order within a cell does not matter: the last slot takes the removed one's place.
        const last = slots.pop() as number;
        if (last !== slot) slots[slots.indexOf(slot)] = last;
        if (slots.length === 0) this.cells.delete(cell);
      }
    else this.wide.delete(slot);
    this.entries[slot] = undefined;
    this.slotOf.delete(id);
    this.free.push(slot);
    return true;
  }

  /** Ids of the indexed operations whose area comes within rules.bufferM and whose window within rules.bufferMs. */
  conflicts(query: Omit<IndexedOperation, "id">, rules: ConflictRules): string[] {
    const problem = operationProblem(query.area, query.start, query.end);
    if (problem) throw new RangeError(problem);
    if (!(rules.bufferM >= 0) || !(rules.bufferMs >= 0) || !Number.isFinite(rules.bufferM))
      throw new RangeError("bufferM must be finite and bufferM and bufferMs at least 0");
    const area = prepareArea(query.area);
    const search = grow(area.box, rules.bufferM * (1 + SLACK_RATIO) + SLACK_M);
    this.nextGeneration();
    const hits: string[] = [];
    const check = (slot: number) => {
      if (this.stamps[slot] === this.generation) return;
      this.stamps[slot] = this.generation;
      const entry = this.entries[slot] as Entry;
      if (entry.area.box.minLat > search.maxLat || entry.area.box.maxLat < search.minLat) return;
      if (!windowsConflict(entry, query, rules.bufferMs)) return;
      if (preparedAreasConflict(area, entry.area, rules.bufferM)) hits.push(entry.id);
    };
    forEachCell(search, (cell) => {
      const slots = this.cells.get(cell);
      if (slots) for (const slot of slots) check(slot);
    });
    for (const slot of this.wide) check(slot);
    return hits;
  }

  private nextGeneration(): void {
    this.generation += 1;
    if (this.generation <= 0xffffffff) return;
    this.stamps.fill(0);
    this.generation = 1;
  }
}
