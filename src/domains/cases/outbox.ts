/**
 * The development outbox: the mail the platform queued, newest first, for the page that shows it
 * when no MAIL_URL is set (nothing is really sent then). platform/mail.ts has no listing, and
 * platform/ must not know about pages, so the read lives here.
 */
import { sql } from "kysely";
import type { Db } from "../../platform/db/index.js";

export interface OutboxRow {
  id: number;
  recipient: string;
  subject: string;
  body: string;
  createdAt: string;
  deliveredAt: string | null;
}

/** The newest `limit` messages (1 to 500). */
export async function listOutbox(db: Db, limit: number): Promise<OutboxRow[]> {
  const n = Math.max(1, Math.min(500, Math.trunc(limit) || 1));
  const r = await sql<OutboxRow>`select id::int as id, recipient, subject, body,
      to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "createdAt",
      to_char(delivered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "deliveredAt"
    from outbox_mail order by id desc limit ${n}`.execute(db);
  return r.rows;
}
