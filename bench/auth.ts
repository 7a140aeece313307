/**
 * Sign-in and session costs on PostgreSQL.
 *
 *   argon2id      verifyPassword alone, at the cost the app uses (ARGON2_OPTIONS), 1, 2, 4 and 8 at a time:
 *                 verifies per second and the time of one verify. They run on libuv's thread pool
 *                 (UV_THREADPOOL_SIZE, 4 unless set).
 *   sign-in       the real app (createApp, in its own process) under autocannon, POST /cuenta/entrar as the
 *                 form sends it (email, password and the _csrf field, with the __Host-vt_csrf cookie), rotating
 *                 over 200 verified citizen accounts with their right passwords. A 303 is a sign-in.
 *   session       the same public page (GET /instituciones) with and without a valid __Host-vt_session cookie,
 *                 at 1 and 32 connections: the onRequest hook resolves the session on every request that has
 *                 one. Plus resolveSession called directly, one at a time.
 * Prints figures, never asserts on them. Only talks to 127.0.0.1 and drops its database.
 *
 *   npm run bench:auth
 *   BENCH_DURATION=8  seconds per run (default 8)
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres  (server to use; default shown)
 */
import autocannon from "autocannon";
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import pg from "pg";
import pino from "pino";
import { loadConfig, type Config } from "../src/config.js";
import { curpCheckDigit } from "../src/domains/accounts/curp.js";
import { ARGON2_OPTIONS, hashPassword, verifyPassword } from "../src/domains/accounts/passwords.js";
import * as aq from "../src/domains/accounts/queries.js";
import { resolveSession, startSession } from "../src/domains/accounts/sessions.js";
import { makeCtx, type Ctx } from "../src/platform/context.js";
import { openDatabase } from "../src/platform/db/index.js";
import { prepareDatabase } from "../src/prepare.js";

const env = process.env;
const ADMIN_URL = env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DURATION = Number(env.BENCH_DURATION ?? 8);
const WARMUP = 2;
const USERS = 200;
const VERIFY_CONCURRENCY = [1, 2, 4, 8];
const SIGN_IN_CONNECTIONS = [1, 4, 16];
const PAGE_CONNECTIONS = [1, 32];
const SOLO_N = 5000;
const APP_POOL = 32;
const SIGN_IN_PATH = "/cuenta/entrar";
const PAGE_PATH = "/instituciones";
const SESSION_COOKIE = "__Host-vt_session";
const CSRF_COOKIE = "__Host-vt_csrf";
const DATA_DIR = join(tmpdir(), "ventanilla-bench");
const silent = pino({ level: "silent" });
const THREADPOOL = env.UV_THREADPOOL_SIZE
  ? `UV_THREADPOOL_SIZE=${env.UV_THREADPOOL_SIZE}`
  : "UV_THREADPOOL_SIZE unset (4)";

function benchConfig(databaseUrl: string): Config {
  return loadConfig({
    LOG_LEVEL: "silent",
    SEED_DEMO: "never",
    SEARCH_RATE_LIMIT: "100000",
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: String(APP_POOL),
    PUBLIC_URL: "http://127.0.0.1:3000",
    HOST: "127.0.0.1",
    DATA_DIR,
  });
}

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "[::1]"].includes(host)) {
    throw new Error(`The benchmarks only run against a local server (127.0.0.1), not ${host}.`);
  }
}

