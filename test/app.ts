/** The whole web application over a fresh test database. */
import pino from "pino";
import { createApp } from "../src/app.js";
import { makeCtx, type Ctx } from "../src/platform/context.js";
import type { App } from "../src/platform/http/server.js";
import { openTestDb, testConfig, type TestDb } from "./db.js";

export interface TestApp {
  app: App;
  ctx: Ctx;
  db: TestDb;
  close(): Promise<void>;
}

/** The whole web application over a fresh database, for app.inject() or a real listener. */
export async function openTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const db = await openTestDb();
  const ctx = makeCtx(testConfig(overrides), db.db, pino({ level: "silent" }));
  const app = await createApp(ctx);
  return {
    app,
    ctx,
    db,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
