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
