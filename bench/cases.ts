/**
 * Applying online and working cases, on PostgreSQL.
 *
 *   submissions   BENCH_PEOPLE citizens (1,000) each with a filled draft (answers saved with savePage, one
 *                 small PDF through uploadFile), then submitApplication, BENCH_CONCURRENCY (16) at a time,
 *                 with durable commits (synchronous_commit on): submissions per second, p50/p95/p99; then
 *                 100 more one at a time. Meanwhile pg_stat_activity is sampled: what the backends wait for.
 *   ceiling       the same rows (same columns and values; a new folio, key and public id) through the app's
 *                 own INSERT (insertApplication), one transaction per row, same concurrency and pool; then
 *                 100 one at a time.
 *   inbox         BENCH_CASES (1,000,000) applications bulk-loaded over 40 institutions, then inboxOf for a
 *                 real caseworker of an institution holding 1/40 of them, one call at a time, up to
 *                 BENCH_INBOX_CALLS (300) per view: p50/p95/p99, and the index each plan uses.
 * Prints figures, never asserts on them. Only talks to 127.0.0.1 and drops its database.
 *
 *   npm run bench:cases
 *   BENCH_CASES=100000           fewer cases for a quick run
 *   BENCH_PARTS=inbox            only one part: submissions or inbox (default both)
 *   BENCH_PEOPLE, BENCH_CONCURRENCY, BENCH_INBOX_CALLS
 *   BENCH_INBOX_MAX_SECONDS=15   a view stops after this long even short of BENCH_INBOX_CALLS calls
 *   BENCH_EXPLAIN=1              the full EXPLAIN ANALYZE of every inbox view (always for a p50 over 100 ms)
 *   BENCH_KEEP_DB=1              keep the database (drop it yourself)
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres  (server to use; default shown)
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Kysely, PostgresDialect, sql, type LogEvent } from "kysely";
import pg from "pg";
import type { Viewer } from "../src/domains/accounts/sessions.js";
import { submitApplication } from "../src/domains/cases/applications.js";
import { inboxOf, type InboxQuery } from "../src/domains/cases/casework.js";
import * as cq from "../src/domains/cases/queries.js";
import type { Config } from "../src/config.js";
import { makeCtx, type Ctx } from "../src/platform/context.js";
import { openDatabase, type Db } from "../src/platform/db/index.js";
import { prepareDatabase } from "../src/prepare.js";
import { liveProcedure } from "../test/cases.js";
import {
  bulkLoad,
  eachConcurrently,
  filledDraft,
  importLifeEvents,
  insertCitizens,
  viewerOf,
  type BulkResult,
} from "./cases-data.js";
import {
  ADMIN_URL,
  BENCH_DATA_DIR,
  assertLocal,
  backendPids,
  benchConfig,
  createDatabase,
  dropDatabase,
  newPool,
  otherCpu,
  otherLoadMeter,
  percentile,
  runBench,
  seconds,
  silentLogger,
  sleep,
  table,
  waitIdle,
  withClient,
} from "./lib.js";

const env = process.env;
const CASES = Number(env.BENCH_CASES ?? 1_000_000);
const PEOPLE = Number(env.BENCH_PEOPLE ?? 1000);
const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 16);
const INBOX_CALLS = Number(env.BENCH_INBOX_CALLS ?? 300);
/** A view stops after this many seconds of calls even when it has not made INBOX_CALLS of them. */
const INBOX_MAX_SECONDS = Number(env.BENCH_INBOX_MAX_SECONDS ?? 15);
const PARTS = (env.BENCH_PARTS ?? "submissions,inbox").split(",").filter((p) => ["submissions", "inbox"].includes(p));
/** Submissions (and ceiling rows) one at a time, after the concurrent run. */
const SOLO = 100;
/** Submissions (and ceiling rows) before each timed run, not counted: connections, caches, JIT. */
const WARM = 32;
/** Inbox calls before the timed ones (at most 2 s of them). */
const INBOX_WARM = 20;
/** Views slower than this at p50 get their EXPLAIN ANALYZE printed. */
const SLOW_P50_MS = 100;
/** How often the activity of the bench database's backends is sampled during the submission runs. */
const SAMPLE_MS = 20;
const INSTITUTIONS = 40;
const TARGET = 7;

