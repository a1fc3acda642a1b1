// The analyst's journey across a real demo federation in Debian's Chromium: a US analyst signs in with TOTP,
// finds a person the Mexican node holds under another spelling, asks for details; a Mexican supervisor approves
// with a redaction; the US analyst sees the release with its markings; the application in Spanish; a
// deconfliction notice on both desks; hostile names shown as text; a port officer's referred truck and its
// shipment; every main screen in English, Spanish and French, passing axe-core; idle lock.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Locator, Page } from "playwright-core";
import {
  accessibilityViolations,
  type BrowserFederation,
  describeViolations,
  englishOnlyTexts,
  englishOnPage,
  screenshot,
  signIn,
  startBrowserFederation,
} from "./browser.ts";

const HOSTILE_NAME = "<img src=x onerror=alert(1)>";

let federation: BrowserFederation;
let analyst: Page;
let supervisor: Page;
const dialogs: string[] = [];
let hostileId = "";
let mexicanToken = "";
let usSupervisorToken = "";

async function expectAccessible(page: Page, screen: string): Promise<void> {
  const violations = await accessibilityViolations(page);
  assert.equal(violations.length, 0, `${screen}:\n${describeViolations(violations)}`);
}

/** Reloads the page until the locator's text holds `text` (deliveries between nodes go through an outbox). */
async function waitForText(page: Page, locator: Locator, text: string): Promise<void> {
  for (let attempt = 0; attempt < 30; attempt++) {
    if ((await locator.count()) > 0 && (await locator.innerText()).includes(text)) return;
    await page.waitForTimeout(500);
    await page.reload();
    await page.getByRole("heading", { level: 1 }).waitFor();
  }
  assert.fail(`"${text}" did not appear`);
}

before(async () => {
  federation = await startBrowserFederation(7521);
  // Mexico holds José Luis Hernández Ramírez, releasable to the US; the US searches him without accents.
  mexicanToken = await federation.apiToken("mx", "analyst");
  await federation.api("mx", mexicanToken, "POST", "/api/v1/entities", {
    id: "e2e-persona-1",
    schema: "Person",
    properties: {
      firstName: ["José Luis"],
      lastName: ["Hernández"],
      motherName: ["Ramírez"],
      birthDate: ["1984-07-19"],
      nationality: ["MX"],
    },
    markings: { tlp: "AMBER", releasableCountries: ["MX", "US"] },
  });
  usSupervisorToken = await federation.apiToken("us", "supervisor");
  const hostile = await federation.api<{ id: string }>("us", usSupervisorToken, "POST", "/api/v1/entities", {
    id: "e2e-hostile-1",
    schema: "Person",
    properties: { name: [HOSTILE_NAME], birthDate: ["1990-01-01"] },
  });
  hostileId = hostile.id;
  analyst = await federation.browser.newPage();
  supervisor = await federation.browser.newPage();
  for (const page of [analyst, supervisor])
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
});

after(async () => {
  await federation?.stop();
});

