import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestCtx, type TestDb } from "../../../test/db.js";
import type { Ctx } from "../context.js";
import { backoffSeconds, defineJob, enqueue, runOneJob, startWorker, type JobDefinition } from "./queue.js";

let db: TestDb;
let ctx: Ctx;
beforeAll(async () => {
  ({ db, ctx } = await openTestCtx());
});
afterAll(() => db.drop());

const state = async (id: number) =>
  (
    await sql<{ state: string; attempts: number; lastError: string | null }>`select state, attempts,
      last_error as "lastError" from jobs where id = ${id}`.execute(ctx.db)
  ).rows[0]!;

describe("the job queue", () => {
  it("runs a job once, and keeps it when the transaction that queued it commits (not when it rolls back)", async () => {
    const seen: string[] = [];
    const job = defineJob<{ word: string }>({
      name: `test.once.${Math.random()}`,
      run: async (_c, p) => void seen.push(p.word),
    });
    await expect(
      ctx.db.transaction().execute(async (tx) => {
        await enqueue(tx, job, { word: "rolled back" });
        throw new Error("no");
      }),
    ).rejects.toThrow();
    const id = (await ctx.db.transaction().execute((tx) => enqueue(tx, job, { word: "hola" })))!;
    expect(await runOneJob(ctx, [job as JobDefinition<never>])).toEqual({ id, name: job.name, outcome: "done" });
    expect(await runOneJob(ctx, [job as JobDefinition<never>])).toBeNull();
    expect(seen).toEqual(["hola"]);
    expect((await state(id)).state).toBe("done");
  });

  it("retries a failing job with growing waits, then keeps it as failed with its error", async () => {
    let calls = 0;
    const job = defineJob({
      name: `test.flaky.${Math.random()}`,
      maxAttempts: 3,
      run: async () => {
        calls++;
        throw new Error(`attempt ${calls} failed`);
      },
    }) as JobDefinition<never>;
    const id = (await enqueue(ctx.db, job, {} as never))!;
    const real = ctx.clock;
    // A second ahead: the database's now() (which stamped run_at) has microseconds, Date has milliseconds.
    let now = Date.now() + 1000;
    ctx.clock = () => new Date(now);
    try {
      expect((await runOneJob(ctx, [job]))?.outcome).toBe("retry");
      // Not yet: the first retry waits 10 s.
      expect(await runOneJob(ctx, [job])).toBeNull();
      now += backoffSeconds(1) * 1000 + 1;
      expect((await runOneJob(ctx, [job]))?.outcome).toBe("retry");
      now += backoffSeconds(2) * 1000 + 1;
      expect((await runOneJob(ctx, [job]))?.outcome).toBe("failed");
      now += 3600_000;
      expect(await runOneJob(ctx, [job])).toBeNull();
    } finally {
      ctx.clock = real;
    }
    expect(await state(id)).toEqual({ state: "failed", attempts: 3, lastError: "attempt 3 failed" });
    expect([backoffSeconds(1), backoffSeconds(2), backoffSeconds(3), backoffSeconds(20)]).toEqual([10, 20, 40, 3600]);
  });

  it("runs again a job whose worker died (its claim lapsed)", async () => {
    const seen: number[] = [];
    const job = defineJob({
      name: `test.lease.${Math.random()}`,
      leaseSeconds: 60,
      run: async () => void seen.push(1),
    }) as JobDefinition<never>;
    const id = (await enqueue(ctx.db, job, {} as never))!;
    // A worker claimed it and died: running, with a claim that ended a minute ago.
    await sql`update jobs set state = 'running', attempts = 1, locked_until = now() - interval '1 minute' where id = ${id}`.execute(
      ctx.db,
    );
    expect((await runOneJob(ctx, [job]))?.outcome).toBe("done");
    expect(seen).toEqual([1]);
    expect((await state(id)).attempts).toBe(2);
  });

  it("enqueues a job with a unique key once, and the worker runs a scheduled job once per period", async () => {
    const seen: number[] = [];
    const job = defineJob({
      name: `test.scheduled.${Math.random()}`,
      run: async () => void seen.push(1),
    }) as JobDefinition<never>;
    expect(await enqueue(ctx.db, job, {} as never, { uniqueKey: "k" })).not.toBeNull();
    expect(await enqueue(ctx.db, job, {} as never, { uniqueKey: "k" })).toBeNull();
    await runOneJob(ctx, [job]);
    const stop = startWorker(ctx, [job], [{ job, everySeconds: 3600 }], 20);
    await new Promise((r) => setTimeout(r, 300));
    await stop();
    // The one queued by hand, and the one the schedule queued for this hour (only once, however many loops).
    expect(seen).toEqual([1, 1]);
  });
});
