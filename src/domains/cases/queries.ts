/** All SQL of the cases domain: drafts, applications, uploads, history, payments, resolutions. */
import { sql, type RawBuilder } from "kysely";
import type { Db } from "../../platform/db/index.js";
import type { Answers } from "../forms/definition.js";
import type { CaseStatus } from "./states.js";

// ---------------------------------------------------------------- drafts

export interface DraftRow {
  id: number;
  publicId: string;
  userId: number;
  formId: number;
  answers: Answers;
  prefilled: string[];
  updatedAt: string;
  expiresAt: string;
}

const draftColumns = sql`d.id, d.public_id as "publicId", d.user_id as "userId", d.form_id as "formId", d.answers,
  d.prefilled, d.updated_at::text as "updatedAt", d.expires_at::text as "expiresAt"`;

export async function insertDraft(
  db: Db,
  d: { publicId: string; userId: number; formId: number; answers: Answers; prefilled: string[]; expiresAt: Date },
): Promise<void> {
  await sql`insert into application_drafts (public_id, user_id, form_id, answers, prefilled, expires_at)
    values (${d.publicId}, ${d.userId}, ${d.formId}, ${JSON.stringify(d.answers)}::jsonb, ${d.prefilled}, ${d.expiresAt})`.execute(
    db,
  );
}

export async function getDraft(db: Db, publicId: string, now: Date): Promise<DraftRow | undefined> {
  const r = await sql<DraftRow>`select ${draftColumns} from application_drafts d
    where d.public_id = ${publicId} and d.expires_at > ${now}`.execute(db);
  return r.rows[0];
}

/** Locks the draft row for the rest of the transaction (a submission and an edit cannot cross). */
export async function lockDraft(db: Db, id: number): Promise<DraftRow | undefined> {
  const r = await sql<DraftRow>`select ${draftColumns} from application_drafts d where d.id = ${id} for update`.execute(
    db,
  );
  return r.rows[0];
}

export async function saveDraftAnswers(
  db: Db,
  id: number,
  answers: Answers,
  prefilled: string[],
  expiresAt: Date,
): Promise<void> {
  await sql`update application_drafts set answers = ${JSON.stringify(answers)}::jsonb, prefilled = ${prefilled},
    updated_at = now(), expires_at = ${expiresAt} where id = ${id}`.execute(db);
}

export async function deleteDraft(db: Db, id: number): Promise<void> {
  await sql`delete from application_drafts where id = ${id}`.execute(db);
}

export async function draftsOfUser(
  db: Db,
  userId: number,
  now: Date,
): Promise<(DraftRow & { homoclave: string; citizenName: { es: string; en?: string } })[]> {
  const r = await sql<DraftRow & { homoclave: string; citizenName: { es: string; en?: string } }>`
    select ${draftColumns}, p.homoclave, p.citizen_name as "citizenName"
    from application_drafts d join forms f on f.id = d.form_id join procedures p on p.id = f.procedure_id
    where d.user_id = ${userId} and d.expires_at > ${now} order by d.updated_at desc limit 50`.execute(db);
  return r.rows;
}

/** Expired drafts and the storage keys of their uploads (removed after the rows). */
export async function purgeExpiredDrafts(db: Db, now: Date): Promise<string[]> {
  const keys = await sql<{ key: string }>`delete from uploads u using application_drafts d
    where u.draft_id = d.id and u.application_id is null and d.expires_at <= ${now}
    returning u.storage_key as key`.execute(db);
  await sql`delete from application_drafts where expires_at <= ${now}`.execute(db);
  return keys.rows.map((r) => r.key);
}

// ---------------------------------------------------------------- uploads

export interface UploadRow {
  id: number;
  publicId: string;
  storageKey: string;
  name: string;
  bytes: number;
  contentType: string;
  uploadedBy: number;
  draftId: number | null;
  applicationId: number | null;
  questionId: string | null;
  internal: boolean;
  createdAt: string;
}

const uploadColumns = sql`u.id, u.public_id as "publicId", u.storage_key as "storageKey", u.name, u.bytes::int as bytes,
  u.content_type as "contentType", u.uploaded_by as "uploadedBy", u.draft_id as "draftId",
  u.application_id as "applicationId", u.question_id as "questionId", u.internal, u.created_at::text as "createdAt"`;

