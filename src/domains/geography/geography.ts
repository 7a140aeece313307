/**
 * Mexico's states and municipalities by INEGI code: the reference every other domain
 * points at (institutions' jurisdiction, offices, datasets' spatial coverage).
 */
import { parse } from "csv-parse/sync";
import { readFileSync } from "node:fs";
import type { Ctx } from "../../platform/context.js";
import * as q from "./queries.js";

export type { Municipality, State } from "./queries.js";

const SEED_DIR = new URL("../../../seed/geo/", import.meta.url);

/** Loads the INEGI catalogue when the database has none (idempotent). */
export async function ensureGeography(ctx: Ctx): Promise<{ states: number; municipalities: number } | null> {
  if ((await q.countStates(ctx.db)) > 0) return null;
  const read = (file: string) =>
    parse(readFileSync(new URL(file, SEED_DIR)), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const states = read("states.csv").map((r) => ({
    code: r.code!,
    name: r.name!,
    abbreviation: r.abbreviation!,
    renapoCode: r.renapo_code!,
  }));
  const municipalities = read("municipalities.csv").map((r) => ({
    code: r.code!,
    stateCode: r.state_code!,
    name: r.name!,
    population: r.population ? Number(r.population) : null,
  }));
  await ctx.db.transaction().execute(async (tx) => {
    await q.insertStates(tx, states);
    await q.insertMunicipalities(tx, municipalities);
  });
  return { states: states.length, municipalities: municipalities.length };
}

export const listStates = (ctx: Ctx) => q.listStates(ctx.db);
export const findMunicipalities = (ctx: Ctx, codes: string[]) => q.findMunicipalities(ctx.db, codes);

export interface Gazetteer {
  states: { code: string; name: string }[];
  /** A municipality of a state by its INEGI code or its name (accents, case and spacing ignored). */
  resolve: (stateCode: string, nameOrCode: string) => { code: string; name: string } | undefined;
  municipalityName: (code: string) => string | undefined;
}

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();

let gazetteer: Promise<Gazetteer> | undefined;

/** States and municipalities change by decree, not by request: loaded once per process. */
export function loadGazetteer(ctx: Ctx): Promise<Gazetteer> {
  gazetteer ??= Promise.all([q.listStates(ctx.db), q.listMunicipalities(ctx.db)]).then(([states, municipalities]) => {
    const byCode = new Map(municipalities.map((m) => [m.code, m]));
    const byName = new Map(municipalities.map((m) => [`${m.stateCode}|${fold(m.name)}`, m]));
    return {
      states: [...states]
        .sort((a, b) => a.name.localeCompare(b.name, "es"))
        .map((s) => ({ code: s.code, name: s.name })),
      resolve: (stateCode, nameOrCode) => {
        const m = /^\d{5}$/.test(nameOrCode) ? byCode.get(nameOrCode) : byName.get(`${stateCode}|${fold(nameOrCode)}`);
        return m && m.stateCode === stateCode ? { code: m.code, name: m.name } : undefined;
      },
      municipalityName: (code) => byCode.get(code)?.name,
    };
  });
  gazetteer.catch(() => (gazetteer = undefined));
  return gazetteer;
}
