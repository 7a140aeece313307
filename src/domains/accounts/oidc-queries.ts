/** All SQL of the OpenID Connect provider: its records, registered clients, signing keys and secrets. */
import { sql } from "kysely";
import type { Db } from "../../platform/db/index.js";

// ---------------------------------------------------------------- the provider's records

export interface PayloadRow {
  payload: Record<string, unknown>;
  /** Seconds since the epoch when it was consumed (authorization codes), or null. */
  consumed: number | null;
}

const payloadColumns = sql`payload, extract(epoch from consumed_at)::float8 as consumed`;
const notExpired = (now: Date) => sql`(expires_at is null or expires_at > ${now.toISOString()}::timestamptz)`;

export async function upsertPayload(
  db: Db,
  p: {
    id: string;
    type: string;
    payload: unknown;
    grantId: string | null;
    uid: string | null;
    userCode: string | null;
    expiresAt: Date | null;
  },
): Promise<void> {
  await sql`insert into oidc_payloads (id, type, payload, grant_id, uid, user_code, expires_at)
    values (${p.id}, ${p.type}, ${JSON.stringify(p.payload)}::jsonb, ${p.grantId}, ${p.uid}, ${p.userCode},
      ${p.expiresAt?.toISOString() ?? null}::timestamptz)
    on conflict (id, type) do update set payload = excluded.payload, grant_id = excluded.grant_id,
      uid = excluded.uid, user_code = excluded.user_code, expires_at = excluded.expires_at`.execute(db);
}

export async function findPayload(db: Db, type: string, id: string, now: Date): Promise<PayloadRow | undefined> {
  return (
    await sql<PayloadRow>`select ${payloadColumns} from oidc_payloads
      where id = ${id} and type = ${type} and ${notExpired(now)}`.execute(db)
  ).rows[0];
}

export async function findPayloadByUid(db: Db, type: string, uid: string, now: Date): Promise<PayloadRow | undefined> {
  return (
    await sql<PayloadRow>`select ${payloadColumns} from oidc_payloads
      where uid = ${uid} and type = ${type} and ${notExpired(now)} limit 1`.execute(db)
  ).rows[0];
}

export async function findPayloadByUserCode(
  db: Db,
  type: string,
  userCode: string,
  now: Date,
): Promise<PayloadRow | undefined> {
  return (
    await sql<PayloadRow>`select ${payloadColumns} from oidc_payloads
      where user_code = ${userCode} and type = ${type} and ${notExpired(now)} limit 1`.execute(db)
  ).rows[0];
}

