/**
 * Search throughput and latency at catalogue sizes of 1k, 10k and 100k procedures.
 *
 * For each size: a fresh PostgreSQL database, migrated and prepared like production,
 * loaded in bulk with a synthetic catalogue (bench/generate.ts). Then
 *   API      the real app (createApp, in its own process) under autocannon, GET /api/v1/procedures?q=…
 *   ceiling  the very statements one API search runs (captured from searchProcedures),
 *            replayed through a pg.Pool at the same concurrency: what the database alone allows.
 * Prints figures, never asserts on them. Only talks to 127.0.0.1 and drops its databases.
 *
 *   npm run bench:search
 *   BENCH_SIZES=1000,10000 BENCH_DURATION=10 BENCH_CONNECTIONS=32 npm run bench:search
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres  (server to use; default shown)
 *   BENCH_EXPLAIN=1  also prints EXPLAIN ANALYZE of the slowest query at each size
 *   BENCH_API=0      database only (skips the app); BENCH_KEEP_DB=1 keeps the databases for a look afterwards
 */
import autocannon from "autocannon";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { Kysely, PostgresDialect, sql, type LogEvent } from "kysely";
import type pg from "pg";
import type { Config } from "../src/config.js";
import { replaceAllSynonyms, searchProcedures } from "../src/domains/catalogue/catalogue.js";
import { demoSynonyms } from "../src/domains/catalogue/demo.js";
import * as q from "../src/domains/catalogue/queries.js";
import type { InstitutionInput } from "../src/domains/catalogue/schema.js";
import { makeCtx, type Ctx } from "../src/platform/context.js";
import { openDatabase, type Db } from "../src/platform/db/index.js";
import { prepareDatabase } from "../src/prepare.js";
import { benchInstitutions, procedureGenerator, readSeed, searchDocument } from "./generate.js";
import {
  ADMIN_URL,
  BENCH_DATA_DIR,
  assertLocal,
  benchConfig,
  createDatabase,
  dropDatabase,
  newPool,
  otherCpu,
  runBench,
  seconds,
  silentLogger,
  startApp,
  stats,
  stopApp,
  table,
  waitIdle,
  withClient,
  type Stats,
} from "./lib.js";
import { BENCH_QUERIES } from "./queries.js";

const env = process.env;
const SIZES = (env.BENCH_SIZES ?? "1000,10000,100000").split(",").map((s) => Number(s.trim()));
const DURATION = Number(env.BENCH_DURATION ?? 10);
const WARMUP = Number(env.BENCH_WARMUP ?? 3);
/** Runs stretch up to this long when searches are so slow that BENCH_DURATION would complete too few. */
const MAX_DURATION = Number(env.BENCH_MAX_DURATION ?? 120);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 32);
const BATCH = 1000;

/** The app's configuration over the bench database at `url`, with a pool as large as the load. */
function searchConfig(url: string): Config {
  return benchConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: String(CONNECTIONS) });
}

// ------------------------------------------------------------------ loading

const INSERT_PROCEDURES = `insert into procedures
    (homoclave, institution_id, kind, status, audience, citizen_name, official_name, description, record, is_online,
     is_free, max_resolution_days, silence_rule, popularity, last_reviewed, demo,
     search_names, search_keywords, search_body, search_en)
  select t.homoclave, t.institution_id, t.kind, 'published', t.audience::text[], t.citizen_name::jsonb,
    t.official_name::jsonb, t.description::jsonb, t.record::jsonb, t.is_online, t.is_free, t.max_resolution_days,
    t.silence_rule, t.popularity, t.last_reviewed, false, t.search_names, t.search_keywords, t.search_body, t.search_en
  from unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
    $9::bool[], $10::bool[], $11::int[], $12::text[], $13::int[], $14::date[], $15::text[], $16::text[], $17::text[],
    $18::text[])
    as t(homoclave, institution_id, kind, audience, citizen_name, official_name, description, record, is_online, is_free,
      max_resolution_days, silence_rule, popularity, last_reviewed, search_names, search_keywords, search_body, search_en)
  returning id`;

interface LoadTimes {
  generateAndInsertMs: number;
  indexMs: number;
  lexiconMs: number;
  analyzeMs: number;
}

/**
 * Institutions, life events and synonyms through the app's own queries; procedures in
 * bulk (unnest, 1,000 rows a statement, the columns upsertProcedures writes) with the
 * secondary indexes dropped meanwhile and rebuilt from their own definitions after.
 */
