/**
 * The person's rights over their data (ARCO: acceso, rectificación, cancelación,
 * oposición). Names and language are corrected directly; every request is recorded with
 * a folio and the date its answer is due: 20 business days, as the general law on
 * personal data held by public bodies sets (LGPDPPSO, art. 51). A platform admin (the
 * data protection officer) answers them.
 */
import { appendAudit } from "../../platform/audit.js";
import { inTransaction, type Ctx } from "../../platform/context.js";
import { DomainError, invalidFields } from "../../platform/errors.js";
import { queueMail } from "../../platform/mail.js";
import type { RequestMeta } from "./accounts.js";
import { addBusinessDays } from "../../platform/business-days.js";
import * as q from "./queries.js";
import type { Viewer } from "./sessions.js";
import { staffReady } from "./sessions.js";

export const ARCO_DAYS = 20;
const RIGHTS: q.ArcoRight[] = ["access", "rectification", "cancellation", "opposition"];
const NAME = /^[\p{L}\p{M}][\p{L}\p{M}' .-]{0,99}$/u;

export const canAnswerArco = (v: Viewer) => staffReady(v) && v.isPlatformAdmin;

/** Rectification the person can do alone: their names and the language we write to them in. */
export async function correctMyData(
  ctx: Ctx,
  viewer: Viewer,
  input: { givenNames: string; surnames: string; preferredLang: string },
  meta: RequestMeta,
): Promise<void> {
  const problems: Record<string, { es: string; en: string }> = {};
  if (!NAME.test(input.givenNames.trim()))
    problems.givenNames = { es: "Escribe tu nombre con letras.", en: "Enter your given name in letters." };
  if (!NAME.test(input.surnames.trim()))
    problems.surnames = { es: "Escribe tus apellidos con letras.", en: "Enter your surnames in letters." };
  if (!["es", "en"].includes(input.preferredLang))
    problems.preferredLang = { es: "Elige español o inglés.", en: "Choose Spanish or English." };
  if (Object.keys(problems).length) throw invalidFields(problems);
  await inTransaction(ctx, async (tx) => {
    await q.updateProfile(
      tx.db,
      viewer.userId,
      { givenNames: input.givenNames.trim(), surnames: input.surnames.trim(), preferredLang: input.preferredLang },
      tx.clock(),
    );
    await appendAudit(
      tx.db,
      { actorId: viewer.userId, action: "account.corrected", subject: `user:${viewer.userId}`, address: meta.address },
      tx.clock(),
    );
  });
}

export async function fileArcoRequest(
  ctx: Ctx,
  viewer: Viewer,
  input: { right: string; details: string },
  meta: RequestMeta,
): Promise<{ folio: string; dueOn: string }> {
  // The answer goes to the email: it must be the person's.
  if (!viewer.emailVerified) {
    throw new DomainError("forbidden", {
      es: "Primero confirma tu correo con el enlace que te enviamos: ahí te responderemos.",
      en: "First confirm your email with the link we sent you: that is where we will answer.",
    });
  }
  const problems: Record<string, { es: string; en: string }> = {};
  if (!RIGHTS.includes(input.right as q.ArcoRight))
    problems.right = { es: "Elige qué derecho quieres ejercer.", en: "Choose which right you want to exercise." };
  const details = input.details.trim();
  if (details.length < 10 || details.length > 4000) {
    problems.details = {
      es: "Explica tu solicitud en 10 a 4000 caracteres: qué datos y qué quieres que hagamos.",
      en: "Explain your request in 10 to 4000 characters: which data and what you want us to do.",
    };
  }
  if (Object.keys(problems).length) throw invalidFields(problems);
  const right = input.right as q.ArcoRight;
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock();
    const dueOn = addBusinessDays(now, ARCO_DAYS);
    const folio = await q.insertArcoRequest(tx.db, { userId: viewer.userId, right, details, receivedAt: now, dueOn });
    if (right === "cancellation") await q.markCancellationRequested(tx.db, viewer.userId, now);
    await appendAudit(
      tx.db,
      {
        actorId: viewer.userId,
        action: "arco.request",
        subject: `user:${viewer.userId}`,
        detail: { folio, right, dueOn },
        address: meta.address,
      },
      now,
    );
    const en = meta.lang === "en";
    await queueMail(tx.db, {
      to: viewer.email,
      subject: en ? `We received your data request ${folio}` : `Recibimos tu solicitud ${folio} sobre tus datos`,
      body: en
        ? `Your request ${folio} was received. We will answer by ${dueOn} at the latest (${ARCO_DAYS} business days).`
        : `Recibimos tu solicitud ${folio}. Te responderemos a más tardar el ${dueOn} (${ARCO_DAYS} días hábiles).`,
    });
    return { folio, dueOn };
  });
}

export function myArcoRequests(ctx: Ctx, viewer: Viewer): Promise<q.ArcoRow[]> {
  return q.arcoRequestsOf(ctx.db, viewer.userId);
}

const forbidden = () =>
  new DomainError("forbidden", {
    es: "Solo la persona responsable de datos personales atiende estas solicitudes.",
    en: "Only the data protection officer handles these requests.",
  });

export async function openArcoRequests(ctx: Ctx, officer: Viewer): Promise<q.ArcoRow[]> {
  if (!canAnswerArco(officer)) throw forbidden();
  return q.openArcoRequests(ctx.db);
}

export async function answerArcoRequest(
  ctx: Ctx,
  officer: Viewer,
  input: { id: number; status: string; answer: string },
  meta: RequestMeta,
): Promise<void> {
  if (!canAnswerArco(officer)) throw forbidden();
  const problems: Record<string, { es: string; en: string }> = {};
  if (!["granted", "partially_granted", "denied"].includes(input.status))
    problems.status = { es: "Elige la respuesta.", en: "Choose the answer." };
  const answer = input.answer.trim();
  if (answer.length < 10 || answer.length > 4000)
    problems.answer = {
      es: "Escribe la respuesta y su fundamento (10 a 4000 caracteres).",
      en: "Write the answer and its grounds (10 to 4000 characters).",
    };
  if (Object.keys(problems).length) throw invalidFields(problems);
  await inTransaction(ctx, async (tx) => {
    const request = await q.getArcoRequest(tx.db, input.id);
    if (!request)
      throw new DomainError("not_found", { es: "Esa solicitud no existe.", en: "That request does not exist." });
    if (
      !(await q.answerArcoRequest(tx.db, {
        id: input.id,
        status: input.status as q.ArcoStatus,
        answer,
        by: officer.userId,
        at: tx.clock(),
      }))
    ) {
      throw new DomainError("conflict", {
        es: "Esa solicitud ya tiene respuesta.",
        en: "That request has already been answered.",
      });
    }
    await appendAudit(
      tx.db,
      {
        actorId: officer.userId,
        action: "arco.answer",
        subject: `user:${request.userId}`,
        detail: { folio: request.folio, status: input.status },
        address: meta.address,
      },
      tx.clock(),
    );
    await queueMail(tx.db, {
      to: request.email,
      subject: `Respuesta a tu solicitud ${request.folio} / Answer to your request ${request.folio}`,
      body: `${answer}\n\n— Ventanilla`,
    });
  });
}
