/**
 * Composition root: reads the settings, opens the database and starts one role.
 *   web      serve the site and the API (default)
 *   migrate  apply migrations and exit
 *   worker   run background jobs (PostgreSQL only: PGlite belongs to one process, the web one)
 */
import pino from "pino";
import { createApp } from "./app.js";
import { makeCtx } from "./platform/context.js";
import { prepareDatabase } from "./prepare.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { openDatabase } from "./platform/db/index.js";
import { migrate } from "./platform/db/migrate.js";
import { startMailDelivery, transportFor } from "./platform/mail.js";
import { JOBS, SCHEDULES } from "./jobs.js";
import { startWorker } from "./platform/jobs/queue.js";

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
  if (role === "worker") {
    if (database.kind === "pglite") {
      process.stderr.write(
        "The worker role needs DATABASE_URL: with the embedded database the web process runs the jobs.\n",
      );
      process.exit(64);
    }
    await migrate(database.db);
    const stop = startWorker(ctx, JOBS, SCHEDULES);
    const shutdown = async () => {
      await stop();
      await database.close();
      process.exit(0);
    };
    process.on("SIGTERM", () => void shutdown());
    process.on("SIGINT", () => void shutdown());
    log.info({ jobs: JOBS.map((j) => j.name) }, "worker is running");
    return;
  }
  if (role !== "web") {
    process.stderr.write(`Unknown role "${role}". Use: web, worker or migrate.\n`);
    process.exit(64);
  }

  await prepareDatabase(ctx);
  const app = await createApp(ctx);
  const stopMail = startMailDelivery(database.db, transportFor(config, log), log);
  // With PGlite the web process is the only one that can open the database, so it runs the jobs.
  const stopJobs =
    config.JOBS_IN_WEB || database.kind === "pglite" ? startWorker(ctx, JOBS, SCHEDULES) : async () => {};
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: finishing requests in flight");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close();
    await stopJobs();
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
