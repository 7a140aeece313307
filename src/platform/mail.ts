/**
 * Outgoing mail. A use case queues a message in the same transaction as the change that
 * causes it, so a committed change never loses its mail; delivery happens afterwards, by
 * SMTP when MAIL_URL is set, otherwise into the log (development and the demo).
 */
import { sql } from "kysely";
import nodemailer from "nodemailer";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Db } from "./db/index.js";

export interface Mail {
  to: string;
  subject: string;
  body: string;
}

export async function queueMail(db: Db, mail: Mail): Promise<void> {
  await sql`insert into outbox_mail (recipient, subject, body) values (${mail.to}, ${mail.subject}, ${mail.body})`.execute(
    db,
  );
}

export type Transport = (mail: Mail) => Promise<void>;

export function transportFor(config: Config, log: Logger): Transport {
  if (!config.MAIL_URL) {
    return async (mail) => log.info({ mail }, "mail (no MAIL_URL set: written to the log instead of sent)");
  }
  const smtp = nodemailer.createTransport(config.MAIL_URL);
  return async (mail) => {
    await smtp.sendMail({ from: config.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.body });
  };
}

/**
 * Delivers what is waiting, oldest first. Rows are locked (SKIP LOCKED) so several web
 * processes can deliver at once without sending a message twice; a failure is retried later.
 */
export async function deliverPendingMail(db: Db, send: Transport, log: Logger, limit = 20): Promise<number> {
  let delivered = 0;
  for (let i = 0; i < limit; i++) {
    const done = await db.transaction().execute(async (tx) => {
      const row = (
        await sql<{ id: number; recipient: string; subject: string; body: string }>`select id, recipient, subject, body
          from outbox_mail where delivered_at is null and attempts < 10 order by id limit 1 for update skip locked`.execute(
          tx,
        )
      ).rows[0];
      if (!row) return null;
      try {
        await send({ to: row.recipient, subject: row.subject, body: row.body });
        await sql`update outbox_mail set delivered_at = now(), attempts = attempts + 1 where id = ${row.id}`.execute(
          tx,
        );
        return true;
      } catch (err) {
        log.warn({ err, mailId: row.id }, "mail delivery failed; will retry");
        await sql`update outbox_mail set attempts = attempts + 1 where id = ${row.id}`.execute(tx);
        return false;
      }
    });
    // Nothing left, or the server refused: try again on the next round.
    if (!done) break;
    delivered++;
  }
  return delivered;
}

/** Delivers every few seconds until stopped. */
export function startMailDelivery(db: Db, send: Transport, log: Logger, everyMs = 3000): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => deliverPendingMail(db, send, log)).catch((err) => log.error({ err }, "mail loop"));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
