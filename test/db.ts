/**
 * A fresh database for each test file, copied from the one global-setup prepared:
 * the real engine (PGlite, or the PostgreSQL server when DATABASE_URL is set), never a mock.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import pino from "pino";
import { makeCtx, type Ctx } from "../src/platform/context.js";
import { inject } from "vitest";
import { loadConfig, type Config } from "../src/config.js";
import { openDatabase, type Database } from "../src/platform/db/index.js";
import { adminUrl, TMP_DIR } from "./paths.js";

export { TMP_DIR } from "./paths.js";

export interface TestDb extends Database {
  drop(): Promise<void>;
}

export async function openTestDb(): Promise<TestDb> {
  const template = inject("template" as never) as string;
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const name = `vt_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl(databaseUrl) });
    await admin.connect();
    await admin.query(`create database ${name} template ${template}`);
    await admin.end();
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: url.toString(), dataDir: TMP_DIR, poolSize: 8 });
    return {
      ...database,
      drop: async () => {
        await database.close();
        const c = new pg.Client({ connectionString: adminUrl(databaseUrl) });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  }
  const blob = new Blob([readFileSync(template)]);
  const database = await openDatabase({ dataDir: TMP_DIR, loadDataDir: blob });
  return { ...database, drop: () => database.close() };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    LOG_LEVEL: "silent",
    PUBLIC_URL: "https://ventanilla.test",
    SEARCH_RATE_LIMIT: "100000",
    // Uploads and issued documents go to the suite's scratch directory, never ./data.
    DATA_DIR: TMP_DIR,
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    ...overrides,
  });
}

/** A fresh database and a ctx over it, for testing use cases directly. */
export async function openTestCtx(): Promise<{ db: TestDb; ctx: Ctx }> {
  const db = await openTestDb();
  return { db, ctx: makeCtx(testConfig(), db.db, pino({ level: "silent" })) };
}
