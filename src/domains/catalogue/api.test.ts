/** HTTP tests of every catalogue API route, with bad input and other institutions' tokens. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../../../test/app.js";
import { institution, procedure } from "../../../test/factories.js";
import { createApiToken } from "../accounts/tokens.js";
import * as catalogue from "./catalogue.js";

let t: TestApp;
let acronym: string;
let otherAcronym: string;
let ownToken: string;
let otherToken: string;
let platformToken: string;
let adminToken: string;
let homoclave: string;

beforeAll(async () => {
  t = await openTestApp();
  const inst = institution();
  const other = institution();
  acronym = inst.acronym;
  otherAcronym = other.acronym;
  const p = procedure(acronym, {
    citizenName: { es: "Registrar un astrolabio antiguo", en: "Register an old astrolabe" },
    keywords: { es: ["astrolabio"] },
  });
  homoclave = p.homoclave;
  await catalogue.importCatalogue(t.ctx, {
    institutions: [{ value: inst }, { value: other }],
    procedures: [{ value: p }],
  });
  ownToken = (await createApiToken(t.ctx, { name: "own", institution: acronym, scopes: ["catalogue:write"] })).token;
  otherToken = (await createApiToken(t.ctx, { name: "other", institution: otherAcronym, scopes: ["catalogue:write"] }))
    .token;
  platformToken = (await createApiToken(t.ctx, { name: "platform", scopes: ["catalogue:write"] })).token;
  adminToken = (await createApiToken(t.ctx, { name: "admin", scopes: ["catalogue:admin"] })).token;
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: "GET", url, headers });

describe("GET /api/v1/procedures", () => {
  it("searches and pages", async () => {
    const res = await get("/api/v1/procedures?q=astrolabio&pageSize=5");
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.data[0]).toMatchObject({
      homoclave,
      name: "Registrar un astrolabio antiguo",
      free: true,
      online: true,
    });
    expect(body.data[0].url).toBe(`https://ventanilla.test/tramites/${homoclave}`);
    expect(body.meta).toMatchObject({ total: 1, page: 1, pageSize: 5, pages: 1 });
    const en = (await get("/api/v1/procedures?q=astrolabio&lang=en")).json();
    expect(en.data[0].name).toBe("Register an old astrolabe");
    expect(en.data[0].url).toBe(`https://ventanilla.test/en/procedures/${homoclave}`);
  });

  it("filters by institution and says when there is a next page", async () => {
    const res = (await get(`/api/v1/procedures?institution=${acronym}&pageSize=1`)).json();
    expect(res.meta.total).toBe(1);
    const all = (await get("/api/v1/procedures?pageSize=1")).json();
    expect(all.links.next).toContain("page=2");
  });

  it("answers ETag revalidation with 304", async () => {
    const first = await get(`/api/v1/procedures/${homoclave}`);
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    const again = await get(`/api/v1/procedures/${homoclave}`, { "if-none-match": etag });
    expect(again.statusCode).toBe(304);
    const list = await get("/api/v1/institutions");
    expect((await get("/api/v1/institutions", { "if-none-match": list.headers.etag as string })).statusCode).toBe(304);
  });

  it.each([
    ["a 10,000-character search", `q=${"a".repeat(10_000)}`],
    ["a negative page", "page=-1"],
    ["a huge page", "page=99999999999"],
    ["a page that is not a number", "page=dos"],
    ["an unknown filter", "color=rojo"],
    ["a bad kind", "kind=otro"],
    ["a bad institution", "institution=%3Cscript%3E"],
    ["a page size too large", "pageSize=10000"],
  ])("refuses %s with a 400 and a message", async (_what, qs) => {
    const res = await get(`/api/v1/procedures?${qs}`);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.status).toBe(400);
    expect(body.error.message).toMatch(/no es válida|demasiado larga|página/i);
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it("gives errors in English when asked", async () => {
    const res = await get("/api/v1/procedures?page=0", { "accept-language": "en-GB,en;q=0.9" });
    expect(res.json().error.message).toMatch(/request is not valid/);
  });

  it.each(["'; drop table procedures; --", "<img src=x onerror=alert(1)>", '"""', "😀", "%00", "a:* & !b"])(
    "treats %s as words, not syntax",
    async (q) => {
      const res = await get(`/api/v1/procedures?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().meta.total).toBeGreaterThanOrEqual(0);
    },
  );
});

describe("read routes", () => {
  it("returns one procedure with every field, and 404 for an unknown homoclave", async () => {
    const res = await get(`/api/v1/procedures/${homoclave}`);
    expect(res.statusCode).toBe(200);
    const data = res.json().data;
    expect(data).toMatchObject({
      homoclave,
      institution: acronym,
      silenceRule: "negativa_ficta",
      maxResolutionDays: 10,
    });
    expect(data.requirements[0]).toMatchObject({ original: true, copies: 1, uploadable: true });
    const missing = await get("/api/v1/procedures/NOPE-99-999");
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toContain("NOPE-99-999");
    expect((await get(`/api/v1/procedures/${"X".repeat(300)}`)).statusCode).toBeLessThan(500);
  });

  it("lists institutions and life events, and shows one institution", async () => {
    const list = (await get("/api/v1/institutions")).json().data as { acronym: string }[];
    expect(list.map((i) => i.acronym)).toContain(acronym);
    const one = await get(`/api/v1/institutions/${acronym}`);
    expect(one.json().data).toMatchObject({ acronym, procedureCount: 1, jurisdiction: { level: "federal" } });
    expect((await get("/api/v1/institutions/NADA")).statusCode).toBe(404);
    const events = (await get("/api/v1/life-events")).json().data as { slug: string }[];
    expect(events.map((e) => e.slug)).toContain("identidad-y-documentos");
  });

  it("suggests while typing, and refuses overlong input", async () => {
    const res = (await get("/api/v1/suggest?q=astrol")).json();
    expect(res.suggestions[0]).toEqual({ homoclave, name: "Registrar un astrolabio antiguo" });
    expect((await get(`/api/v1/suggest?q=${"x".repeat(500)}`)).statusCode).toBe(400);
    expect((await get("/api/v1/suggest")).statusCode).toBe(400);
  });

  it("serves the OpenAPI document and its readable reference", async () => {
    const doc = (await get("/api/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/procedures",
        "/api/v1/procedures/{homoclave}",
        "/api/v1/institutions",
        "/api/v1/life-events",
        "/api/v1/imports",
      ]),
    );
    const page = await get("/api/docs");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("/api/v1/procedures/{homoclave}");
  });
});

describe("POST /api/v1/imports", () => {
  const post = (body: unknown, token?: string, contentType = "application/json", qs = "") =>
    t.app.inject({
      method: "POST",
      url: `/api/v1/imports${qs}`,
      headers: { "content-type": contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
  const doc = (procedures: unknown[], extra: Record<string, unknown> = {}) => ({
    format: "ventanilla-catalogue/1",
    procedures,
    ...extra,
  });

  it("needs a token: none or a wrong one gets 401 and writes nothing", async () => {
    const p = procedure(acronym);
    expect((await post(doc([p]))).statusCode).toBe(401);
    expect((await post(doc([p]), "vt_not_a_real_token_000000")).statusCode).toBe(401);
    expect((await get(`/api/v1/procedures/${p.homoclave}`)).statusCode).toBe(404);
  });

  it("lets an institution write only its own procedures", async () => {
    const mine = procedure(acronym);
    const theirs = procedure(otherAcronym);
    const res = await post(doc([mine, theirs]), ownToken);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain(otherAcronym);
    expect((await get(`/api/v1/procedures/${mine.homoclave}`)).statusCode).toBe(404);
    // Another institution's token cannot overwrite ours either.
    const takeover = { ...procedure(acronym), homoclave };
    expect((await post(doc([takeover]), otherToken)).statusCode).toBe(403);
    const ok = await post(doc([mine]), ownToken);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().report.procedures.created).toBe(1);
  });

  it("keeps institutions and life events to platform-wide tokens", async () => {
    const lifeEvent = { slug: "evento-prueba", name: { es: "Evento" }, description: { es: "Desc" } };
    expect((await post(doc([], { lifeEvents: [lifeEvent] }), ownToken)).statusCode).toBe(403);
    expect((await post(doc([], { institutions: [institution()] }), ownToken)).statusCode).toBe(403);
    expect((await post(doc([], { lifeEvents: [lifeEvent] }), platformToken)).statusCode).toBe(200);
    expect((await post(doc([], { lifeEvents: [lifeEvent] }), adminToken)).statusCode).toBe(403);
  });

  it("answers invalid records with 422 and the report, and writes nothing", async () => {
    const good = procedure(acronym);
    const res = await post(doc([good, { ...procedure(acronym), kind: "otro" }]), ownToken);
    expect(res.statusCode).toBe(422);
    const report = res.json().report;
    expect(report.written).toBe(false);
    expect(report.errors[0]).toMatchObject({ record: 2, field: "procedures[2].kind" });
    expect((await get(`/api/v1/procedures/${good.homoclave}`)).statusCode).toBe(404);
    const partial = await post(
      doc([good, { ...procedure(acronym), kind: "otro" }]),
      ownToken,
      "application/json",
      "?partial=true",
    );
    expect(partial.statusCode).toBe(200);
    expect((await get(`/api/v1/procedures/${good.homoclave}`)).statusCode).toBe(200);
  });

  it("takes CSV", async () => {
    const csv = [
      "homoclave,institution,kind,official_name_es,citizen_name_es,description_es,legal_basis,last_reviewed,life_events",
      `${acronym}-77-001,${acronym},servicio,Consulta,Consultar algo,Consulta de algo.,Ley; art. 1,2026-02-02,estudiar`,
    ].join("\n");
    const res = await post(csv, ownToken, "text/csv");
    expect(res.statusCode).toBe(200);
    expect((await get(`/api/v1/procedures/${acronym}-77-001`)).json().data.kind).toBe("servicio");
  });

  it("refuses malformed and oversized bodies clearly", async () => {
    expect((await post("{not json", ownToken)).statusCode).toBe(400);
    expect((await post({ format: "otra-cosa" }, ownToken)).statusCode).toBe(400);
    expect((await post([], ownToken)).statusCode).toBe(400);
    expect((await post("<xml/>", ownToken, "application/xml")).statusCode).toBe(415);
    expect((await post('homoclave,institution,kind\n"sin cerrar', ownToken, "text/csv")).statusCode).toBe(400);
    const huge = Buffer.alloc(21 * 1024 * 1024, 0x61);
    const res = await post(huge, ownToken, "text/csv");
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toMatch(/demasiado grande/);
  });
});

describe("synonyms", () => {
  it("can be read by anyone and changed only by a platform admin token", async () => {
    const add = (token?: string) =>
      t.app.inject({
        method: "POST",
        url: "/api/v1/synonyms",
        headers: token ? { authorization: `Bearer ${token}` } : {},
        payload: { terms: ["astrolabio", "sextante"] },
      });
    expect((await add()).statusCode).toBe(401);
    expect((await add(ownToken)).statusCode).toBe(403);
    expect((await add(platformToken)).statusCode).toBe(403);
    const created = await add(adminToken);
    expect(created.statusCode).toBe(201);
    const found = (await get("/api/v1/procedures?q=sextante")).json();
    expect(found.data.map((d: { homoclave: string }) => d.homoclave)).toContain(homoclave);
    const id = created.json().id as number;
    const del = (token?: string) =>
      t.app.inject({
        method: "DELETE",
        url: `/api/v1/synonyms/${id}`,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    expect((await del(ownToken)).statusCode).toBe(403);
    expect((await del(adminToken)).statusCode).toBe(204);
    expect((await del(adminToken)).statusCode).toBe(404);
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/v1/synonyms",
      headers: { authorization: `Bearer ${adminToken}` },
      payload: { terms: ["solo"] },
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe("rate limit", () => {
  it("limits searches per client with a clear 429", async () => {
    const limited = await openTestApp({ SEARCH_RATE_LIMIT: "3" });
    try {
      const search = () =>
        limited.app.inject({ method: "GET", url: "/api/v1/procedures?q=acta", remoteAddress: "198.51.100.7" });
      for (let i = 0; i < 3; i++) expect((await search()).statusCode).toBe(200);
      const refused = await search();
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.message).toMatch(/Demasiadas solicitudes/);
      const page = await limited.app.inject({ method: "GET", url: "/buscar?q=acta", remoteAddress: "198.51.100.8" });
      expect(page.statusCode).toBe(200);
      const other = await limited.app.inject({
        method: "GET",
        url: "/api/v1/procedures?q=acta",
        remoteAddress: "198.51.100.9",
      });
      expect(other.statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
