/**
 * The database: embedded PGlite under DATA_DIR by default, a PostgreSQL server when
 * DATABASE_URL is set. Both speak the same SQL, so every domain writes one dialect.
 */
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { Kysely, PostgresDialect, sql } from "kysely";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { pgliteDialect } from "./pglite-dialect.js";

/**
 * Domains type their own tables (see each domain's queries.ts); the platform only
 * knows there is a database.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = Kysely<any>;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** The embedded engine, when there is one (for dumps in tests). */
  pglite?: PGlite;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  poolSize?: number;
  /** Start PGlite from a dump made with dumpDataDir() instead of a directory (tests). */
  loadDataDir?: Blob | File;
  /** Keep PGlite in memory (tests). */
  inMemory?: boolean;
}

export const PGLITE_EXTENSIONS = { unaccent, pg_trgm };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    // Dates stay as ISO strings and int8 as numbers: what the JSON APIs hand out.
    pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
    pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 20 });
    pool.on("error", () => {
      // An idle client lost its server; the pool replaces it on the next checkout.
    });
    const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: "postgres", close: () => db.destroy() };
  }
  let dataDir: string | undefined;
  if (!options.inMemory && !options.loadDataDir) {
    dataDir = join(options.dataDir, "pglite");
    mkdirSync(dataDir, { recursive: true });
  }
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: PGLITE_EXTENSIONS,
    parsers: { 20: (v: string) => Number(v), 1082: (v: string) => v },
  });
  const db = new Kysely({ dialect: pgliteDialect(pglite) });
  return { db, kind: "pglite", pglite, close: () => db.destroy() };
}

/** True when the database answers. */
export async function ping(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
