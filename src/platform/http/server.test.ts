/** The platform's HTTP behaviour: health, metrics, headers, compression, caching, errors. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../../../test/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: "GET", url, headers });

describe("platform", () => {
  it("reports health and readiness", async () => {
    expect((await get("/healthz")).json()).toEqual({ status: "ok" });
    expect((await get("/readyz")).json()).toEqual({ status: "ready" });
  });

  it("exposes request counts and durations by route", async () => {
    await get("/api/v1/life-events");
    const metrics = (await get("/metrics")).body;
    expect(metrics).toMatch(/http_requests_total\{method="GET",route="\/api\/v1\/life-events",status="200"\} \d+/);
    expect(metrics).toContain("http_request_duration_seconds_bucket");
  });

  it("sends strict security headers: CSP without inline script", async () => {
    const res = await get("/");
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["strict-transport-security"]).toContain("max-age=31536000");
    expect(res.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  });

  it("compresses with brotli or gzip", async () => {
    expect((await get("/", { "accept-encoding": "br" })).headers["content-encoding"]).toBe("br");
    expect((await get("/", { "accept-encoding": "gzip" })).headers["content-encoding"]).toBe("gzip");
  });

  it("caches fingerprinted assets for a year", async () => {
    const home = (await get("/")).body;
    const css = /href="(\/static\/app\.[0-9a-f]{12}\.css)"/.exec(home)?.[1];
    const js = /src="(\/static\/app\.[0-9a-f]{12}\.js)"/.exec(home)?.[1];
    for (const url of [css!, js!]) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    }
  });

  it("answers unknown API URLs with JSON and unknown pages with HTML", async () => {
    const api = await get("/api/v1/nothing");
    expect(api.statusCode).toBe(404);
    expect(api.json().error.status).toBe(404);
    const page = await get("/en/nothing");
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('<html lang="en"');
  });
});
