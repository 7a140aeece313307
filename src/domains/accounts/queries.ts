/** All SQL of the accounts domain (for now: API tokens). */
import { sql } from "kysely";
import type { Db } from "../../platform/db/index.js";

export interface TokenRow {
  id: number;
  name: string;
  institutionId: number | null;
  institutionAcronym: string | null;
  scopes: string[];
}

export async function insertToken(
  db: Db,
  t: { name: string; hash: string; institutionId: number | null; scopes: string[] },
): Promise<number> {
  const r = await sql<{ id: number }>`insert into api_tokens (name, token_hash, institution_id, scopes)
    values (${t.name}, ${t.hash}, ${t.institutionId}, ${t.scopes}::text[]) returning id`.execute(db);
  return r.rows[0]!.id;
}

export async function findActiveToken(db: Db, hash: string): Promise<TokenRow | undefined> {
  const r = await sql<TokenRow>`select t.id, t.name, t.institution_id as "institutionId",
      i.acronym as "institutionAcronym", t.scopes
    from api_tokens t left join institutions i on i.id = t.institution_id
    where t.token_hash = ${hash} and t.revoked_at is null`.execute(db);
  return r.rows[0];
}

export async function revokeToken(db: Db, id: number): Promise<boolean> {
  const r = await sql`update api_tokens set revoked_at = now() where id = ${id} and revoked_at is null`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function institutionIdByAcronym(db: Db, acronym: string): Promise<number | undefined> {
  const r = await sql<{ id: number }>`select id from institutions where acronym = ${acronym}`.execute(db);
  return r.rows[0]?.id;
}