const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 2 : 1)} ms` : "–");
const int = (v: number) => Math.round(v).toLocaleString("en");
const cores = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "–");
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

interface Timed {
  count: number;
  elapsedMs: number;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Cores kept busy by other work during the run (NaN when not measured). */
  otherCores: number;
  /** CPU time of this (Node) process per row or call, in ms (NaN when not measured). */
  nodeCpuMs: number;
}

function summarize(latencies: number[], elapsedMs: number): Timed {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    count: sorted.length,
    elapsedMs,
    rate: (sorted.length / elapsedMs) * 1000,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    otherCores: NaN,
    nodeCpuMs: NaN,
  };
}

/** Runs fn over every item, `concurrency` at a time; the latency of each call and the wall time of all. */
async function timedRun<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>): Promise<Timed> {
  const latencies: number[] = [];
  const start = performance.now();
  await eachConcurrently(items, concurrency, async (item, i) => {
    const t = performance.now();
    await fn(item, i);
    latencies.push(performance.now() - t);
  });
  return summarize(latencies, performance.now() - start);
}

// ------------------------------------------------------------------ what the backends do meanwhile

/**
 * Samples pg_stat_activity of the bench database every SAMPLE_MS until stopped: for each client backend
 * in a transaction or running a statement, what it is doing (on CPU, waiting for a lock and which kind,
 * for the WAL flush, or for Node to send the next statement). Returns the share of each, and the WAL
 * written meanwhile (bytes, from pg_current_wal_lsn: the whole server).
 */
async function activitySampler(
  url: string,
): Promise<{ stop: () => Promise<{ shares: Map<string, number>; walBytes: number }> }> {
  let running = true;
  const counts = new Map<string, number>();
  let total = 0;
  const c = new pg.Client({ connectionString: url });
  c.on("error", () => undefined);
  await c.connect();
  const lsn0 = (await c.query<{ l: string }>("select pg_current_wal_lsn()::text as l")).rows[0]!.l;
  const done = (async () => {
    try {
      while (running) {
        const r = await c.query<{ state: string | null; type: string | null; event: string | null }>(
          `select state, wait_event_type as type, wait_event as event from pg_stat_activity
            where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()
              and state in ('active', 'idle in transaction')`,
        );
        for (const row of r.rows) {
          const what =
            row.state === "idle in transaction"
              ? "in a transaction, waiting for Node's next statement"
              : row.type === null
                ? "running a statement (CPU)"
                : row.type === "Lock"
                  ? `waiting for a lock: ${row.event}`
                  : `waiting: ${row.type} ${row.event}`;
          counts.set(what, (counts.get(what) ?? 0) + 1);
          total++;
        }
        await sleep(SAMPLE_MS);
      }
      const wal = await c.query<{ b: string }>("select pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::bigint as b", [lsn0]);
      return Number(wal.rows[0]!.b);
    } finally {
      await c.end();
    }
  })();
  return {
    stop: async () => {
      running = false;
      const walBytes = await done;
      const shares = new Map([...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / Math.max(1, total)]));
      return { shares, walBytes };
    },
  };
}

interface SubmissionRun extends Timed {
  shares: Map<string, number>;
  walPerRow: number;
}

/**
 * Runs `run` and adds how many cores other work kept busy meanwhile: the machine's busy time less that
 * of this process and of the bench database's backends (lib.ts otherLoadMeter).
 */
async function metered<T extends Timed>(url: string, run: () => Promise<T>): Promise<T> {
  const others = await otherLoadMeter(async () => [process.pid, ...(await backendPids(url))]);
  const cpu = process.cpuUsage();
  const t = await run();
  const used = process.cpuUsage(cpu);
  return { ...t, otherCores: await others(), nodeCpuMs: (used.user + used.system) / 1000 / t.count };
}

/** A run at CONCURRENCY, with its backends sampled and the server's WAL counted. */
async function sampled(url: string, run: () => Promise<Timed>): Promise<SubmissionRun> {
  await waitIdle(url);
  const sampler = await activitySampler(url);
  const t = await metered(url, run);
  const { shares, walBytes } = await sampler.stop();
  return { ...t, shares, walPerRow: walBytes / t.count };
}

// ------------------------------------------------------------------ 1 and 2: submissions against the ceiling

interface Applicant {
  viewer: Viewer;
  draftId: string;
}

async function prepareApplicants(ctx: Ctx, homoclave: string, n: number): Promise<Applicant[]> {
  const ids = await insertCitizens(ctx, n);
  const applicants: Applicant[] = new Array<Applicant>(n);
  await eachConcurrently(ids, 8, async (id, i) => {
    const viewer = await viewerOf(ctx, id);
    applicants[i] = { viewer, draftId: await filledDraft(ctx, viewer, homoclave, i) };
  });
  return applicants;
}

const idempotencyKey = () => randomBytes(18).toString("base64url");

async function submitAll(ctx: Ctx, applicants: Applicant[], concurrency: number): Promise<Timed> {
  const folios = new Set<string>();
  const t = await timedRun(applicants, concurrency, async (a) => {
    const row = await submitApplication(ctx, a.viewer, a.draftId, idempotencyKey(), "es");
    if (row.status !== "received" || !row.deadline) throw new Error(`Unexpected application: ${JSON.stringify(row)}`);
    folios.add(row.folio);
  });
  if (folios.size !== applicants.length)
    throw new Error(`${applicants.length} submissions gave ${folios.size} folios.`);
  return t;
}

/** The rows the use case wrote, as new rows of the same shape: a fresh public id, key and folio. */
async function sameRows(ctx: Ctx, institutionId: number): Promise<cq.NewApplication[]> {
  const r = await sql<{
    folio: string;
    userId: number;
    procedureId: number;
    formId: number;
    answers: cq.NewApplication["answers"];
    facts: Record<string, unknown>;
    lang: "es" | "en";
    status: cq.NewApplication["status"];
    clockStartedOn: string | null;
    maxDays: number | null;
    silenceRule: string;
    deadline: string | null;
  }>`select folio, user_id as "userId", procedure_id as "procedureId", form_id as "formId", answers, facts, lang,
      status, clock_started_on::text as "clockStartedOn", max_days as "maxDays", silence_rule as "silenceRule",
      deadline::text as deadline
    from applications where institution_id = ${institutionId} order by id`.execute(ctx.db);
  return r.rows.map((row, k) => ({
    ...row,
    publicId: "",
    // The same shape, e.g. SRE-2026-000123 → SRE-2026-500123: no clash with the use case's folios.
    folio: row.folio.replace(/\d{6}$/, String(500_000 + k)),
    institutionId,
    idempotencyKey: "",
    submittedAt: new Date(0),
  }));
}

async function insertAll(ctx: Ctx, rows: cq.NewApplication[], concurrency: number): Promise<Timed> {
  return timedRun(rows, concurrency, async (row) => {
    // Autocommit: one statement, one transaction, one durable commit per row.
    const id = await cq.insertApplication(ctx.db, {
      ...row,
      publicId: crypto.randomUUID(),
      idempotencyKey: idempotencyKey(),
      submittedAt: new Date(),
    });
    if (id === null) throw new Error("A ceiling row was not inserted.");
  });
}

// ------------------------------------------------------------------ 3: the inbox over a million cases

interface View {
  name: string;
  query: InboxQuery;
  /** Asked for in the brief (the others are extra). */
  core: boolean;
}

interface Statement {
  sql: string;
  parameters: unknown[];
}

interface ViewResult extends Timed {
  view: View;
  rows: number;
  total: string;
  rowsPlan: PlanSummary;
  countPlan: PlanSummary;
}

interface PlanSummary {
  /** How the plan reads `applications`: index names and scan kinds, e.g. "applications_inbox (index)". */
  access: string;
  executionMs: number;
  buffers: number;
  text: string;
}

/** The statements inboxOf sends for a view, captured through a Kysely with a log hook. */
async function captureInbox(url: string, config: Config, viewer: Viewer, institution: string, view: View) {
  const pool = newPool(url, 1);
  const captured: Statement[] = [];
  const db: Db = new Kysely({
    dialect: new PostgresDialect({ pool }),
    log: (e: LogEvent) => {
      if (e.level === "query") captured.push({ sql: e.query.sql, parameters: [...e.query.parameters] });
    },
  });
  try {
    await inboxOf(makeCtx(config, db, silentLogger), viewer, institution, view.query);
  } finally {
    await db.destroy();
  }
  const rows = captured.find((s) => /order by a\.deadline/.test(s.sql));
  const count = captured.find((s) => /count\(\*\)/.test(s.sql));
  if (!rows || !count) throw new Error(`inboxOf sent no inbox statements for "${view.name}".`);
  return { rows, count };
}

async function explain(url: string, s: Statement): Promise<PlanSummary> {
  return withClient(url, async (c) => {
    const r = await c.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers) ${s.sql}`, s.parameters);
    const lines = r.rows.map((x) => x["QUERY PLAN"]);
    // The applications scans, e.g. "applications_inbox (index)" or "applications_status (bitmap)".
    const access =
      [
        ...new Set(
          lines.flatMap((l) => {
            const m =
              /(Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (applications_\w+)/.exec(l);
            if (m)
              return [
                `${m[2]} (${{ "Index Only Scan": "index only", "Index Scan": "index", "Bitmap Index Scan": "bitmap" }[m[1]!]})`,
              ];
            return /Seq Scan on applications\b/.test(l) ? ["seq scan"] : [];
          }),
        ),
      ].join(" + ") || "?";
    const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(lines.join("\n"))?.[1] ?? NaN);
    const top = lines.find((l) => /Buffers:/.test(l)) ?? "";
    const buffers = [...top.matchAll(/(?:hit|read)=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    return { access, executionMs, buffers, text: lines.join("\n") };
  });
}