export async function insertUpload(
  db: Db,
  u: Omit<UploadRow, "id" | "createdAt"> & { sha256: string },
): Promise<number> {
  const r = await sql<{ id: number }>`insert into uploads (public_id, storage_key, name, bytes, content_type, sha256,
      uploaded_by, draft_id, application_id, question_id, internal)
    values (${u.publicId}, ${u.storageKey}, ${u.name}, ${u.bytes}, ${u.contentType}, ${u.sha256}, ${u.uploadedBy},
      ${u.draftId}, ${u.applicationId}, ${u.questionId}, ${u.internal})
    returning id`.execute(db);
  return r.rows[0]!.id;
}

export async function uploadByPublicId(db: Db, publicId: string): Promise<UploadRow | undefined> {
  const r = await sql<UploadRow>`select ${uploadColumns} from uploads u where u.public_id = ${publicId}`.execute(db);
  return r.rows[0];
}

export async function uploadsOfDraft(db: Db, draftId: number): Promise<UploadRow[]> {
  return (
    await sql<UploadRow>`select ${uploadColumns} from uploads u where u.draft_id = ${draftId} order by u.id`.execute(db)
  ).rows;
}

export async function uploadsOfApplication(db: Db, applicationId: number, withInternal: boolean): Promise<UploadRow[]> {
  const r = await sql<UploadRow>`select ${uploadColumns} from uploads u
    where u.application_id = ${applicationId} and (${withInternal} or not u.internal) order by u.id`.execute(db);
  return r.rows;
}

/** Drafts' files that are no longer an answer (replaced or removed): their keys, after deleting the rows. */
export async function deleteUploads(db: Db, ids: number[]): Promise<string[]> {
  if (!ids.length) return [];
  const r = await sql<{ key: string }>`delete from uploads where id = any(${ids}) and application_id is null
    returning storage_key as key`.execute(db);
  return r.rows.map((x) => x.key);
}

export async function moveDraftUploads(db: Db, draftId: number, applicationId: number): Promise<void> {
  await sql`update uploads set application_id = ${applicationId}, draft_id = null where draft_id = ${draftId}`.execute(
    db,
  );
}

// ---------------------------------------------------------------- applications

export async function nextFolioNumber(db: Db, institutionId: number, year: number): Promise<number> {
  const r = await sql<{ n: number }>`insert into folio_counters (institution_id, year, last_number)
    values (${institutionId}, ${year}, 1)
    on conflict (institution_id, year) do update set last_number = folio_counters.last_number + 1
    returning last_number as n`.execute(db);
  return r.rows[0]!.n;
}

export interface ApplicationRow {
  id: number;
  publicId: string;
  folio: string;
  userId: number;
  institutionId: number;
  institution: string;
  institutionName: { es: string; en?: string };
  procedureId: number;
  homoclave: string;
  citizenName: { es: string; en?: string };
  formId: number;
  answers: Answers;
  lang: "es" | "en";
  status: CaseStatus;
  submittedAt: string;
  clockStartedOn: string | null;
  maxDays: number | null;
  silenceRule: string;
  deadline: string | null;
  daysUsed: number;
  assignedTo: number | null;
  assigneeName: string | null;
  applicantName: string;
  applicantEmail: string;
  resolvedAt: string | null;
  remindedFor: string | null;
}

const applicationColumns = sql`a.id, a.public_id as "publicId", a.folio, a.user_id as "userId",
  a.institution_id as "institutionId", i.acronym as institution, i.name as "institutionName",
  a.procedure_id as "procedureId", p.homoclave, p.citizen_name as "citizenName", a.form_id as "formId", a.answers,
  a.lang, a.status, to_char(a.submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "submittedAt",
  a.clock_started_on::text as "clockStartedOn", a.max_days as "maxDays", a.silence_rule as "silenceRule",
  a.deadline::text as deadline, a.days_used as "daysUsed", a.assigned_to as "assignedTo",
  (s.given_names || ' ' || s.surnames) as "assigneeName", (u.given_names || ' ' || u.surnames) as "applicantName",
  u.email as "applicantEmail", a.resolved_at::text as "resolvedAt", a.reminded_for::text as "remindedFor"`;
const applicationFrom = sql`applications a join institutions i on i.id = a.institution_id
  join procedures p on p.id = a.procedure_id join users u on u.id = a.user_id left join users s on s.id = a.assigned_to`;

