/** All SQL of the geography domain. */
import { sql } from "kysely";
import type { Db } from "../../platform/db/index.js";

export interface State {
  code: string;
  name: string;
  abbreviation: string;
  renapoCode: string;
}
export interface Municipality {
  code: string;
  stateCode: string;
  name: string;
  population: number | null;
}

export async function countStates(db: Db): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from states`.execute(db);
  return r.rows[0]?.n ?? 0;
}

export async function insertStates(db: Db, states: State[]): Promise<void> {
  if (!states.length) return;
  await sql`insert into states (code, name, abbreviation, renapo_code)
    select * from unnest(${states.map((s) => s.code)}::text[], ${states.map((s) => s.name)}::text[],
      ${states.map((s) => s.abbreviation)}::text[], ${states.map((s) => s.renapoCode)}::text[])
    on conflict (code) do update set name = excluded.name, abbreviation = excluded.abbreviation`.execute(db);
}

export async function insertMunicipalities(db: Db, rows: Municipality[]): Promise<void> {
  if (!rows.length) return;
  await sql`insert into municipalities (code, state_code, name, population)
    select * from unnest(${rows.map((m) => m.code)}::text[], ${rows.map((m) => m.stateCode)}::text[],
      ${rows.map((m) => m.name)}::text[], ${rows.map((m) => m.population)}::int[])
    on conflict (code) do update set name = excluded.name, population = excluded.population`.execute(db);
}

export async function listStates(db: Db): Promise<State[]> {
  const r =
    await sql<State>`select code, name, abbreviation, renapo_code as "renapoCode" from states order by code`.execute(
      db,
    );
  return r.rows;
}

export async function findMunicipalities(db: Db, codes: string[]): Promise<Municipality[]> {
  if (!codes.length) return [];
  const r = await sql<Municipality>`select m.code, m.state_code as "stateCode", m.name, m.population
    from municipalities m where m.code = any(${codes}::text[])`.execute(db);
  return r.rows;
}

export async function listMunicipalities(db: Db): Promise<Municipality[]> {
  const r = await sql<Municipality>`select m.code, m.state_code as "stateCode", m.name, m.population
    from municipalities m order by m.code`.execute(db);
  return r.rows;
}
