/**
 * Security headers as the browser receives them, and a browsing session with
 * JavaScript on that must produce no CSP violation, console error or page error.
 */
import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newContext, UNKNOWN_HOMOCLAVE, type Discovered, type E2eApp, useSession } from "./helpers.js";

let app: E2eApp;
let browser: Browser;
let found: Discovered;

useSession((s) => ({ app, browser, found } = s));

function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), values);
  }
  return out;
}

describe("security", () => {
  it.each([
    { name: "home", url: () => "/", status: 200 },
    { name: "procedure", url: () => `/tramites/${found.homoclave}`, status: 200 },
    { name: "results", url: () => "/en/search?q=passport", status: 200 },
    { name: "404 page", url: () => `/tramites/${UNKNOWN_HOMOCLAVE}`, status: 404 },
  ])("sends a strict CSP and the other security headers: $name", async (t) => {
    const context = await newContext(browser, { baseURL: app.base });
    try {
      const page = await context.newPage();
      const res = await page.goto(t.url());
      expect(res?.status()).toBe(t.status);
      const headers = await res!.allHeaders();
      const csp = headers["content-security-policy"];
      expect(csp, "Content-Security-Policy header").toBeDefined();
      const d = directives(csp!);
      const scriptSrc = d.get("script-src") ?? d.get("default-src");
      expect(scriptSrc, `script-src in ${csp}`).toBeDefined();
      expect(scriptSrc).not.toContain("'unsafe-inline'");
      expect(scriptSrc).not.toContain("'unsafe-eval'");
      expect(scriptSrc).not.toContain("*");
      expect(d.get("object-src")).toEqual(["'none'"]);
      expect(d.get("frame-ancestors")).toEqual(["'none'"]);
      expect(d.get("base-uri")).toEqual(["'self'"]);
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(headers["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
      expect(headers["x-powered-by"]).toBeUndefined();
      // No inline script on the page, except data blocks (JSON-LD), which browsers never execute.
      const inline = await page
        .locator("script:not([src])")
        .evaluateAll((els) => els.map((e) => e.getAttribute("type")));
      expect(inline.filter((type) => type !== "application/ld+json")).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("browsing with JavaScript on raises no CSP violation, console error or page error", async () => {
    const context = await newContext(browser, { baseURL: app.base, locale: "es-MX" });
    try {
      // Record CSP violations reported to the page itself (added through DevTools, so the CSP does not apply).
      await context.addInitScript(() => {
        const w = window as unknown as { __csp: string[] };
        w.__csp = [];
        document.addEventListener("securitypolicyviolation", (e) => {
          w.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
        });
      });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("console", (m) => {
        // A 404 page's own status is logged as a failed load of the document; that is the page doing its job.
        const ownStatus = /status of 404/.test(m.text()) && m.location().url === page.url();
        if ((m.type() === "error" && !ownStatus) || /Content Security Policy/i.test(m.text())) {
          problems.push(`console ${m.type()}: ${m.text()} at ${m.location().url} (page ${page.url()})`);
        }
      });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message} (${page.url()})`));
      page.on("requestfailed", (r) => {
        // Leaving a page cancels its pending suggestion fetches; that is not a failure.
        if (r.resourceType() === "fetch" && r.failure()?.errorText === "net::ERR_ABORTED") return;
        problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ""}`);
      });
      const cspViolations = async (p: Page) => p.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
      const seen: string[] = [];
      const enhanced = async () => (await page.locator("body.js-enabled").count()) === 1;
      const visit = async (url: string) => {
        await page.goto(url, { waitUntil: "networkidle" });
        if (!(await enhanced())) problems.push(`app.js did not run on ${url} (no body.js-enabled)`);
        seen.push(...(await cspViolations(page)));
      };

      await visit("/");
      const box = page.getByLabel("¿Qué trámite necesitas?");
      if (await enhanced()) {
        // Typing fetches suggestions from the API (connect-src) into the datalist.
        const suggested = page.waitForResponse((r) => r.url().includes("/api/v1/suggest"));
        await box.pressSequentially("pasap", { delay: 20 });
        expect((await suggested).status()).toBe(200);
        await page.waitForFunction(() => document.querySelectorAll("#q-suggestions option").length > 0);
      }
      await box.fill("pasaporte");
      await Promise.all([page.waitForURL((u) => u.pathname === "/buscar"), box.press("Enter")]);
      await page.waitForLoadState("networkidle");
      seen.push(...(await cspViolations(page)));

      await visit("/buscar?q=pasaporte&online=true");
      await visit(`/tramites/${found.homoclave}`);
      // The print button is revealed by the script.
      if (await enhanced())
        expect(await page.getByRole("button", { name: "Imprimir esta página" }).isVisible()).toBe(true);
      await visit(`/en/procedures/${found.homoclave}`);
      await visit("/instituciones");
      await visit(`/instituciones/${found.institution.acronym}`);
      await visit(`/momentos-de-vida/${found.lifeEvent.slug}`);
      await visit(`/tramites/${UNKNOWN_HOMOCLAVE}`);

      expect(seen, `CSP violations:\n${seen.join("\n")}`).toEqual([]);
      expect(problems, problems.join("\n")).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
