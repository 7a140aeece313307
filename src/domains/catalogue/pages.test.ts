/** HTTP tests of the catalogue's HTML pages: content, languages, bad input and headers. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../../../test/app.js";
import { institution, procedure } from "../../../test/factories.js";
import * as catalogue from "./catalogue.js";

let t: TestApp;
let acronym: string;
let homoclave: string;

beforeAll(async () => {
  t = await openTestApp();
  const inst = institution({ name: { es: "Comisión de Faros", en: "Lighthouse Commission" } });
  acronym = inst.acronym;
  const p = procedure(acronym, {
    citizenName: { es: "Pedir permiso para un faro <b>", en: "Ask for a lighthouse permit" },
    description: {
      es: "Permiso para operar un faro costero en la zona federal.",
      en: "Permit to run a coastal lighthouse.",
    },
    cost: { type: "fixed", amountMxn: 1585.5 },
    keywords: { es: ["faro", "costa"] },
    channels: {
      online: { url: "https://www.gob.mx/faros" },
      inPerson: [
        {
          name: "Oficina central",
          address: "Av. Reforma 1, Cuauhtémoc",
          hours: "Lunes a viernes de 9:00 a 15:00",
          municipalityCode: "09015",
        },
      ],
      phone: [{ number: "800 123 4567" }],
    },
    lifeEvents: ["viajar-al-extranjero"],
  });
  homoclave = p.homoclave;
  await catalogue.importCatalogue(t.ctx, { institutions: [{ value: inst }], procedures: [{ value: p }] });
});
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ method: "GET", url });

describe("pages", () => {
  it("home, in Spanish and English", async () => {
    const es = await get("/");
    expect(es.statusCode).toBe(200);
    expect(es.headers["content-type"]).toContain("text/html");
    expect(es.body).toContain('<html lang="es"');
    expect(es.body).toContain('action="/buscar"');
    const en = await get("/en");
    expect(en.body).toContain('<html lang="en"');
    expect(en.body).toContain('href="/" hreflang="es"');
  });

  it("procedure page: every field, escaped text, money by locale and schema.org JSON-LD", async () => {
    const res = await get(`/tramites/${homoclave}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("Pedir permiso para un faro &lt;b>");
    expect(res.body).not.toContain("faro <b>");
    expect(res.body).toContain("$1,585.50");
    expect(res.body).toContain("10 días hábiles");
    expect(res.body).toContain("negativa ficta");
    expect(res.body).toContain("Lunes a viernes de 9:00 a 15:00");
    expect(res.body).toContain("Ley Federal de Procedimiento Administrativo");
    expect(res.body).toContain("Iniciar en línea");
    const ld = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(res.body)?.[1];
    expect(JSON.parse(ld!)).toMatchObject({ "@type": "GovernmentService" });
    const en = await get(`/en/procedures/${homoclave}`);
    expect(en.body).toContain("Ask for a lighthouse permit");
    expect(en.body).toContain("MX$1,585.50");
    expect(en.body).toContain(`href="/tramites/${homoclave}"`);
  });

  it("search results with facets, snippets and a did-you-mean", async () => {
    const res = await get(`/buscar?q=faro&institution=${acronym}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`href="/tramites/${homoclave}"`);
    expect(res.body).toContain("<mark>");
    expect(res.body).toContain(`value="${acronym}" checked`);
    const typo = await get(`/buscar?q=farro&institution=${acronym}`);
    expect(typo.body).toContain("¿Quisiste decir");
    const none = await get("/buscar?q=zzzqqqxxx");
    expect(none.statusCode).toBe(200);
    expect(none.body).toContain("No encontramos trámites");
  });

  it("institution and life-event pages list their procedures", async () => {
    expect((await get(`/instituciones/${acronym}`)).body).toContain(homoclave);
    expect((await get("/instituciones")).body).toContain("Comisión de Faros");
    expect((await get("/momentos-de-vida/viajar-al-extranjero")).body).toContain(homoclave);
    expect((await get("/en/life-events")).statusCode).toBe(200);
  });

  it("sitemap lists procedures in both languages", async () => {
    const res = await get("/sitemap.xml");
    expect(res.headers["content-type"]).toContain("application/xml");
    expect(res.body).toContain(`https://ventanilla.test/tramites/${homoclave}`);
    expect(res.body).toContain(`https://ventanilla.test/en/procedures/${homoclave}`);
  });
});

describe("bad input on pages", () => {
  it.each([
    ["an overlong search", `/buscar?q=${"x".repeat(10_000)}`, 400, "demasiado larga"],
    ["a negative page", "/buscar?q=faro&page=-3", 400, "página"],
    ["a huge page", "/buscar?q=faro&page=123456789", 400, "página"],
    ["a bad filter value", "/buscar?kind=<script>", 400, "no es válido"],
    ["an unknown homoclave", "/tramites/NOPE-00-000", 404, "NOPE-00-000"],
    ["an unknown page", "/no/existe", 404, "no existe"],
    ["an unknown institution", "/instituciones/NADA", 404, "NADA"],
    ["an English overlong search", `/en/search?q=${"x".repeat(300)}`, 400, "too long"],
  ])("%s gets a helpful page", async (_what, url, status, text) => {
    const res = await get(url);
    expect(res.statusCode).toBe(status);
    expect(res.headers["content-type"]).toContain("text/html");
    expect(res.body).toContain(text);
    expect(res.body).toContain('name="q"');
  });

  it("hostile search text comes back escaped", async () => {
    const res = await get(`/buscar?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain("<script>alert(1)</script>");
    const control = await get(`/buscar?q=${encodeURIComponent("a\u0000b\u001b")}`);
    expect(control.statusCode).toBe(200);
  });

  it("unknown query parameters are ignored on pages", async () => {
    expect((await get("/buscar?q=faro&utm_source=x")).statusCode).toBe(200);
  });
});