/** Ignores errors on idle connections: dropping the database "with (force)" ends whatever is still open. */
function newClient(url: string): pg.Client {
  const c = new pg.Client({ connectionString: url });
  c.on("error", () => undefined);
  return c;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = newClient(ADMIN_URL);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

// ------------------------------------------------------------------ statistics

interface Stats {
  /** Completed operations per second. */
  rate: number;
  p50: number;
  p99: number;
  count: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

function stats(latencies: number[], elapsedMs: number): Stats {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    rate: (latencies.length / elapsedMs) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    count: latencies.length,
  };
}

const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 2 : 1)} ms` : "–");
const seconds = (v: number) => `${(v / 1000).toFixed(1)} s`;

/**
 * How busy the machine is with other work, sampled over one second while the bench
 * itself is idle: busy share of all cores from /proc/stat (Linux), else the load average.
 */
async function otherCpu(): Promise<string> {
  const sample = () => {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    return { idle, total: f.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = sample();
    await sleep(1000);
    const b = sample();
    const busy = 1 - (b.idle - a.idle) / Math.max(1, b.total - a.total);
    return `${(busy * 100).toFixed(0)}% of ${availableParallelism()} cores busy with other work`;
  } catch {
    return `load average ${loadavg()[0]!.toFixed(1)}`;
  }
}

/** Busy and total jiffies of the whole machine (/proc/stat), and CPU jiffies of some processes (all their threads). */
function machineTicks(): { busy: number; total: number } {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total };
}

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
 * Measures how many cores other work kept busy during a run: the machine's busy time minus that of the
 * bench's own processes (`pids()`: this process, the app, the PostgreSQL backends serving the bench
 * database), as cores on average. NaN where /proc is missing.
 */
async function otherLoadMeter(pids: () => Promise<number[]>): Promise<() => Promise<number>> {
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

/** The PostgreSQL backends connected to the bench database (the app's pool among them). */
async function backendPids(url: string): Promise<number[]> {
  const c = newClient(url);
  await c.connect();
  try {
    const r = await c.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
    );
    return r.rows.map((x) => x.pid);
  } finally {
    await c.end();
  }
}

const cores = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "–");

/** Waits until no other session is running a statement in the bench database (left over from a warm-up or a run). */
async function waitIdle(url: string): Promise<void> {
  const c = newClient(url);
  await c.connect();
  try {
    const until = performance.now() + 120_000;
    while (performance.now() < until) {
      const r = await c.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
          where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`,
      );
      if (r.rows[0]!.n === 0) return;
      await sleep(200);
    }
  } finally {
    await c.end();
  }
}

/**
 * resolveSession writes last_seen_at when a session was last seen a minute ago or more. Marking every
 * session as just seen before a signed-in run (warm-up and run last under a minute) keeps that write out
 * of it, so each run measures the same thing: the lookup, which every request with the cookie pays.
 */
async function markSessionsSeen(url: string): Promise<void> {
  const c = newClient(url);
  await c.connect();
  try {
    await c.query("update sessions set last_seen_at = now() where revoked_at is null");
  } finally {
    await c.end();
  }
}

// ------------------------------------------------------------------ accounts

interface Account {
  email: string;
  password: string;
}

/** A well-formed CURP (with its check digit) that differs for each i below 12,096. */
function benchCurp(i: number): string {
  const mm = String(1 + (i % 12)).padStart(2, "0");
  const dd = String(1 + (Math.floor(i / 12) % 28)).padStart(2, "0");
  const homonym = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[Math.floor(i / 336) % 36]!;
  const first17 = `BAAA90${mm}${dd}HDFRRN${homonym}`;
  return `${first17}${curpCheckDigit(first17)}`;
}

/** Verified citizen accounts, each with its own password and argon2id hash (the cost signUp uses). */
async function createAccounts(ctx: Ctx): Promise<{ accounts: Account[]; ids: number[] }> {
  const accounts = Array.from({ length: USERS }, (_, i) => ({
    email: `persona.${i}@bench.ejemplo.mx`,
    password: `banco ${randomBytes(9).toString("base64url")} ${i}`,
  }));
  const hashes: string[] = new Array<string>(USERS);
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < USERS) {
        const i = next++;
        hashes[i] = await hashPassword(accounts[i]!.password);
      }
    }),
  );
  const ids: number[] = [];
  for (let i = 0; i < USERS; i++) {
    ids.push(
      await aq.insertUser(ctx.db, {
        kind: "citizen",
        email: accounts[i]!.email,
        passwordHash: hashes[i]!,
        curp: benchCurp(i),
        givenNames: "Persona",
        surnames: `De Prueba ${i}`,
        preferredLang: "es",
        emailVerifiedAt: ctx.clock(),
      }),
    );
  }
  return { accounts, ids };
}

// ------------------------------------------------------------------ argon2id alone

interface VerifyRow extends Stats {
  concurrency: number;
  /** CPU time of this process over wall time: how many cores the verifies kept busy. */
  cores: number;
  /** Cores kept busy by other work meanwhile. */
  otherCores: number;
}