async function benchView(ctx: Ctx, url: string, config: Config, bulk: BulkResult, view: View): Promise<ViewResult> {
  const call = () => inboxOf(ctx, bulk.caseworker, bulk.institution, view.query);
  const first = await call();
  const warmUntil = performance.now() + 2000;
  for (let i = 1; i < INBOX_WARM && performance.now() < warmUntil; i++) await call();
  const latencies: number[] = [];
  const others = await otherLoadMeter(async () => [process.pid, ...(await backendPids(url))]);
  const start = performance.now();
  const until = start + INBOX_MAX_SECONDS * 1000;
  for (let i = 0; i < INBOX_CALLS && performance.now() < until; i++) {
    const t = performance.now();
    await call();
    latencies.push(performance.now() - t);
  }
  const timed = { ...summarize(latencies, performance.now() - start), otherCores: await others() };
  const statements = await captureInbox(url, config, bulk.caseworker, bulk.institution, view);
  return {
    ...timed,
    view,
    rows: first.rows.length,
    total: `${first.total.toLocaleString("en")}${first.more ? "+" : ""}`,
    rowsPlan: await explain(url, statements.rows),
    countPlan: await explain(url, statements.count),
  };
}

// ------------------------------------------------------------------ main

async function serverSettings(url: string): Promise<string> {
  return withClient(url, async (c) => {
    const r = await c.query<{ name: string; setting: string }>(
      `select name, setting from pg_settings where name in
        ('synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay', 'shared_buffers', 'work_mem', 'server_version')
       order by name`,
    );
    return r.rows
      .map((x) =>
        x.name === "shared_buffers" ? `${x.name}=${(Number(x.setting) * 8) / 1024} MB` : `${x.name}=${x.setting}`,
      )
      .join(", ");
  });
}

