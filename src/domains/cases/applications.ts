/**
 * Applying online, for the person: start (with what we already know filled in), answer page by
 * page with drafts kept for DRAFT_DAYS, upload documents, check the answers and send. Sending
 * gives a folio once, however many times the same submission arrives (idempotency key).
 */
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { appendAudit } from "../../platform/audit.js";
import { addBusinessDays, mexicoDate } from "../../platform/business-days.js";
import { inTransaction, type Ctx } from "../../platform/context.js";
import { DomainError, invalidFields } from "../../platform/errors.js";
import { enqueue } from "../../platform/jobs/queue.js";
import { sanitizeFileName } from "../../platform/storage.js";
import { getAccount } from "../accounts/accounts.js";
import { checkCurp } from "../accounts/curp.js";
import type { Viewer } from "../accounts/sessions.js";
import { getPublishedProcedure, type ProcedureRow } from "../catalogue/catalogue.js";
import type { AddressAnswer, Answers, FileAnswer, FormDefinition, Page, PrefillSource } from "../forms/definition.js";
import {
  nextPageId,
  prefillFor,
  pruneHiddenAnswers,
  readPage,
  startPageId,
  validateAll,
  visiblePages,
  withPageAnswers,
} from "../forms/engine.js";
import { formById, liveForm, type FormRow } from "../forms/forms.js";
import { deadlineView, startClock, type DeadlineView } from "./deadlines.js";
import { geography, storageOf } from "./files.js";
import { notifyApplicant } from "./jobs.js";
import { paymentReference } from "./payment-reference.js";
import * as q from "./queries.js";

/** Drafts are kept this long after the last change. */
export const DRAFT_DAYS = 30;
/** A payment reference is valid this many business days. */
export const PAYMENT_DAYS = 10;

const draftGone = () =>
  new DomainError("not_found", {
    es: "No encontramos esa solicitud en borrador. Puede que haya caducado o que ya la hayas enviado; revisa «Mis trámites».",
    en: "We could not find that draft application. It may have expired or been sent already; check “My applications”.",
  });

const notOnline = () =>
  new DomainError("not_found", {
    es: "Este trámite todavía no se puede hacer en línea.",
    en: "This procedure cannot be done online yet.",
  });

function checkAssurance(viewer: Viewer, procedure: ProcedureRow): void {
  const needed = procedure.record.requiredAssurance ?? "basica";
  if (needed !== "ninguna" && !viewer.emailVerified)
    throw new DomainError("forbidden", {
      es: "Para hacer este trámite en línea primero confirma tu correo con el enlace que te enviamos.",
      en: "To do this procedure online, first confirm your email with the link we sent you.",
    });
  if (needed === "verificada" && viewer.assurance !== "verificada")
    throw new DomainError("forbidden", {
      es: "Este trámite pide identidad verificada: acude a una oficina con una identificación oficial para verificarla.",
      en: "This procedure needs a verified identity: visit an office with an official ID to have it verified.",
    });
}

/** What the platform knows about the person: the account, then what they told us in earlier applications. */
async function knownFacts(ctx: Ctx, viewer: Viewer): Promise<Partial<Record<PrefillSource, string | AddressAnswer>>> {
  const user = await getAccount(ctx, viewer.userId);
  const facts: Partial<Record<PrefillSource, string | AddressAnswer>> = {};
  for (const earlier of (await q.latestFactsOfUser(ctx.db, viewer.userId)).reverse())
    Object.assign(facts, earlier as Partial<Record<PrefillSource, string | AddressAnswer>>);
  Object.assign(facts, {
    givenNames: user.givenNames,
    surnames: user.surnames,
    fullName: `${user.givenNames} ${user.surnames}`,
    email: user.email,
  });
  if (user.curp) {
    facts.curp = user.curp;
    const checked = checkCurp(user.curp);
    if (checked.ok) facts.birthDate = checked.facts.birthDate;
  }
  return facts;
}