describe("the analyst's journey", () => {
  test("a US analyst signs in with TOTP and the sign-in screen is accessible", async () => {
    await analyst.goto(federation.url("us"));
    await analyst.getByRole("heading", { level: 1 }).waitFor();
    await expectAccessible(analyst, "sign-in");
    await screenshot(analyst, "01-sign-in");
    await signIn(analyst, "us", "analyst");
    await analyst.getByRole("heading", { name: "Federated search" }).waitFor();
  });

  test("the search finds the person held by the Mexican node under another spelling", async () => {
    await analyst.getByLabel("Given names").fill("Jose Luis");
    await analyst.getByLabel("Surname", { exact: true }).fill("Hernandez Ramirez");
    await analyst.getByLabel("Date of birth").fill("1984-07-19");
    await analyst.getByLabel("Purpose").fill("Firearms trafficking investigation");
    await analyst.getByLabel("Case reference").fill("US-2026-0107");
    await analyst.getByRole("button", { name: "Search", exact: true }).click();
    const mexico = analyst.locator('tr[data-partner="mx"]');
    await mexico.getByText("Answered").waitFor();
    await mexico.getByRole("link", { name: "Request details" }).first().waitFor();
    const canada = analyst.locator('tr[data-partner="ca"]');
    assert.match((await canada.innerText()) ?? "", /Answered/u);
    assert.match(await mexico.innerText(), /\d+ ms/u, "the partner's latency is shown");
    await expectAccessible(analyst, "search results");
    await screenshot(analyst, "02-search-results");
  });

  test("the analyst asks for details; a Mexican supervisor approves with the birth date withheld", async () => {
    await analyst.locator('tr[data-partner="mx"]').getByRole("link", { name: "Request details" }).first().click();
    await analyst.getByLabel("Justification").fill("Same man as the buyer in our straw-purchase case");
    await expectAccessible(analyst, "request form");
    await screenshot(analyst, "03-request-form");
    await analyst.getByRole("button", { name: "Send request" }).click();
    await analyst.getByText("Your request was sent to").waitFor();

    await supervisor.goto(`${federation.url("mx")}/#/approvals`);
    await signIn(supervisor, "mx", "supervisor");
    const request = supervisor.locator("article", { hasText: "Request from" }).first();
    await request.getByText("Same man as the buyer in our straw-purchase case").waitFor();
    await request.getByLabel("Approve, withholding some properties").check();
    await request.getByLabel("Birth date").check();
    await expectAccessible(supervisor, "approvals");
    await screenshot(supervisor, "04-approval-with-redaction");
    await request.getByRole("button", { name: "Release without the ticked properties" }).click();
    await supervisor.getByText("Released to us for case US-2026-0107, with one property withheld.").waitFor();
  });

  test("the US analyst sees the release with its markings and the withheld property", async () => {
    await analyst.goto(`${federation.url("us")}/#/requests`);
    const release = analyst.locator("section.release").first();
    // Delivered through the owner's outbox: reload until it has arrived.
    for (let attempt = 0; attempt < 20 && (await release.count()) === 0; attempt++) {
      await analyst.waitForTimeout(500);
      await analyst.reload();
      await analyst.getByRole("heading", { level: 1 }).waitFor();
    }
    await release.waitFor();
    const text = await release.innerText();
    assert.match(text, /TLP:AMBER/u, "the markings travel with the release");
    assert.match(text, /Releasable to MX, US/u);
    assert.match(text, /José Luis/u, "the released names");
    assert.match(text, /Redacted by the owner/u);
    assert.doesNotMatch(text, /1984/u, "the withheld birth date did not arrive");
    await expectAccessible(analyst, "requests with a release");
    await screenshot(analyst, "05-release-received");
  });

  test("a value the owner retracts afterwards is shown as retracted on the recipient", async () => {
    const record = await federation.api<{ statements: Array<{ id: string; property: string }> }>(
      "mx",
      mexicanToken,
      "GET",
      "/api/v1/entities/mx:e2e-persona-1",
    );
    const nationality = record.statements.find((statement) => statement.property === "nationality");
    assert.ok(nationality, "the Mexican record has a nationality");
    await federation.api(
      "mx",
      mexicanToken,
      "POST",
      `/api/v1/entities/mx:e2e-persona-1/statements/${nationality.id}/retract`,
    );
    await analyst.goto(`${federation.url("us")}/#/requests`);
    await waitForText(analyst, analyst.locator("section.release").first(), "retracted one value");
    await screenshot(analyst, "05b-release-with-retraction");
  });

  test("a target both agencies register produces a notice on both desks", async () => {
    await federation.api("mx", mexicanToken, "POST", "/api/v1/deconfliction/targets", {
      subject: {
        kind: "person",
        values: { firstName: ["José Luis"], lastName: ["Hernández Ramírez"], birthDate: ["1984-07-19"] },
      },
      caseReference: "FGR-2026-311",
      contact: { name: "Lic. Ana Robles", email: "ana.robles@mx.invalid" },
    });
    await analyst.goto(`${federation.url("us")}/#/desk`);
    const form = analyst.getByRole("region", { name: "Register a target" });
    await form.getByLabel("Given names").fill("Jose Luis");
    await form.getByLabel("Surname", { exact: true }).fill("Hernandez");
    await form.getByLabel("Date of birth").fill("1984-07-19");
    await form.getByLabel("Case reference").fill("US-2026-0107");
    const contact = form.getByRole("group", { name: /^Point of contact/u });
    await contact.getByLabel("Name", { exact: true }).fill("SA Dana Miller");
    await contact.getByLabel("E-mail").fill("dana.miller@us.invalid");
    await form.getByRole("button", { name: "Register" }).click();
    await form.getByText("Target registered.").waitFor();
    const notices = (page: typeof analyst) => page.getByRole("region", { name: "Notices" }).getByRole("table");
    await waitForText(analyst, notices(analyst), "ana.robles@mx.invalid");
    assert.doesNotMatch(await notices(analyst).innerText(), /FGR-2026-311/u, "nothing of the other case");
    await expectAccessible(analyst, "desk");
    await screenshot(analyst, "06-desk-us");
    await supervisor.goto(`${federation.url("mx")}/#/desk`);
    await waitForText(supervisor, notices(supervisor), "dana.miller@us.invalid");
    assert.doesNotMatch(await notices(supervisor).innerText(), /US-2026-0107/u, "nothing of the other case");
    await screenshot(supervisor, "07-desk-mx");
  });

  test("a person named with HTML is shown as text and no dialog opens", async () => {
    await analyst.goto(`${federation.url("us")}/#/search`);
    await analyst.getByLabel("Purpose").fill("Records check");
    await analyst.getByLabel("Case reference").fill("US-2026-0108");
    await analyst.getByLabel("Full name").fill(HOSTILE_NAME);
    await analyst.getByLabel("Given names").fill("");
    await analyst.getByLabel("Surname", { exact: true }).fill("");
    await analyst.getByLabel("Date of birth").fill("1990-01-01");
    await analyst.getByRole("button", { name: "Search", exact: true }).click();
    await analyst.getByRole("heading", { name: "This node" }).waitFor();
    await screenshot(analyst, "08-hostile-name-search");
    await analyst.getByRole("link", { name: HOSTILE_NAME }).waitFor();
    await analyst.goto(`${federation.url("us")}/#/entity/${encodeURIComponent(hostileId)}`);
    await analyst.getByRole("heading", { level: 1, name: HOSTILE_NAME }).waitFor();
    assert.equal(await analyst.locator('img[src="x"]').count(), 0, "no img element was created");
    assert.deepEqual(dialogs, [], "no dialog opened");
    await screenshot(analyst, "09-hostile-name-profile");
  });

  test("switched to Spanish, the screens show Spanish throughout", async () => {
    const english = await englishOnlyTexts("es");
    await analyst.goto(`${federation.url("us")}/#/search`);
    await analyst.getByLabel("Language").selectOption("es");
    await analyst.getByRole("heading", { name: "Búsqueda federada" }).waitFor();
    assert.equal(await analyst.locator("html").getAttribute("lang"), "es");
    await analyst.getByLabel("Nombre(s)").fill("Jose Luis");
    await analyst.getByLabel("Apellido paterno").fill("Hernandez Ramirez");
    await analyst.getByLabel("Propósito").fill("Investigación de tráfico de armas");
    await analyst.getByLabel("Referencia del caso").fill("US-2026-0107");
    await analyst.getByRole("button", { name: "Buscar", exact: true }).click();
    await analyst.locator('tr[data-partner="mx"]').getByText("Respondió").waitFor();
    const screens: Array<[string, string]> = [
      ["search", "10-es-search"],
      ["requests", "11-es-requests"],
      ["desk", "12-es-desk"],
      [`entity/${encodeURIComponent(hostileId)}`, "13-es-profile"],
    ];
    for (const [screen, name] of screens) {
      if (screen !== "search") await analyst.goto(`${federation.url("us")}/#/${screen}`);
      await analyst.getByRole("heading", { level: 1 }).waitFor();
      await screenshot(analyst, name);
      assert.deepEqual(await englishOnPage(analyst, english), [], `English left on ${screen}`);
      await expectAccessible(analyst, `${screen} in Spanish`);
    }
  });
});