interface Submissions {
  useCase: SubmissionRun;
  ceiling: SubmissionRun;
  useCaseSolo: Timed;
  ceilingSolo: Timed;
  busy: string;
  /** The SQL statements of one submission, in a few words each. */
  statements: string[];
}

/** Parts 1 and 2: submitApplication against plain INSERTs of the same rows, 16 and then 1 at a time. */
async function submissions(ctx: Ctx, url: string): Promise<Submissions> {
  const t1 = performance.now();
  const live = await liveProcedure(ctx);
  // One more than the runs use: its submission is captured statement by statement.
  const applicants = await prepareApplicants(ctx, live.homoclave, WARM + PEOPLE + SOLO + 1);
  const extra = applicants.pop();
  await sql`vacuum analyze`.execute(ctx.db);
  const institutionId = (
    await sql<{ id: number }>`select id from institutions where acronym = ${live.institution}`.execute(ctx.db)
  ).rows[0]!.id;
  console.log(
    `  1 institution and procedure ${live.homoclave} with its form live; ${int(applicants.length)} citizens, ` +
      `sessions and filled drafts (with one PDF each) in ${seconds(performance.now() - t1)}`,
  );
  const busy = await otherCpu();
  console.log(`  before the submission runs: ${busy}`);
  const [warm, timed, solo] = [
    applicants.slice(0, WARM),
    applicants.slice(WARM, WARM + PEOPLE),
    applicants.slice(WARM + PEOPLE),
  ];

  console.log(`\nsubmitApplication, ${CONCURRENCY} at a time (durable commits)`);
  await submitAll(ctx, warm, CONCURRENCY);
  const useCase = await sampled(url, () => submitAll(ctx, timed, CONCURRENCY));
  console.log(`  ${line(useCase, "submissions")}`);
  await waitIdle(url);
  const useCaseSolo = await metered(url, () => submitAll(ctx, solo, 1));
  console.log(`  one at a time: ${line(useCaseSolo, "submissions")}`);

  console.log(`\nceiling: the same rows through insertApplication alone, one transaction each`);
  const rows = await sameRows(ctx, institutionId);
  await insertAll(ctx, rows.slice(0, WARM), CONCURRENCY);
  const ceiling = await sampled(url, () => insertAll(ctx, rows.slice(WARM, WARM + PEOPLE), CONCURRENCY));
  console.log(`  ${CONCURRENCY} at a time: ${line(ceiling, "inserts")}`);
  await waitIdle(url);
  const ceilingSolo = await metered(url, () => insertAll(ctx, rows.slice(WARM + PEOPLE), 1));
  console.log(`  one at a time: ${line(ceilingSolo, "inserts")}`);
  const statements = (await statementsOfOneSubmission(url, ctx.config, extra!)).map(label);
  const folioAt = statements.indexOf("insert folio_counters");
  const commitAt = statements.indexOf("commit");
  console.log(
    `\none submission = ${statements.length} SQL statements: ${statements.join(", ")}` +
      (folioAt >= 0 && commitAt > folioAt
        ? `\n  the folio counter row stays locked for ${commitAt - folioAt} statements and the commit (its WAL flush)`
        : ""),
  );
  return { useCase, ceiling, useCaseSolo, ceilingSolo, busy, statements };
}