/**
 * Starts an application (or returns the person's draft for the same form, to carry on), with
 * the first page to show: the form's first for a new draft, where they left off otherwise.
 */
export async function startApplication(ctx: Ctx, viewer: Viewer, homoclave: string): Promise<string> {
  return (await beginApplication(ctx, viewer, homoclave)).draftId;
}

export async function beginApplication(
  ctx: Ctx,
  viewer: Viewer,
  homoclave: string,
): Promise<{ draftId: string; resumed: boolean; firstPageId: string | undefined }> {
  const procedure = await getPublishedProcedure(ctx, homoclave);
  const form = await liveForm(ctx, homoclave);
  if (!form) throw notOnline();
  checkAssurance(viewer, procedure);
  const existing = (await q.draftsOfUser(ctx.db, viewer.userId, ctx.clock())).find((d) => d.formId === form.id);
  const firstPageId = startPageId(form.definition);
  if (existing) return { draftId: existing.publicId, resumed: true, firstPageId };
  const { answers, prefilled } = prefillFor(form.definition, await knownFacts(ctx, viewer));
  const publicId = randomUUID();
  await q.insertDraft(ctx.db, {
    publicId,
    userId: viewer.userId,
    formId: form.id,
    answers,
    prefilled,
    expiresAt: expiry(ctx),
  });
  return { draftId: publicId, resumed: false, firstPageId };
}

const expiry = (ctx: Ctx) => new Date(ctx.clock().getTime() + DRAFT_DAYS * 86_400_000);

export interface DraftView {
  draft: q.DraftRow;
  form: FormRow;
  procedure: ProcedureRow;
  uploads: q.UploadRow[];
}

/** The person's own draft, or 404 (another person's draft does not exist for them). */
export async function draftOf(ctx: Ctx, viewer: Viewer, draftId: string): Promise<DraftView> {
  if (!/^[0-9a-f-]{36}$/.test(draftId)) throw draftGone();
  const draft = await q.getDraft(ctx.db, draftId, ctx.clock());
  if (!draft || draft.userId !== viewer.userId) throw draftGone();
  const form = await formById(ctx, draft.formId);
  if (!form) throw draftGone();
  const procedure = await getPublishedProcedure(ctx, form.homoclave);
  return { draft, form, procedure, uploads: await q.uploadsOfDraft(ctx.db, draft.id) };
}

export function pageOf(def: FormDefinition, answers: Answers, pageId: string): Page {
  const page = visiblePages(def, answers).find((p) => p.id === pageId);
  if (!page)
    throw new DomainError("not_found", {
      es: "Esa página no forma parte de tu solicitud con las respuestas que diste.",
      en: "That page is not part of your application with the answers you gave.",
    });
  return page;
}

async function readOptions(ctx: Ctx, existing: Answers) {
  const geo = await geography(ctx);
  return { today: mexicoDate(ctx.clock()), municipality: geo.resolve, existing };
}

/**
 * Saves one page's answers (files already streamed in through `uploadFile`). Answers of pages
 * that a changed answer hides are dropped. Returns the next page id, or "check".
 */
export async function savePage(
  ctx: Ctx,
  viewer: Viewer,
  draftId: string,
  pageId: string,
  input: Record<string, unknown>,
): Promise<string> {
  const { draft, form } = await draftOf(ctx, viewer, draftId);
  const def = form.definition;
  const page = pageOf(def, draft.answers, pageId);
  const options = await readOptions(ctx, draft.answers);
  const { merged, unusedFiles } = await inTransaction(ctx, async (tx) => {
    // Read again under the lock: an upload from another tab may have landed since.
    const locked = await q.lockDraft(tx.db, draft.id);
    if (!locked) throw draftGone();
    const { answers, errors } = readPage(def, page, input, { ...options, existing: locked.answers });
    if (Object.keys(errors).length) throw invalidFields(errors);
    const merged = pruneHiddenAnswers(def, withPageAnswers(page, locked.answers, answers));
    const same = (id: string) => JSON.stringify(merged[id]) === JSON.stringify(locked.answers[id]);
    await q.saveDraftAnswers(tx.db, draft.id, merged, locked.prefilled.filter(same), expiry(ctx));
    return { merged, unusedFiles: await dropUnusedUploads(tx, draft.id, merged) };
  });
  await deleteFiles(ctx, unusedFiles);
  return nextPageId(def, merged, pageId);
}

