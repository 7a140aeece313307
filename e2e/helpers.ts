/**
 * End-to-end helpers: the whole app on a real port, a real Chromium driven by
 * playwright-core, fixture records, axe-core, journeys through forms and links (audited on
 * the spot, with JavaScript and without it), and transfer-size measurement.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect } from "vitest";
import { createRequire } from "node:module";
import type { AxeResults, Result, RunOptions } from "axe-core";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type CDPSession,
  type Page,
  type Response,
} from "playwright-core";
import * as catalogue from "../src/domains/catalogue/catalogue.js";
import { openTestApp, type TestApp } from "../test/app.js";
import { institution, procedure } from "../test/factories.js";

// ------------------------------------------------------------------ browser

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** A fresh context (empty cache, no cookies) that gives up on a missing element in 15 s, not 30. */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(15_000);
  return context;
}

// ------------------------------------------------------------------ app and data

/** Records this suite imports itself, so the journeys never depend on the demo catalogue's contents. */
export interface Fixture {
  acronym: string;
  /** A passport procedure done online, free, with two requirements. */
  onlineHomoclave: string;
  /** A passport procedure done in person, paid, with no online channel. */
  inPersonHomoclave: string;
}

export interface E2eApp {
  t: TestApp;
  /** http://127.0.0.1:port */
  base: string;
  fixture: Fixture;
  close(): Promise<void>;
}

async function importFixture(t: TestApp): Promise<Fixture> {
  const inst = institution({
    name: { es: "Oficina de Pruebas de Pasaportes", en: "Passport Testing Office" },
    contact: { phone: "800 000 0000", address: "Av. de las Pruebas 1, Cuauhtémoc, Ciudad de México" },
  });
  const online = procedure(inst.acronym, {
    citizenName: { es: "Tramitar un pasaporte de prueba en línea", en: "Apply online for a test passport" },
    officialName: { es: "Expedición de pasaporte de prueba", en: "Issue of a test passport" },
    description: {
      es: "Solicita en línea un pasaporte de prueba para viajar al extranjero.",
      en: "Apply online for a test passport to travel abroad.",
    },
    keywords: { es: ["pasaporte", "viajar"], en: ["passport"] },
    requirements: [
      { name: { es: "Acta de nacimiento", en: "Birth certificate" }, original: true, copies: 1, uploadable: true },
      { name: { es: "Identificación oficial", en: "Official ID" }, original: true, copies: 2, uploadable: false },
    ],
    cost: { type: "free" },
    channels: { online: { url: "https://www.gob.mx/pasaporte-prueba" } },
    lifeEvents: ["viajar-al-extranjero", "identidad-y-documentos"],
  });
  const inPerson = procedure(inst.acronym, {
    citizenName: { es: "Renovar un pasaporte de prueba en ventanilla", en: "Renew a test passport at the counter" },
    officialName: { es: "Renovación de pasaporte de prueba", en: "Renewal of a test passport" },
    description: {
      es: "Renueva en una oficina tu pasaporte de prueba vencido.",
      en: "Renew your expired test passport at an office.",
    },
    keywords: { es: ["pasaporte", "renovar"], en: ["passport"] },
    cost: { type: "fixed", amountMxn: 1585 },
    channels: {
      inPerson: [
        {
          name: "Oficina de pruebas Reforma",
          address: "Av. Reforma 1, Cuauhtémoc",
          hours: "Lunes a viernes de 9:00 a 15:00",
          municipalityCode: "09015",
        },
      ],
      phone: [{ number: "800 123 4567" }],
    },
    lifeEvents: ["viajar-al-extranjero"],
  });
  const report = await catalogue.importCatalogue(t.ctx, {
    institutions: [{ value: inst }],
    procedures: [{ value: online }, { value: inPerson }],
  });
  if (!report.written || report.errors.length) {
    throw new Error(`The e2e fixture did not import: ${JSON.stringify(report)}`);
  }
  return { acronym: inst.acronym, onlineHomoclave: online.homoclave, inPersonHomoclave: inPerson.homoclave };
}

