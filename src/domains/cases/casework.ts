/**
 * Working cases, for the institution: the inbox, assignment, review, information requests
 * (prevención), resolutions with a verifiable PDF, notes and internal documents; and the
 * person's side of the same transitions (answering a request, withdrawing). Every change of
 * status goes through `act`, which applies the rules in states.ts, moves the legal clock,
 * records the event and writes the audit log in one transaction.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { appendAudit } from "../../platform/audit.js";
import { addBusinessDays, mexicoDate } from "../../platform/business-days.js";
import { inTransaction, type Ctx } from "../../platform/context.js";
import { DomainError, invalidFields } from "../../platform/errors.js";
import { enqueue } from "../../platform/jobs/queue.js";
import { sanitizeFileName } from "../../platform/storage.js";
import type { Viewer } from "../accounts/sessions.js";
import { formById } from "../forms/forms.js";
import { myApplication } from "./applications.js";
import { DUE_SOON_DAYS, pauseClock, startClock, type Clock } from "./deadlines.js";
import { storageOf } from "./files.js";
import { notifyApplicant, renderResolution } from "./jobs.js";
import { canAssignCases, canSeeCases, canTakeCase, canWorkCase } from "./policies.js";
import * as q from "./queries.js";
import { transition, type Actor, type CaseAction, type CaseStatus } from "./states.js";

/** The person has at least this many business days to answer a prevención (art. 17-A LFPA). */
export const RESPOND_DAYS = 5;
const TEXT_MAX = 5000;

const caseNotFound = () =>
  new DomainError("not_found", {
    es: "No encontramos ese expediente entre los de tu institución.",
    en: "We could not find that case among your institution's ones.",
  });
const forbidden = () =>
  new DomainError("forbidden", {
    es: "Tu rol no permite hacer esto con este expediente.",
    en: "Your role does not allow this with this case.",
  });

/** A case the viewer may see as staff, or 404 (another institution's cases do not exist for them). */
export async function caseForStaff(ctx: Ctx, viewer: Viewer, publicId: string): Promise<q.ApplicationRow> {
  const app = /^[0-9a-f-]{36}$/.test(publicId) ? await q.applicationByPublicId(ctx.db, publicId) : undefined;
  if (!app || !canSeeCases(viewer, app.institution)) throw caseNotFound();
  return app;
}

function cleanText(value: unknown, field: string, label: { es: string; en: string }, required = true): string {
  const text = typeof value === "string" ? value.normalize("NFC").trim() : "";
  if (required && !text) throw invalidFields({ [field]: { es: `Escribe ${label.es}.`, en: `Enter ${label.en}.` } });
  if (text.length > TEXT_MAX)
    throw invalidFields({
      [field]: {
        es: `${label.es[0]!.toUpperCase()}${label.es.slice(1)} debe tener ${TEXT_MAX} caracteres o menos.`,
        en: `${label.en[0]!.toUpperCase()}${label.en.slice(1)} must be ${TEXT_MAX} characters or fewer.`,
      },
    });

  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text))
    throw invalidFields({
      [field]: {
        es: "El texto tiene caracteres que no se pueden guardar.",
        en: "The text has characters that cannot be saved.",
      },
    });
  return text;
}

interface Act {
  action: CaseAction;
  by: Actor;
  actorId: number | null;
  body?: string | null;
  /** Extra writes in the same transaction, given the case as it was (locked). */
  also?: (tx: Ctx, app: q.ApplicationRow, to: CaseStatus) => Promise<void>;
}