/** Marks a record consumed; false when it was consumed already (a replay), is unknown or expired. */
export async function consumePayload(db: Db, type: string, id: string, now: Date): Promise<boolean> {
  const r = await sql`update oidc_payloads set consumed_at = ${now.toISOString()}::timestamptz
    where id = ${id} and type = ${type} and consumed_at is null and ${notExpired(now)}`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function destroyPayload(db: Db, type: string, id: string): Promise<void> {
  await sql`delete from oidc_payloads where id = ${id} and type = ${type}`.execute(db);
}

export async function revokePayloadsByGrant(db: Db, type: string, grantId: string): Promise<void> {
  await sql`delete from oidc_payloads where grant_id = ${grantId} and type = ${type}`.execute(db);
}

/** Removes records that expired more than a day ago. */
export async function purgeExpiredPayloads(db: Db, now: Date): Promise<number> {
  const r = await sql`delete from oidc_payloads
    where expires_at < ${new Date(now.getTime() - 86_400_000).toISOString()}::timestamptz`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export async function countPayloads(db: Db, type?: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from oidc_payloads
    where ${type === undefined ? sql`true` : sql`type = ${type}`}`.execute(db);
  return r.rows[0]!.n;
}

// ---------------------------------------------------------------- registered clients

export interface ClientRow {
  clientId: string;
  clientSecret: string;
  clientName: string;
  redirectUris: string[];
}

export async function insertClient(db: Db, c: ClientRow & { createdBy: number | null; at: Date }): Promise<void> {
  await sql`insert into oidc_clients (client_id, client_secret, client_name, redirect_uris, created_by, created_at)
    values (${c.clientId}, ${c.clientSecret}, ${c.clientName}, ${c.redirectUris}::text[], ${c.createdBy},
      ${c.at.toISOString()}::timestamptz)`.execute(db);
}

export async function findActiveClient(db: Db, clientId: string): Promise<ClientRow | undefined> {
  return (
    await sql<ClientRow>`select client_id as "clientId", client_secret as "clientSecret",
        client_name as "clientName", redirect_uris as "redirectUris"
      from oidc_clients where client_id = ${clientId} and disabled_at is null`.execute(db)
  ).rows[0];
}

export async function listClients(
  db: Db,
): Promise<{ clientId: string; clientName: string; redirectUris: string[]; createdAt: string }[]> {
  return (
    await sql<{ clientId: string; clientName: string; redirectUris: string[]; createdAt: string }>`select
        client_id as "clientId", client_name as "clientName", redirect_uris as "redirectUris",
        to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as "createdAt"
      from oidc_clients where disabled_at is null order by created_at desc, client_id limit 1000`.execute(db)
  ).rows;
}

// ---------------------------------------------------------------- signing keys

export interface SigningKeyRow {
  kid: string;
  jwk: Record<string, unknown>;
}

/** The keys not retired, newest first: the first one signs, all are published. */
export async function activeSigningKeys(db: Db): Promise<SigningKeyRow[]> {
  return (
    await sql<SigningKeyRow>`select kid, jwk from oidc_signing_keys where retired_at is null
      order by seq desc`.execute(db)
  ).rows;
}

/** A short text that changes whenever the set of active keys changes. */
export async function signingKeysFingerprint(db: Db): Promise<string> {
  const r = await sql<{ f: string | null }>`select string_agg(kid, ',' order by seq desc) as f
    from oidc_signing_keys where retired_at is null`.execute(db);
  return r.rows[0]?.f ?? "";
}

export async function insertSigningKey(db: Db, k: { kid: string; jwk: unknown; at: Date }): Promise<void> {
  await sql`insert into oidc_signing_keys (kid, jwk, created_at)
    values (${k.kid}, ${JSON.stringify(k.jwk)}::jsonb, ${k.at.toISOString()}::timestamptz)`.execute(db);
}

/**
 * Retires the keys that stopped signing before `supersededBefore`: those with a newer key
 * created before that moment. Returns their kids.
 */
export async function retireSupersededKeys(db: Db, supersededBefore: Date, at: Date): Promise<string[]> {
  const r = await sql<{ kid: string }>`update oidc_signing_keys k set retired_at = ${at.toISOString()}::timestamptz
    where k.retired_at is null and exists (
      select 1 from oidc_signing_keys n where n.seq > k.seq
        and n.created_at <= ${supersededBefore.toISOString()}::timestamptz)
    returning k.kid`.execute(db);
  return r.rows.map((row) => row.kid);
}

/** Serialises key creation among processes for the rest of the transaction. */
export async function lockSigningKeys(db: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(7461007)`.execute(db);
}

// ---------------------------------------------------------------- shared secrets

/** The secret with this name, created with `candidate` when there is none yet. */
export async function ensureSecret(db: Db, name: string, candidate: string): Promise<string> {
  await sql`insert into oidc_secrets (name, value) values (${name}, ${candidate}) on conflict (name) do nothing`.execute(
    db,
  );
  return (await sql<{ value: string }>`select value from oidc_secrets where name = ${name}`.execute(db)).rows[0]!.value;
}

// ---------------------------------------------------------------- sessions

/** When the person behind a Ventanilla session last proved who they are (seconds since the epoch). */
export async function sessionAuthTime(db: Db, sessionId: number): Promise<number | undefined> {
  const r = await sql<{ t: number }>`select extract(epoch from coalesce(second_factor_at, created_at))::float8 as t
    from sessions where id = ${sessionId}`.execute(db);
  const t = r.rows[0]?.t;
  return t === undefined ? undefined : Math.floor(Number(t));
}
