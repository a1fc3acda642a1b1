// A map without any tile server: Natural Earth country outlines (the world-atlas package, fetched once when a map
// is first shown) projected with d3-geo into inline SVG, fitted to the points and areas given (North America when
// there are none), with numbered points, lettered areas and lines (a declared route). The same points, areas and lines
// are listed under the map for screen readers and keyboard users. Used by the entity profile, the deconfliction desk
// and the port officer.
import { useQuery } from "@tanstack/react-query";
import { type GeoProjection, geoArea, geoBounds, geoCircle, geoConicConformal, geoPath } from "d3-geo";
import type { Feature, LineString, MultiPoint, Polygon } from "geojson";
import { useId, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import atlasUrl from "world-atlas/countries-50m.json?url";
import { useFormat } from "../format.ts";
import { Marker, markerClass, markerShape } from "./Marker.tsx";
import { ProblemMessage } from "./ProblemMessage.tsx";
import "./outline-map.css";

export interface MapPoint {
  id: string;
  lat: number;
  lon: number;
  label: string;
  /** What the point is (address, crossing, port, …): drawn as a shape and named in the legend and the list. */
  kind: string;
}

export interface MapArea {
  id: string;
  label: string;
  circle?: { lat: number; lon: number; radiusM: number };
  /** [lat, lon] corners, at least three. */
  polygon?: Array<[number, number]>;
}

export interface MapLine {
  id: string;
  label: string;
  /** [lat, lon] points in order, at least two. */
  points: Array<[number, number]>;
}

interface Bounds {
  west: number;
  east: number;
  south: number;
  north: number;
}

const WIDTH = 800;
const HEIGHT = 480;
const PADDING = 36;
const EARTH_RADIUS_M = 6_371_008.8;
const NORTH_AMERICA: Bounds = { west: -168, east: -52, south: 14, north: 72 };
/** The least span shown by default, in degrees, so that a single town still has some coast or border around it. */
const MIN_SPAN = 4;

function areaGeometry(area: MapArea): Polygon | undefined {
  if (area.circle) {
    const { lat, lon, radiusM } = area.circle;
    return geoCircle()
      .center([lon, lat])
      .radius((radiusM / EARTH_RADIUS_M) * (180 / Math.PI))();
  }
  if (!area.polygon || area.polygon.length < 3) return undefined;
  const ring = area.polygon.map(([lat, lon]): [number, number] => [lon, lat]);
  ring.push(ring[0] as [number, number]);
  const polygon: Polygon = { type: "Polygon", coordinates: [ring] };
  // d3-geo reads a ring wound the other way round as the whole globe outside it.
  return geoArea(polygon) > 2 * Math.PI ? { type: "Polygon", coordinates: [ring.reverse()] } : polygon;
}

function lineGeometry(line: MapLine): LineString | undefined {
  if (line.points.length < 2) return undefined;
  return { type: "LineString", coordinates: line.points.map(([lat, lon]) => [lon, lat]) };
}

function viewBounds(points: MapPoint[], shapes: Array<Polygon | LineString>, minSpan: number): Bounds {
  const lons = points.map((point) => point.lon);
  const lats = points.map((point) => point.lat);
  for (const shape of shapes) {
    const [[west, south], [east, north]] = geoBounds(shape);
    lons.push(west, east);
    lats.push(south, north);
  }
  if (lons.length === 0) return NORTH_AMERICA;
  const widen = (low: number, high: number): [number, number] => {
    const middle = (low + high) / 2;
    const half = Math.max(high - low, minSpan) / 2;
    return [middle - half, middle + half];
  };
  const [west, east] = widen(Math.min(...lons), Math.max(...lons));
  const [south, north] = widen(Math.min(...lats), Math.max(...lats));
  return { west, east, south: Math.max(south, -85), north: Math.min(north, 85) };
}

function fittedProjection(bounds: Bounds): GeoProjection {
  const { west, east, south, north } = bounds;
  const middle = (west + east) / 2;
  const outline: MultiPoint = {
    type: "MultiPoint",
    coordinates: [
      [west, south],
      [middle, south],
      [east, south],
      [west, north],
      [middle, north],
      [east, north],
    ],
  };
  return geoConicConformal()
    .parallels([29.5, 45.5])
    .rotate([-middle, 0])
    .fitExtent(
      [
        [PADDING, PADDING],
        [WIDTH - PADDING, HEIGHT - PADDING],
      ],
      outline,
    )
    .clipExtent([
      [0, 0],
      [WIDTH, HEIGHT],
    ]);
}

interface Country {
  shape: Feature;
  bounds: Bounds;
}

async function loadCountries(): Promise<Country[]> {
  const response = await fetch(atlasUrl);
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  const topology = (await response.json()) as Topology;
  const countries = feature(topology, topology.objects.countries as GeometryCollection);
  return countries.features.map((shape) => {
    const [[west, south], [east, north]] = geoBounds(shape);
    // A country across the antimeridian has its west edge east of its east edge: treat it as spanning all longitudes.
    return { shape, bounds: west > east ? { west: -180, east: 180, south, north } : { west, east, south, north } };
  });
}

function overlaps(a: Bounds, b: Bounds): boolean {
  return a.west <= b.east && b.west <= a.east && a.south <= b.north && b.south <= a.north;
}

/** Points closer than this (in pixels, across and down) share one label, so that labels do not overlap. */
const CLUSTER_PX: [number, number] = [72, 18];
/** The least radius an area is drawn with, in pixels, so that a small one (a house, a block) stays visible. */
const MIN_AREA_PX = 9;
/** Lines are told apart by colour and dash pattern (outline-map.css), cycling through this many styles. */
const LINE_STYLES = 3;

/** Point numbers as compact text: consecutive runs as ranges ("1–3, 7"). */
function numbersText(numbers: number[]): string {
  const runs: Array<[number, number]> = [];
  for (const number of numbers) {
    const last = runs[runs.length - 1];
    if (last && number === last[1] + 1) last[1] = number;
    else runs.push([number, number]);
  }
  return runs.map(([from, to]) => (from === to ? String(from) : `${from}–${to}`)).join(", ");
}

/** The letter an area is drawn and listed with: A … Z, then AA, AB, … */
function areaLetter(index: number): string {
  const letter = String.fromCharCode(65 + (index % 26));
  return index < 26 ? letter : `${areaLetter(Math.floor(index / 26) - 1)}${letter}`;
}

export function OutlineMap({
  points,
  areas = [],
  lines = [],
  minSpan = MIN_SPAN,
  title,
  kindLabel,
}: {
  points: MapPoint[];
  areas?: MapArea[];
  /** Polylines drawn under the areas and points, each named in the legend and listed under the map. */
  lines?: MapLine[];
  /** The least span shown, in degrees: smaller to look closely at a road, larger to keep more coast around a town. */
  minSpan?: number;
  /** The map's accessible title; "Map" when not given. */
  title?: string;
  /** How a point's kind is named in the legend and the list; by default the map's own names, else the kind itself. */
  kindLabel?: (kind: string) => string;
}) {
  const { t } = useTranslation("map");
  const format = useFormat();
  const titleId = useId();
  const descriptionId = useId();
  const pointsId = useId();
  const areasId = useId();
  const linesId = useId();
  const atlas = useQuery({ queryKey: ["world-atlas", "countries-50m"], queryFn: loadCountries, staleTime: Infinity });

  const shapes = useMemo(
    () =>
      areas.flatMap((area) => {
        const geometry = areaGeometry(area);
        return geometry ? [{ area, geometry }] : [];
      }),
    [areas],
  );
  const tracks = useMemo(
    () =>
      lines.flatMap((line) => {
        const geometry = lineGeometry(line);
        return geometry ? [{ line, geometry }] : [];
      }),
    [lines],
  );
  const bounds = useMemo(
    () =>
      viewBounds(points, [...shapes.map((shape) => shape.geometry), ...tracks.map((track) => track.geometry)], minSpan),
    [points, shapes, tracks, minSpan],
  );
  const projection = useMemo(() => fittedProjection(bounds), [bounds]);
  const path = useMemo(() => geoPath(projection).digits(1), [projection]);
  const outlines = useMemo(() => {
    if (!atlas.data) return [];
    // Neighbours just outside the view still frame it; the projection clips them to the map's edge.
    const margin = Math.max(bounds.east - bounds.west, bounds.north - bounds.south);
    const around = {
      west: bounds.west - margin,
      east: bounds.east + margin,
      south: bounds.south - margin,
      north: bounds.north + margin,
    };
    return atlas.data.flatMap((country, index) => {
      const d = overlaps(country.bounds, around) ? path(country.shape) : null;
      return d ? [{ key: String(country.shape.id ?? index), d }] : [];
    });
  }, [atlas.data, bounds, path]);

  const kinds = [...new Set(points.map((point) => point.kind))];
  const nameOf = kindLabel ?? ((kind: string) => t(`kind.${kind}`, { defaultValue: kind }));
  const placed = points.flatMap((point, index) => {
    const xy = projection([point.lon, point.lat]);
    return xy ? [{ point, number: index + 1, x: xy[0], y: xy[1] }] : [];
  });
  // One label per cluster of nearby points: their numbers, or how many they are when that would be too long.
  const clusters: Array<{ x: number; y: number; numbers: number[] }> = [];
  for (const { number, x, y } of placed) {
    const near = clusters.find(
      (cluster) => Math.abs(cluster.x - x) < CLUSTER_PX[0] && Math.abs(cluster.y - y) < CLUSTER_PX[1],
    );
    if (near) near.numbers.push(number);
    else clusters.push({ x, y, numbers: [number] });
  }
  const clusterLabel = (numbers: number[]) => {
    const text = numbersText(numbers);
    return text.split(", ").length > 3 ? t("cluster", { number: numbers.length }) : text;
  };
  const coordinates = (lat: number, lon: number) =>
    t("coordinates", { lat: format.number(lat, 4), lon: format.number(lon, 4) });

  return (
    <figure className="outline-map">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${titleId} ${descriptionId}`}>
        <title id={titleId}>{title ?? t("title")}</title>
        <desc id={descriptionId}>
          {tracks.length > 0
            ? t("descriptionWithLines", { points: placed.length, areas: shapes.length, lines: tracks.length })
            : t("description", { points: placed.length, areas: shapes.length })}
        </desc>
        <rect className="sea" width={WIDTH} height={HEIGHT} />
        <g className="countries">
          {outlines.map((outline) => (
            <path key={outline.key} d={outline.d} />
          ))}
        </g>
        <g className="lines">
          {tracks.map(({ line, geometry }, index) => (
            <path key={line.id} d={path(geometry) ?? ""} className={`line line-${index % LINE_STYLES}`} />
          ))}
        </g>
        <g className="areas">
          {shapes.map(({ area, geometry }, index) => {
            const [x, y] = path.centroid(geometry);
            const [[left, top], [right, bottom]] = path.bounds(geometry);
            const small = Math.max(right - left, bottom - top) < 2 * MIN_AREA_PX;
            if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
            return (
              <g key={area.id}>
                {small ? <circle cx={x} cy={y} r={MIN_AREA_PX} /> : <path d={path(geometry) ?? ""} />}
                <text x={x - MIN_AREA_PX - 4} y={y + MIN_AREA_PX + 10} className="area-letter">
                  {areaLetter(index)}
                </text>
              </g>
            );
          })}
        </g>
        <g className="points">
          {placed.map(({ point, x, y }) => (
            <g key={point.id} className={markerClass(kinds.indexOf(point.kind))}>
              <Marker shape={markerShape(kinds.indexOf(point.kind))} x={x} y={y} />
            </g>
          ))}
          {clusters.map((cluster) => (
            <text key={cluster.numbers[0]} x={cluster.x + 9} y={cluster.y - 7}>
              {clusterLabel(cluster.numbers)}
            </text>
          ))}
        </g>
      </svg>
      <figcaption>
        {atlas.isPending && <p className="muted">{t("loadingOutlines")}</p>}
        {atlas.isError && (
          <>
            <p className="muted">{t("outlinesFailed")}</p>
            <ProblemMessage error={atlas.error} />
          </>
        )}
        {kinds.length + tracks.length > 0 && (
          <ul className="legend" aria-label={t("legend")}>
            {tracks.map(({ line }, index) => (
              <li key={line.id}>
                <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" className="lines">
                  <path d="M1 14 L8 6 L13 12 L19 4" className={`line line-${index % LINE_STYLES}`} />
                </svg>
                {line.label}
              </li>
            ))}
            {kinds.map((kind, index) => (
              <li key={kind}>
                <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" className={markerClass(index)}>
                  <Marker shape={markerShape(index)} x={10} y={10} />
                </svg>
                {nameOf(kind)}
              </li>
            ))}
          </ul>
        )}
        {placed.length === 0 && shapes.length === 0 && tracks.length === 0 && (
          <p className="muted">{t("nothingToPlace")}</p>
        )}
        {placed.length > 0 && (
          <>
            <p className="map-list-heading" id={pointsId}>
              {t("pointsHeading")}
            </p>
            <ol className="map-list" aria-labelledby={pointsId}>
              {placed.map(({ point, number }) => (
                <li key={point.id} value={number}>
                  {point.label}{" "}
                  <span className="muted">
                    ({nameOf(point.kind)}; {coordinates(point.lat, point.lon)})
                  </span>
                </li>
              ))}
            </ol>
          </>
        )}
        {shapes.length > 0 && (
          <>
            <p className="map-list-heading" id={areasId}>
              {t("areasHeading")}
            </p>
            <ul className="map-list" aria-labelledby={areasId}>
              {shapes.map(({ area }, index) => (
                <li key={area.id}>
                  {t("areaItem", { letter: areaLetter(index), label: area.label })}{" "}
                  <span className="muted">
                    {area.circle
                      ? t("circle", {
                          radius: format.number(area.circle.radiusM),
                          centre: coordinates(area.circle.lat, area.circle.lon),
                        })
                      : t("polygon", { corners: area.polygon?.length ?? 0 })}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
        {tracks.length > 0 && (
          <>
            <p className="map-list-heading" id={linesId}>
              {t("linesHeading")}
            </p>
            <ul className="map-list" aria-labelledby={linesId}>
              {tracks.map(({ line }) => {
                const [first, last] = [line.points[0] as [number, number], line.points.at(-1) as [number, number]];
                return (
                  <li key={line.id}>
                    {line.label}{" "}
                    <span className="muted">
                      {t("line", {
                        points: format.number(line.points.length),
                        from: coordinates(first[0], first[1]),
                        to: coordinates(last[0], last[1]),
                      })}
                    </span>
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </figcaption>
    </figure>
  );
}
