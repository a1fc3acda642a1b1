// Point markers drawn in SVG, told apart by shape and colour (not colour alone): the outline map's places and the entity
// timeline's events use the same set, cycling through it by kind.
import type { ReactNode } from "react";
import "./marker.css";

const MARKER_SHAPES = ["circle", "triangle", "square", "diamond", "cross"] as const;
export type MarkerShape = (typeof MARKER_SHAPES)[number];

/** The shape for the n-th kind of a list. */
export function markerShape(index: number): MarkerShape {
  return MARKER_SHAPES[index % MARKER_SHAPES.length] as MarkerShape;
}

/** The class that colours the n-th kind's markers (a second cue beside the shape). */
export function markerClass(index: number): string {
  return `marker marker-kind-${index % MARKER_SHAPES.length}`;
}

export function Marker({ shape, x, y }: { shape: MarkerShape; x: number; y: number }): ReactNode {
  switch (shape) {
    case "circle":
      return <circle cx={x} cy={y} r={6} />;
    case "triangle":
      return <polygon points={`${x},${y - 7} ${x + 7},${y + 6} ${x - 7},${y + 6}`} />;
    case "square":
      return <rect x={x - 5.5} y={y - 5.5} width={11} height={11} />;
    case "diamond":
      return <polygon points={`${x},${y - 8} ${x + 7},${y} ${x},${y + 8} ${x - 7},${y}`} />;
    case "cross": {
      const [a, b] = [2.5, 7];
      const corners = [
        [-a, -b],
        [a, -b],
        [a, -a],
        [b, -a],
        [b, a],
        [a, a],
        [a, b],
        [-a, b],
        [-a, a],
        [-b, a],
        [-b, -a],
        [-a, -a],
      ];
      return <polygon points={corners.map(([dx, dy]) => `${x + (dx ?? 0)},${y + (dy ?? 0)}`).join(" ")} />;
    }
  }
}
