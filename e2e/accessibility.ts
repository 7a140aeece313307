/**
 * Accessibility of every page type in one language: axe-core (WCAG 2.2 AA rules)
 * in a real browser with the site's real CSP, and no horizontal scrolling on a 320 px screen
 * (WCAG 1.4.10 Reflow). accessibility-es.test.ts and accessibility-en.test.ts run it,
 * one file per language so the two test workers share the work.
 */
import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { paths } from "../src/domains/catalogue/paths.js";
import {
  formatViolations,
  horizontalOverflow,
  HUGE_QUERY,
  newContext,
  runAxe,
  stylesheetApplied,
  UNKNOWN_HOMOCLAVE,
  type Discovered,
  type E2eApp,
  useSession,
} from "./helpers.js";

export type Lang = "es" | "en";
interface PageType {
  name: string;
  status: number;
  url(lang: Lang): string;
}

function pageTypes(data: () => { found: Discovered; app: E2eApp }): PageType[] {
  const found = () => data().found;
  const fixture = () => data().app.fixture;
  return [
    { name: "home", status: 200, url: (l) => paths(l).home },
    { name: "results (with facets)", status: 200, url: (l) => `${paths(l).search}?q=pasaporte` },
    { name: "results (filtered)", status: 200, url: (l) => `${paths(l).search}?q=pasaporte&online=true&kind=tramite` },
    { name: "no results", status: 200, url: (l) => `${paths(l).search}?q=qxzwvkjh` },
    { name: "procedure", status: 200, url: (l) => paths(l).procedure(found().homoclave) },
    {
      name: "procedure (fixture, in person)",
      status: 200,
      url: (l) => paths(l).procedure(fixture().inPersonHomoclave),
    },
    { name: "institution list", status: 200, url: (l) => paths(l).institutions },
    { name: "institution", status: 200, url: (l) => paths(l).institution(found().institution.acronym) },
    { name: "life events", status: 200, url: (l) => paths(l).lifeEvents },
    { name: "life event", status: 200, url: (l) => paths(l).lifeEvent(found().lifeEvent.slug) },
    { name: "404", status: 404, url: (l) => paths(l).procedure(UNKNOWN_HOMOCLAVE) },
    { name: "400", status: 400, url: (l) => `${paths(l).search}?q=${encodeURIComponent(HUGE_QUERY)}` },
  ];
}

export function accessibilitySuite(lang: Lang): void {
  let app: E2eApp;
  let browser: Browser;
  let found: Discovered;

  useSession((s) => ({ app, browser, found } = s));

  const PAGE_TYPES = pageTypes(() => ({ found, app }));

  describe(`accessibility (${lang})`, () => {
    it.each(PAGE_TYPES)("axe finds no WCAG 2.2 AA violations: $name", async (type) => {
      const context = await newContext(browser, { baseURL: app.base });
      try {
        const page = await context.newPage();
        const url = type.url(lang);
        const res = await page.goto(url);
        expect(res?.status(), url.slice(0, 120)).toBe(type.status);
        expect(await page.locator("html").getAttribute("lang")).toBe(lang);
        const violations = await runAxe(page);
        const where = `${type.name} (${lang}) ${url.slice(0, 120)}`;
        expect(
          violations.map((v) => `${v.id} (${v.impact ?? "?"})`),
          formatViolations(where, violations),
        ).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it.each(PAGE_TYPES)("no horizontal scroll at 320 px: $name", async (type) => {
      const context = await newContext(browser, { baseURL: app.base, viewport: { width: 320, height: 640 } });
      try {
        const page = await context.newPage();
        const url = type.url(lang);
        const res = await page.goto(url);
        expect(res?.status()).toBe(type.status);
        expect(await stylesheetApplied(page), "the site's stylesheet (/static/app.*.css) loaded").toBe(true);
        const o = await horizontalOverflow(page);
        expect(o.viewport).toBe(320);
        expect(
          o.scrollWidth,
          `${type.name} (${lang}) ${url.slice(0, 120)} is ${o.scrollWidth}px wide at 320px; elements past the edge:\n  ${o.culprits.join("\n  ")}`,
        ).toBeLessThanOrEqual(320);
      } finally {
        await context.close();
      }
    });
  });
}
