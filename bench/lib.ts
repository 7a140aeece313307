/**
 * What the benchmarks share: the local PostgreSQL server and the databases they create on it,
 * the app's settings under a benchmark, the real app in a child process, latency statistics,
 * how busy the machine is with other work, the markdown tables they print, and how each one runs.
 *
 * Importing this module runs nothing: a benchmark is a file that calls runBench(main).
 */
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import pg from "pg";
import pino from "pino";
import { loadConfig, type Config } from "../src/config.js";

// ------------------------------------------------------------------ settings

/** The admin URL of the PostgreSQL server the benchmarks create their databases on (BENCH_DATABASE_URL). */
export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** DATA_DIR for the app under a benchmark (uploads, and PGlite where no server is used). */
export const BENCH_DATA_DIR = join(tmpdir(), "ventanilla-bench");

/** A pino logger that writes nothing: the benchmarks print their own figures. */
export const silentLogger = pino({ level: "silent" });

/**
 * The app's configuration under a benchmark: no logs, no demo catalogue, no search rate limit to
 * speak of, 127.0.0.1 and BENCH_DATA_DIR. `settings` (environment-variable names) add to or override
 * these, e.g. DATABASE_URL and DATABASE_POOL_SIZE.
 */
export function benchConfig(settings: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({
    LOG_LEVEL: "silent",
    SEED_DEMO: "never",
    SEARCH_RATE_LIMIT: "100000",
    PUBLIC_URL: "http://127.0.0.1:3000",
    HOST: "127.0.0.1",
    DATA_DIR: BENCH_DATA_DIR,
    ...settings,
  });
}

// ------------------------------------------------------------------ PostgreSQL

/** The URL of database `name` on the ADMIN_URL server. */
function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Throws unless `url` names a server on this machine: the benchmarks create and drop databases. */
export function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "[::1]"].includes(host)) {
    throw new Error(`The benchmarks only run against a local server (127.0.0.1), not ${host}.`);
  }
}

/**
 * A pg.Pool that ignores errors on idle connections. pg.Pool.end() returns before its connections
 * are closed, and dropping a database "with (force)" ends whatever is still open: an ended pool must
 * not crash the run over that.
 */
export function newPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on("error", () => undefined);
  return pool;
}

/** A pg.Client that ignores errors on an idle connection (see newPool). */
function newClient(url: string): pg.Client {
  const c = new pg.Client({ connectionString: url });
  c.on("error", () => undefined);
  return c;
}

/** Runs `fn` on a connection to `url` and closes it afterwards. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = newClient(url);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The databases created by createDatabase and not dropped yet: runBench drops them on failure or Ctrl-C. */
const created = new Set<string>();

/** Creates database `name` afresh (dropping any leftover of that name) and returns its URL. */
export async function createDatabase(name: string): Promise<string> {
  await withClient(ADMIN_URL, async (c) => {
    await c.query(`drop database if exists ${name} with (force)`);
    await c.query(`create database ${name}`);
  });
  created.add(name);
  return databaseUrl(name);
}

/** Drops database `name`, ending any connection still open to it. */
export async function dropDatabase(name: string): Promise<void> {
  await withClient(ADMIN_URL, (c) => c.query(`drop database if exists ${name} with (force)`));
  created.delete(name);
}

/**
 * Waits until no other session is running a statement in the database at `url` (left over from a
 * warm-up or a run), polling every 200 ms, for `maxWaitMs` at the most.
 */