export interface NewApplication {
  publicId: string;
  folio: string;
  userId: number;
  institutionId: number;
  procedureId: number;
  formId: number;
  idempotencyKey: string;
  answers: Answers;
  facts: Record<string, unknown>;
  lang: "es" | "en";
  status: CaseStatus;
  submittedAt: Date;
  clockStartedOn: string | null;
  maxDays: number | null;
  silenceRule: string;
  deadline: string | null;
}

/** Inserts, or returns null when this person already sent an application with the same key. */
export async function insertApplication(db: Db, a: NewApplication): Promise<number | null> {
  const r = await sql<{ id: number }>`insert into applications (public_id, folio, user_id, institution_id,
      procedure_id, form_id, idempotency_key, answers, facts, lang, status, submitted_at, clock_started_on, max_days,
      silence_rule, deadline)
    values (${a.publicId}, ${a.folio}, ${a.userId}, ${a.institutionId}, ${a.procedureId}, ${a.formId},
      ${a.idempotencyKey}, ${JSON.stringify(a.answers)}::jsonb, ${JSON.stringify(a.facts)}::jsonb, ${a.lang}, ${a.status}, ${a.submittedAt},
      ${a.clockStartedOn}, ${a.maxDays}, ${a.silenceRule}, ${a.deadline})
    on conflict (user_id, idempotency_key) do nothing
    returning id`.execute(db);
  return r.rows[0]?.id ?? null;
}

export async function setFolio(db: Db, id: number, folio: string): Promise<void> {
  await sql`update applications set folio = ${folio} where id = ${id}`.execute(db);
}

export async function applicationByKey(db: Db, userId: number, key: string): Promise<ApplicationRow | undefined> {
  const r = await sql<ApplicationRow>`select ${applicationColumns} from ${applicationFrom}
    where a.user_id = ${userId} and a.idempotency_key = ${key}`.execute(db);
  return r.rows[0];
}

export async function applicationByPublicId(db: Db, publicId: string): Promise<ApplicationRow | undefined> {
  const r = await sql<ApplicationRow>`select ${applicationColumns} from ${applicationFrom}
    where a.public_id = ${publicId}`.execute(db);
  return r.rows[0];
}

export async function applicationById(db: Db, id: number, lock = false): Promise<ApplicationRow | undefined> {
  if (lock) await sql`select 1 from applications where id = ${id} for update`.execute(db);
  const r = await sql<ApplicationRow>`select ${applicationColumns} from ${applicationFrom} where a.id = ${id}`.execute(
    db,
  );
  return r.rows[0];
}

export async function applicationsOfUser(db: Db, userId: number): Promise<ApplicationRow[]> {
  const r = await sql<ApplicationRow>`select ${applicationColumns} from ${applicationFrom}
    where a.user_id = ${userId} order by a.submitted_at desc limit 200`.execute(db);
  return r.rows;
}

/** What the person told us in their latest applications (newest first), for once-only prefill. */
export async function latestFactsOfUser(db: Db, userId: number): Promise<Record<string, unknown>[]> {
  const r = await sql<{ facts: Record<string, unknown> }>`select facts from applications where user_id = ${userId}
    order by submitted_at desc limit 5`.execute(db);
  return r.rows.map((x) => x.facts);
}

export async function updateCase(
  db: Db,
  id: number,
  c: {
    status: CaseStatus;
    clockStartedOn: string | null;
    daysUsed: number;
    deadline: string | null;
    resolvedAt?: Date | null;
  },
): Promise<void> {
  await sql`update applications set status = ${c.status}, clock_started_on = ${c.clockStartedOn},
    days_used = ${c.daysUsed}, deadline = ${c.deadline}, resolved_at = coalesce(${c.resolvedAt ?? null}, resolved_at),
    updated_at = now() where id = ${id}`.execute(db);
}

export async function assign(db: Db, id: number, userId: number | null): Promise<void> {
  await sql`update applications set assigned_to = ${userId}, updated_at = now() where id = ${id}`.execute(db);
}

export async function markReminded(db: Db, id: number, deadline: string): Promise<void> {
  await sql`update applications set reminded_for = ${deadline} where id = ${id}`.execute(db);
}

// ---------------------------------------------------------------- the inbox

export interface InboxFilters {
  institutionId: number;
  statuses: CaseStatus | "open" | "closed";
  /** Only cases due on or before this day (due soon or overdue). */
  dueBy?: string | undefined;
  overdueOn?: string | undefined;
  assignedTo?: number | "nobody" | undefined;
  folio?: string | undefined;
  limit: number;
  offset: number;
}

