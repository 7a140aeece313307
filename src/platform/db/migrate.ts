/**
 * Forward-only migrations: plain SQL files in migrations/, applied in name order,
 * each in its own transaction, each recorded once. Several processes starting at
 * once take turns through an advisory lock.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import type { Db } from "./index.js";

export const MIGRATIONS_DIR = new URL("../../../migrations/", import.meta.url).pathname;
const LOCK_ID = 7_461_001;

export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${LOCK_ID})`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (
        version text primary key, applied_at timestamptz not null default now())`.execute(conn);
      const done = new Set(
        (await sql<{ version: string }>`select version from schema_migrations`.execute(conn)).rows.map(
          (r) => r.version,
        ),
      );
      const applied: string[] = [];
      for (const file of files) {
        if (done.has(file)) continue;
        const text = readFileSync(join(dir, file), "utf8");
        await conn.transaction().execute(async (tx) => {
          await sql.raw(text).execute(tx);
          await sql`insert into schema_migrations (version) values (${file})`.execute(tx);
        });
        applied.push(file);
      }
      return applied;
    } finally {
      await sql`select pg_advisory_unlock(${LOCK_ID})`.execute(conn);
    }
  });
}
