// The link graph drawn with Cytoscape.js on its default canvas renderer (no WebGL): the record in the middle, its
// neighbours around it in a fixed breadth-first layout without animation, shapes and colours by schema, captions
// as labels (drawn as canvas text, never as HTML). Clicking a neighbour opens it. The canvas is not accessible, so
// the screen lists the same records beside it (Links.tsx); this module is loaded only when the graph is shown.
import cytoscape from "cytoscape";
import { useEffect, useRef } from "react";
import { navigate } from "../../router.ts";
import type { NeighbourEdge, NeighbourNode } from "./queries.ts";
import { ancestors } from "./schemata.ts";

/** Shape and colour by schema (or the nearest ancestor listed); the list beside the graph names each type. */
const LOOKS: Record<string, { shape: cytoscape.Css.NodeShape; colour: string }> = {
  Person: { shape: "ellipse", colour: "#0b4f8a" },
  Organization: { shape: "round-rectangle", colour: "#1e6b30" },
  Vehicle: { shape: "rectangle", colour: "#6a3d9a" },
  Phone: { shape: "diamond", colour: "#7a4b00" },
  Email: { shape: "diamond", colour: "#7a4b00" },
  BankAccount: { shape: "hexagon", colour: "#a4161a" },
  CryptoWallet: { shape: "hexagon", colour: "#a4161a" },
  Address: { shape: "triangle", colour: "#00677f" },
  Event: { shape: "star", colour: "#9c2d7a" },
  Case: { shape: "octagon", colour: "#3b3b3b" },
};
const OTHER = { shape: "round-tag" as const, colour: "#4f5a66" };

/** The class that gives a node its look: the nearest ancestor with one, else "look-other". */
function lookClass(schema: string): string {
  return `look-${ancestors(schema).find((name) => LOOKS[name]) ?? "other"}`;
}

const LOOK_STYLES: cytoscape.StylesheetJson = [...Object.entries(LOOKS), ["other", OTHER] as const].map(
  ([name, look]) => ({
    selector: `node.look-${name}`,
    style: { shape: look.shape, "background-color": look.colour },
  }),
);

export function LinkGraph({
  focus,
  nodes,
  edges,
  label,
}: {
  focus: string;
  nodes: NeighbourNode[];
  /** Links with their labels already in the user's language. */
  edges: NeighbourEdge[];
  /** What the graph shows, for screen readers (the list beside it gives the detail). */
  label: string;
}) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!container.current) return;
    const ids = new Set(nodes.map((node) => node.id));
    const cy = cytoscape({
      container: container.current,
      elements: [
        ...[...new Map(nodes.map((node) => [node.id, node])).values()].map((node) => ({
          group: "nodes" as const,
          data: { id: node.id, label: node.caption },
          classes: [lookClass(node.schema), node.id === focus ? "focus" : "", node.released ? "released" : ""]
            .join(" ")
            .trim(),
        })),
        ...edges
          .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
          .map((edge, index) => ({
            group: "edges" as const,
            data: { id: `edge-${index}`, source: edge.source, target: edge.target, label: edge.label },
          })),
      ],
      style: [
        {
          selector: "node",
          style: {
            label: "data(label)",
            width: 26,
            height: 26,
            "font-size": 13,
            color: "#1b1f24",
            "text-valign": "bottom",
            "text-margin-y": 4,
            "text-wrap": "ellipsis",
            "text-max-width": "130px",
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.85,
            "text-background-padding": "2px",
            "border-width": 2,
            "border-color": "#ffffff",
          },
        },
        ...LOOK_STYLES,
        { selector: "node.focus", style: { width: 40, height: 40, "border-width": 4, "border-color": "#e07b00" } },
        {
          selector: "node.released",
          style: { "border-style": "dashed", "border-width": 3, "border-color": "#1b1f24" },
        },
        {
          selector: "edge",
          style: {
            width: 1.5,
            "line-color": "#8a949f",
            "curve-style": "bezier",
            "target-arrow-shape": "triangle",
            "target-arrow-color": "#8a949f",
            label: "data(label)",
            "font-size": 11,
            color: "#4f5a66",
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.85,
          },
        },
      ],
      layout: {
        name: "breadthfirst",
        roots: [focus],
        circle: true,
        spacingFactor: 0.8,
        animate: false,
        fit: true,
        padding: 40,
      },
      maxZoom: 1.6,
      userZoomingEnabled: false,
      boxSelectionEnabled: false,
      autoungrabify: true,
    });
    // A partner's released record has no profile here: the requests screen lists the releases received.
    cy.on("tap", "node", (event) => {
      const id = event.target.id() as string;
      if (id === focus) return;
      if (nodes.find((candidate) => candidate.id === id)?.released) navigate("requests");
      else navigate("entity", id);
    });
    cy.on("mouseover", "node", () => container.current?.classList.add("pointing"));
    cy.on("mouseout", "node", () => container.current?.classList.remove("pointing"));
    return () => cy.destroy();
  }, [focus, nodes, edges]);

  return <div ref={container} className="link-graph" role="img" aria-label={label} />;
}