export interface InboxRow {
  publicId: string;
  folio: string;
  homoclave: string;
  citizenName: { es: string; en?: string };
  status: CaseStatus;
  submittedAt: string;
  deadline: string | null;
  silenceRule: string;
  assigneeName: string | null;
  applicantName: string;
}

const OPEN_STATUSES = ["awaiting_payment", "received", "in_review", "information_requested"];

function inboxWhere(f: InboxFilters): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`a.institution_id = ${f.institutionId}`];
  // The literal list matches the partial index's predicate, so the planner can use it.
  if (f.statuses === "open")
    parts.push(sql`a.status in ('awaiting_payment', 'received', 'in_review', 'information_requested')`);
  else if (f.statuses === "closed")
    parts.push(sql`a.status in ('resolved_favourable', 'resolved_unfavourable', 'withdrawn')`);
  // One status as "=": with "= any(array)" PostgreSQL cannot read the index in deadline order.
  else parts.push(sql`a.status = ${f.statuses}`);
  if (f.dueBy) parts.push(sql`a.deadline <= ${f.dueBy}`);
  if (f.overdueOn) parts.push(sql`a.deadline < ${f.overdueOn}`);
  if (f.assignedTo === "nobody") parts.push(sql`a.assigned_to is null`);
  else if (f.assignedTo !== undefined) parts.push(sql`a.assigned_to = ${f.assignedTo}`);
  if (f.folio) parts.push(sql`a.folio = ${f.folio}`);
  return sql.join(parts, sql` and `);
}

export async function inbox(db: Db, f: InboxFilters): Promise<{ rows: InboxRow[]; total: number; more: boolean }> {
  const where = inboxWhere(f);
  // The page of cases first (from the index alone), then their procedure and people: later pages
  // do not join the rows they skip.
  const rows =
    await sql<InboxRow>`select a.public_id as "publicId", a.folio, p.homoclave, p.citizen_name as "citizenName",
      a.status, to_char(a.submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "submittedAt",
      a.deadline::text as deadline, a.silence_rule as "silenceRule",
      (s.given_names || ' ' || s.surnames) as "assigneeName", (u.given_names || ' ' || u.surnames) as "applicantName"
    from (select a.* from applications a where ${where}
          order by a.deadline asc nulls last, a.id asc limit ${f.limit} offset ${f.offset}) a
      join procedures p on p.id = a.procedure_id join users u on u.id = a.user_id
      left join users s on s.id = a.assigned_to
    order by a.deadline asc nulls last, a.id asc`.execute(db);
  // Counting a million rows for a page number is waste: count up to a cap and say "more than".
  const cap = 10_000;
  const count = await sql<{ n: number }>`select count(*)::int as n from
    (select 1 from applications a where ${where} limit ${cap + 1}) t`.execute(db);
  const n = count.rows[0]!.n;
  return { rows: rows.rows, total: Math.min(n, cap), more: n > cap };
}

export { OPEN_STATUSES };

// ---------------------------------------------------------------- history

export interface EventRow {
  id: number;
  at: string;
  actorName: string | null;
  kind: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
  body: string | null;
  visibleToApplicant: boolean;
}

export async function addEvent(
  db: Db,
  e: {
    applicationId: number;
    at: Date;
    actorId: number | null;
    kind: string;
    fromStatus?: CaseStatus | null;
    toStatus?: CaseStatus | null;
    body?: string | null;
    visibleToApplicant?: boolean;
  },
): Promise<void> {
  await sql`insert into case_events (application_id, at, actor_id, kind, from_status, to_status, body, visible_to_applicant)
    values (${e.applicationId}, ${e.at}, ${e.actorId}, ${e.kind}, ${e.fromStatus ?? null}, ${e.toStatus ?? null},
      ${e.body ?? null}, ${e.visibleToApplicant ?? true})`.execute(db);
}

export async function eventsOf(db: Db, applicationId: number, withInternal: boolean): Promise<EventRow[]> {
  const r = await sql<EventRow>`select e.id, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at,
      (u.given_names || ' ' || u.surnames) as "actorName", e.kind, e.from_status as "fromStatus",
      e.to_status as "toStatus", e.body, e.visible_to_applicant as "visibleToApplicant"
    from case_events e left join users u on u.id = e.actor_id
    where e.application_id = ${applicationId} and (${withInternal} or e.visible_to_applicant)
    order by e.id`.execute(db);
  return r.rows;
}

