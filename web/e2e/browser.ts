// What the browser tests share: a demo federation on its own ports, Debian's Chromium driven by playwright-core,
// signing in with a one-time code, the axe-core check, and screenshots written as CI artifacts.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { totp, totpStep } from "../../src/auth/totp.ts";
import { SOUTHERN_BORDER_PORTS } from "../../src/border/ports.ts";
import { DEMO_PASSWORD, DEMO_PROFILES, demoTotpSecret, type RunningDemo, startDemo } from "../../src/demo/demo.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
export const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? join(process.cwd(), ".ci-artifacts", "screenshots");
const AXE_SOURCE = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

export type NodeId = "us" | "mx" | "ca";
const NODE_INDEX: Record<NodeId, number> = { us: 0, mx: 1, ca: 2 };

export interface BrowserFederation {
  demo: RunningDemo;
  browser: Browser;
  url(node: NodeId): string;
  /** Signs in over the API (for setting up data) and answers the bearer token. */
  apiToken(node: NodeId, username: string): Promise<string>;
  api<T>(node: NodeId, token: string, method: string, path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** A fresh demo federation (small: the journey needs only a few records) and a headless Chromium. */
export async function startBrowserFederation(basePort: number): Promise<BrowserFederation> {
  const dir = mkdtempSync(join(tmpdir(), "puente-browser-"));
  const demo = await startDemo({ dir, persons: 200, basePort });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const url = (node: NodeId) => demo.urls[NODE_INDEX[node]] as string;
  const api = async <T>(node: NodeId, token: string, method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url(node)}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} on ${node}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    demo,
    browser,
    url,
    api,
    async apiToken(node, username) {
      const body = { username, password: DEMO_PASSWORD, totp: await oneTimeCode(node, username) };
      const response = await fetch(`${url(node)}/api/v1/auth/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`sign-in of ${username} on ${node}: ${response.status}`);
      return ((await response.json()) as { token: string }).token;
    },
    async stop() {
      await browser.close();
      await demo.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const lastStepUsed = new Map<string, number>();

/**
 * The current one-time code of a demo account. A node accepts each code once (replay protection), so a second
 * sign-in of the same account within one 30-second step waits for the next code, as a person would.
 */
export async function oneTimeCode(node: NodeId, username: string): Promise<string> {
  const key = `${node}:${username}`;
  while (totpStep(Date.now()) === lastStepUsed.get(key)) await new Promise((resolve) => setTimeout(resolve, 500));
  const now = Date.now();
  lastStepUsed.set(key, totpStep(now));
  return totp(demoTotpSecret(node, username), now);
}

/** Signs in through the sign-in screen, as a user would, with the current one-time code. */
export async function signIn(page: Page, node: NodeId, username: string): Promise<void> {
  await page.getByLabel("User name").fill(username);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByLabel("One-time code").fill(await oneTimeCode(node, username));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation").waitFor();
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is; answers the violations. */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the node's Content-Security-Policy rightly refuses inline scripts.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map((node) => ({ target: node.target })),
    }));
  });
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)
    .join("\n");
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * The English texts of every catalogue that differ in `language` (Spanish or French), as fragments between
 * placeholders: none of them may be on a screen once the user has switched to that language.
 */
export async function englishOnlyTexts(language: "es" | "fr"): Promise<string[]> {
  const dir = new URL("../src/i18n/messages/", import.meta.url);
  const pairs: Array<[string, string | undefined]> = [];
  const theirs: string[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".ts"))) {
    const catalogues = (await import(new URL(file, dir).href)).default as Record<string, Record<string, string>>;
    const other = catalogues[language] as Record<string, string>;
    for (const [key, english] of Object.entries(catalogues.en as Record<string, string>))
      pairs.push([english, other[key]]);
    theirs.push(...Object.values(other));
  }
  // Words both languages spell alike ("Surveillance", "Agent") are the other language's own where it uses them.
  const inTheirs = wordFinder(theirs.join("\n"));
  const texts = new Set<string>();
  for (const [english, translated] of pairs) {
    if (translated === english) continue;
    for (const fragment of english.split(/\{\{\w+\}\}/u).map((part) => part.trim()))
      if (fragment.length >= 4 && /\p{L}{3}/u.test(fragment) && !translated?.includes(fragment) && !inTheirs(fragment))
        texts.add(fragment);
  }
  return [...texts];
}

/** Whether `text` holds a fragment as whole words (not inside a longer word). */
function wordFinder(text: string): (fragment: string) => boolean {
  const escapeRegExp = (fragment: string) => fragment.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
  return (fragment) => new RegExp(`(^|[^\\p{L}])${escapeRegExp(fragment)}($|[^\\p{L}])`, "u").test(text);
}

/**
 * The English fragments visible on the page, leaving out data (agency, account and port names) and text
 * the page itself marks as English (what partner nodes wrote and signed, shown as sent).
 */
export async function englishOnPage(page: Page, english: string[]): Promise<string[]> {
  let text = await page.evaluate(() => {
    const marked = [...document.body.querySelectorAll<HTMLElement>('[lang="en"]')];
    for (const element of marked) element.style.display = "none";
    const visible = document.body.innerText;
    for (const element of marked) element.style.display = "";
    return visible;
  });
  for (const profile of DEMO_PROFILES) text = text.replaceAll(profile.agency, " ");
  for (const port of SOUTHERN_BORDER_PORTS) text = text.replaceAll(port.name, " ");
  text = text.replace(/Demo \S+ \(\w+\)/gu, " ");
  return english.filter(wordFinder(text));
}