/** Applies one transition of states.ts to a case, moving the legal clock with it. */
export async function act(ctx: Ctx, applicationId: number, a: Act): Promise<CaseStatus> {
  return inTransaction(ctx, async (tx) => {
    const app = (await q.applicationById(tx.db, applicationId, true))!;
    const to = transition(app.status, a.action, a.by);
    const today = mexicoDate(tx.clock());
    const closed = await q.closedDays(tx.db, app.institutionId);
    let clock: Clock = {
      clockStartedOn: app.clockStartedOn,
      daysUsed: app.daysUsed,
      maxDays: app.maxDays,
      deadline: app.deadline,
    };
    if (to === "information_requested") clock = pauseClock(clock, today, closed);
    if (a.action === "answer_information" || a.action === "payment_received") clock = startClock(clock, today, closed);
    const resolved = to === "resolved_favourable" || to === "resolved_unfavourable";
    await q.updateCase(tx.db, app.id, { status: to, ...clock, resolvedAt: resolved ? tx.clock() : null });
    await q.addEvent(tx.db, {
      applicationId: app.id,
      at: tx.clock(),
      actorId: a.actorId,
      kind: a.action,
      fromStatus: app.status,
      toStatus: to,
      body: a.body ?? null,
    });
    await a.also?.(tx, app, to);
    // Last: the audit chain's lock is platform-wide, so it is held only for this insert and the commit.
    await appendAudit(
      tx.db,
      {
        actorId: a.actorId,
        action: `case.${a.action}`,
        subject: `case:${app.folio}`,
        detail: { from: app.status, to },
      },
      tx.clock(),
    );
    return to;
  });
}

async function workable(ctx: Ctx, viewer: Viewer, publicId: string): Promise<q.ApplicationRow> {
  const app = await caseForStaff(ctx, viewer, publicId);
  if (!canWorkCase(viewer, app)) throw forbidden();
  return app;
}

export async function startReview(ctx: Ctx, viewer: Viewer, publicId: string): Promise<void> {
  const app = await workable(ctx, viewer, publicId);
  await act(ctx, app.id, { action: "start_review", by: "staff", actorId: viewer.userId });
}

/** Prevención: asks the person for information; the clock stops until they answer. */
export async function requestInformation(ctx: Ctx, viewer: Viewer, publicId: string, message: unknown): Promise<void> {
  const app = await workable(ctx, viewer, publicId);
  const text = cleanText(message, "message", { es: "qué información necesitas", en: "what information you need" });
  await act(ctx, app.id, {
    action: "request_information",
    by: "staff",
    actorId: viewer.userId,
    body: text,
    also: async (tx) => {
      const respondBy = addBusinessDays(
        mexicoDate(tx.clock()),
        RESPOND_DAYS,
        await q.closedDays(tx.db, app.institutionId),
      );
      await q.insertInformationRequest(tx.db, {
        applicationId: app.id,
        requestedBy: viewer.userId,
        at: tx.clock(),
        message: text,
        respondBy,
      });
      await enqueue(tx.db, notifyApplicant, { applicationId: app.id, event: "information_requested" });
    },
  });
}

/** Issues the resolution: the case closes, a verification code is minted and the PDF is rendered by a job. */
export async function resolveCase(
  ctx: Ctx,
  viewer: Viewer,
  publicId: string,
  input: { outcome: unknown; reasons: unknown },
): Promise<void> {
  const app = await workable(ctx, viewer, publicId);
  if (input.outcome !== "favourable" && input.outcome !== "unfavourable")
    throw invalidFields({
      outcome: { es: "Elige el sentido de la resolución.", en: "Choose the outcome of the resolution." },
    });
  const outcome = input.outcome;
  const reasons = cleanText(input.reasons, "reasons", {
    es: "los fundamentos y motivos",
    en: "the grounds and reasons",
  });
  await act(ctx, app.id, {
    action: outcome === "favourable" ? "resolve_favourable" : "resolve_unfavourable",
    by: "staff",
    actorId: viewer.userId,
    body: reasons,
    also: async (tx) => {
      await q.insertResolution(tx.db, {
        applicationId: app.id,
        outcome,
        reasons,
        signedBy: viewer.userId,
        signerName: viewer.name,
        at: tx.clock(),
        code: verificationCode(),
      });
      await enqueue(tx.db, renderResolution, { applicationId: app.id });
      await enqueue(tx.db, notifyApplicant, { applicationId: app.id, event: "resolved" });
    },
  });
}

