/**
 * The child process of startApp (bench/lib.ts): serves the real app over the database in
 * BENCH_SERVE_URL, with a pool of BENCH_SERVE_POOL connections, on 127.0.0.1 and a free port.
 * Sends { port } to the parent once it listens, or { error } if it cannot start; stops on
 * SIGTERM or when the parent goes away. Not meant to be run by hand.
 */
import { makeCtx } from "../src/platform/context.js";
import { openDatabase } from "../src/platform/db/index.js";
import { BENCH_DATA_DIR, benchConfig, silentLogger } from "./lib.js";

async function serve(): Promise<void> {
  const url = process.env.BENCH_SERVE_URL;
  if (!url) throw new Error("BENCH_SERVE_URL is not set: bench/serve.ts is started by startApp in bench/lib.ts.");
  const config = benchConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: process.env.BENCH_SERVE_POOL });
  const database = await openDatabase({
    databaseUrl: url,
    dataDir: BENCH_DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
  });
  const ctx = makeCtx(config, database.db, silentLogger);
  // Imported here, so that an app that fails to load is reported to the parent like any other failure.
  const { createApp } = await import("../src/app.js");
  const app = await createApp(ctx);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const stop = async () => {
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("disconnect", () => void stop());
  process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
}

serve().catch((err: unknown) => {
  process.send?.({ error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