/** The whole app over a fresh test database, with the e2e fixture, listening on a free local port. */
export async function startApp(): Promise<E2eApp> {
  const t = await openTestApp();
  try {
    const fixture = await importFixture(t);
    const base = await t.app.listen({ port: 0, host: "127.0.0.1" });
    return { t, base, fixture, close: () => t.close() };
  } catch (err) {
    await t.close();
    throw err;
  }
}

interface ApiHit {
  homoclave: string;
  name: string;
  institution: { acronym: string; name: string };
  online: boolean;
  free: boolean;
}
interface ApiSearch {
  data: ApiHit[];
  meta: { total: number; suggestion: string | null };
}
interface ApiLifeEvent {
  slug: string;
  name: { es: string; en?: string };
  procedureCount: number;
}
interface ApiInstitution {
  acronym: string;
  name: { es: string; en?: string };
  procedureCount: number;
}
export interface ApiProcedure {
  homoclave: string;
  requirements: { name: { es: string; en?: string } }[];
}

export async function getJson<T>(base: string, path: string): Promise<T> {
  const res = await fetch(new URL(path, base));
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const searchApi = (base: string, q: string) =>
  getJson<ApiSearch>(base, `/api/v1/procedures?q=${encodeURIComponent(q)}`);
export const procedureApi = async (base: string, homoclave: string) =>
  (await getJson<{ data: ApiProcedure }>(base, `/api/v1/procedures/${encodeURIComponent(homoclave)}`)).data;

/** Real catalogue records to visit, found at run time (the demo catalogue changes). */
export interface Discovered {
  /** The top result for "pasaporte". */
  homoclave: string;
  /** Its institution. */
  institution: ApiInstitution;
  /** A life event that has procedures. */
  lifeEvent: ApiLifeEvent;
}

export async function discover(base: string): Promise<Discovered> {
  const [search, institutions, lifeEvents] = await Promise.all([
    searchApi(base, "pasaporte"),
    getJson<{ data: ApiInstitution[] }>(base, "/api/v1/institutions"),
    getJson<{ data: ApiLifeEvent[] }>(base, "/api/v1/life-events"),
  ]);
  const top = search.data[0];
  if (!top) throw new Error('The catalogue has no results for "pasaporte"');
  const inst = institutions.data.find((i) => i.acronym === top.institution.acronym);
  if (!inst) throw new Error(`Institution ${top.institution.acronym} is not listed by /api/v1/institutions`);
  const event = lifeEvents.data.find((e) => e.procedureCount > 0);
  if (!event) throw new Error("No life event has procedures");
  return { homoclave: top.homoclave, institution: inst, lifeEvent: event };
}

/** A URL that certainly names no procedure. */
export interface Session {
  app: E2eApp;
  browser: Browser;
  found: Discovered;
}

/** One app and one browser for a test file: started before its tests, closed after. */
export function useSession(onReady: (s: Session) => void): void {
  let session: Session | undefined;
  beforeAll(async () => {
    const [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    session = { app, browser, found: await discover(app.base) };
    onReady(session);
  });
  afterAll(async () => {
    await session?.browser.close();
    await session?.app.close();
  });
}

export const UNKNOWN_HOMOCLAVE = "NOEXISTE-99-999";
/** 10,000 characters of search text: fifty times the limit. */
export const HUGE_QUERY = "pasaporte ".repeat(1000);

// ------------------------------------------------------------------ page reading

/** The number at the start of the results status line ("1,234 resultados · mostrando 1–10"). */
export async function resultTotal(page: Page): Promise<number> {
  const text = (await page.locator("main [role=status]").first().innerText()).trim();
  const m = /^([\d.,\s]+)\s/.exec(text);
  if (!m) return 0;
  return Number(m[1]!.replace(/\D/g, ""));
}

/** The "(n)" at the end of a facet's label. */
export function countInLabel(label: string): number {
  const m = /\(([\d.,\s]+)\)\s*$/.exec(label.trim());
  if (!m) throw new Error(`No count in facet label "${label}"`);
  return Number(m[1]!.replace(/\D/g, ""));
}

export const htmlLang = (page: Page) => page.locator("html").getAttribute("lang");

// ------------------------------------------------------------------ accessibility

export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeWindow {
  axe?: { run(context: Document, options: RunOptions): Promise<AxeResults> };
}

/**
 * Runs axe-core on the page. The script goes in through the DevTools protocol
 * (page.evaluate), which the site's CSP does not govern, so the page keeps its real CSP.
 */
export async function runAxe(page: Page): Promise<Result[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as AxeWindow).axe !== "undefined");
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const options: RunOptions = { runOnly: { type: "tag", values: AXE_TAGS }, resultTypes: ["violations"] };
  const results = await page.evaluate(async (o) => {
    const axe = (window as unknown as AxeWindow).axe;
    if (!axe) throw new Error("axe-core did not load");
    return axe.run(document, o);
  }, options);
  return results.violations;
}

