/**
 * Composition root: reads the settings, opens the database and starts one role.
 *   web      serve the site and the API (default)
 *   migrate  apply migrations and exit
 */
import pino from "pino";
import { createApp } from "./app.js";
import { makeCtx } from "./platform/context.js";
import { prepareDatabase } from "./prepare.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { openDatabase } from "./platform/db/index.js";
import { migrate } from "./platform/db/migrate.js";
import { startMailDelivery, transportFor } from "./platform/mail.js";
import { purgeStaleAccountData } from "./domains/accounts/accounts.js";

async function main(role: string): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const log = pino({ level: config.LOG_LEVEL, base: { role } });
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.dataDir,
    poolSize: config.DATABASE_POOL_SIZE,
  });
  const ctx = makeCtx(config, database.db, log);

  if (role === "migrate") {
    const applied = await migrate(database.db);
    log.info({ applied }, applied.length ? "migrations applied" : "database is up to date");
    await database.close();
    return;
  }
  if (role !== "web") {
    process.stderr.write(`Unknown role "${role}". Use: web or migrate.\n`);
    process.exit(64);
  }

  await prepareDatabase(ctx);
  const app = await createApp(ctx);
  const stopMail = startMailDelivery(database.db, transportFor(config, log), log);
  const housekeeping = setInterval(() => {
    purgeStaleAccountData(ctx).then(
      (removed) => removed && log.info({ removed }, "housekeeping: stale sessions, attempts and links removed"),
      (err: unknown) => log.error({ err }, "housekeeping failed"),
    );
  }, 3600_000);
  housekeeping.unref();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: finishing requests in flight");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    clearInterval(housekeeping);
    await app.close();
    await stopMail();
    await database.close();
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  await app.listen({ port: config.PORT, host: config.HOST });
  log.info(
    {
      url: `http://localhost:${config.PORT}`,
      database: database.kind,
      dataDir: database.kind === "pglite" ? config.dataDir : undefined,
    },
    "Ventanilla is ready",
  );
}

main(process.argv[2] ?? "web").catch((err: unknown) => {
  process.stderr.write(`Ventanilla could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