// ---------------------------------------------------------------- information requests

export interface InformationRequestRow {
  id: number;
  message: string;
  requestedAt: string;
  respondBy: string;
  answeredAt: string | null;
  answer: string | null;
}

export async function openInformationRequest(
  db: Db,
  applicationId: number,
): Promise<InformationRequestRow | undefined> {
  const r = await sql<InformationRequestRow>`select id, message, requested_at::text as "requestedAt",
      respond_by::text as "respondBy", answered_at::text as "answeredAt", answer
    from information_requests where application_id = ${applicationId} and answered_at is null`.execute(db);
  return r.rows[0];
}

export async function insertInformationRequest(
  db: Db,
  r: { applicationId: number; requestedBy: number; at: Date; message: string; respondBy: string },
): Promise<void> {
  await sql`insert into information_requests (application_id, requested_by, requested_at, message, respond_by)
    values (${r.applicationId}, ${r.requestedBy}, ${r.at}, ${r.message}, ${r.respondBy})`.execute(db);
}

export async function answerInformationRequest(db: Db, id: number, at: Date, answer: string): Promise<void> {
  await sql`update information_requests set answered_at = ${at}, answer = ${answer} where id = ${id}`.execute(db);
}

// ---------------------------------------------------------------- payments

export interface PaymentRow {
  id: number;
  applicationId: number;
  reference: string;
  chain: string;
  amountCentavos: number;
  expiresOn: string;
  status: "pending" | "paid";
  paidOn: string | null;
}

const paymentColumns = sql`id, application_id as "applicationId", reference, chain, amount_centavos::int as "amountCentavos",
  expires_on::text as "expiresOn", status, paid_on::text as "paidOn"`;

export async function insertPayment(
  db: Db,
  p: { applicationId: number; reference: string; chain: string; amountCentavos: number; expiresOn: string },
): Promise<void> {
  await sql`insert into payments (application_id, reference, chain, amount_centavos, expires_on, status)
    values (${p.applicationId}, ${p.reference}, ${p.chain}, ${p.amountCentavos}, ${p.expiresOn}, 'pending')`.execute(
    db,
  );
}

export async function paymentOf(db: Db, applicationId: number): Promise<PaymentRow | undefined> {
  return (
    await sql<PaymentRow>`select ${paymentColumns} from payments where application_id = ${applicationId}`.execute(db)
  ).rows[0];
}

export async function paymentsByReference(
  db: Db,
  references: string[],
): Promise<(PaymentRow & { operation: string | null; bank: string | null })[]> {
  if (!references.length) return [];
  const r = await sql<
    PaymentRow & { operation: string | null; bank: string | null }
  >`select ${paymentColumns}, operation, bank
    from payments where reference = any(${references}) for update`.execute(db);
  return r.rows;
}

export async function markPaid(
  db: Db,
  id: number,
  p: { paidOn: string; bank: string; operation: string; reconciliationId: number },
): Promise<void> {
  await sql`update payments set status = 'paid', paid_on = ${p.paidOn}, bank = ${p.bank}, operation = ${p.operation},
    reconciliation_id = ${p.reconciliationId} where id = ${id} and status = 'pending'`.execute(db);
}

export async function insertReconciliation(
  db: Db,
  r: {
    uploadedBy: number;
    at: Date;
    fileName: string;
    sha256: string;
    lines: number;
    matched: number;
    alreadyPaid: number;
    report: unknown;
  },
): Promise<number> {
  const x = await sql<{ id: number }>`insert into reconciliations (uploaded_by, uploaded_at, file_name, sha256, lines,
      matched, already_paid, report)
    values (${r.uploadedBy}, ${r.at}, ${r.fileName}, ${r.sha256}, ${r.lines}, ${r.matched}, ${r.alreadyPaid},
      ${JSON.stringify(r.report)}::jsonb)
    returning id`.execute(db);
  return x.rows[0]!.id;
}

export async function setReconciliationReport(
  db: Db,
  id: number,
  matched: number,
  alreadyPaid: number,
  report: unknown,
): Promise<void> {
  await sql`update reconciliations set matched = ${matched}, already_paid = ${alreadyPaid},
    report = ${JSON.stringify(report)}::jsonb where id = ${id}`.execute(db);
}