/** Every violation with what a developer needs to fix it. */
export function formatViolations(where: string, violations: Result[]): string {
  if (!violations.length) return `${where}: no violations`;
  const lines = [`${where}: ${violations.length} accessibility violation(s)`];
  for (const v of violations) {
    lines.push(`- [${v.impact ?? "unknown"}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes.slice(0, 10)) {
      lines.push(`    target: ${n.target.map(String).join(" ")}`);
      lines.push(`    html:   ${n.html.slice(0, 300)}`);
      if (n.failureSummary) lines.push(`    ${n.failureSummary.replace(/\n/g, "\n    ")}`);
    }
    if (v.nodes.length > 10) lines.push(`    … and ${v.nodes.length - 10} more node(s)`);
  }
  return lines.join("\n");
}

/** Whether the site's stylesheet loaded and applies (a layout check without it proves nothing). */
export function stylesheetApplied(page: Page): Promise<boolean> {
  return page.evaluate(() =>
    [...document.styleSheets].some((sheet) => {
      if (!/\/static\/app\.[0-9a-f]{12}\.css$/.test(sheet.href ?? "")) return false;
      try {
        return sheet.cssRules.length > 0;
      } catch {
        return false; // a sheet that failed to load has no readable rules
      }
    }),
  );
}

/** The document's width and the elements that stick out past the viewport's right edge. */
export async function horizontalOverflow(
  page: Page,
): Promise<{ scrollWidth: number; viewport: number; culprits: string[] }> {
  return page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    const describe = (el: Element) => {
      const id = el.id ? `#${el.id}` : "";
      const cls = el.classList.length ? `.${[...el.classList].join(".")}` : "";
      return `${el.tagName.toLowerCase()}${id}${cls}`;
    };
    const culprits: string[] = [];
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= viewport + 1) continue;
      // Report the innermost elements only: a child that overflows explains its parents.
      const childOverflows = [...el.children].some((c) => c.getBoundingClientRect().right > viewport + 1);
      if (childOverflows) continue;
      const path = [describe(el)];
      for (let p = el.parentElement; p && p !== document.body && path.length < 4; p = p.parentElement)
        path.unshift(describe(p));
      culprits.push(
        `${path.join(" > ")} (right edge ${Math.round(r.right)}px, text "${(el.textContent ?? "").trim().slice(0, 60)}")`,
      );
      if (culprits.length >= 8) break;
    }
    return { scrollWidth: document.documentElement.scrollWidth, viewport, culprits };
  });
}

// ------------------------------------------------------------------ journeys: forms, links and audits

/** The two ways every journey runs: with JavaScript, and without it (plain HTML forms and links). */
export const WITH_AND_WITHOUT_JS = [
  { js: true, name: "with JavaScript" },
  { js: false, name: "without JavaScript" },
];

/** A form control by its exact label. */
export const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

/** The text of the page's h1, trimmed. */
export const h1 = async (page: Page) => (await page.locator("h1").innerText()).trim();

/** The path of the page's current URL. */
export const pathOf = (page: Page) => new URL(page.url()).pathname;

/** The value (`dd`) of the row of a summary list in `main` whose key (`dt`) is exactly `key`. */
export const summaryRow = (page: Page, key: string) =>
  page
    .locator("main .govuk-summary-list__row")
    .filter({ has: page.locator("dt", { hasText: new RegExp(`^${key}$`) }) })
    .locator("dd");

/**
 * Clicks a form's submit button and waits for the page the server answers with, after any
 * redirect. Returns that page's status. Works whether or not the URL changes (a form posted
 * back to its own URL and re-rendered, with its errors or, in the editor, with a new row).
 */