test("a port officer follows a referred truck to its shipment: the alerts that revoked the lane, the route on the map", async () => {
  const page = await federation.browser.newPage();
  await page.goto(federation.url("us"));
  await signIn(page, "us", "officer");
  await page.goto(`${federation.url("us")}/#/port`);
  // The demo's Laredo truck whose shipment left its corridor, referred with the reason in words.
  const truck = page.locator("article.referral").filter({ has: page.getByRole("heading", { name: /DEMO-2304-T1/u }) });
  await truck.getByText("Shipment not eligible for the express lane").first().waitFor();
  await truck.getByRole("link", { name: "Seals and route of shipment MX-DEMO-TRK-0417" }).click();
  await page.getByText("Not eligible for the express (FAST) lane.").waitFor();
  for (const kind of ["Route deviation", "Unscheduled stop", "Seal opened outside an authorised place"])
    assert.ok((await page.getByText(kind).count()) > 0, `${kind} is shown`);
  // The declared route drawn as a line, and the truck's fixes as points, on the offline outline map.
  const map = page.locator("figure.outline-map svg[role=img]").first();
  await map.locator("g.lines path").first().waitFor();
  assert.match((await map.locator("g.lines path").first().getAttribute("d")) ?? "", /^M[\d.-]+,[\d.-]+L/u);
  assert.ok((await map.locator("g.points > g").count()) > 10, "the fixes are placed");
  await page.waitForLoadState("networkidle");
  await screenshot(page, "14-port-shipment");
  await expectAccessible(page, "port shipment");
  await page.close();
});

test("the screen locks after 30 minutes without input", async () => {
  const page = await federation.browser.newPage();
  await page.clock.install();
  await page.goto(federation.url("us"));
  await signIn(page, "us", "prosecutor");
  await page.clock.fastForward("29:00");
  assert.equal(await page.getByRole("heading", { name: "Session locked" }).count(), 0, "not locked before 30 min");
  await page.clock.fastForward("02:00");
  await page.getByRole("heading", { name: "Session locked" }).waitFor();
  assert.equal(await page.getByRole("navigation").count(), 0, "nothing of the session is left on screen");
  await page.close();
});