// ---------------------------------------------------------------- resolutions

export interface ResolutionRow {
  applicationId: number;
  outcome: "favourable" | "unfavourable";
  reasons: string;
  signerName: string;
  resolvedAt: string;
  verificationCode: string;
  storageKey: string | null;
  folio: string;
  homoclave: string;
  citizenName: { es: string; en?: string };
  institutionName: { es: string; en?: string };
}

export async function insertResolution(
  db: Db,
  r: {
    applicationId: number;
    outcome: string;
    reasons: string;
    signedBy: number;
    signerName: string;
    at: Date;
    code: string;
  },
): Promise<void> {
  await sql`insert into resolutions (application_id, outcome, reasons, signed_by, signer_name, resolved_at, verification_code)
    values (${r.applicationId}, ${r.outcome}, ${r.reasons}, ${r.signedBy}, ${r.signerName}, ${r.at}, ${r.code})`.execute(
    db,
  );
}

const resolutionSelect = sql`select r.application_id as "applicationId", r.outcome, r.reasons, r.signer_name as "signerName",
    to_char(r.resolved_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "resolvedAt",
    r.verification_code as "verificationCode", r.storage_key as "storageKey", a.folio, p.homoclave,
    p.citizen_name as "citizenName", i.name as "institutionName"
  from resolutions r join applications a on a.id = r.application_id join procedures p on p.id = a.procedure_id
    join institutions i on i.id = a.institution_id`;

export async function resolutionOf(db: Db, applicationId: number): Promise<ResolutionRow | undefined> {
  return (await sql<ResolutionRow>`${resolutionSelect} where r.application_id = ${applicationId}`.execute(db)).rows[0];
}

export async function resolutionByCode(db: Db, code: string): Promise<ResolutionRow | undefined> {
  return (await sql<ResolutionRow>`${resolutionSelect} where r.verification_code = ${code}`.execute(db)).rows[0];
}

export async function setResolutionFile(db: Db, applicationId: number, key: string): Promise<void> {
  await sql`update resolutions set storage_key = ${key} where application_id = ${applicationId}`.execute(db);
}

// ---------------------------------------------------------------- calendar and reminders

export async function closedDays(db: Db, institutionId: number | null): Promise<Set<string>> {
  const r = await sql<{ day: string }>`select day::text as day from non_working_days
    where institution_id is null or institution_id = ${institutionId}`.execute(db);
  return new Set(r.rows.map((x) => x.day));
}

/** Open cases whose deadline falls on or before a day and that were not yet reminded for it. */
export async function casesToRemind(db: Db, dueBy: string, limit: number): Promise<{ id: number; deadline: string }[]> {
  const r = await sql<{ id: number; deadline: string }>`select id, deadline::text as deadline from applications
    where deadline <= ${dueBy} and status in ('received', 'in_review')
      and (reminded_for is null or reminded_for <> deadline)
    order by deadline limit ${limit}`.execute(db);
  return r.rows;
}

export async function staffOfInstitution(
  db: Db,
  institutionId: number,
  roles: string[],
): Promise<{ id: number; name: string; email: string; lang: "es" | "en" }[]> {
  const r = await sql<{ id: number; name: string; email: string; lang: "es" | "en" }>`select distinct u.id,
      u.given_names || ' ' || u.surnames as name, u.email, u.preferred_lang as lang
    from memberships m join users u on u.id = m.user_id
    where m.institution_id = ${institutionId} and m.role = any(${roles}) order by name`.execute(db);
  return r.rows;
}

export async function insertClosedDay(
  db: Db,
  day: string,
  institution: string | null,
  reason: string,
): Promise<boolean> {
  const r = await sql<{ day: string }>`insert into non_working_days (day, institution_id, reason)
    select ${day}::date, (select id from institutions where acronym = ${institution}), ${reason}
    where ${institution}::text is null or exists (select 1 from institutions where acronym = ${institution})
    on conflict do nothing returning day::text as day`.execute(db);
  return r.rows.length > 0;
}

export async function listClosedDays(db: Db): Promise<{ day: string; institution: string | null; reason: string }[]> {
  const r = await sql<{ day: string; institution: string | null; reason: string }>`select d.day::text as day,
      i.acronym as institution, d.reason
    from non_working_days d left join institutions i on i.id = d.institution_id order by d.day`.execute(db);
  return r.rows;
}