/**
 * Removes the rows of a draft's files that no answer points at any more (replaced, or on a page
 * now hidden) and returns their storage keys, to delete once the transaction has committed.
 */
async function dropUnusedUploads(ctx: Ctx, draftId: number, answers: Answers): Promise<string[]> {
  const used = new Set(
    Object.values(answers)
      .filter((a): a is FileAnswer => typeof a === "object" && a !== null && "uploadId" in a)
      .map((a) => a.uploadId),
  );
  const unused = (await q.uploadsOfDraft(ctx.db, draftId)).filter((u) => !used.has(u.publicId)).map((u) => u.id);
  return q.deleteUploads(ctx.db, unused);
}

/** Files go only after their rows are gone for good: a crash in between leaves an orphan file, never a row without its file. */
async function deleteFiles(ctx: Ctx, keys: string[]): Promise<void> {
  const storage = storageOf(ctx);
  for (const key of keys) await storage.delete(key).catch((e: unknown) => ctx.log.warn({ e, key }, "orphan upload"));
}

/**
 * Streams one file of a draft's file question into storage (size and type checked while it
 * arrives) and records it as the answer. The bytes are durable before the row is written.
 */
export async function uploadFile(
  ctx: Ctx,
  viewer: Viewer,
  draftId: string,
  pageId: string,
  questionId: string,
  file: { name: string; stream: Readable },
): Promise<FileAnswer> {
  const { draft, form } = await draftOf(ctx, viewer, draftId);
  const page = pageOf(form.definition, draft.answers, pageId);
  const question = page.questions.find((x) => x.id === questionId && x.type === "file");
  if (!question?.file) {
    file.stream.resume();
    throw invalidFields({
      [questionId.slice(0, 40)]: {
        es: "Ese archivo no corresponde a esta página.",
        en: "That file does not belong on this page.",
      },
    });
  }
  const publicId = randomUUID();
  const key = `applications/${mexicoDate(ctx.clock()).slice(0, 7)}/${publicId}`;
  const stored = await storageOf(ctx)
    .put(key, file.stream, { maxBytes: question.file.maxBytes, allowedKinds: question.file.kinds })
    .catch((e: unknown) => {
      if (e instanceof DomainError) throw invalidFields({ [questionId]: e.localized });
      throw e;
    });
  const answer: FileAnswer = {
    uploadId: publicId,
    name: sanitizeFileName(file.name),
    bytes: stored.bytes,
    contentType: stored.contentType,
  };
  await inTransaction(ctx, async (tx) => {
    const locked = await q.lockDraft(tx.db, draft.id);
    if (!locked) throw draftGone();
    await q.insertUpload(tx.db, {
      publicId,
      storageKey: key,
      name: answer.name,
      bytes: stored.bytes,
      contentType: stored.contentType,
      sha256: stored.sha256,
      uploadedBy: viewer.userId,
      draftId: draft.id,
      applicationId: null,
      questionId,
      internal: false,
    });
    await q.saveDraftAnswers(
      tx.db,
      draft.id,
      { ...locked.answers, [questionId]: answer },
      locked.prefilled,
      expiry(ctx),
    );
  });
  return answer;
}

/** The facts an application's answers give about the person, for prefill next time. */
function factsOf(def: FormDefinition, answers: Answers): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  for (const page of visiblePages(def, answers))
    for (const question of page.questions)
      if (question.prefill && answers[question.id] !== undefined) facts[question.prefill] = answers[question.id];
  return facts;
}

export function formatFolio(acronym: string, year: number, n: number): string {
  return `${acronym}-${year}-${String(n).padStart(6, "0")}`;
}