async function loadCatalogue(ctx: Ctx, url: string, size: number): Promise<LoadTimes> {
  const seed = readSeed();
  const institutions = benchInstitutions(seed, 40);
  const instIds = new Map<string, number>();
  for (const i of institutions) instIds.set(i.acronym, await q.upsertInstitution(ctx.db, i));
  for (const e of seed.lifeEvents) await q.upsertLifeEvent(ctx.db, { ...e, demo: false });
  const eventIds = await q.lifeEventIdsBySlug(
    ctx.db,
    seed.lifeEvents.map((e) => e.slug),
  );
  await replaceAllSynonyms(ctx, demoSynonyms());
  const byAcronym = new Map<string, InstitutionInput>(institutions.map((i) => [i.acronym, i]));

  const pool = newPool(url, 2);
  try {
    const indexes = (
      await pool.query<{ name: string; def: string }>(`select i.indexname as name, i.indexdef as def from pg_indexes i
        where i.schemaname = 'public' and i.tablename in ('procedures', 'procedure_life_events')
          and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`)
    ).rows;
    for (const i of indexes) await pool.query(`drop index "${i.name}"`);

    const t0 = performance.now();
    const gen = procedureGenerator(seed, institutions);
    let made = 0;
    const worker = async () => {
      while (made < size) {
        const n = Math.min(BATCH, size - made);
        made += n;
        const cols: unknown[][] = Array.from({ length: 18 }, () => []);
        const events: { row: number; ids: number[] }[] = [];
        for (let k = 0; k < n; k++) {
          const r = gen.next();
          const s = searchDocument(r, byAcronym.get(r.institution));
          const values: unknown[] = [
            r.homoclave,
            instIds.get(r.institution)!,
            r.kind,
            `{${r.audience.join(",")}}`,
            JSON.stringify(r.citizenName),
            JSON.stringify(r.officialName),
            JSON.stringify(r.description),
            JSON.stringify(r),
            Boolean(r.channels.online),
            r.cost.type === "free",
            r.maxResolutionDays,
            r.silenceRule,
            r.popularity ?? 0,
            r.lastReviewed,
            s.names,
            s.keywords,
            s.body,
            s.en,
          ];
          values.forEach((v, c) => cols[c]!.push(v));
          events.push({ row: k, ids: r.lifeEvents.map((slug) => eventIds.get(slug)!).filter(Boolean) });
        }
        const client = await pool.connect();
        try {
          await client.query("begin");
          const ids = (await client.query<{ id: string }>(INSERT_PROCEDURES, cols)).rows.map((x) => Number(x.id));
          const pairs = events.flatMap((e) => e.ids.map((l) => [ids[e.row]!, l] as const));
          await client.query(
            `insert into procedure_life_events (procedure_id, life_event_id) select * from unnest($1::bigint[], $2::bigint[])`,
            [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
          );
          await client.query("commit");
        } catch (err) {
          await client.query("rollback");
          throw err;
        } finally {
          client.release();
        }
      }
    };
    await Promise.all([worker(), worker()]);
    const t1 = performance.now();
    await pool.query("set maintenance_work_mem = '512MB'");
    // Rebuilt on both connections at once where the pool allows (two cores).
    await Promise.all(
      indexes.map(async (i) => {
        const c = await pool.connect();
        try {
          await c.query("set maintenance_work_mem = '512MB'");
          await c.query(i.def);
        } finally {
          c.release();
        }
      }),
    );
    const t2 = performance.now();
    await q.rebuildLexicon(ctx.db);
    const t3 = performance.now();
    // What autovacuum would have done on a live database before anyone searched.
    await pool.query("vacuum analyze");
    const t4 = performance.now();
    return { generateAndInsertMs: t1 - t0, indexMs: t2 - t1, lexiconMs: t3 - t2, analyzeMs: t4 - t3 };
  } finally {
    await pool.end();
  }
}

// ------------------------------------------------------------------ the statements of one search

interface Statement {
  sql: string;
  parameters: unknown[];
}

interface Plan {
  query: string;
  total: number;
  statements: Statement[];
}

/** Runs searchProcedures once per query over a logging Kysely and keeps the compiled SQL and parameters. */
async function capturePlans(url: string, config: Config): Promise<Plan[]> {
  const pool = newPool(url, 2);
  let captured: Statement[] = [];
  const db: Db = new Kysely({
    dialect: new PostgresDialect({ pool }),
    log: (e: LogEvent) => {
      if (e.level === "query") captured.push({ sql: e.query.sql, parameters: [...e.query.parameters] });
    },
  });
  try {
    const ctx = makeCtx(config, db, silentLogger);
    await searchProcedures(ctx, { q: "pasaporte" }); // loads the synonym cache, which has its own 30 s lifetime
    const plans: Plan[] = [];
    for (const query of BENCH_QUERIES) {
      // As the API route calls it (no facets, defaults for page, size and language). The second call is
      // captured: in a running app the per-process caches (synonyms, word analysis) are warm.
      await searchProcedures(ctx, { q: query, lang: "es" });
      captured = [];
      const r = await searchProcedures(ctx, { q: query, lang: "es" });
      plans.push({
        query,
        total: r.total,
        statements: captured.filter((s) => !/\bfrom search_synonyms\b/.test(s.sql)),
      });
    }
    return plans;
  } finally {
    await db.destroy();
  }
}

// ------------------------------------------------------------------ the ceiling: the same SQL straight through pg

/**
 * Long enough to complete several rounds of searches: when one search alone takes
 * `meanSoloMs`, at CONNECTIONS concurrent searches on these cores each takes about
 * meanSoloMs × CONNECTIONS / cores. Never shorter than BENCH_DURATION.
 */
function runSeconds(meanSoloMs: number): number {
  const expectedMs = (meanSoloMs * CONNECTIONS) / availableParallelism();
  return Math.max(DURATION, Math.min(MAX_DURATION, Math.ceil((expectedMs * 6) / 1000)));
}

async function runPlan(pool: pg.Pool, plan: Plan): Promise<void> {
  for (const s of plan.statements) await pool.query(s.sql, s.parameters);
}

async function ceiling(url: string, plans: Plan[], duration: number): Promise<Stats> {
  const pool = newPool(url, CONNECTIONS);
  try {
    let next = 0;
    const loop = async (until: number, latencies: number[] | null) => {
      while (performance.now() < until) {
        const plan = plans[next++ % plans.length]!;
        const t = performance.now();
        await runPlan(pool, plan);
        latencies?.push(performance.now() - t);
      }
    };
    const warmUntil = performance.now() + WARMUP * 1000;
    await Promise.all(Array.from({ length: CONNECTIONS }, () => loop(warmUntil, null)));
    await waitIdle(url);
    const latencies: number[] = [];
    const start = performance.now();
    await Promise.all(Array.from({ length: CONNECTIONS }, () => loop(start + duration * 1000, latencies)));
    return stats(latencies, performance.now() - start);
  } finally {
    await pool.end();
  }
}

/** Each query alone, one after the other: which ones are slow, and how many rows they match. */
async function soloTimings(url: string, plans: Plan[]): Promise<{ query: string; total: number; ms: number }[]> {
  const pool = newPool(url, 1);
  try {
    const out: { query: string; total: number; ms: number }[] = [];
    for (const plan of plans) {
      const runs: number[] = [];
      // The median of three, or one run when a search takes over half a second (100k, slow queries).
      for (let i = 0; i < 3 && !(runs[0]! > 500); i++) {
        const t = performance.now();
        await runPlan(pool, plan);
        runs.push(performance.now() - t);
      }
      out.push({ query: plan.query, total: plan.total, ms: runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]! });
    }
    return out.sort((a, b) => b.ms - a.ms);
  } finally {
    await pool.end();
  }
}