/** A statement in a few words: "begin", "select applications", "insert audit_log", "advisory lock"… */
function label(statement: string): string {
  const text = statement.replace(/\s+/g, " ").trim().toLowerCase();
  if (/^(begin|commit|rollback)/.test(text)) return text.split(" ")[0]!;
  if (/pg_advisory_xact_lock/.test(text)) return "advisory lock";
  const write = /^(insert into|update|delete from) (\w+)/.exec(text);
  if (write) return `${write[1]!.split(" ")[0]} ${write[2]}`;
  return `select ${/ from (\w+)/.exec(text)?.[1] ?? "?"}`;
}

/** The statements one submitApplication sends, in order, captured through a Kysely with a log hook. */
async function statementsOfOneSubmission(url: string, config: Config, a: Applicant): Promise<string[]> {
  const pool = newPool(url, 2);
  const captured: string[] = [];
  const db: Db = new Kysely({
    dialect: new PostgresDialect({ pool }),
    log: (e: LogEvent) => {
      if (e.level === "query") captured.push(e.query.sql);
    },
  });
  try {
    await submitApplication(makeCtx(config, db, silentLogger), a.viewer, a.draftId, idempotencyKey(), "es");
  } finally {
    await db.destroy();
  }
  return captured;
}

const line = (t: Timed, what: string) =>
  `${int(t.count)} ${what} in ${seconds(t.elapsedMs)}: ${t.rate.toFixed(1)}/s, p50 ${ms(t.p50)}, ` +
  `p95 ${ms(t.p95)}, p99 ${ms(t.p99)}, max ${ms(t.max)}; other work kept ${cores(t.otherCores)} cores busy`;

