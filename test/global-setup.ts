/**
 * Runs once before the whole suite: builds the assets and prepares one database
 * (migrated, with reference and demo data) that every test file copies.
 *   PGlite:     a dump file that each test file loads (about a second).
 *   PostgreSQL: a template database that each test file clones with CREATE DATABASE … TEMPLATE.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import pino from "pino";
import { makeCtx } from "../src/platform/context.js";
import { prepareDatabase } from "../src/prepare.js";
import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/platform/db/index.js";
import { ensureAssets } from "../src/platform/views/assets.js";
import { TMP_DIR, adminUrl, templateName } from "./paths.js";

export default async function setup({ provide }: { provide: (key: string, value: unknown) => void }) {
  await ensureAssets();
  mkdirSync(TMP_DIR, { recursive: true });
  const databaseUrl = process.env.DATABASE_URL;
  const config = loadConfig({ ...process.env, LOG_LEVEL: "silent", DATA_DIR: TMP_DIR });
  const log = pino({ level: "silent" });
  if (databaseUrl) {
    const template = templateName();
    const admin = new pg.Client({ connectionString: adminUrl(databaseUrl) });
    await admin.connect();
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
    await admin.end();
    const url = new URL(databaseUrl);
    url.pathname = `/${template}`;
    const database = await openDatabase({ databaseUrl: url.toString(), dataDir: TMP_DIR });
    await prepareDatabase(makeCtx(config, database.db, log));
    await database.close();
    provide("template", template);
    return async () => {
      const c = new pg.Client({ connectionString: adminUrl(databaseUrl) });
      await c.connect();
      await c.query(`drop database if exists ${template} with (force)`);
      await c.end();
    };
  }
  const database = await openDatabase({ dataDir: TMP_DIR, inMemory: true });
  await prepareDatabase(makeCtx(config, database.db, log));
  const dump = await database.pglite!.dumpDataDir("none");
  const file = join(TMP_DIR, `template-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  provide("template", file);
  return undefined;
}
