import { sql } from "kysely";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestCtx, type TestDb } from "../../test/db.js";
import type { Ctx } from "./context.js";
import { deliverPendingMail, queueMail, type Mail } from "./mail.js";

let db: TestDb;
let ctx: Ctx;
beforeAll(async () => {
  ({ db, ctx } = await openTestCtx());
});
afterAll(() => db.drop());

describe("mail outbox", () => {
  it("delivers each queued message once, and retries a failed one later", async () => {
    await queueMail(ctx.db, { to: "a@example.mx", subject: "uno", body: "1" });
    await queueMail(ctx.db, { to: "b@example.mx", subject: "dos", body: "2" });
    const sent: Mail[] = [];
    let failNext = true;
    const send = async (m: Mail) => {
      if (m.subject === "dos" && failNext) {
        failNext = false;
        throw new Error("SMTP down");
      }
      sent.push(m);
    };
    const log = pino({ level: "silent" });
    expect(await deliverPendingMail(ctx.db, send, log)).toBe(1);
    expect(sent.map((m) => m.subject)).toEqual(["uno"]);
    expect(await deliverPendingMail(ctx.db, send, log)).toBe(1);
    expect(await deliverPendingMail(ctx.db, send, log)).toBe(0);
    expect(sent.map((m) => m.subject)).toEqual(["uno", "dos"]);
    const rows = await sql<{ attempts: number }>`select attempts from outbox_mail order by id`.execute(ctx.db);
    expect(rows.rows.map((r) => r.attempts)).toEqual([1, 2]);
  });

  it("keeps a queued message when the change that queued it rolls back", async () => {
    await expect(
      ctx.db.transaction().execute(async (tx) => {
        await queueMail(tx, { to: "c@example.mx", subject: "tres", body: "3" });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow();
    const n = await sql<{ n: number }>`select count(*)::int as n from outbox_mail where subject = 'tres'`.execute(
      ctx.db,
    );
    expect(n.rows[0]!.n).toBe(0);
  });
});
