/**
 * Import at scale with real data: Kenya's eCitizen catalogue (5,489 services), mapped to our
 * format. Records the schema refuses (no name, bad URL, ...) are listed, the rest written;
 * importing again changes nothing.
 */
import { parse } from "csv-parse/sync";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestCtx, type TestDb } from "../../../test/db.js";
import type { Ctx } from "../../platform/context.js";
import * as catalogue from "./catalogue.js";

const dir = new URL("../../../test/fixtures/services_ke/", import.meta.url);
const read = (f: string) =>
  parse(readFileSync(new URL(f, dir)), { columns: true, bom: true }) as Record<string, string>[];

let db: TestDb;
let ctx: Ctx;
beforeAll(async () => {
  ({ db, ctx } = await openTestCtx());
});
afterAll(() => db.drop());

function kenyaCatalogue() {
  const agencies = read("agencies.csv");
  const acronym = (id: string) => `KE-${id.slice(0, 8).toUpperCase()}`;
  const institutions = agencies.map((a) => ({
    value: {
      acronym: acronym(a.agency_id!),
      name: { es: a.agency_name!, en: a.agency_name! },
      kind: "decentralised_body",
      sector: "Kenya eCitizen",
      jurisdiction: { level: "federal" },
      ...(a.agency_url?.startsWith("http") ? { website: a.agency_url } : {}),
    },
  }));
  const counters = new Map<string, number>();
  const procedures = read("services.csv").map((s) => {
    const n = (counters.get(s.agency_id!) ?? 0) + 1;
    counters.set(s.agency_id!, n);
    const name = s.service_name!.trim();
    return {
      value: {
        homoclave: `${acronym(s.agency_id!).replace("-", "")}-01-${String(n).padStart(4, "0")}`,
        institution: acronym(s.agency_id!),
        kind: "servicio",
        audience: ["persona_fisica"],
        officialName: { es: name, en: name },
        citizenName: { es: name, en: name },
        description: { es: s.service_description?.trim() || name },
        requirements: s.requirements?.trim()
          ? [{ name: { es: s.requirements.trim().slice(0, 400) }, original: true, copies: 0, uploadable: true }]
          : [],
        steps: [],
        cost: { type: "free" },
        maxResolutionDays: null,
        silenceRule: "none",
        channels: s.service_url ? { online: { url: s.service_url } } : {},
        legalBasis: [{ law: "Kenya eCitizen", article: "n/a" }],
        lifeEvents: [],
        lastReviewed: "2025-01-01",
      },
    };
  });
  return { institutions, procedures };
}

describe("import at scale (Kenya eCitizen, 5,489 services)", () => {
  it("validates every record, writes the valid ones, and is idempotent", async () => {
    const input = kenyaCatalogue();
    expect(input.procedures).toHaveLength(5489);
    const strict = await catalogue.importCatalogue(ctx, input);
    const invalid = strict.invalidRecords;
    if (invalid > 0) {
      expect(strict.written).toBe(false);
      expect(strict.errors.every((e) => e.record && e.field)).toBe(true);
    }
    const first = await catalogue.importCatalogue(ctx, { ...input, partial: true });
    expect(first.written).toBe(true);
    expect(first.invalidRecords).toBe(invalid);
    expect(first.institutions.created).toBe(
      286 - strict.errors.filter((e) => e.field.startsWith("institutions")).length,
    );
    const written = first.procedures.created;
    expect(written).toBeGreaterThan(5000);
    expect(written + invalid).toBeGreaterThanOrEqual(5489 - invalid);

    const again = await catalogue.importCatalogue(ctx, { ...input, partial: true });
    expect(again.procedures).toEqual({ created: 0, updated: written });

    const found = await catalogue.searchProcedures(ctx, { q: "passport", pageSize: 5 });
    expect(found.total).toBeGreaterThan(0);
  }, 240_000);
});