/**
 * Sends the draft. The same idempotency key (the check page's form carries one) always gives
 * the same application: a double click or a retry after a timeout does not make two.
 */
export async function submitApplication(
  ctx: Ctx,
  viewer: Viewer,
  draftId: string,
  idempotencyKey: string,
  lang: "es" | "en",
): Promise<q.ApplicationRow> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(idempotencyKey))
    throw invalidFields({
      submit: {
        es: "Vuelve a la página anterior y envía de nuevo.",
        en: "Go back to the previous page and send again.",
      },
    });
  const already = await q.applicationByKey(ctx.db, viewer.userId, idempotencyKey);
  if (already) return already;
  const unusedFiles: string[] = [];
  const id = await inTransaction(ctx, async (tx) => {
    const view = await draftOf(tx, viewer, draftId).catch(async (e: unknown) => {
      if (await q.applicationByKey(tx.db, viewer.userId, idempotencyKey)) return null;
      throw e;
    });
    if (!view) return null;
    const locked = await q.lockDraft(tx.db, view.draft.id);
    // A concurrent request with the same key may have sent it while this one waited for the lock.
    const raced = await q.applicationByKey(tx.db, viewer.userId, idempotencyKey);
    if (raced) return raced.id;
    if (!locked) throw draftGone();
    return createApplication(tx, viewer, { ...view, draft: locked }, idempotencyKey, lang, unusedFiles);
  });
  await deleteFiles(ctx, unusedFiles);
  const row = await q.applicationByKey(ctx.db, viewer.userId, idempotencyKey);
  if (!row || (id !== null && row.id !== id)) throw draftGone();
  return row;
}

async function createApplication(
  tx: Ctx,
  viewer: Viewer,
  { draft, form, procedure }: DraftView,
  idempotencyKey: string,
  lang: "es" | "en",
  unusedFiles: string[],
): Promise<number> {
  if (form.state !== "live")
    throw new DomainError("conflict", {
      es: "El formulario de este trámite cambió mientras lo llenabas. Tus respuestas siguen guardadas: vuelve a empezar el trámite para revisarlas con el formulario nuevo.",
      en: "This procedure's form changed while you were filling it in. Your answers are still saved: start the procedure again to review them with the new form.",
    });
  checkAssurance(viewer, procedure);
  const errors = validateAll(form.definition, draft.answers, await readOptions(tx, draft.answers));
  if (Object.keys(errors).length) throw invalidFields(errors);
  const answers = pruneHiddenAnswers(form.definition, draft.answers);
  const now = tx.clock();
  const today = mexicoDate(now);
  const year = Number(today.slice(0, 4));
  const publicId = randomUUID();
  const cost = procedure.record.cost;
  const waitsForPayment = cost.type === "fixed";
  const closed = await q.closedDays(tx.db, form.institutionId);
  const clock = waitsForPayment
    ? { clockStartedOn: null, daysUsed: 0, deadline: null }
    : startClock(
        { clockStartedOn: null, daysUsed: 0, maxDays: procedure.record.maxResolutionDays, deadline: null },
        today,
        closed,
      );
  const id = await q.insertApplication(tx.db, {
    publicId,
    // The folio is numbered last (below): the institution's counter row stays locked only until commit.
    folio: `pending-${publicId}`,
    userId: viewer.userId,
    institutionId: form.institutionId,
    procedureId: procedure.id,
    formId: form.id,
    idempotencyKey,
    answers,
    facts: factsOf(form.definition, answers),
    lang,
    status: waitsForPayment ? "awaiting_payment" : "received",
    submittedAt: now,
    clockStartedOn: clock.clockStartedOn,
    maxDays: procedure.record.maxResolutionDays,
    silenceRule: procedure.record.silenceRule,
    deadline: clock.deadline,
  });
  if (id === null) throw draftGone();
  if (cost.type === "fixed") {
    const amountCentavos = Math.round(cost.amountMxn * 100);
    const expiresOn = addBusinessDays(today, PAYMENT_DAYS, closed);
    const ref = paymentReference({
      // Three digits in the reference; the application id alone already makes it unique.
      institutionCode: String(form.institutionId % 1000).padStart(3, "0"),
      folioNumber: id,
      amountCentavos,
      expiresOn,
    });
    await q.insertPayment(tx.db, { applicationId: id, ...ref, amountCentavos, expiresOn });
  }
  // Only the files the answers point at go with the application; the rest are dropped after commit.
  unusedFiles.push(...(await dropUnusedUploads(tx, draft.id, answers)));
  await q.moveDraftUploads(tx.db, draft.id, id);
  await q.deleteDraft(tx.db, draft.id);
  await q.addEvent(tx.db, {
    applicationId: id,
    at: now,
    actorId: viewer.userId,
    kind: "submitted",
    toStatus: waitsForPayment ? "awaiting_payment" : "received",
  });
  await enqueue(tx.db, notifyApplicant, { applicationId: id, event: "submitted" });
  // Both of these serialise submissions (per institution, and platform-wide for the audit chain), so
  // they come last: their locks are held only for the final statements and the commit.
  const folio = formatFolio(
    procedure.institutionAcronym,
    year,
    await q.nextFolioNumber(tx.db, form.institutionId, year),
  );
  await q.setFolio(tx.db, id, folio);
  await appendAudit(
    tx.db,
    { actorId: viewer.userId, action: "case.submit", subject: `case:${folio}`, detail: { formId: form.id } },
    now,
  );
  return id;
}

