/** The real CPSV-AP exports, as served over the whole demo catalogue, checked with the official shapes. */
import { Parser } from "n3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../../../test/app.js";
import { jsonLdToQuads, lines, validate } from "../../../test/shacl.js";
import * as catalogue from "./catalogue.js";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

describe("CPSV-AP 3.2 export of the demo catalogue", () => {
  it("/catalogue.ttl conforms to the official shapes and holds every published procedure", async () => {
    const res = await t.app.inject({ method: "GET", url: "/catalogue.ttl" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/turtle");
    const quads = new Parser().parse(res.body);
    const { conforms, violations } = await validate(quads);
    expect(violations.slice(0, 20)).toEqual([]);
    expect(conforms).toBe(true);
    const services = quads.filter(
      (q) => q.predicate.value.endsWith("#type") && q.object.value === "http://purl.org/vocab/cpsv#PublicService",
    );
    expect(services.length).toBe(await catalogue.countProcedures(t.ctx));
  }, 180_000);

  it("/catalogue.jsonld states the same graph", async () => {
    const [ttl, jsonld] = await Promise.all([
      t.app.inject({ method: "GET", url: "/catalogue.ttl" }),
      t.app.inject({ method: "GET", url: "/catalogue.jsonld" }),
    ]);
    expect(jsonld.headers["content-type"]).toContain("application/ld+json");
    const fromJsonLd = await jsonLdToQuads(jsonld.json());
    expect(lines(fromJsonLd)).toEqual(lines(new Parser().parse(ttl.body)));
  }, 180_000);
});
