/**
 * The security audit log: append-only (a trigger refuses updates and deletes) and
 * hash-chained, so that changing or removing any past entry breaks every hash after it.
 * Each hash is sha256 over the previous hash and the entry's canonical JSON.
 */
import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "./db/index.js";

export interface AuditEntry {
  actorId: number | null;
  /** What happened, as a dotted name: "account.sign_in", "role.grant", "data.export". */
  action: string;
  /** What it happened to: "user:12", "institution:SRE". */
  subject: string;
  detail?: Record<string, unknown>;
  address?: string;
}

export const GENESIS_HASH = "0".repeat(64);
const LOCK_KEY = 7_270_001;

/** JSON with object keys sorted at every level, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

interface Row {
  id: number;
  at: string;
  actorId: number | null;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
  address: string;
  prevHash: string;
  hash: string;
}

function entryHash(prevHash: string, r: Omit<Row, "prevHash" | "hash">): string {
  const body = canonicalJson({ ...r, id: Number(r.id), actorId: r.actorId === null ? null : Number(r.actorId) });
  return createHash("sha256").update(`${prevHash}\n${body}`).digest("hex");
}

/** Appends one entry. Runs inside the caller's transaction when there is one, so it commits with the change. */
export async function appendAudit(db: Db, entry: AuditEntry, at: Date): Promise<void> {
  if (!db.isTransaction) return db.transaction().execute((tx) => appendAudit(tx, entry, at));
  // One writer at a time, so each entry chains to the one before it.
  await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(db);
  const last = (
    await sql<{ id: number; hash: string }>`select id, hash from audit_log order by id desc limit 1`.execute(db)
  ).rows[0];
  const row = {
    id: Number(last?.id ?? 0) + 1,
    at: at.toISOString(),
    actorId: entry.actorId,
    action: entry.action,
    subject: entry.subject,
    detail: entry.detail ?? {},
    address: entry.address ?? "",
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = entryHash(prevHash, row);
  await sql`insert into audit_log (id, at, actor_id, action, subject, detail, address, prev_hash, hash)
    values (${row.id}, ${row.at}::timestamptz, ${row.actorId}, ${row.action}, ${row.subject},
      ${JSON.stringify(row.detail)}::jsonb, ${row.address}, ${prevHash}, ${hash})`.execute(db);
}

const selectRows = sql`select id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at,
  actor_id as "actorId", action, subject, detail, address, prev_hash as "prevHash", hash from audit_log`;

/** Recomputes the chain from the start; returns the first entry that does not match, if any. */
export async function verifyAuditChain(
  db: Db,
): Promise<{ ok: true; entries: number } | { ok: false; brokenAt: number }> {
  let prev = GENESIS_HASH;
  let expectedId = 1;
  let after = 0;
  for (;;) {
    const rows = (await sql<Row>`${selectRows} where id > ${after} order by id limit 1000`.execute(db)).rows;
    if (!rows.length) return { ok: true, entries: expectedId - 1 };
    for (const r of rows) {
      const id = Number(r.id);
      const { prevHash, hash, ...content } = r;
      if (id !== expectedId || prevHash !== prev || entryHash(prev, content) !== hash)
        return { ok: false, brokenAt: id };
      prev = hash;
      expectedId++;
      after = id;
    }
  }
}

/** Entries about one subject or by one actor, newest first (for "my sign-in history" and the like). */
export async function auditEntries(
  db: Db,
  where: { subject?: string; actorId?: number; actions?: string[] },
  limit: number,
): Promise<Omit<Row, "prevHash" | "hash">[]> {
  const parts = [sql`true`];
  if (where.subject) parts.push(sql`subject = ${where.subject}`);
  if (where.actorId !== undefined) parts.push(sql`actor_id = ${where.actorId}`);
  if (where.actions) parts.push(sql`action = any(${where.actions}::text[])`);
  const rows = (
    await sql<Row>`${selectRows} where ${sql.join(parts, sql` and `)} order by id desc limit ${limit}`.execute(db)
  ).rows;
  return rows.map(({ prevHash: _p, hash: _h, ...r }) => ({ ...r, id: Number(r.id) }));
}