interface Inbox {
  bulk: BulkResult;
  views: ViewResult[];
  busy: string;
}

/** Part 3: a million cases, then inboxOf per view. */
async function inbox(ctx: Ctx, url: string, config: Config): Promise<Inbox> {
  console.log(`\nloading ${int(CASES)} cases over ${INSTITUTIONS} institutions`);
  const bulk = await withClient(url, (c) =>
    bulkLoad(ctx, c, {
      cases: CASES,
      institutions: INSTITUTIONS,
      proceduresPerInstitution: 5,
      caseworkersPerInstitution: 8,
      target: TARGET,
    }),
  );
  const b = bulk.times;
  console.log(
    `  loaded in ${seconds(b.catalogueMs + b.peopleMs + b.rowsMs + b.indexMs + b.vacuumMs)}: catalogue and forms ` +
      `${seconds(b.catalogueMs)}, ${int(bulk.applicants)} applicants and ${INSTITUTIONS * 8} caseworkers ${seconds(b.peopleMs)}, ` +
      `rows ${seconds(b.rowsMs)}, indexes ${seconds(b.indexMs)}, vacuum analyze ${seconds(b.vacuumMs)}; ` +
      `applications: ${mb(bulk.heapBytes)} heap, ${mb(bulk.indexBytes)} of indexes`,
  );
  const mix = await sql<{ status: string; n: number; mine: number }>`select status, count(*)::int as n,
      count(*) filter (where assigned_to = ${bulk.caseworker.userId})::int as mine
    from applications where institution_id = ${bulk.institutionId} group by status order by n desc`.execute(ctx.db);
  console.log(
    `  ${bulk.institution} holds ${int(mix.rows.reduce((sum, r) => sum + r.n, 0))} cases: ` +
      mix.rows.map((r) => `${r.status} ${int(r.n)}`).join(", ") +
      `; assigned to the timed caseworker: ${int(mix.rows.reduce((sum, r) => sum + r.mine, 0))}`,
  );
  const folio = (
    await sql<{ folio: string }>`select folio from applications where institution_id = ${bulk.institutionId}
      and status = 'in_review' order by id desc limit 1`.execute(ctx.db)
  ).rows[0]!.folio;
  const views: View[] = [
    { name: "default (open, by deadline)", query: {}, core: true },
    { name: "due soon", query: { due: "soon" }, core: true },
    { name: "overdue", query: { due: "overdue" }, core: true },
    { name: "assigned to me", query: { mine: true }, core: true },
    { name: "status: in review", query: { status: "in_review" }, core: true },
    { name: "page 20", query: { page: 20 }, core: true },
    { name: "unassigned", query: { unassigned: true }, core: false },
    { name: "one folio", query: { folio }, core: false },
    { name: "status: resolved favourable", query: { status: "resolved_favourable" }, core: false },
    { name: "closed", query: { status: "closed" }, core: false },
  ];
  await waitIdle(url);
  const busy = await otherCpu();
  console.log(`\ninboxOf as ${bulk.caseworker.name} (caseworker, ${bulk.institution}); before the runs: ${busy}`);
  const results: ViewResult[] = [];
  for (const view of views) {
    const r = await benchView(ctx, url, config, bulk, view);
    results.push(r);
    console.log(
      `  ${view.name.padEnd(28)} ${r.count} calls: p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)}; ` +
        `${r.rows} rows of ${r.total}; rows: ${r.rowsPlan.access}; count: ${r.countPlan.access}`,
    );
  }
  return { bulk, views: results, busy };
}