/** The person's own application, or 404. */
export async function myApplication(ctx: Ctx, viewer: Viewer, publicId: string): Promise<q.ApplicationRow> {
  const app = /^[0-9a-f-]{36}$/.test(publicId) ? await q.applicationByPublicId(ctx.db, publicId) : undefined;
  if (!app || app.userId !== viewer.userId)
    throw new DomainError("not_found", {
      es: "No encontramos ese trámite entre los tuyos.",
      en: "We could not find that application among yours.",
    });
  return app;
}

export async function myApplications(ctx: Ctx, viewer: Viewer) {
  const [applications, drafts] = await Promise.all([
    q.applicationsOfUser(ctx.db, viewer.userId),
    q.draftsOfUser(ctx.db, viewer.userId, ctx.clock()),
  ]);
  const today = mexicoDate(ctx.clock());
  const deadlines = new Map<number, DeadlineView>();
  const closedOf = new Map<number, Set<string>>();
  for (const a of applications) {
    if (!closedOf.has(a.institutionId)) closedOf.set(a.institutionId, await q.closedDays(ctx.db, a.institutionId));
    deadlines.set(a.id, deadlineView(a, today, closedOf.get(a.institutionId)!));
  }
  return { applications, drafts, deadlines };
}

/** Everything the person may see of their case: history, messages, documents, payment, what is expected next. */
export async function myCase(ctx: Ctx, viewer: Viewer, publicId: string) {
  const app = await myApplication(ctx, viewer, publicId);
  const [events, uploads, payment, request, resolution, form, closed] = await Promise.all([
    q.eventsOf(ctx.db, app.id, false),
    q.uploadsOfApplication(ctx.db, app.id, false),
    q.paymentOf(ctx.db, app.id),
    q.openInformationRequest(ctx.db, app.id),
    q.resolutionOf(ctx.db, app.id),
    formById(ctx, app.formId),
    q.closedDays(ctx.db, app.institutionId),
  ]);
  return { app, events, uploads, payment, request, resolution, definition: form!.definition, closed };
}

export const discardDraft = async (ctx: Ctx, viewer: Viewer, draftId: string) => {
  const { draft } = await draftOf(ctx, viewer, draftId);
  const files = await inTransaction(ctx, async (tx) => {
    await q.lockDraft(tx.db, draft.id);
    const keys = await dropUnusedUploads(tx, draft.id, {});
    await q.deleteDraft(tx.db, draft.id);
    return keys;
  });
  await deleteFiles(ctx, files);
};
