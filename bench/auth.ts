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
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { curpCheckDigit } from "../src/domains/accounts/curp.js";
import { ARGON2_OPTIONS, hashPassword, verifyPassword } from "../src/domains/accounts/passwords.js";
import * as aq from "../src/domains/accounts/queries.js";
import { resolveSession, startSession } from "../src/domains/accounts/sessions.js";
import { makeCtx, type Ctx } from "../src/platform/context.js";
import { openDatabase } from "../src/platform/db/index.js";
import { prepareDatabase } from "../src/prepare.js";
import {
  ADMIN_URL,
  BENCH_DATA_DIR,
  assertLocal,
  backendPids,
  benchConfig,
  createDatabase,
  dropDatabase,
  otherCpu,
  otherLoadMeter,
  runBench,
  seconds,
  silentLogger,
  sleep,
  startApp,
  stats,
  stopApp,
  table,
  waitIdle,
  withClient,
  type Stats,
} from "./lib.js";

const env = process.env;
const DURATION = Number(env.BENCH_DURATION ?? 8);
const WARMUP = 2;
const USERS = 200;
const VERIFY_CONCURRENCY = [1, 2, 4, 8];
const SIGN_IN_CONNECTIONS = [1, 4, 16];
const PAGE_CONNECTIONS = [1, 32];
const SOLO_N = 5000;
const APP_POOL = 32;
/** The longest wait for the bench database to be idle between runs. */
const IDLE_WAIT_MS = 120_000;
const SIGN_IN_PATH = "/cuenta/entrar";
const PAGE_PATH = "/instituciones";
const SESSION_COOKIE = "__Host-vt_session";
const CSRF_COOKIE = "__Host-vt_csrf";
const THREADPOOL = env.UV_THREADPOOL_SIZE
  ? `UV_THREADPOOL_SIZE=${env.UV_THREADPOOL_SIZE}`
  : "UV_THREADPOOL_SIZE unset (4)";

const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 2 : 1)} ms` : "–");
const cores = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "–");

/**
 * resolveSession writes last_seen_at when a session was last seen a minute ago or more. Marking every
 * session as just seen before a signed-in run (warm-up and run last under a minute) keeps that write out
 * of it, so each run measures the same thing: the lookup, which every request with the cookie pays.
 */
async function markSessionsSeen(url: string): Promise<void> {
  await withClient(url, (c) => c.query("update sessions set last_seen_at = now() where revoked_at is null"));
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
  const postForm = async () => {
    const res = await fetch(`${base}${SIGN_IN_PATH}`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: form.cookie },
      body: form.body,
    });
    await res.arrayBuffer();
    return res;
  };
  const post = await postForm();
  if (post.status !== 303 || !setCookie(post, SESSION_COOKIE))
    throw new Error(`POST ${SIGN_IN_PATH} answered ${post.status} without a session cookie instead of a 303 with one.`);
  // The same form a second time: the CSRF token is not single-use, so autocannon may repeat it.
  const again = await postForm();
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
  await waitIdle(url, IDLE_WAIT_MS);
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

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  assertLocal(ADMIN_URL);
  if (!(DURATION > 0)) throw new Error(`BENCH_DURATION must be a number of seconds: ${env.BENCH_DURATION}`);
  const started = performance.now();

  const { memoryCost, timeCost, parallelism } = ARGON2_OPTIONS;
  console.log(
    `Sign-in and session benchmark: argon2id m=${memoryCost} KiB (${(memoryCost / 1024).toFixed(0)} MiB), ` +
      `t=${timeCost}, p=${parallelism}; ${THREADPOOL}; ${USERS} accounts; ${WARMUP} s warm-up + ${DURATION} s per run; ` +
      `PostgreSQL at ${new URL(ADMIN_URL).host}`,
  );

  const name = `vt_bench_auth_${process.pid}`;
  const url = await createDatabase(name);
  let child: ChildProcess | undefined;
  try {
    const config = benchConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: String(APP_POOL) });
    const database = await openDatabase({ databaseUrl: url, dataDir: BENCH_DATA_DIR, poolSize: 4 });
    const ctx = makeCtx(config, database.db, silentLogger);
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
    await waitIdle(url, IDLE_WAIT_MS);
    const app = await startApp(url, APP_POOL);
    child = app.child;
    const served = { port: app.port, pid: app.child.pid ?? 0 };
    const base = `http://127.0.0.1:${app.port}`;
    const forms: SignInForm[] = [];
    for (const account of accounts) forms.push(await signInForm(base, account));
    await checkApp(base, forms[0]!, tokens[0]!);
    await waitIdle(url, IDLE_WAIT_MS);
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
      await waitIdle(url, IDLE_WAIT_MS);
      const out = await measured(url, served, c, 200, () => ({ method: "GET", path: PAGE_PATH, headers: accept }));
      await waitIdle(url, IDLE_WAIT_MS);
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

runBench(main);
