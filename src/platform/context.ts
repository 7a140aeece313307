/**
 * What every use case receives: the database (or the current transaction), a logger,
 * the clock and the settings. Passing ctx keeps use cases plain functions.
 */
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Db } from "./db/index.js";

export interface Ctx {
  db: Db;
  log: Logger;
  clock: () => Date;
  config: Config;
}

/** Runs fn inside one transaction, with a ctx whose db is that transaction (joining the caller's, if any). */
export function inTransaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  return ctx.db.transaction().execute((db) => fn({ ...ctx, db }));
}

export function makeCtx(config: Config, db: Db, log: Logger): Ctx {
  return { db, log, config, clock: () => new Date() };
}