export async function waitIdle(url: string, maxWaitMs = 300_000): Promise<void> {
  await withClient(url, async (c) => {
    const until = performance.now() + maxWaitMs;
    while (performance.now() < until) {
      const r = await c.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
          where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`,
      );
      if (r.rows[0]!.n === 0) return;
      await sleep(200);
    }
  });
}

/** The PostgreSQL backends connected to the database at `url` (an app's pool among them), not counting this query's. */
export function backendPids(url: string): Promise<number[]> {
  return withClient(url, async (c) => {
    const r = await c.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
    );
    return r.rows.map((x) => x.pid);
  });
}

// ------------------------------------------------------------------ the app in its own process

/** The app serving in a child process (bench/serve.ts) on 127.0.0.1:`port`. */
export interface RunningApp {
  child: ChildProcess;
  port: number;
}

const SERVE_ENTRY = fileURLToPath(new URL("./serve.ts", import.meta.url));

/**
 * Starts the real app (createApp) over the database at `url`, with a pool of `poolSize` connections,
 * in its own process as in production, so the load generator does not share its event loop. The child
 * (bench/serve.ts) gets the database in BENCH_SERVE_URL and BENCH_SERVE_POOL, listens on a free port
 * and reports it with process.send({ port }), or process.send({ error }) when it cannot start.
 */
export function startApp(url: string, poolSize: number): Promise<RunningApp> {
  return new Promise((resolve, reject) => {
    const child = fork(SERVE_ENTRY, [], {
      // The same loader as this process (tsx), so the child can run TypeScript.
      execArgv: process.execArgv,
      env: { ...process.env, BENCH_SERVE_URL: url, BENCH_SERVE_POOL: String(poolSize) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("The app did not start within 120 s."));
    }, 120_000);
    child.once("message", (m: { port?: number; error?: string }) => {
      clearTimeout(timer);
      if (m.port) resolve({ child, port: m.port });
      else reject(new Error(`The app did not start: ${m.error ?? "unknown error"}`));
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`The app exited with code ${code} before it was ready.`));
    });
  });
}

/** Stops the app started by startApp: SIGTERM, then SIGKILL if it has not exited 10 s later. */
export function stopApp(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

// ------------------------------------------------------------------ statistics

/** The figures of one timed run. Latencies in milliseconds. */
export interface Stats {
  /** Completed operations (requests, searches, verifies…) per second. */
  rate: number;
  p50: number;
  p99: number;
  count: number;
}

/** The p-th percentile (nearest rank) of ascending `sorted`; NaN when it is empty. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** Rate, p50 and p99 of `latencies` (ms, any order) completed in `elapsedMs`. */
export function stats(latencies: number[], elapsedMs: number): Stats {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    rate: (latencies.length / elapsedMs) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    count: latencies.length,
  };
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Milliseconds as seconds with one decimal: "12.3 s". */
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// ------------------------------------------------------------------ other work on the machine

/** Busy and total jiffies of the whole machine since boot, from /proc/stat (throws where there is none). */
function machineTicks(): { busy: number; total: number } {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total };
}

/** CPU jiffies (user and system, all threads) a process has used; 0 when it is gone. */
function processTicks(pid: number): number {
  try {
    // utime and stime: fields 14 and 15, counted after the command name, which may hold spaces.
    const rest = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return 0;
  }
}

/**
 * How busy the machine is with other work, sampled over one second while the bench
 * itself is idle: busy share of all cores from /proc/stat (Linux), else the load average.
 */
export async function otherCpu(): Promise<string> {
  try {
    const a = machineTicks();
    await sleep(1000);
    const b = machineTicks();
    const idle = b.total - b.busy - (a.total - a.busy);
    const busy = 1 - idle / Math.max(1, b.total - a.total);
    return `${(busy * 100).toFixed(0)}% of ${availableParallelism()} cores busy with other work`;
  } catch {
    return `load average ${loadavg()[0]!.toFixed(1)}`;
  }
}

/**
 * Starts measuring how many cores other work keeps busy during a run; the function it returns ends the
 * measurement. Other work is the machine's busy time minus that of the bench's own processes (`pids()`:
 * e.g. this process, the app, the PostgreSQL backends serving the bench database), as cores on average.
 * NaN where /proc is missing.
 */
export async function otherLoadMeter(pids: () => Promise<number[]>): Promise<() => Promise<number>> {
  try {
    const before = new Map((await pids()).map((pid) => [pid, processTicks(pid)]));
    const m0 = machineTicks();
    return async () => {
      const m1 = machineTicks();
      let own = 0;
      for (const pid of new Set([...before.keys(), ...(await pids())])) {
        own += Math.max(0, processTicks(pid) - (before.get(pid) ?? 0));
      }
      const perCore = (m1.total - m0.total) / availableParallelism();
      return perCore > 0 ? Math.max(0, m1.busy - m0.busy - own) / perCore : NaN;
    };
  } catch {
    return async () => NaN;
  }
}

// ------------------------------------------------------------------ output

/** A markdown table: the first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? ` ${"-".repeat(w)} ` : ` ${"-".repeat(w - 1)}: `)).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}

// ------------------------------------------------------------------ running a benchmark

/**
 * Runs a benchmark's `main` and exits: 0 when it is done; 1 with the error's stack when it fails;
 * 130 on Ctrl-C or SIGTERM. In the last two cases the databases createDatabase made and nothing
 * dropped yet are dropped first.
 */
export function runBench(main: () => Promise<void>): void {
  const dropCreated = () => Promise.all([...created].map(dropDatabase));
  const onSignal = () => {
    void dropCreated().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  main()
    .then(() => process.exit(0))
    .catch(async (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      await dropCreated().catch(() => undefined);
      process.exit(1);
    });
}