/** The demo person in the most events, one of them placed: their profile has links, a map and a timeline to show. */
let busiestPerson: string | undefined;
async function personWithEvents(): Promise<string> {
  if (busiestPerson) return busiestPerson;
  const page = await federation.api<{ entities: Array<{ statements: Array<{ property: string; value: string }> }> }>(
    "us",
    usSupervisorToken,
    "GET",
    "/api/v1/entities?schema=Event&limit=500",
  );
  const counts = new Map<string, number>();
  const placed = new Set<string>();
  for (const event of page.entities)
    for (const statement of event.statements)
      if (statement.property === "involved") {
        counts.set(statement.value, (counts.get(statement.value) ?? 0) + 1);
        if (event.statements.some((other) => other.property === "latitude")) placed.add(statement.value);
      }
  for (const person of counts.keys()) if (!placed.has(person)) counts.delete(person);
  busiestPerson = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  if (!busiestPerson) throw new Error("no demo event involves anyone");
  return busiestPerson;
}

describe("the other main screens, in English, Spanish and French", () => {
  const screens: Array<{ node: "us"; user: string; path: string | (() => Promise<string>); name: string }> = [
    {
      node: "us",
      user: "analyst",
      path: async () => `entity/${encodeURIComponent(await personWithEvents())}`,
      name: "profile",
    },
    {
      node: "us",
      user: "analyst",
      path: async () => `entity/${encodeURIComponent(await personWithEvents())}?view=links`,
      name: "profile-links",
    },
    {
      node: "us",
      user: "analyst",
      path: async () => `entity/${encodeURIComponent(await personWithEvents())}?view=map`,
      name: "profile-map",
    },
    {
      node: "us",
      user: "analyst",
      path: async () => `entity/${encodeURIComponent(await personWithEvents())}?view=timeline`,
      name: "profile-timeline",
    },
    { node: "us", user: "oversight", path: "oversight/audit", name: "oversight-audit" },
    { node: "us", user: "oversight", path: "oversight/alerts", name: "oversight-alerts" },
    {
      node: "us",
      user: "oversight",
      // The analyst opened this record in the screens above: the table lists them.
      path: async () => `oversight/record/${encodeURIComponent(await personWithEvents())}`,
      name: "oversight-record",
    },
    { node: "us", user: "officer", path: "port", name: "port-referrals" },
    { node: "us", user: "officer", path: "port/alerts", name: "port-alerts" },
    { node: "us", user: "supervisor", path: "port/alerts", name: "port-bursts" },
    { node: "us", user: "admin", path: "admin/users", name: "admin-users" },
    { node: "us", user: "admin", path: "admin/federation", name: "admin-federation" },
    { node: "us", user: "admin", path: "admin/policies", name: "admin-policies" },
  ];
  const pages = new Map<string, Page>();

  after(async () => {
    for (const page of pages.values()) await page.close();
  });

  const languageNames = { en: "English", es: "Spanish", fr: "French" } as const;
  for (const language of ["en", "es", "fr"] as const)
    for (const screen of screens)
      test(`${screen.name} (${language}) is accessible${language === "en" ? "" : ` and all in ${languageNames[language]}`}`, async () => {
        let page = pages.get(screen.user);
        if (!page) {
          page = await federation.browser.newPage();
          await page.goto(federation.url(screen.node));
          await signIn(page, screen.node, screen.user);
          pages.set(screen.user, page);
        }
        if ((await page.locator("html").getAttribute("lang")) !== language)
          await page.getByRole("combobox", { name: /Language|Idioma|Langue/u }).selectOption(language);
        const path = typeof screen.path === "string" ? screen.path : await screen.path();
        await page.goto(`${federation.url(screen.node)}/#/${path}`);
        await page.getByRole("heading", { level: 1 }).waitFor();
        // Let the screen's queries settle (lazy chunks, the atlas, the graph's layout).
        await page.waitForLoadState("networkidle");
        await page.waitForTimeout(300);
        await screenshot(page, `${language}-${screen.name}`);
        assert.doesNotMatch(
          await page.locator("main").innerText(),
          /Not found or no access|No encontrado o sin acceso|Introuvable ou accès refusé/u,
        );
        if (language !== "en")
          assert.deepEqual(
            await englishOnPage(page, await englishOnlyTexts(language)),
            [],
            `English left on ${screen.name} (${language})`,
          );
        await expectAccessible(page, `${screen.name} (${language})`);
      });
});