async function verifyRun(passwordHash: string, password: string, concurrency: number): Promise<VerifyRow> {
  // Warm-up: the thread pool's threads start and the 19 MiB blocks get allocated once.
  await Promise.all(Array.from({ length: concurrency * 2 }, () => verifyPassword(passwordHash, password)));
  const latencies: number[] = [];
  let wrong = 0;
  const others = await otherLoadMeter(async () => [process.pid]);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const until = start + DURATION * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        const ok = await verifyPassword(passwordHash, password);
        latencies.push(performance.now() - t);
        if (!ok) wrong++;
      }
    }),
  );
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const otherCores = await others();
  if (wrong) throw new Error(`verifyPassword refused the right password ${wrong} times.`);
  return {
    ...stats(latencies, elapsed),
    concurrency,
    cores: (used.user + used.system) / 1000 / elapsed,
    otherCores,
  };
}

// ------------------------------------------------------------------ the direct session lookup

async function soloTimings(fn: (i: number) => Promise<unknown>, n: number, warmup: number): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    latencies.push(performance.now() - t);
  }
  return stats(latencies, performance.now() - start);
}

// ------------------------------------------------------------------ the app in its own process

/** The app runs in its own process, as in production, so the load generator does not share its event loop. */
function startApp(url: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ["--serve"], {
      execArgv: process.execArgv,
      env: { ...env, BENCH_SERVE_URL: url },
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

function stopApp(child: ChildProcess): Promise<void> {
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

/** Child mode: serve the app over the given database on 127.0.0.1, on a free port. */
async function serve(): Promise<void> {
  const url = env.BENCH_SERVE_URL!;
  const config = benchConfig(url);
  const database = await openDatabase({ databaseUrl: url, dataDir: DATA_DIR, poolSize: config.DATABASE_POOL_SIZE });
  const ctx = makeCtx(config, database.db, silent);
  // Imported here: the measuring process never loads the app, only the child that serves it does.
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

// ------------------------------------------------------------------ HTTP

/** The value of one cookie among a response's Set-Cookie headers. */
function setCookie(res: Response, name: string): string | undefined {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const eq = pair!.indexOf("=");
    if (pair!.slice(0, eq).trim() === name) return pair!.slice(eq + 1).trim();
  }
  return undefined;
}

const unescapeHtml = (s: string) =>
  s
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");

/** What a browser sends when it posts the sign-in form: the form fields and the CSRF cookie it got with the page. */
interface SignInForm {
  cookie: string;
  body: string;
}

/** GET the sign-in page as a fresh browser would: the __Host-vt_csrf cookie and the hidden _csrf field. */
async function signInForm(base: string, account: Account): Promise<SignInForm> {
  const res = await fetch(`${base}${SIGN_IN_PATH}`);
  const html = await res.text();
  if (res.status !== 200) throw new Error(`GET ${SIGN_IN_PATH} answered ${res.status}.`);
  const secret = setCookie(res, CSRF_COOKIE);
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!secret || !token) throw new Error(`GET ${SIGN_IN_PATH} gave no ${CSRF_COOKIE} cookie or no _csrf field.`);
  return {
    cookie: `${CSRF_COOKIE}=${secret}`,
    body: new URLSearchParams({
      _csrf: unescapeHtml(token),
      email: account.email,
      password: account.password,
    }).toString(),
  };
}

/** Checks that the app does what the bench counts on before anything is timed. */
async function checkApp(base: string, form: SignInForm, sessionToken: string): Promise<void> {
  const post = await fetch(`${base}${SIGN_IN_PATH}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: form.cookie },
    body: form.body,
  });
  await post.arrayBuffer();
  if (post.status !== 303 || !setCookie(post, SESSION_COOKIE))
    throw new Error(`POST ${SIGN_IN_PATH} answered ${post.status} without a session cookie instead of a 303 with one.`);
  // The same form a second time: the CSRF token is not single-use, so autocannon may repeat it.
  const again = await fetch(`${base}${SIGN_IN_PATH}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: form.cookie },
    body: form.body,
  });
  await again.arrayBuffer();
  if (again.status !== 303) throw new Error(`A second POST of the same form answered ${again.status}, not 303.`);
  // The session cookie is resolved: /cuenta answers 200 with it and sends a signed-out visitor to sign in.
  const signedIn = await fetch(`${base}/cuenta`, {
    redirect: "manual",
    headers: { cookie: `${SESSION_COOKIE}=${sessionToken}` },
  });
  const signedOut = await fetch(`${base}/cuenta`, { redirect: "manual" });
  await Promise.all([signedIn.arrayBuffer(), signedOut.arrayBuffer()]);
  if (signedIn.status !== 200 || signedOut.status !== 303)
    throw new Error(`GET /cuenta answered ${signedIn.status} signed in and ${signedOut.status} signed out.`);
  for (const cookie of [undefined, `${SESSION_COOKIE}=${sessionToken}`]) {
    const page = await fetch(`${base}${PAGE_PATH}`, { headers: cookie ? { cookie } : {} });
    await page.arrayBuffer();
    if (page.status !== 200) throw new Error(`GET ${PAGE_PATH} answered ${page.status}.`);
  }
}

