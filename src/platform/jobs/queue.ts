/**
 * The durable job queue. A job is data (a name and a JSON payload) written in the same
 * transaction as the change that needs it, so a committed change never loses its job.
 * Workers claim one job at a time with FOR UPDATE SKIP LOCKED, so any number of them can
 * run; a failure is retried with exponential backoff until max_attempts, then the job is
 * kept as failed with its error. A claim lapses after a lease, so a job whose worker died
 * runs again.
 */
import { sql } from "kysely";
import type { Ctx } from "../context.js";
import type { Db } from "../db/index.js";

export interface JobDefinition<P = unknown> {
  name: string;
  /** Runs the job. Throwing schedules a retry. Handlers must be safe to run twice (a lease can lapse). */
  run: (ctx: Ctx, payload: P) => Promise<void>;
  maxAttempts?: number;
  /** How long a claim lasts before another worker may take the job (default 5 minutes). */
  leaseSeconds?: number;
}

export function defineJob<P>(job: JobDefinition<P>): JobDefinition<P> {
  return job;
}

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  /** With a key, enqueuing the same name and key again does nothing (whatever became of the first). */
  uniqueKey?: string;
}

/** Queues a job; returns its id, or null when a job with the same name and unique key exists already. */
export async function enqueue<P>(
  db: Db,
  job: JobDefinition<P>,
  payload: P,
  o: EnqueueOptions = {},
): Promise<number | null> {
  const r = await sql<{ id: number }>`insert into jobs (name, payload, run_at, max_attempts, unique_key)
    values (${job.name}, ${JSON.stringify(payload ?? {})}::jsonb, coalesce(${o.runAt?.toISOString() ?? null}::timestamptz, now()),
      ${o.maxAttempts ?? job.maxAttempts ?? 5}, ${o.uniqueKey ?? null})
    on conflict do nothing returning id::int as id`.execute(db);
  return r.rows[0]?.id ?? null;
}

/** Seconds to wait before attempt n+1: 10 s, 20 s, 40 s… up to an hour. */
export const backoffSeconds = (attempts: number) => Math.min(3600, 10 * 2 ** Math.max(0, attempts - 1));

interface Claimed {
  id: number;
  name: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
}

async function claim(db: Db, names: string[], now: Date, leaseSeconds: number): Promise<Claimed | undefined> {
  return db.transaction().execute(async (tx) => {
    const row = (
      await sql<Claimed>`select id::int as id, name, payload, attempts, max_attempts as "maxAttempts" from jobs
        where name = any(${names}::text[]) and run_at <= ${now.toISOString()}::timestamptz
          and (state = 'queued' or (state = 'running' and locked_until < ${now.toISOString()}::timestamptz))
        order by run_at, id limit 1 for update skip locked`.execute(tx)
    ).rows[0];
    if (!row) return undefined;
    await sql`update jobs set state = 'running', attempts = attempts + 1,
      locked_until = ${new Date(now.getTime() + leaseSeconds * 1000).toISOString()}::timestamptz where id = ${row.id}`.execute(
      tx,
    );
    return { ...row, attempts: row.attempts + 1 };
  });
}

/** Claims and runs at most one ready job. Returns what happened, or null when nothing was ready. */
export async function runOneJob(
  ctx: Ctx,
  jobs: JobDefinition<never>[],
): Promise<{ id: number; name: string; outcome: "done" | "retry" | "failed" } | null> {
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const now = ctx.clock();
  const lease = Math.max(300, ...jobs.map((j) => j.leaseSeconds ?? 300));
  const job = await claim(ctx.db, [...byName.keys()], now, lease);
  if (!job) return null;
  try {
    await byName.get(job.name)!.run(ctx, job.payload as never);
    await sql`update jobs set state = 'done', finished_at = ${ctx.clock().toISOString()}::timestamptz, locked_until = null,
      last_error = null where id = ${job.id}`.execute(ctx.db);
    return { id: job.id, name: job.name, outcome: "done" };
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
    const failed = job.attempts >= job.maxAttempts;
    await sql`update jobs set state = ${failed ? "failed" : "queued"}, last_error = ${message}, locked_until = null,
      run_at = ${new Date(ctx.clock().getTime() + backoffSeconds(job.attempts) * 1000).toISOString()}::timestamptz,
      finished_at = ${failed ? ctx.clock().toISOString() : null}::timestamptz where id = ${job.id}`.execute(ctx.db);
    ctx.log.warn(
      { err, job: job.name, id: job.id, attempts: job.attempts },
      failed ? "job failed for good" : "job failed; will retry",
    );
    return { id: job.id, name: job.name, outcome: failed ? "failed" : "retry" };
  }
}

/** A schedule: enqueues a job once per period (the period's start is its unique key). */
export interface Schedule {
  job: JobDefinition<never>;
  everySeconds: number;
}

async function enqueueScheduled(ctx: Ctx, schedules: Schedule[]): Promise<void> {
  const now = ctx.clock().getTime();
  for (const s of schedules) {
    const slot = Math.floor(now / (s.everySeconds * 1000));
    await enqueue(ctx.db, s.job, {} as never, { uniqueKey: `every-${s.everySeconds}s-${slot}` });
  }
}

/** Runs jobs until stopped: scheduled ones are enqueued as their period comes, ready ones run one at a time. */
export function startWorker(
  ctx: Ctx,
  jobs: JobDefinition<never>[],
  schedules: Schedule[] = [],
  idleMs = 1000,
): () => Promise<void> {
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const loop = (async () => {
    while (!stopped) {
      try {
        await enqueueScheduled(ctx, schedules);
        while (!stopped && (await runOneJob(ctx, jobs))) {
          // Keep going while there is work.
        }
      } catch (err) {
        ctx.log.error({ err }, "job worker");
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, idleMs);
      });
    }
  })();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    wake?.();
    await loop;
  };
}