/** 16 characters from an alphabet without look-alikes, grouped for reading aloud: 4 × 4. */
function verificationCode(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

/** Assign (or, with null, unassign) a case: case-managers only; the assignee must work cases at the institution. */
export async function assignCase(ctx: Ctx, viewer: Viewer, publicId: string, assignee: unknown): Promise<void> {
  const app = await caseForStaff(ctx, viewer, publicId);
  if (!canAssignCases(viewer, app.institution)) throw forbidden();
  const id = assignee === "" || assignee === undefined ? null : Number(assignee);
  if (id !== null) {
    const staff = await q.staffOfInstitution(ctx.db, app.institutionId, ["caseworker", "case-manager"]);
    if (!Number.isSafeInteger(id) || !staff.some((s) => s.id === id))
      throw invalidFields({
        assignee: {
          es: "Elige a alguien que atienda expedientes en esta institución.",
          en: "Choose someone who works cases at this institution.",
        },
      });
  }
  await setAssignee(ctx, viewer, app, id);
}

/** A caseworker takes an unassigned case. */
export async function takeCase(ctx: Ctx, viewer: Viewer, publicId: string): Promise<void> {
  const app = await caseForStaff(ctx, viewer, publicId);
  if (!canTakeCase(viewer, app)) throw forbidden();
  await setAssignee(ctx, viewer, app, viewer.userId);
}

async function setAssignee(ctx: Ctx, viewer: Viewer, app: q.ApplicationRow, id: number | null): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await q.applicationById(tx.db, app.id, true);
    await q.assign(tx.db, app.id, id);
    await q.addEvent(tx.db, {
      applicationId: app.id,
      at: tx.clock(),
      actorId: viewer.userId,
      kind: id ? "assigned" : "unassigned",
      body: null,
      visibleToApplicant: false,
    });
    await appendAudit(
      tx.db,
      { actorId: viewer.userId, action: "case.assign", subject: `case:${app.folio}`, detail: { assignee: id } },
      tx.clock(),
    );
  });
}

/** An internal note: seen by the institution's staff, never by the person. */
export async function addNote(ctx: Ctx, viewer: Viewer, publicId: string, note: unknown): Promise<void> {
  const app = await workable(ctx, viewer, publicId);
  const text = cleanText(note, "note", { es: "la nota", en: "the note" });
  await inTransaction(ctx, async (tx) => {
    await q.addEvent(tx.db, {
      applicationId: app.id,
      at: tx.clock(),
      actorId: viewer.userId,
      kind: "note",
      body: text,
      visibleToApplicant: false,
    });
    await appendAudit(tx.db, { actorId: viewer.userId, action: "case.note", subject: `case:${app.folio}` }, tx.clock());
  });
}

/** An internal document (a report, an inspection record): streamed to storage, seen by staff only. */
export async function addInternalDocument(
  ctx: Ctx,
  viewer: Viewer,
  publicId: string,
  file: { name: string; stream: Readable },
): Promise<void> {
  const app = await workable(ctx, viewer, publicId).catch((e: unknown) => {
    file.stream.resume();
    throw e;
  });
  const uploadId = randomUUID();
  const key = `cases/${app.publicId}/${uploadId}`;
  const stored = await storageOf(ctx)
    .put(key, file.stream, { maxBytes: 20 * 1024 * 1024, allowedKinds: ["pdf", "jpg", "png"] })
    .catch((e: unknown) => {
      if (e instanceof DomainError) throw invalidFields({ document: e.localized });
      throw e;
    });
  const name = sanitizeFileName(file.name);
  await inTransaction(ctx, async (tx) => {
    await q.insertUpload(tx.db, {
      publicId: uploadId,
      storageKey: key,
      name,
      bytes: stored.bytes,
      contentType: stored.contentType,
      sha256: stored.sha256,
      uploadedBy: viewer.userId,
      draftId: null,
      applicationId: app.id,
      questionId: null,
      internal: true,
    });
    await q.addEvent(tx.db, {
      applicationId: app.id,
      at: tx.clock(),
      actorId: viewer.userId,
      kind: "internal_document",
      body: name,
      visibleToApplicant: false,
    });
    await appendAudit(
      tx.db,
      { actorId: viewer.userId, action: "case.document", subject: `case:${app.folio}`, detail: { uploadId } },
      tx.clock(),
    );
  });
}

/** Everything staff see of a case. */
export async function caseFile(ctx: Ctx, viewer: Viewer, publicId: string) {
  const app = await caseForStaff(ctx, viewer, publicId);
  const [events, uploads, payment, request, resolution, form, closed, staff] = await Promise.all([
    q.eventsOf(ctx.db, app.id, true),
    q.uploadsOfApplication(ctx.db, app.id, true),
    q.paymentOf(ctx.db, app.id),
    q.openInformationRequest(ctx.db, app.id),
    q.resolutionOf(ctx.db, app.id),
    formById(ctx, app.formId),
    q.closedDays(ctx.db, app.institutionId),
    q.staffOfInstitution(ctx.db, app.institutionId, ["caseworker", "case-manager"]),
  ]);
  return { app, events, uploads, payment, request, resolution, definition: form!.definition, closed, staff };
}

