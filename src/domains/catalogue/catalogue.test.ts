/** The catalogue's use cases against the real database (PGlite, or PostgreSQL with DATABASE_URL). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ctx } from "../../platform/context.js";
import { DomainError } from "../../platform/errors.js";
import { openTestCtx, type TestDb } from "../../../test/db.js";
import { institution, procedure } from "../../../test/factories.js";
import * as catalogue from "./catalogue.js";
import { recordsFromCsv } from "./csv.js";

let db: TestDb;
let ctx: Ctx;

beforeAll(async () => {
  ({ db, ctx } = await openTestCtx());
});
afterAll(() => db.drop());

const asRecords = (values: unknown[]) => values.map((value) => ({ value }));

describe("import", () => {
  it("writes institutions and procedures, and a second import of the same file changes nothing", async () => {
    const inst = institution();
    const procs = [procedure(inst.acronym), procedure(inst.acronym, { cost: { type: "fixed", amountMxn: 1585 } })];
    const input = { institutions: asRecords([inst]), procedures: asRecords(procs) };
    const first = await catalogue.importCatalogue(ctx, input);
    expect(first.written).toBe(true);
    expect(first.institutions).toEqual({ created: 1, updated: 0 });
    expect(first.procedures).toEqual({ created: 2, updated: 0 });
    const stored = await catalogue.getPublishedProcedure(ctx, procs[1]!.homoclave);
    const before = stored.updatedAt;

    const second = await catalogue.importCatalogue(ctx, input);
    expect(second.procedures).toEqual({ created: 0, updated: 2 });
    const after = await catalogue.getPublishedProcedure(ctx, procs[1]!.homoclave);
    expect(after.updatedAt).toBe(before);
    expect(after.record).toEqual(stored.record);
    expect((await catalogue.proceduresOfInstitution(ctx, inst.acronym)).length).toBe(2);
  });

  it("writes nothing when any record is invalid, and names the record and field", async () => {
    const inst = institution();
    const good = procedure(inst.acronym);
    const bad = { ...procedure(inst.acronym), cost: { type: "fixed", amountMxn: -5 } };
    const noName = { ...procedure(inst.acronym), citizenName: undefined };
    const report = await catalogue.importCatalogue(ctx, {
      institutions: asRecords([inst]),
      procedures: asRecords([good, bad, noName]),
    });
    expect(report.written).toBe(false);
    expect(report.invalidRecords).toBe(2);
    expect(report.errors.some((e) => e.record === 2 && e.field.includes("cost"))).toBe(true);
    expect(report.errors.some((e) => e.record === 3 && e.field.endsWith("citizenName"))).toBe(true);
    await expect(catalogue.getInstitution(ctx, inst.acronym)).rejects.toThrow(DomainError);
    await expect(catalogue.getPublishedProcedure(ctx, good.homoclave)).rejects.toThrow(DomainError);
  });

  it("with partial, writes the valid records and lists the rest", async () => {
    const inst = institution();
    const good = procedure(inst.acronym);
    const unknownEvent = procedure(inst.acronym, { lifeEvents: ["no-existe"] });
    const report = await catalogue.importCatalogue(ctx, {
      institutions: asRecords([inst]),
      procedures: asRecords([good, unknownEvent]),
      partial: true,
    });
    expect(report.written).toBe(true);
    expect(report.procedures.created).toBe(1);
    expect(report.errors).toEqual([
      expect.objectContaining({ record: 2, field: "procedures[2].lifeEvents", message: 'no life event "no-existe"' }),
    ]);
    await expect(catalogue.getPublishedProcedure(ctx, unknownEvent.homoclave)).rejects.toThrow(DomainError);
  });

  it("refuses unknown institutions, duplicate homoclaves and unknown municipalities", async () => {
    const inst = institution();
    const a = procedure(inst.acronym);
    const report = await catalogue.importCatalogue(ctx, {
      institutions: asRecords([inst]),
      procedures: asRecords([
        a,
        { ...a },
        procedure("NOEXISTE"),
        procedure(inst.acronym, {
          channels: { inPerson: [{ name: "Oficina", address: "Calle 1", hours: "9 a 14", municipalityCode: "99999" }] },
        }),
      ]),
    });
    expect(report.written).toBe(false);
    const messages = report.errors.map((e) => `${e.record}:${e.message}`);
    expect(messages).toContain(`2:${a.homoclave} appears twice in the file (also record 1)`);
    expect(messages).toContain("3:no institution with acronym NOEXISTE");
    expect(messages).toContain("4:no municipality 99999");
  });

  it("reads the documented JSON format and rejects other shapes", () => {
    expect(() => catalogue.recordsFromJson([])).toThrow(/JSON object/);
    expect(() => catalogue.recordsFromJson({ format: "otro" })).toThrow(/format/);
    expect(() => catalogue.recordsFromJson({ format: "ventanilla-catalogue/1", procedures: {} })).toThrow(/list/);
    expect(() => catalogue.recordsFromJson({ format: "ventanilla-catalogue/1", extra: [] })).toThrow(
      /Unknown sections/,
    );
    expect(catalogue.recordsFromJson({ format: "ventanilla-catalogue/1", procedures: [1, 2] }).procedures).toHaveLength(
      2,
    );
  });
});

describe("CSV import", () => {
  it("reports errors with the line of the file", async () => {
    const inst = institution();
    await catalogue.importCatalogue(ctx, { institutions: asRecords([inst]) });
    const csv = [
      "homoclave,institution,kind,official_name_es,citizen_name_es,description_es,cost_type,cost_amount_mxn,legal_basis,last_reviewed,life_events",
      `${inst.acronym}-05-001,${inst.acronym},tramite,Expedición de permiso,Sacar un permiso,Permiso para algo.,fixed,250,Ley General; art. 5,2026-01-10,`,
      `${inst.acronym}-05-002,${inst.acronym},tramite,Otro permiso,Otro permiso,"Descripción, con coma.",fixed,abc,Ley General; art. 6,2026-01-10,`,
    ].join("\n");
    const records = recordsFromCsv(csv);
    expect(records.map((r) => r.line)).toEqual([2, 3]);
    const report = await catalogue.importCatalogue(ctx, { procedures: records });
    expect(report.written).toBe(false);
    expect(report.errors[0]).toMatchObject({ line: 3, record: 2 });
    expect(report.errors[0]!.field).toContain("cost");

    const fixed = csv.replace(",fixed,abc,", ",free,,");
    const ok = await catalogue.importCatalogue(ctx, { procedures: recordsFromCsv(fixed) });
    expect(ok.procedures.created).toBe(2);
    const p = await catalogue.getPublishedProcedure(ctx, `${inst.acronym}-05-001`);
    expect(p.record.cost).toEqual({ type: "fixed", amountMxn: 250 });
    expect(p.record.legalBasis).toEqual([{ law: "Ley General", article: "art. 5" }]);
  });

  it("refuses unknown columns, missing columns and broken quoting", () => {
    expect(() => recordsFromCsv("homoclave,institution,kind,zzz\n")).toThrow(/Unknown CSV columns: zzz/);
    expect(() => recordsFromCsv("homoclave,institution\n")).toThrow(/Missing CSV columns/);
    expect(() =>
      recordsFromCsv('homoclave,institution,kind,official_name_es,citizen_name_es,description_es\n"A,B,C,D,E,F\n'),
    ).toThrow(DomainError);
  });
});

describe("search", () => {
  let acronym: string;
  beforeAll(async () => {
    const inst = institution({ name: { es: "Secretaría de Viajes de Prueba" } });
    acronym = inst.acronym;
    await catalogue.importCatalogue(ctx, {
      institutions: asRecords([inst]),
      procedures: asRecords([
        procedure(acronym, {
          homoclave: `${acronym}-02-001`,
          citizenName: { es: "Tramitar el zarpazo marítimo por primera vez", en: "Apply for a maritime zarpazo" },
          officialName: { es: "Expedición de zarpazo marítimo ordinario" },
          keywords: { es: ["zarpazo", "barco", "velero"] },
          popularity: 10,
          channels: { online: { url: "https://example.gob.mx" } },
        }),
        procedure(acronym, {
          homoclave: `${acronym}-02-002`,
          kind: "servicio",
          audience: ["persona_moral"],
          citizenName: { es: "Consultar el padrón de veleros" },
          officialName: { es: "Consulta del padrón nacional de veleros" },
          keywords: { es: ["velero", "padrón"] },
          cost: { type: "fixed", amountMxn: 100 },
          channels: {},
        }),
      ]),
    });
    await catalogue.addSynonyms(ctx, ["zarpazo", "permiso de navegación"]);
  });

  const homoclaves = (r: catalogue.SearchResult) => r.hits.map((h) => h.homoclave);

  it("finds words without accents and in other forms (stemming)", async () => {
    const r = await catalogue.searchProcedures(ctx, { q: "maritimo zarpazos", institutions: [acronym] });
    expect(homoclaves(r)[0]).toBe(`${acronym}-02-001`);
  });

  it("finds procedures through synonyms", async () => {
    const r = await catalogue.searchProcedures(ctx, { q: "permiso de navegación", institutions: [acronym] });
    expect(homoclaves(r)).toContain(`${acronym}-02-001`);
  });

  it("corrects typos and says what it meant", async () => {
    const r = await catalogue.searchProcedures(ctx, { q: "zarpaso", institutions: [acronym] });
    expect(r.suggestion).toBe("zarpazo");
    expect(homoclaves(r)[0]).toBe(`${acronym}-02-001`);
  });

  it("learns a new word as soon as an import brings it, although it remembers the words it analysed", async () => {
    const before = await catalogue.searchProcedures(ctx, { q: "zarpasito", institutions: [acronym] });
    expect(before.suggestion).toBe("zarpazo");
    // Asked again: the same answer (from the per-process memory of analysed words).
    expect((await catalogue.searchProcedures(ctx, { q: "zarpasito", institutions: [acronym] })).suggestion).toBe(
      "zarpazo",
    );
    const other = institution();
    const p = procedure(other.acronym, {
      citizenName: { es: "Registrar un zarpasito de prueba" },
      officialName: { es: "Registro de zarpasito" },
      keywords: { es: ["zarpasito"] },
    });
    const imported = await catalogue.importCatalogue(ctx, {
      institutions: asRecords([other]),
      procedures: asRecords([p]),
    });
    expect(imported.written).toBe(true);
    const after = await catalogue.searchProcedures(ctx, { q: "zarpasito", institutions: [other.acronym] });
    expect(after.suggestion).toBeNull();
    expect(homoclaves(after)).toContain(p.homoclave);
  });

  it("filters by kind, audience, online and free, and counts facets", async () => {
    const all = await catalogue.searchProcedures(ctx, { q: "velero", institutions: [acronym], withFacets: true });
    expect(all.total).toBe(2);
    expect(all.facets).toContainEqual({ facet: "kind", value: "servicio", count: 1 });
    expect(all.facets).toContainEqual({ facet: "free", value: "true", count: 1 });
    expect(all.facets).toContainEqual({ facet: "institution", value: acronym, count: 2 });
    const services = await catalogue.searchProcedures(ctx, { q: "velero", institutions: [acronym], kind: "servicio" });
    expect(homoclaves(services)).toEqual([`${acronym}-02-002`]);
    const companies = await catalogue.searchProcedures(ctx, { institutions: [acronym], audience: "persona_moral" });
    expect(homoclaves(companies)).toEqual([`${acronym}-02-002`]);
    const online = await catalogue.searchProcedures(ctx, { institutions: [acronym], online: true, free: true });
    expect(homoclaves(online)).toEqual([`${acronym}-02-001`]);
  });

  it("highlights the matched words in the snippet", async () => {
    const r = await catalogue.searchProcedures(ctx, { q: "constancia", institutions: [acronym] });
    expect(r.hits[0]!.snippet).toContain("\u0001Constancia\u0002");
  });

  it("answers hostile input with no results or a clear error, never a database error", async () => {
    for (const q of [
      "'; drop table procedures; --",
      "<script>alert(1)</script>",
      '"unbalanced',
      "🙂🙂",
      "\u0000\u0007x",
      "a & | ! :*",
    ]) {
      const r = await catalogue.searchProcedures(ctx, { q });
      expect(r.total).toBeGreaterThanOrEqual(0);
    }
    await expect(catalogue.searchProcedures(ctx, { q: "x".repeat(10_000) })).rejects.toMatchObject({ code: "invalid" });
    await expect(catalogue.searchProcedures(ctx, { q: "a", page: -1 })).rejects.toMatchObject({ code: "invalid" });
    await expect(catalogue.searchProcedures(ctx, { q: "a", page: 10 ** 9 })).rejects.toMatchObject({ code: "invalid" });
    expect(await catalogue.countProcedures(ctx)).toBeGreaterThan(0);
  });

  it("pages beyond the end answer with the real total and no hits", async () => {
    const r = await catalogue.searchProcedures(ctx, { q: "velero", institutions: [acronym], page: 40 });
    expect(r.hits).toEqual([]);
    expect(r.total).toBe(2);
  });

  it("suggests procedures from the first letters", async () => {
    const s = await catalogue.suggestProcedures(ctx, "zarpa", "es");
    expect(s.map((x) => x.homoclave)).toContain(`${acronym}-02-001`);
    expect(await catalogue.suggestProcedures(ctx, "':*&|", "es")).toEqual([]);
  });
});