export async function submit(page: Page, button: string): Promise<number> {
  let status = 0;
  const onResponse = (r: Response) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400))
      status = r.status();
  };
  page.on("response", onResponse);
  try {
    const navigated = page.waitForEvent("framenavigated", { predicate: (f) => f === page.mainFrame() });
    await page.getByRole("button", { name: button, exact: true }).click();
    await navigated;
    await page.waitForLoadState("load");
  } finally {
    page.off("response", onResponse);
  }
  return status;
}

/** Follows a link by its accessible name and waits for the page it leads to (after any redirect). */
export async function follow(page: Page, name: string, arrive: (u: URL) => boolean): Promise<void> {
  const arrived = page.waitForURL(arrive);
  await page.getByRole("link", { name, exact: true }).click();
  await arrived;
}

/** One person's browser context and page in a journey. */
export interface Visit {
  js: boolean;
  context: BrowserContext;
  page: Page;
  /** The response that gave the page its current document (after any redirect). */
  lastDocument: Response | undefined;
}

/**
 * At 320 px wide, with the site's stylesheet applied, nothing scrolls sideways (WCAG 1.4.10).
 * Resizes the page for the check and puts its size back afterwards. Soft by default, so a
 * journey reports every page that fails, not only the first.
 */
export async function noSidewaysScroll(page: Page, label: string, soft = true): Promise<void> {
  const check = soft ? expect.soft : expect;
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  try {
    check(await stylesheetApplied(page), `${label}: the site's stylesheet (/static/app.*.css) loaded`).toBe(true);
    const o = await horizontalOverflow(page);
    check(o.viewport, `${label}: viewport width`).toBe(320);
    check(
      o.scrollWidth,
      `${label} is ${o.scrollWidth}px wide at 320px; elements past the edge:\n  ${o.culprits.join("\n  ")}`,
    ).toBeLessThanOrEqual(320);
  } finally {
    if (size) await page.setViewportSize(size);
  }
}

/**
 * The browser contexts one journey test opens, all with JavaScript or all without it, and the
 * check of every page the journey reaches, on the spot: make one per test (in beforeEach) and
 * close it after (in afterEach).
 *
 * Without JavaScript, axe-core cannot run in the page itself: Chromium's "scripts disabled"
 * also stops the timers axe.run waits on, so page.evaluate never settles. There the page's
 * DOM (which, with no script, is exactly the HTML the server sent) is loaded into a second,
 * scripted page at the same URL, with the same Content-Security-Policy and the same
 * stylesheet, and with every script request refused so the enhancement script cannot change
 * it; axe runs on that copy. The 320 px check needs no timers and runs on the page itself.
 */
export class Journey {
  private readonly browser: Browser;
  private readonly options: { js: boolean; baseURL: string; locale: string };
  private readonly opened: BrowserContext[] = [];
  /** Without JavaScript: the scripted context where axe audits copies of the pages. */
  private auditContext: BrowserContext | undefined;

  constructor(browser: Browser, options: { js: boolean; baseURL: string; locale: string }) {
    this.browser = browser;
    this.options = options;
  }