function printSubmissions(s: Submissions): void {
  const runs: [string, Timed, SubmissionRun | undefined][] = [
    [`submitApplication (use case), ${CONCURRENCY} at a time`, s.useCase, s.useCase],
    [`plain INSERT (ceiling), ${CONCURRENCY} at a time`, s.ceiling, s.ceiling],
    ["submitApplication, one at a time", s.useCaseSolo, undefined],
    ["plain INSERT, one at a time", s.ceilingSolo, undefined],
  ];
  console.log(
    `\nsubmissions (${s.busy} before)\n` +
      table(
        [
          "run",
          "rows",
          "per second",
          "p50",
          "p95",
          "p99",
          "max",
          "Node CPU per row",
          "WAL per row (server)",
          "other work (cores)",
        ],
        runs.map(([label, t, sampledRun]) => [
          label,
          int(t.count),
          t.rate.toFixed(1),
          ms(t.p50),
          ms(t.p95),
          ms(t.p99),
          ms(t.max),
          ms(t.nodeCpuMs),
          sampledRun ? `${(sampledRun.walPerRow / 1024).toFixed(1)} KB` : "–",
          cores(t.otherCores),
        ]),
      ),
  );
  console.log(
    `\nuse case / ceiling at ${CONCURRENCY} at a time: ${(s.useCase.rate / s.ceiling.rate).toFixed(3)} (throughput); ` +
      `p50 ×${(s.useCase.p50 / s.ceiling.p50).toFixed(1)}, p99 ×${(s.useCase.p99 / s.ceiling.p99).toFixed(1)}. ` +
      `${CONCURRENCY} at a time against one at a time: use case ×${(s.useCase.rate / s.useCaseSolo.rate).toFixed(2)}, ` +
      `ceiling ×${(s.ceiling.rate / s.ceilingSolo.rate).toFixed(2)}`,
  );
  const folioAt = s.statements.indexOf("insert folio_counters");
  console.log(
    `one submission: ${s.statements.length} SQL statements; the folio counter row is locked from statement ` +
      `${folioAt + 1} to the commit (statement ${s.statements.indexOf("commit") + 1})`,
  );
  const kinds = [...new Set([...s.useCase.shares.keys(), ...s.ceiling.shares.keys()])];
  const pct = (v: number | undefined) => `${((v ?? 0) * 100).toFixed(0)} %`;
  console.log(
    `\nwhat the backends in a transaction or a statement were doing, ${CONCURRENCY} at a time ` +
      `(pg_stat_activity every ${SAMPLE_MS} ms):\n` +
      table(
        ["state", "use case", "ceiling"],
        kinds.map((k) => [k, pct(s.useCase.shares.get(k)), pct(s.ceiling.shares.get(k))]),
      ),
  );
}

