/** The emails of the cases domain, in Spanish and English: what happened, and what to do next. */
import type { Mail } from "../../platform/mail.js";
import { formatDate, formatMoney } from "../../platform/views/i18n.js";
import type { ApplicationRow, InformationRequestRow, PaymentRow } from "./queries.js";

export type CaseEvent = "submitted" | "information_requested" | "resolved" | "deadline_soon" | "payment_received";

const caseUrl = (base: string, app: ApplicationRow) =>
  `${base.replace(/\/$/, "")}${app.lang === "en" ? "/en/account/applications" : "/cuenta/tramites"}/${app.publicId}`;

export function caseMail(
  base: string,
  app: ApplicationRow,
  event: CaseEvent,
  extra: { request?: InformationRequestRow | undefined; payment?: PaymentRow | undefined },
): Mail {
  const en = app.lang === "en";
  const name = (en && app.citizenName.en) || app.citizenName.es;
  const link = caseUrl(base, app);
  const deadline = app.deadline ? formatDate(app.deadline, app.lang) : null;
  const texts: Record<CaseEvent, [string, string]> = en
    ? {
        submitted: [
          `We received your application ${app.folio}`,
          `Your application “${name}” has the folio ${app.folio}.` +
            (extra.payment?.status === "pending"
              ? ` To go ahead, pay ${formatMoney(extra.payment.amountCentavos / 100, "en")} with the reference ${extra.payment.reference} before ${formatDate(extra.payment.expiresOn, "en")}.`
              : deadline
                ? ` The institution must answer by ${deadline}.`
                : ""),
        ],
        information_requested: [
          `${app.folio}: the institution needs more information`,
          `The institution asks: “${extra.request?.message ?? ""}”. Answer by ${extra.request ? formatDate(extra.request.respondBy, "en") : ""}. The legal time limit is paused until you answer.`,
        ],
        resolved: [
          `${app.folio}: your application has been resolved`,
          `The resolution of “${name}” is ready. You can read and download it online.`,
        ],
        deadline_soon: [
          `${app.folio}: the time limit is near`,
          `The institution must resolve your application by ${deadline ?? ""}.`,
        ],
        payment_received: [
          `${app.folio}: we received your payment`,
          `Your payment was received; the institution now reviews your application. It must answer by ${deadline ?? ""}.`,
        ],
      }
    : {
        submitted: [
          `Recibimos tu solicitud ${app.folio}`,
          `Tu solicitud «${name}» tiene el folio ${app.folio}.` +
            (extra.payment?.status === "pending"
              ? ` Para continuar, paga ${formatMoney(extra.payment.amountCentavos / 100, "es")} con la referencia ${extra.payment.reference} antes del ${formatDate(extra.payment.expiresOn, "es")}.`
              : deadline
                ? ` La institución debe responder a más tardar el ${deadline}.`
                : ""),
        ],
        information_requested: [
          `${app.folio}: la institución necesita más información`,
          `La institución te pide: «${extra.request?.message ?? ""}». Responde a más tardar el ${extra.request ? formatDate(extra.request.respondBy, "es") : ""}. El plazo legal queda en pausa hasta que respondas.`,
        ],
        resolved: [
          `${app.folio}: tu trámite ya tiene resolución`,
          `La resolución de «${name}» está lista. Puedes leerla y descargarla en línea.`,
        ],
        deadline_soon: [
          `${app.folio}: se acerca el plazo`,
          `La institución debe resolver tu trámite a más tardar el ${deadline ?? ""}.`,
        ],
        payment_received: [
          `${app.folio}: recibimos tu pago`,
          `Recibimos tu pago; la institución ya revisa tu solicitud. Debe responder a más tardar el ${deadline ?? ""}.`,
        ],
      };
  const [subject, body] = texts[event];
  return {
    to: app.applicantEmail,
    subject,
    body: `${body}\n\n${en ? "See your application" : "Consulta tu trámite"}: ${link}\n\n— Ventanilla`,
  };
}

/** To staff: a case of theirs is near its legal deadline. */
export function deadlineMail(base: string, app: ApplicationRow, to: { email: string; lang: "es" | "en" }): Mail {
  const en = to.lang === "en";
  const link = `${base.replace(/\/$/, "")}${en ? "/en/manage/cases" : "/gestion/expedientes"}/${app.publicId}`;
  const deadline = app.deadline ? formatDate(app.deadline, to.lang) : "";
  const ficta =
    app.silenceRule === "afirmativa_ficta"
      ? en
        ? "approved by afirmativa ficta"
        : "aprobado por afirmativa ficta"
      : app.silenceRule === "negativa_ficta"
        ? en
          ? "refused by negativa ficta"
          : "negado por negativa ficta"
        : null;
  return {
    to: to.email,
    subject: en ? `${app.folio} is due on ${deadline}` : `${app.folio} vence el ${deadline}`,
    body: en
      ? `The case ${app.folio} must be resolved by ${deadline}.${ficta ? ` If it is not, it counts as ${ficta}.` : ""}\n\n${link}`
      : `El expediente ${app.folio} debe resolverse a más tardar el ${deadline}.${ficta ? ` Si no, se considera ${ficta}.` : ""}\n\n${link}`,
  };
}