interface HttpStats extends Stats {
  connections: number;
  /** Responses other than the expected status, by status. */
  others: Record<number, number>;
  errors: number;
  timeouts: number;
  /** Cores kept busy by other work during the run (not this process, the app or its PostgreSQL backends). */
  otherCores: number;
}

/**
 * autocannon against the app; latencies are the exact response times of the expected status
 * (autocannon's own histogram rounds to 1 ms). `make(i)` gives the i-th request.
 */
function cannon(
  port: number,
  connections: number,
  duration: number,
  expected: number,
  make: (i: number) => { method: "GET" | "POST"; path: string; headers: Record<string, string>; body?: string },
  record: boolean,
): Promise<HttpStats> {
  let next = 0;
  const latencies: number[] = [];
  const others: Record<number, number> = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration,
        timeout: 60,
        requests: [
          {
            setupRequest: (req) => {
              const r = make(next++);
              return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body ?? "" };
            },
          },
        ],
      },
      (err, result) =>
        err
          ? reject(err)
          : resolve({
              ...stats(latencies, result.duration * 1000),
              connections,
              others,
              errors: result.errors,
              timeouts: result.timeouts,
              otherCores: NaN,
            }),
    );
    if (record) {
      instance.on("response", (_client, statusCode, _bytes, responseTime) => {
        if (statusCode === expected) latencies.push(responseTime);
        else others[statusCode] = (others[statusCode] ?? 0) + 1;
      });
    }
  });
}

/** A warm-up (not counted), a pause until the app and the database are idle, then the measured run. */
async function measured(
  url: string,
  app: { port: number; pid: number },
  connections: number,
  expected: number,
  make: Parameters<typeof cannon>[4],
): Promise<HttpStats> {
  await cannon(app.port, connections, WARMUP, expected, make, false);
  // autocannon abandons what is in flight when it stops, but the app and the database finish it.
  await sleep(500);
  await waitIdle(url);
  const others = await otherLoadMeter(async () => [process.pid, app.pid, ...(await backendPids(url))]);
  const s = await cannon(app.port, connections, DURATION, expected, make, true);
  return { ...s, otherCores: await others() };
}

const othersText = (s: HttpStats) =>
  [
    ...Object.entries(s.others).map(([code, n]) => `${n}× ${code}`),
    ...(s.errors ? [`${s.errors} errors`] : []),
    ...(s.timeouts ? [`${s.timeouts} timeouts`] : []),
  ].join(", ") || "none";

// ------------------------------------------------------------------ the table

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? ` ${"-".repeat(w)} ` : ` ${"-".repeat(w - 1)}: `)).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}

// ------------------------------------------------------------------ main

const created = new Set<string>();

async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`drop database if exists ${name} with (force)`));
  created.delete(name);
}