export interface InboxQuery {
  status?: string | undefined;
  due?: string | undefined;
  mine?: boolean | undefined;
  unassigned?: boolean | undefined;
  folio?: string | undefined;
  page?: number | undefined;
}

export const INBOX_PAGE_SIZE = 50;

/** The institution's cases, open ones by deadline first; filters as the inbox offers them. */
export async function inboxOf(ctx: Ctx, viewer: Viewer, institution: string, query: InboxQuery) {
  if (!canSeeCases(viewer, institution)) throw caseNotFound();
  const institutionId = viewer.roles.find((r) => r.institution === institution)!.institutionId;
  const today = mexicoDate(ctx.clock());
  const closed = await q.closedDays(ctx.db, institutionId);
  const statuses: q.InboxFilters["statuses"] =
    !query.status || query.status === "open"
      ? "open"
      : query.status === "closed"
        ? "closed"
        : (query.status as CaseStatus);
  const page = Math.max(1, Math.min(query.page ?? 1, 200));
  const result = await q.inbox(ctx.db, {
    institutionId,
    statuses,
    dueBy: query.due === "soon" ? addBusinessDays(today, DUE_SOON_DAYS, closed) : undefined,
    overdueOn: query.due === "overdue" ? today : undefined,
    assignedTo: query.mine ? viewer.userId : query.unassigned ? "nobody" : undefined,
    folio: query.folio?.toUpperCase() || undefined,
    limit: INBOX_PAGE_SIZE,
    offset: (page - 1) * INBOX_PAGE_SIZE,
  });
  return { ...result, page, today, closed };
}

// ---------------------------------------------------------------- the person's side

/** The person answers a prevención; the legal clock starts again today with the days that were left. */
export async function answerInformation(ctx: Ctx, viewer: Viewer, publicId: string, answer: unknown): Promise<void> {
  const app = await myApplication(ctx, viewer, publicId);
  const text = cleanText(answer, "answer", { es: "tu respuesta", en: "your answer" });
  const request = await q.openInformationRequest(ctx.db, app.id);
  if (!request)
    throw new DomainError("conflict", {
      es: "Este trámite no tiene una solicitud de información pendiente.",
      en: "This application has no information request waiting for an answer.",
    });
  await act(ctx, app.id, {
    action: "answer_information",
    by: "applicant",
    actorId: viewer.userId,
    body: text,
    also: async (tx) => q.answerInformationRequest(tx.db, request.id, tx.clock(), text),
  });
}

export async function withdrawApplication(ctx: Ctx, viewer: Viewer, publicId: string): Promise<void> {
  const app = await myApplication(ctx, viewer, publicId);
  await act(ctx, app.id, { action: "withdraw", by: "applicant", actorId: viewer.userId });
}

/** A stored file of a case for a viewer: the person sees their own non-internal files; staff their institution's. */
export async function caseDocument(ctx: Ctx, viewer: Viewer, uploadId: string) {
  const upload = /^[0-9a-f-]{36}$/.test(uploadId) ? await q.uploadByPublicId(ctx.db, uploadId) : undefined;
  const notFound = new DomainError("not_found", {
    es: "No encontramos ese documento.",
    en: "We could not find that document.",
  });
  if (!upload) throw notFound;
  if (upload.applicationId === null) {
    if (upload.uploadedBy !== viewer.userId) throw notFound;
  } else {
    const app = (await q.applicationById(ctx.db, upload.applicationId))!;
    const own = app.userId === viewer.userId && !upload.internal;
    if (!own && !canSeeCases(viewer, app.institution)) throw notFound;
  }
  return { upload, stream: await storageOf(ctx).get(upload.storageKey) };
}

/** The resolution a verification code belongs to, if any (public: the code is the secret). */
export const verifyResolution = (ctx: Ctx, code: string) => q.resolutionByCode(ctx.db, code);