  /** A fresh context (no cookies) and page for one person, with or without JavaScript as the journey runs. */
  async visit(): Promise<Visit> {
    const { js, baseURL, locale } = this.options;
    const context = await newContext(this.browser, { javaScriptEnabled: js, baseURL, locale });
    this.opened.push(context);
    const page = await context.newPage();
    const v: Visit = { js, context, page, lastDocument: undefined };
    page.on("response", (r) => {
      if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) v.lastDocument = r;
    });
    return v;
  }

  /** axe-core's violations on the visit's page as it is now, with or without JavaScript. */
  async axe(v: Visit): Promise<Result[]> {
    if (v.js) return runAxe(v.page);
    this.auditContext ??= await newContext(this.browser, {
      baseURL: this.options.baseURL,
      locale: this.options.locale,
    });
    const url = v.page.url().replace(/#.*$/, "");
    const html = await v.page.content();
    const csp = (await v.lastDocument?.allHeaders())?.["content-security-policy"];
    expect(csp, `${url}: the page's Content-Security-Policy`).toBeDefined();
    const copy = await this.auditContext.newPage();
    try {
      await copy.route("**/*", (route) =>
        route.request().resourceType() === "script" ? route.abort() : route.fallback(),
      );
      await copy.route(
        (u) => u.href === url,
        (route) =>
          route.fulfill({
            status: 200,
            contentType: "text/html; charset=utf-8",
            headers: { "content-security-policy": csp ?? "" },
            body: html,
          }),
      );
      await copy.goto(url);
      expect(await copy.locator("body.js-enabled").count(), "no script ran in the audited copy").toBe(0);
      expect(await stylesheetApplied(copy), "the audited copy has the site's stylesheet").toBe(true);
      return await runAxe(copy);
    } finally {
      await copy.close();
    }
  }

  /**
   * The visit's page as it is now: `<html lang>` is `lang`, the enhancement script ran exactly
   * when JavaScript is on, axe-core finds no WCAG 2.2 AA violation, and at 320 px wide nothing
   * scrolls sideways. Checks the page in place, so pages that answer a POST (recovery codes,
   * forms with errors, the editor re-rendered with a new row) are checked too. The checks are
   * soft, so one run reports every page that fails.
   */
  async audit(v: Visit, where: string, lang: "es" | "en" = "es"): Promise<void> {
    const { page } = v;
    const label = `${where} (${v.js ? "JS on" : "JS off"}) ${pathOf(page)}`;
    expect.soft(await htmlLang(page), `${label}: <html lang>`).toBe(lang);
    expect.soft(await page.locator("body.js-enabled").count(), `${label}: body.js-enabled`).toBe(v.js ? 1 : 0);
    const violations = await this.axe(v);
    expect
      .soft(
        violations.map((x) => `${x.id} (${x.impact ?? "?"})`),
        formatViolations(label, violations),
      )
      .toEqual([]);
    await noSidewaysScroll(page, label);
  }

  /** Closes the audit context and every context the journey opened. */
  async close(): Promise<void> {
    await this.auditContext?.close();
    this.auditContext = undefined;
    for (const c of this.opened.splice(0)) await c.close();
  }
}

// ------------------------------------------------------------------ page weight

export interface Transfer {
  url: string;
  bytes: number;
  requests: { url: string; bytes: number; fromCache: boolean }[];
}

/**
 * Navigates and sums the bytes that came over the wire (compressed bodies plus
 * headers: `encodedDataLength` of Network.loadingFinished) until the network is idle.
 */
export async function measureNavigation(page: Page, cdp: CDPSession, url: string): Promise<Transfer> {
  const urls = new Map<string, string>();
  const cached = new Set<string>();
  const requests: Transfer["requests"] = [];
  const onRequest = (e: { requestId: string; request: { url: string } }) => urls.set(e.requestId, e.request.url);
  const onCache = (e: { requestId: string }) => cached.add(e.requestId);
  const onFinished = (e: { requestId: string; encodedDataLength: number }) =>
    requests.push({
      url: urls.get(e.requestId) ?? e.requestId,
      bytes: e.encodedDataLength,
      fromCache: cached.has(e.requestId),
    });
  cdp.on("Network.requestWillBeSent", onRequest);
  cdp.on("Network.requestServedFromCache", onCache);
  cdp.on("Network.loadingFinished", onFinished);
  try {
    await page.goto(url, { waitUntil: "networkidle" });
  } finally {
    cdp.off("Network.requestWillBeSent", onRequest);
    cdp.off("Network.requestServedFromCache", onCache);
    cdp.off("Network.loadingFinished", onFinished);
  }
  return { url, bytes: requests.reduce((sum, r) => sum + r.bytes, 0), requests };
}

export async function cdpWithNetwork(context: BrowserContext, page: Page): Promise<CDPSession> {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  return cdp;
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function describeTransfer(label: string, t: Transfer): string {
  const parts = t.requests.map((r) => `${new URL(r.url).pathname}${r.fromCache ? " (cache)" : ""} ${kb(r.bytes)}`);
  return `${label}: ${kb(t.bytes)} in ${t.requests.length} request(s) [${parts.join(", ")}]`;
}