async function main(): Promise<void> {
  assertLocal(ADMIN_URL);
  if (!(DURATION > 0)) throw new Error(`BENCH_DURATION must be a number of seconds: ${env.BENCH_DURATION}`);
  const started = performance.now();
  const onSignal = () => {
    void Promise.all([...created].map(dropDatabase)).finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const { memoryCost, timeCost, parallelism } = ARGON2_OPTIONS;
  console.log(
    `Sign-in and session benchmark: argon2id m=${memoryCost} KiB (${(memoryCost / 1024).toFixed(0)} MiB), ` +
      `t=${timeCost}, p=${parallelism}; ${THREADPOOL}; ${USERS} accounts; ${WARMUP} s warm-up + ${DURATION} s per run; ` +
      `PostgreSQL at ${new URL(ADMIN_URL).host}`,
  );

  const name = `vt_bench_auth_${process.pid}`;
  const url = databaseUrl(name);
  await admin(async (c) => {
    await c.query(`drop database if exists ${name} with (force)`);
    await c.query(`create database ${name}`);
  });
  created.add(name);
  let child: ChildProcess | undefined;
  try {
    const config = benchConfig(url);
    const database = await openDatabase({ databaseUrl: url, dataDir: DATA_DIR, poolSize: 4 });
    const ctx = makeCtx(config, database.db, silent);
    let verifyRows: VerifyRow[];
    let solo: Stats;
    let roundTrip: Stats;
    let tokens: string[];
    let accounts: Account[];
    let busyBefore: string;
    try {
      const t0 = performance.now();
      await prepareDatabase(ctx);
      const t1 = performance.now();
      const made = await createAccounts(ctx);
      accounts = made.accounts;
      // One session per account for the page runs, as signIn would start it.
      tokens = [];
      for (const id of made.ids) {
        tokens.push((await startSession(ctx, id, { address: "127.0.0.1", userAgent: "bench" })).token);
      }
      await sql`vacuum analyze`.execute(ctx.db);
      console.log(
        `  database prepared in ${seconds(t1 - t0)}; ${USERS} verified citizens (argon2id hashes) and a session each ` +
          `in ${seconds(performance.now() - t1)}`,
      );
      busyBefore = await otherCpu();
      console.log(`  before the runs: ${busyBefore}`);

      // argon2id alone, in this process (the app is not running yet).
      console.log("\nargon2id verifyPassword alone");
      verifyRows = [];
      for (const c of VERIFY_CONCURRENCY) {
        const account = accounts[0]!;
        const hash = (await aq.findUserByEmail(ctx.db, account.email))!.passwordHash;
        const row = await verifyRun(hash, account.password, c);
        verifyRows.push(row);
        console.log(
          `  ${c} at a time: ${row.rate.toFixed(1)} verifies/s, p50 ${ms(row.p50)}, p99 ${ms(row.p99)}, ` +
            `${row.cores.toFixed(2)} cores busy, ${row.count} verifies; other work kept ${cores(row.otherCores)} cores busy`,
        );
      }

      // resolveSession directly, one at a time. The warm-up goes over every token once, so the
      // once-a-minute last_seen_at update is paid there and the measured calls are reads only.
      console.log("\nresolveSession alone (PostgreSQL, one call at a time)");
      const warm = tokens.length;
      solo = await soloTimings(
        async (i) => {
          if (!(await resolveSession(ctx, tokens[i % tokens.length])))
            throw new Error("A bench session did not resolve.");
        },
        SOLO_N,
        warm,
      );
      roundTrip = await soloTimings(() => sql`select 1`.execute(ctx.db), SOLO_N, 200);
      console.log(
        `  resolveSession: p50 ${ms(solo.p50)}, p99 ${ms(solo.p99)} over ${solo.count} calls ` +
          `(one "select 1" round trip: p50 ${ms(roundTrip.p50)}, p99 ${ms(roundTrip.p99)})`,
      );
    } finally {
      await database.close();
    }

    // The real app: sign-ins, then the page with and without a session.
    await waitIdle(url);
    const app = await startApp(url);
    child = app.child;
    const served = { port: app.port, pid: app.child.pid ?? 0 };
    const base = `http://127.0.0.1:${app.port}`;
    const forms: SignInForm[] = [];
    for (const account of accounts) forms.push(await signInForm(base, account));
    await checkApp(base, forms[0]!, tokens[0]!);
    await waitIdle(url);
    const busyHttp = await otherCpu();
    console.log(`\nthe app: ${APP_POOL} database connections, ${THREADPOOL}; before the HTTP runs: ${busyHttp}`);

    console.log(`\nsign-ins: POST ${SIGN_IN_PATH} (form with _csrf), rotating over ${USERS} accounts`);
    const signIns: HttpStats[] = [];
    for (const c of SIGN_IN_CONNECTIONS) {
      const s = await measured(url, served, c, 303, (i) => {
        const f = forms[i % forms.length]!;
        return {
          method: "POST",
          path: SIGN_IN_PATH,
          headers: { "content-type": "application/x-www-form-urlencoded", cookie: f.cookie },
          body: f.body,
        };
      });
      signIns.push(s);
      console.log(
        `  ${c} connections: ${s.rate.toFixed(1)} sign-ins/s, p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, ` +
          `${s.count} sign-ins (303); other responses: ${othersText(s)}; other work kept ${cores(s.otherCores)} cores busy`,
      );
    }

    console.log(`\nsession lookup: GET ${PAGE_PATH} without a cookie and with a valid ${SESSION_COOKIE}`);
    if (WARMUP + DURATION >= 55)
      console.log("  (runs of a minute or more: some signed-in requests also write last_seen_at, once a minute each)");
    const pages: { connections: number; out: HttpStats; in: HttpStats }[] = [];
    for (const c of PAGE_CONNECTIONS) {
      const accept = { "accept-encoding": "br, gzip" };
      await waitIdle(url);
      const out = await measured(url, served, c, 200, () => ({ method: "GET", path: PAGE_PATH, headers: accept }));
      await waitIdle(url);
      await markSessionsSeen(url);
      const signedIn = await measured(url, served, c, 200, (i) => ({
        method: "GET",
        path: PAGE_PATH,
        headers: { ...accept, cookie: `${SESSION_COOKIE}=${tokens[i % tokens.length]}` },
      }));
      pages.push({ connections: c, out, in: signedIn });
      for (const [label, s] of [
        ["signed out", out],
        ["signed in ", signedIn],
      ] as const) {
        console.log(
          `  ${c} connections, ${label}: ${s.rate.toFixed(0)} req/s, p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, ` +
            `${s.count} requests; other responses: ${othersText(s)}; other work kept ${cores(s.otherCores)} cores busy`,
        );
      }
    }
    await stopApp(app.child);
    child = undefined;

    // ---------------------------------------------------------------- tables
    console.log(
      `\nargon2id (m=${memoryCost} KiB, t=${timeCost}, p=${parallelism}), verifyPassword alone, ${THREADPOOL}:\n`,
    );
    console.log(
      table(
        ["at a time", "verifies/s", "p50 per verify", "p99 per verify", "cores used", "other work (cores)"],
        verifyRows.map((r) => [
          String(r.concurrency),
          r.rate.toFixed(1),
          ms(r.p50),
          ms(r.p99),
          cores(r.cores),
          cores(r.otherCores),
        ]),
      ),
    );
    console.log(`\nSign-ins through POST ${SIGN_IN_PATH} (303 = signed in), ${USERS} accounts in rotation:\n`);
    console.log(
      table(
        ["connections", "sign-ins/s", "p50", "p99", "sign-ins", "other responses", "other work (cores)"],
        signIns.map((s) => [
          String(s.connections),
          s.rate.toFixed(1),
          ms(s.p50),
          ms(s.p99),
          String(s.count),
          othersText(s),
          cores(s.otherCores),
        ]),
      ),
    );
    console.log(`\nGET ${PAGE_PATH} without and with a session cookie (the onRequest hook resolves it):\n`);
    console.log(
      table(
        [
          "connections",
          "signed out req/s",
          "p50",
          "p99",
          "signed in req/s",
          "p50",
          "p99",
          "Δ p50",
          "Δ p99",
          "other work (cores, out / in)",
        ],
        pages.map((p) => [
          String(p.connections),
          p.out.rate.toFixed(0),
          ms(p.out.p50),
          ms(p.out.p99),
          p.in.rate.toFixed(0),
          ms(p.in.p50),
          ms(p.in.p99),
          `${p.in.p50 - p.out.p50 >= 0 ? "+" : ""}${ms(p.in.p50 - p.out.p50)}`,
          `${p.in.p99 - p.out.p99 >= 0 ? "+" : ""}${ms(p.in.p99 - p.out.p99)}`,
          `${cores(p.out.otherCores)} / ${cores(p.in.otherCores)}`,
        ]),
      ),
    );
    console.log(
      `\nresolveSession alone (${SOLO_N} calls, one at a time, citizen sessions): p50 ${ms(solo.p50)}, p99 ${ms(solo.p99)}; ` +
        `a "select 1" round trip: p50 ${ms(roundTrip.p50)}, p99 ${ms(roundTrip.p99)}.`,
    );
    console.log(
      `Machine: before the argon2id runs ${busyBefore}; before the HTTP runs ${busyHttp}. "other work" is the ` +
        `machine's busy time during each run less that of this process, the app and the bench database's ` +
        `PostgreSQL backends, in cores (of ${availableParallelism()}).`,
    );
    console.log(`Sign-in and session benchmark took ${seconds(performance.now() - started)}.`);
  } finally {
    if (child) await stopApp(child);
    await dropDatabase(name);
  }
}

if (process.argv[2] === "--serve") {
  serve().catch((err: unknown) => {
    process.send?.({ error: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  });
} else {
  main()
    .then(() => process.exit(0))
    .catch(async (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      await Promise.all([...created].map(dropDatabase)).catch(() => undefined);
      process.exit(1);
    });
}