function explain(url: string, plan: Plan): Promise<string> {
  return withClient(url, async (c) => {
    const lines: string[] = [];
    for (const s of plan.statements) {
      const r = await c.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers) ${s.sql}`, s.parameters);
      lines.push(r.rows.map((x) => x["QUERY PLAN"]).join("\n"), "");
    }
    return lines.join("\n");
  });
}

// ------------------------------------------------------------------ the API: the real app under autocannon

interface ApiStats extends Stats {
  non2xx: number;
  errors: number;
}

const skippedApi: ApiStats = { rate: NaN, p50: NaN, p99: NaN, count: 0, non2xx: 0, errors: 0 };

function cannon(port: number, seconds: number, latencies: number[] | null): Promise<autocannon.Result> {
  let next = 0;
  const paths = BENCH_QUERIES.map((query) => `/api/v1/procedures?q=${encodeURIComponent(query)}`);
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: CONNECTIONS,
        duration: seconds,
        // A slow search is measured, not dropped: autocannon's default gives up after 10 s.
        timeout: 120,
        // What a browser or fetch() sends: the app compresses JSON bodies over 1 KB.
        headers: { "accept-encoding": "br, gzip" },
        requests: [
          {
            method: "GET",
            setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }),
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    if (latencies) {
      // autocannon's own histogram has 1 ms resolution; these are the exact response times.
      instance.on("response", (_client, statusCode, _bytes, ms) => {
        if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
      });
    }
  });
}

async function api(url: string, duration: number): Promise<ApiStats> {
  const { child, port } = await startApp(url, CONNECTIONS);
  try {
    for (const query of BENCH_QUERIES) {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/procedures?q=${encodeURIComponent(query)}`);
      if (res.status !== 200)
        throw new Error(`GET /api/v1/procedures?q=${query} answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    }
    await cannon(port, WARMUP, null);
    // autocannon abandons what is in flight when it stops, but the app and the database finish it.
    await waitIdle(url);
    const latencies: number[] = [];
    const result = await cannon(port, duration, latencies);
    return { ...stats(latencies, result.duration * 1000), non2xx: result.non2xx, errors: result.errors };
  } finally {
    await stopApp(child);
  }
}

// ------------------------------------------------------------------ one size, then the table

interface Row {
  size: number;
  api: ApiStats;
  ceiling: Stats;
  slowest: { query: string; total: number; ms: number }[];
  medianSoloMs: number;
  medianMatches: number;
  duration: number;
  busy: string;
  load: LoadTimes & { totalMs: number };
}

async function benchSize(size: number): Promise<Row> {
  const name = `vt_bench_${size}_${process.pid}`;
  const url = await createDatabase(name);
  try {
    const config = searchConfig(url);
    const t0 = performance.now();
    const database = await openDatabase({ databaseUrl: url, dataDir: BENCH_DATA_DIR, poolSize: 4 });
    let load: LoadTimes;
    try {
      const ctx = makeCtx(config, database.db, silentLogger);
      await prepareDatabase(ctx);
      load = await loadCatalogue(ctx, url, size);
      const count = (
        await sql<{ n: number }>`select count(*)::int as n from procedures where status = 'published'`.execute(
          database.db,
        )
      ).rows[0]!.n;
      if (count !== size) throw new Error(`Loaded ${count} procedures instead of ${size}.`);
    } finally {
      await database.close();
    }
    const loadMs = performance.now() - t0;
    console.log(
      `  ${size.toLocaleString("en")} procedures loaded in ${seconds(loadMs)} (rows ${seconds(load.generateAndInsertMs)}, ` +
        `indexes ${seconds(load.indexMs)}, lexicon ${seconds(load.lexiconMs)}, vacuum analyze ${seconds(load.analyzeMs)})`,
    );
    const plans = await capturePlans(url, config);
    await waitIdle(url);
    // Other work on the machine skews every figure: say how busy it was.
    const busy = await otherCpu();
    console.log(`  before the runs: ${busy}`);
    const perSearch = plans.map((p) => p.statements.length);
    console.log(
      `  one search = ${Math.min(...perSearch)}–${Math.max(...perSearch)} SQL statements (captured from searchProcedures)`,
    );
    const solo = await soloTimings(url, plans);
    const medianSoloMs = [...solo].sort((a, b) => a.ms - b.ms)[Math.floor(solo.length / 2)]!.ms;
    console.log(
      `  alone (no concurrency): median ${medianSoloMs.toFixed(1)} ms; slowest: ` +
        solo
          .slice(0, 5)
          .map((s) => `"${s.query}" ${s.ms.toFixed(1)} ms (${s.total.toLocaleString("en")} matches)`)
          .join(", "),
    );
    const medianMatches = plans.map((p) => p.total).sort((x, y) => x - y)[Math.floor(plans.length / 2)]!;
    const meanSoloMs = solo.reduce((sum, x) => sum + x.ms, 0) / solo.length;
    const duration = runSeconds(meanSoloMs);
    if (duration > DURATION)
      console.log(
        `  searches are slow: each run lasts ${duration} s instead of ${DURATION} s to complete enough of them`,
      );
    await waitIdle(url);
    const apiStats = env.BENCH_API === "0" ? skippedApi : await api(url, duration);
    console.log(
      `  API      ${apiStats.rate.toFixed(1)} req/s, p50 ${apiStats.p50.toFixed(1)} ms, p99 ${apiStats.p99.toFixed(1)} ms, ${apiStats.count} searches` +
        (apiStats.non2xx || apiStats.errors ? `  (non-2xx ${apiStats.non2xx}, errors ${apiStats.errors})` : ""),
    );
    await waitIdle(url);
    const ceilingStats = await ceiling(url, plans, duration);
    console.log(
      `  ceiling  ${ceilingStats.rate.toFixed(1)} req/s, p50 ${ceilingStats.p50.toFixed(1)} ms, p99 ${ceilingStats.p99.toFixed(1)} ms, ${ceilingStats.count} searches`,
    );
    if (env.BENCH_EXPLAIN === "1") {
      const slowest = plans.find((p) => p.query === solo[0]!.query)!;
      console.log(`\n  EXPLAIN ANALYZE, "${slowest.query}":\n${(await explain(url, slowest)).replace(/^/gm, "    ")}`);
    }
    return {
      size,
      api: apiStats,
      ceiling: ceilingStats,
      slowest: solo.slice(0, 5),
      medianSoloMs,
      medianMatches,
      duration,
      busy,
      load: { ...load, totalMs: loadMs },
    };
  } finally {
    if (env.BENCH_KEEP_DB !== "1") await dropDatabase(name);
    else console.log(`  kept database ${name} (BENCH_KEEP_DB=1): drop it yourself`);
  }
}

async function main(): Promise<void> {
  assertLocal(ADMIN_URL);
  if (SIZES.some((s) => !Number.isInteger(s) || s < 1))
    throw new Error(`BENCH_SIZES must be whole numbers: ${env.BENCH_SIZES}`);
  const started = performance.now();

  console.log(
    `Search benchmark: ${BENCH_QUERIES.length} queries in rotation, ${CONNECTIONS} connections, ` +
      `${WARMUP} s warm-up + ${DURATION} s per run, PostgreSQL at ${new URL(ADMIN_URL).host}`,
  );
  const rows: Row[] = [];
  for (const size of SIZES) {
    console.log(`\n${size.toLocaleString("en")} procedures`);
    rows.push(await benchSize(size));
  }

  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(
    "\n" +
      table(
        ["size", "API req/s", "API p50", "API p99", "ceiling req/s", "ceiling p50", "ceiling p99", "API/ceiling"],
        rows.map((r) => [
          r.size.toLocaleString("en"),
          r.api.rate.toFixed(0),
          ms(r.api.p50),
          ms(r.api.p99),
          r.ceiling.rate.toFixed(0),
          ms(r.ceiling.p50),
          ms(r.ceiling.p99),
          (r.api.rate / r.ceiling.rate).toFixed(2),
        ]),
      ),
  );
  console.log(
    "\n" +
      table(
        [
          "size",
          "one search alone (median)",
          "slowest alone",
          "median matches",
          "load time",
          "run length",
          "machine before the runs",
        ],
        rows.map((r) => [
          r.size.toLocaleString("en"),
          ms(r.medianSoloMs),
          `${ms(r.slowest[0]!.ms)} "${r.slowest[0]!.query}"`,
          r.medianMatches.toLocaleString("en"),
          seconds(r.load.totalMs),
          `${r.duration} s`,
          r.busy,
        ]),
      ),
  );
  const at = (n: number) => rows.find((r) => r.size === n);
  const [r10k, r100k] = [at(10_000), at(100_000)];
  if (r10k && r100k) {
    console.log(
      `\np99 growth 10k → 100k: API ×${(r100k.api.p99 / r10k.api.p99).toFixed(2)} ` +
        `(${ms(r10k.api.p99)} → ${ms(r100k.api.p99)}), ceiling ×${(r100k.ceiling.p99 / r10k.ceiling.p99).toFixed(2)} ` +
        `(${ms(r10k.ceiling.p99)} → ${ms(r100k.ceiling.p99)})`,
    );
  }
  console.log(
    `\nTargets (for reading, not asserted): at 10k p99 < 50 ms and API/ceiling ≥ 0.5; 10k → 100k p99 at most ×2.`,
  );
  console.log(`Search benchmark took ${seconds(performance.now() - started)}.`);
}

runBench(main);
