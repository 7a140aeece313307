/** All SQL of the accounts domain (for now: API tokens). */
import { sql } from "kysely";
import type { Db } from "../../platform/db/index.js";

export interface TokenRow {
  id: number;
  name: string;
  institutionId: number | null;
  institutionAcronym: string | null;
  scopes: string[];
}

export async function insertToken(
  db: Db,
  t: { name: string; hash: string; institutionId: number | null; scopes: string[] },
): Promise<number> {
  const r = await sql<{ id: number }>`insert into api_tokens (name, token_hash, institution_id, scopes)
    values (${t.name}, ${t.hash}, ${t.institutionId}, ${t.scopes}::text[]) returning id`.execute(db);
  return r.rows[0]!.id;
}

export async function findActiveToken(db: Db, hash: string): Promise<TokenRow | undefined> {
  const r = await sql<TokenRow>`select t.id, t.name, t.institution_id as "institutionId",
      i.acronym as "institutionAcronym", t.scopes
    from api_tokens t left join institutions i on i.id = t.institution_id
    where t.token_hash = ${hash} and t.revoked_at is null`.execute(db);
  return r.rows[0];
}

export async function revokeToken(db: Db, id: number): Promise<boolean> {
  const r = await sql`update api_tokens set revoked_at = now() where id = ${id} and revoked_at is null`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function institutionIdByAcronym(db: Db, acronym: string): Promise<number | undefined> {
  const r = await sql<{ id: number }>`select id from institutions where acronym = ${acronym}`.execute(db);
  return r.rows[0]?.id;
}

// ---------------------------------------------------------------- people

export type UserKind = "citizen" | "staff";

export interface UserRow {
  id: number;
  kind: UserKind;
  email: string;
  emailVerifiedAt: string | null;
  passwordHash: string;
  curp: string | null;
  givenNames: string;
  surnames: string;
  preferredLang: "es" | "en";
  isPlatformAdmin: boolean;
  totpSecret: string | null;
  totpEnabledAt: string | null;
  totpLastStep: number | null;
  cancellationRequestedAt: string | null;
  createdAt: string;
  verifiedIdentity: boolean;
}

const iso = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

const userColumns = sql`u.id::int as id, u.kind, u.email, ${iso("u.email_verified_at")} as "emailVerifiedAt",
  u.password_hash as "passwordHash", u.curp, u.given_names as "givenNames", u.surnames,
  u.preferred_lang as "preferredLang", u.is_platform_admin as "isPlatformAdmin", u.totp_secret as "totpSecret",
  ${iso("u.totp_enabled_at")} as "totpEnabledAt", u.totp_last_step::float8 as "totpLastStep",
  ${iso("u.cancellation_requested_at")} as "cancellationRequestedAt", ${iso("u.created_at")} as "createdAt",
  exists (select 1 from identity_verifications v where v.user_id = u.id) as "verifiedIdentity"`;

export async function insertUser(
  db: Db,
  u: {
    kind: UserKind;
    email: string;
    passwordHash: string;
    curp: string | null;
    givenNames: string;
    surnames: string;
    preferredLang: string;
    isPlatformAdmin?: boolean;
    emailVerifiedAt?: Date | null;
  },
): Promise<number> {
  const r = await sql<{ id: number }>`insert into users
      (kind, email, password_hash, curp, given_names, surnames, preferred_lang, is_platform_admin, email_verified_at)
    values (${u.kind}, ${u.email}, ${u.passwordHash}, ${u.curp}, ${u.givenNames}, ${u.surnames}, ${u.preferredLang},
      ${u.isPlatformAdmin ?? false}, ${u.emailVerifiedAt?.toISOString() ?? null}::timestamptz)
    returning id::int as id`.execute(db);
  return r.rows[0]!.id;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return (await sql<UserRow>`select ${userColumns} from users u where lower(u.email) = lower(${email})`.execute(db))
    .rows[0];
}

export async function findUserByCurp(db: Db, curp: string): Promise<UserRow | undefined> {
  return (await sql<UserRow>`select ${userColumns} from users u where u.curp = ${curp}`.execute(db)).rows[0];
}

export async function getUser(db: Db, id: number): Promise<UserRow | undefined> {
  return (await sql<UserRow>`select ${userColumns} from users u where u.id = ${id}`.execute(db)).rows[0];
}

export async function setEmailVerified(db: Db, userId: number, at: Date): Promise<void> {
  await sql`update users set email_verified_at = coalesce(email_verified_at, ${at.toISOString()}::timestamptz),
    updated_at = ${at.toISOString()}::timestamptz where id = ${userId}`.execute(db);
}

export async function setPasswordHash(db: Db, userId: number, passwordHash: string, at: Date): Promise<void> {
  await sql`update users set password_hash = ${passwordHash}, updated_at = ${at.toISOString()}::timestamptz
    where id = ${userId}`.execute(db);
}

export async function updateProfile(
  db: Db,
  userId: number,
  p: { givenNames: string; surnames: string; preferredLang: string },
  at: Date,
): Promise<void> {
  await sql`update users set given_names = ${p.givenNames}, surnames = ${p.surnames},
    preferred_lang = ${p.preferredLang}, updated_at = ${at.toISOString()}::timestamptz where id = ${userId}`.execute(
    db,
  );
}

// ---------------------------------------------------------------- one-time links

export type LinkPurpose = "verify_email" | "reset_password";

export async function insertLink(
  db: Db,
  l: { hash: string; userId: number; purpose: LinkPurpose; createdAt: Date; expiresAt: Date },
): Promise<void> {
  // A new link replaces any earlier one for the same purpose.
  await sql`update account_links set used_at = ${l.createdAt.toISOString()}::timestamptz
    where user_id = ${l.userId} and purpose = ${l.purpose} and used_at is null`.execute(db);
  await sql`insert into account_links (token_hash, user_id, purpose, created_at, expires_at)
    values (${l.hash}, ${l.userId}, ${l.purpose}, ${l.createdAt.toISOString()}::timestamptz,
      ${l.expiresAt.toISOString()}::timestamptz)`.execute(db);
}

/** Marks a link used and returns its user, if it exists, is unused, has the purpose and has not expired. */
export async function consumeLink(db: Db, hash: string, purpose: LinkPurpose, now: Date): Promise<number | undefined> {
  const r = await sql<{ userId: number }>`update account_links set used_at = ${now.toISOString()}::timestamptz
    where token_hash = ${hash} and purpose = ${purpose} and used_at is null
      and expires_at > ${now.toISOString()}::timestamptz
    returning user_id::int as "userId"`.execute(db);
  return r.rows[0]?.userId;
}

// ---------------------------------------------------------------- sessions

export interface SessionRow {
  id: number;
  userId: number;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  secondFactorAt: string | null;
  address: string;
  userAgent: string;
}

const sessionColumns = sql`s.id::int as id, s.user_id::int as "userId", ${iso("s.created_at")} as "createdAt",
  ${iso("s.last_seen_at")} as "lastSeenAt", ${iso("s.expires_at")} as "expiresAt",
  ${iso("s.second_factor_at")} as "secondFactorAt", s.address, s.user_agent as "userAgent"`;

export async function insertSession(
  db: Db,
  s: { hash: string; userId: number; now: Date; expiresAt: Date; address: string; userAgent: string },
): Promise<number> {
  const r = await sql<{ id: number }>`insert into sessions
      (token_hash, user_id, created_at, last_seen_at, expires_at, address, user_agent)
    values (${s.hash}, ${s.userId}, ${s.now.toISOString()}::timestamptz, ${s.now.toISOString()}::timestamptz,
      ${s.expiresAt.toISOString()}::timestamptz, ${s.address}, ${s.userAgent})
    returning id::int as id`.execute(db);
  return r.rows[0]!.id;
}

/** A live session and its person in one round trip (this runs on every request that carries a cookie). */
export async function findActiveSessionWithUser(
  db: Db,
  hash: string,
): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const row = (
    await sql<SessionRow & { user: UserRow }>`select ${sessionColumns},
        (select to_jsonb(x) from (select ${userColumns} from users u where u.id = s.user_id) x) as "user"
      from sessions s where s.token_hash = ${hash} and s.revoked_at is null`.execute(db)
  ).rows[0];
  if (!row?.user) return undefined;
  const { user, ...session } = row;
  return { session, user };
}