function printInbox(r: Inbox): void {
  console.log(
    `\ninbox: ${int(CASES)} cases, ${r.bulk.institution} holds 1/${INSTITUTIONS}; up to ${INBOX_CALLS} calls per view ` +
      `(at most ${INBOX_MAX_SECONDS} s), one at a time (${r.busy} before)\n` +
      table(
        [
          "view",
          "calls",
          "rows",
          "total",
          "p50",
          "p95",
          "p99",
          "other work (cores)",
          "rows query uses",
          "count query uses",
        ],
        r.views.map((v) => [
          `${v.view.name}${v.view.core ? "" : " (extra)"}`,
          String(v.count),
          String(v.rows),
          v.total,
          ms(v.p50),
          ms(v.p95),
          ms(v.p99),
          cores(v.otherCores),
          v.rowsPlan.access,
          v.countPlan.access,
        ]),
      ),
  );
  const d = r.views[0]!;
  console.log(
    `\ndefault view plan: rows — ${d.rowsPlan.access} (${d.rowsPlan.executionMs.toFixed(2)} ms, ${int(d.rowsPlan.buffers)} buffers); ` +
      `count — ${d.countPlan.access} (${d.countPlan.executionMs.toFixed(2)} ms, ${int(d.countPlan.buffers)} buffers)`,
  );
  for (const v of r.views)
    if (env.BENCH_EXPLAIN === "1" || v.p50 > SLOW_P50_MS)
      console.log(
        `\nEXPLAIN ANALYZE, ${v.view.name}${v.p50 > SLOW_P50_MS ? ` (p50 over ${SLOW_P50_MS} ms)` : ""}:\n` +
          `${v.rowsPlan.text.replace(/^/gm, "    ")}\n\n${v.countPlan.text.replace(/^/gm, "    ")}`,
      );
}

async function main(): Promise<void> {
  assertLocal(ADMIN_URL);
  for (const [name, v] of Object.entries({ CASES, PEOPLE, SOLO, CONCURRENCY, INBOX_CALLS, INBOX_MAX_SECONDS }))
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a whole number above 0: ${v}`);
  if (CASES < INSTITUTIONS * 100) throw new Error(`BENCH_CASES must be at least ${INSTITUTIONS * 100}.`);
  if (!PARTS.length) throw new Error(`BENCH_PARTS must name submissions, inbox or both: ${env.BENCH_PARTS}`);
  const started = performance.now();
  console.log(
    `Cases benchmark (${PARTS.join(" and ")}): ${int(PEOPLE)} submissions (+${WARM} warm-up) at ${CONCURRENCY} at a time ` +
      `and ${SOLO} one at a time; ${int(CASES)} cases for the inbox, up to ${INBOX_CALLS} calls per view; ` +
      `PostgreSQL at ${new URL(ADMIN_URL).host}`,
  );

  const name = `vt_bench_cases_${process.pid}`;
  const url = await createDatabase(name);
  const dataDir = join(BENCH_DATA_DIR, `cases-${process.pid}`);
  // The uploads go under dataDir: removed at the end, also when runBench exits on a failure or a signal.
  process.once("exit", () => rmSync(dataDir, { recursive: true, force: true }));
  try {
    console.log(`  server: ${await serverSettings(url)}`);
    const config = benchConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: String(CONCURRENCY), DATA_DIR: dataDir });
    // The pool the use cases and the ceiling share: one connection per submission in flight.
    const database = await openDatabase({ databaseUrl: url, dataDir, poolSize: CONCURRENCY });
    const ctx = makeCtx(config, database.db, silentLogger);
    let s: Submissions | undefined;
    let i: Inbox | undefined;
    try {
      const t0 = performance.now();
      await prepareDatabase(ctx);
      await importLifeEvents(ctx);
      console.log(
        `  database prepared in ${seconds(performance.now() - t0)} (migrations, INEGI geography, the seed's life events)`,
      );
      if (PARTS.includes("submissions")) s = await submissions(ctx, url);
      if (PARTS.includes("inbox")) i = await inbox(ctx, url, config);
    } finally {
      await database.close();
    }
    if (s) printSubmissions(s);
    if (i) printInbox(i);
    console.log(`\nCases benchmark took ${seconds(performance.now() - started)}.`);
  } finally {
    if (env.BENCH_KEEP_DB !== "1") await dropDatabase(name);
    else console.log(`  kept database ${name} (BENCH_KEEP_DB=1): drop it yourself`);
  }
}

runBench(main);
