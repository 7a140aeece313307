/**
 * Page weight budget, measured as what Chromium actually transferred (compressed
 * bodies plus headers): under 80 KB for a first visit with an empty cache, under
 * 20 KB for a further page once the fingerprinted CSS and JS are cached.
 */
import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  cdpWithNetwork,
  describeTransfer,
  kb,
  newContext,
  measureNavigation,
  type Discovered,
  type E2eApp,
  useSession,
} from "./helpers.js";

const FIRST_VISIT_BUDGET = 80 * 1024;
const CACHED_VISIT_BUDGET = 20 * 1024;

let app: E2eApp;
let browser: Browser;
let found: Discovered;

useSession((s) => ({ app, browser, found } = s));

const VISITS: { name: string; first: () => string; then: () => string }[] = [
  { name: "home", first: () => "/", then: () => "/buscar?q=pasaporte" },
  { name: "results", first: () => "/buscar?q=pasaporte", then: () => `/tramites/${found.homoclave}` },
  {
    name: "procedure",
    first: () => `/tramites/${found.homoclave}`,
    then: () => `/instituciones/${found.institution.acronym}`,
  },
];

describe("page weight", () => {
  it.each(VISITS)("first visit to $name < 80 KB, next page < 20 KB", async (visit) => {
    const context = await newContext(browser, { baseURL: app.base });
    try {
      const page = await context.newPage();
      const cdp = await cdpWithNetwork(context, page);
      const first = await measureNavigation(page, cdp, new URL(visit.first(), app.base).toString());
      console.log(describeTransfer(`first visit ${visit.first()}`, first));
      const main = first.requests.find((r) => r.url === first.url);
      expect(main, "the page itself was measured").toBeDefined();
      expect(
        first.requests.some((r) => /\/static\/app\.[0-9a-f]{12}\.css$/.test(r.url)),
        "the stylesheet was measured",
      ).toBe(true);
      expect(
        first.requests.some((r) => /\/static\/app\.[0-9a-f]{12}\.js$/.test(r.url)),
        "the script was measured",
      ).toBe(true);
      expect(first.bytes, `${describeTransfer(visit.first(), first)} — budget ${kb(FIRST_VISIT_BUDGET)}`).toBeLessThan(
        FIRST_VISIT_BUDGET,
      );

      const next = await measureNavigation(page, cdp, new URL(visit.then(), app.base).toString());
      console.log(describeTransfer(`then ${visit.then()} (assets cached)`, next));
      const refetched = next.requests.filter(
        (r) => /\/static\/app\.[0-9a-f]{12}\./.test(r.url) && r.bytes > 0 && !r.fromCache,
      );
      expect(refetched, "fingerprinted assets are not downloaded again").toEqual([]);
      expect(next.bytes, `${describeTransfer(visit.then(), next)} — budget ${kb(CACHED_VISIT_BUDGET)}`).toBeLessThan(
        CACHED_VISIT_BUDGET,
      );
      await cdp.detach();
    } finally {
      await context.close();
    }
  });

  it("serves every stylesheet, script and icon that the pages link to", async () => {
    const context = await newContext(browser, { baseURL: app.base });
    try {
      const page = await context.newPage();
      const broken: string[] = [];
      for (const url of ["/", `/tramites/${found.homoclave}`, "/en/search?q=passport"]) {
        await page.goto(url);
        const links = await page
          .locator("head link[href]:not([rel=alternate]):not([rel=canonical]), script[src]")
          .evaluateAll((els) => els.map((e) => e.getAttribute("href") ?? e.getAttribute("src") ?? ""));
        expect(links.length).toBeGreaterThanOrEqual(3);
        for (const link of links) {
          const res = await page.request.get(new URL(link, app.base).toString());
          if (res.status() !== 200)
            broken.push(`${url}: ${link} answers ${res.status()} ${res.headers()["content-type"] ?? ""}`);
        }
      }
      expect(broken, broken.join("\n")).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("serves HTML and assets compressed, assets as immutable", async () => {
    const context = await newContext(browser, { baseURL: app.base });
    try {
      const page = await context.newPage();
      const assets: { url: string; encoding: string | undefined; cacheControl: string | undefined }[] = [];
      page.on("response", (r) => {
        if (r.url().includes("/static/app.")) {
          const h = r.headers();
          assets.push({ url: r.url(), encoding: h["content-encoding"], cacheControl: h["cache-control"] });
        }
      });
      const res = await page.goto("/", { waitUntil: "networkidle" });
      expect(res?.headers()["content-encoding"]).toMatch(/^(br|gzip|zstd)$/);
      expect(assets).toHaveLength(2);
      for (const a of assets) {
        expect(a.encoding, a.url).toMatch(/^(br|gzip|zstd)$/);
        expect(a.cacheControl, a.url).toContain("immutable");
      }
    } finally {
      await context.close();
    }
  });
});