export async function touchSession(db: Db, id: number, now: Date): Promise<void> {
  await sql`update sessions set last_seen_at = ${now.toISOString()}::timestamptz where id = ${id}`.execute(db);
}

/** Gives a session a new token (after sign-in steps and privilege changes) and optionally marks the second factor. */
export async function rotateSession(db: Db, id: number, hash: string, secondFactorAt: Date | null): Promise<void> {
  await sql`update sessions set token_hash = ${hash},
    second_factor_at = coalesce(${secondFactorAt?.toISOString() ?? null}::timestamptz, second_factor_at)
    where id = ${id}`.execute(db);
}

export async function revokeSession(db: Db, id: number, userId: number, now: Date): Promise<boolean> {
  const r = await sql`update sessions set revoked_at = ${now.toISOString()}::timestamptz
    where id = ${id} and user_id = ${userId} and revoked_at is null`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function revokeAllSessions(db: Db, userId: number, now: Date, exceptId?: number): Promise<number> {
  const r = await sql`update sessions set revoked_at = ${now.toISOString()}::timestamptz
    where user_id = ${userId} and revoked_at is null and id <> ${exceptId ?? 0}`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export async function listActiveSessions(db: Db, userId: number, now: Date): Promise<SessionRow[]> {
  return (
    await sql<SessionRow>`select ${sessionColumns} from sessions s
      where s.user_id = ${userId} and s.revoked_at is null and s.expires_at > ${now.toISOString()}::timestamptz
      order by s.last_seen_at desc`.execute(db)
  ).rows;
}

// ---------------------------------------------------------------- sign-in attempts

export async function recordAttempt(
  db: Db,
  a: { at: Date; emailKey: string; userId: number | null; address: string; succeeded: boolean; reason: string },
): Promise<void> {
  await sql`insert into sign_in_attempts (at, email_key, user_id, address, succeeded, reason)
    values (${a.at.toISOString()}::timestamptz, ${a.emailKey}, ${a.userId}, ${a.address}, ${a.succeeded},
      ${a.reason})`.execute(db);
}

/**
 * Failed attempts since `since` for this email from this address, and from this address for
 * any email; failures before the last success (or password reset) for the email do not count.
 */
export async function recentFailures(
  db: Db,
  emailKey: string,
  address: string,
  since: Date,
): Promise<{ pair: number; address: number; account: number; knownAddress: boolean; lastPairFailure: string | null }> {
  const r = await sql<{
    pair: number;
    address: number;
    account: number;
    knownAddress: boolean;
    lastPairFailure: string | null;
  }>`with cleared as (
      select coalesce(max(at), '-infinity') as at from sign_in_attempts
      where email_key = ${emailKey} and succeeded and (address = ${address} or reason = 'password_reset')
    ),
    reset as (
      select coalesce(max(at), '-infinity') as at from sign_in_attempts
      where email_key = ${emailKey} and reason = 'password_reset'
    )
    select
      (select count(*)::int from sign_in_attempts a, reset r where a.email_key = ${emailKey} and not a.succeeded
        and a.at > greatest(r.at, ${since.toISOString()}::timestamptz)) as account,
      exists (select 1 from sign_in_attempts a where a.email_key = ${emailKey} and a.address = ${address}
        and a.succeeded and a.reason = 'password' and a.at > ${since.toISOString()}::timestamptz - interval '90 days')
        as "knownAddress",
      (select count(*)::int from sign_in_attempts a, cleared c where a.email_key = ${emailKey}
        and a.address = ${address} and not a.succeeded and a.at > greatest(c.at, ${since.toISOString()}::timestamptz)) as pair,
      (select count(*)::int from sign_in_attempts a where a.address = ${address} and not a.succeeded
        and a.at > ${since.toISOString()}::timestamptz) as address,
      (select ${iso("max(a.at)")} from sign_in_attempts a, cleared c where a.email_key = ${emailKey}
        and a.address = ${address} and not a.succeeded and a.at > greatest(c.at, ${since.toISOString()}::timestamptz))
        as "lastPairFailure"`.execute(db);
  return r.rows[0]!;
}

// ---------------------------------------------------------------- second factor

export async function setPendingTotpSecret(db: Db, userId: number, secret: string): Promise<void> {
  await sql`update users set totp_secret = ${secret}, totp_last_step = null
    where id = ${userId} and totp_enabled_at is null`.execute(db);
}

export async function enableTotp(db: Db, userId: number, at: Date): Promise<void> {
  await sql`update users set totp_enabled_at = ${at.toISOString()}::timestamptz, updated_at = ${at.toISOString()}::timestamptz
    where id = ${userId}`.execute(db);
}

export async function disableTotp(db: Db, userId: number): Promise<void> {
  await sql`update users set totp_enabled_at = null, totp_secret = null, totp_last_step = null where id = ${userId}`.execute(
    db,
  );
  await sql`delete from recovery_codes where user_id = ${userId}`.execute(db);
}

/** Records the TOTP time step just used; false when it (or a later one) was used already: a replay. */
export async function claimTotpStep(db: Db, userId: number, step: number): Promise<boolean> {
  const r = await sql`update users set totp_last_step = ${step}
    where id = ${userId} and (totp_last_step is null or totp_last_step < ${step})`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function replaceRecoveryCodes(db: Db, userId: number, hashes: string[]): Promise<void> {
  await sql`delete from recovery_codes where user_id = ${userId}`.execute(db);
  await sql`insert into recovery_codes (user_id, code_hash) select ${userId}, h from unnest(${hashes}::text[]) h`.execute(
    db,
  );
}

export async function consumeRecoveryCode(db: Db, userId: number, hash: string, now: Date): Promise<boolean> {
  const r = await sql`update recovery_codes set used_at = ${now.toISOString()}::timestamptz
    where user_id = ${userId} and code_hash = ${hash} and used_at is null`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function unusedRecoveryCodes(db: Db, userId: number): Promise<number> {
  return (
    await sql<{
      n: number;
    }>`select count(*)::int as n from recovery_codes where user_id = ${userId} and used_at is null`.execute(db)
  ).rows[0]!.n;
}

// ---------------------------------------------------------------- staff roles and identity checks

export interface MembershipRow {
  institution: string;
  institutionId: number;
  role: string;
  grantedAt: string;
}

export async function membershipsOf(db: Db, userId: number): Promise<MembershipRow[]> {
  return (
    await sql<MembershipRow>`select i.acronym as institution, i.id::int as "institutionId", m.role,
        ${iso("m.granted_at")} as "grantedAt"
      from memberships m join institutions i on i.id = m.institution_id
      where m.user_id = ${userId} order by i.acronym, m.role`.execute(db)
  ).rows;
}

export async function insertMembership(
  db: Db,
  m: { userId: number; institutionId: number; role: string; grantedBy: number | null },
): Promise<boolean> {
  const r = await sql`insert into memberships (user_id, institution_id, role, granted_by)
    values (${m.userId}, ${m.institutionId}, ${m.role}, ${m.grantedBy}) on conflict do nothing`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function deleteMembership(
  db: Db,
  m: { userId: number; institutionId: number; role: string },
): Promise<boolean> {
  const r = await sql`delete from memberships where user_id = ${m.userId} and institution_id = ${m.institutionId}
    and role = ${m.role}`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export interface VerificationRow {
  id: number;
  method: string;
  documentReference: string;
  verifiedAt: string;
  verifiedBy: string;
}

export async function insertIdentityVerification(
  db: Db,
  v: { userId: number; verifiedBy: number; method: string; documentReference: string; at: Date },
): Promise<void> {
  await sql`insert into identity_verifications (user_id, verified_by, method, document_reference, verified_at)
    values (${v.userId}, ${v.verifiedBy}, ${v.method}, ${v.documentReference}, ${v.at.toISOString()}::timestamptz)`.execute(
    db,
  );
}

export async function identityVerificationsOf(db: Db, userId: number): Promise<VerificationRow[]> {
  return (
    await sql<VerificationRow>`select v.id::int as id, v.method, v.document_reference as "documentReference",
        ${iso("v.verified_at")} as "verifiedAt", o.given_names || ' ' || o.surnames as "verifiedBy"
      from identity_verifications v join users o on o.id = v.verified_by
      where v.user_id = ${userId} order by v.verified_at`.execute(db)
  ).rows;
}

export interface StaffRow {
  userId: number;
  name: string;
  email: string;
  roles: string[];
  secondFactor: boolean;
}

export async function staffOf(db: Db, institutionId: number): Promise<StaffRow[]> {
  return (
    await sql<StaffRow>`select u.id::int as "userId", u.given_names || ' ' || u.surnames as name, u.email,
        array_agg(m.role order by m.role) as roles, u.totp_enabled_at is not null as "secondFactor"
      from memberships m join users u on u.id = m.user_id
      where m.institution_id = ${institutionId}
      group by u.id order by name`.execute(db)
  ).rows;
}

// ---------------------------------------------------------------- ARCO requests

export type ArcoRight = "access" | "rectification" | "cancellation" | "opposition";
export type ArcoStatus = "received" | "granted" | "partially_granted" | "denied";

export interface ArcoRow {
  id: number;
  folio: string;
  userId: number;
  person: string;
  email: string;
  right: ArcoRight;
  details: string;
  status: ArcoStatus;
  receivedAt: string;
  dueOn: string;
  answeredAt: string | null;
  answer: string | null;
}

const arcoColumns = sql`a.id::int as id, a.folio, a.user_id::int as "userId", u.given_names || ' ' || u.surnames as person,
  u.email, a.arco_right as right, a.details, a.status, ${iso("a.received_at")} as "receivedAt", a.due_on::text as "dueOn",
  ${iso("a.answered_at")} as "answeredAt", a.answer`;

export async function insertArcoRequest(
  db: Db,
  r: { userId: number; right: ArcoRight; details: string; receivedAt: Date; dueOn: string },
): Promise<string> {
  const year = r.receivedAt.getUTCFullYear();
  const res = await sql<{
    folio: string;
  }>`insert into arco_requests (folio, user_id, arco_right, details, received_at, due_on)
    values ('ARCO-' || ${year} || '-' || lpad((select count(*) + 1 from arco_requests)::text, 6, '0') || '-' ||
        substr(md5(random()::text), 1, 4),
      ${r.userId}, ${r.right}, ${r.details}, ${r.receivedAt.toISOString()}::timestamptz, ${r.dueOn}::date)
    returning folio`.execute(db);
  return res.rows[0]!.folio;
}

export async function arcoRequestsOf(db: Db, userId: number): Promise<ArcoRow[]> {
  return (
    await sql<ArcoRow>`select ${arcoColumns} from arco_requests a join users u on u.id = a.user_id
      where a.user_id = ${userId} order by a.received_at desc`.execute(db)
  ).rows;
}

export async function openArcoRequests(db: Db): Promise<ArcoRow[]> {
  return (
    await sql<ArcoRow>`select ${arcoColumns} from arco_requests a join users u on u.id = a.user_id
      where a.status = 'received' order by a.due_on, a.id limit 1000`.execute(db)
  ).rows;
}

export async function getArcoRequest(db: Db, id: number): Promise<ArcoRow | undefined> {
  return (
    await sql<ArcoRow>`select ${arcoColumns} from arco_requests a join users u on u.id = a.user_id where a.id = ${id}`.execute(
      db,
    )
  ).rows[0];
}

export async function answerArcoRequest(
  db: Db,
  a: { id: number; status: ArcoStatus; answer: string; by: number; at: Date },
): Promise<boolean> {
  const r = await sql`update arco_requests set status = ${a.status}, answer = ${a.answer}, answered_by = ${a.by},
    answered_at = ${a.at.toISOString()}::timestamptz where id = ${a.id} and status = 'received'`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function markCancellationRequested(db: Db, userId: number, at: Date): Promise<void> {
  await sql`update users set cancellation_requested_at = coalesce(cancellation_requested_at, ${at.toISOString()}::timestamptz)
    where id = ${userId}`.execute(db);
}

/** Removes what no longer serves: ended sessions, old sign-in attempts and spent links. Returns rows removed. */
export async function purgeStale(db: Db, now: Date): Promise<number> {
  const day = 86_400_000;
  const before = (days: number) => new Date(now.getTime() - days * day).toISOString();
  const a = await sql`delete from sessions where coalesce(revoked_at, expires_at) < ${before(30)}::timestamptz`.execute(
    db,
  );
  const b = await sql`delete from sign_in_attempts where at < ${before(90)}::timestamptz`.execute(db);
  const c = await sql`delete from account_links where expires_at < ${before(7)}::timestamptz`.execute(db);
  return [a, b, c].reduce((n, r) => n + Number(r.numAffectedRows ?? 0), 0);
}
