/** The cases domain's URLs, in Spanish and in English: applying, the person's cases, the institution's inbox. */
import { registerLanguagePairs } from "../../platform/views/alternate.js";
import type { Lang } from "../../platform/views/i18n.js";
import { registerBackOfficeSegments } from "../catalogue/paths.js";

export function casePaths(lang: Lang) {
  const en = lang === "en";
  const apply = en ? "/en/applications" : "/solicitudes";
  const mine = en ? "/en/account/applications" : "/cuenta/tramites";
  const draft = (id: string) => `${apply}/${id}`;
  const mineCase = (id: string) => `${mine}/${id}`;
  return {
    start: (homoclave: string) => `${apply}/${en ? "new" : "nueva"}/${homoclave}`,
    draft,
    page: (id: string, pageId: string) => `${draft(id)}/${en ? "page" : "pagina"}/${pageId}`,
    check: (id: string) => `${draft(id)}/${en ? "check" : "revisar"}`,
    submit: (id: string) => `${draft(id)}/${en ? "send" : "enviar"}`,
    discard: (id: string) => `${draft(id)}/${en ? "discard" : "descartar"}`,
    mine,
    case: mineCase,
    receiptPdf: (id: string) => `${mineCase(id)}/${en ? "receipt" : "acuse"}.pdf`,
    paymentPdf: (id: string) => `${mineCase(id)}/${en ? "payment-slip" : "hoja-de-pago"}.pdf`,
    resolutionPdf: (id: string) => `${mineCase(id)}/${en ? "resolution" : "resolucion"}.pdf`,
    answer: (id: string) => `${mineCase(id)}/${en ? "answer" : "responder"}`,
    withdraw: (id: string) => `${mineCase(id)}/${en ? "withdraw" : "retirar"}`,
    document: (uploadId: string) => `${en ? "/en/documents" : "/documentos"}/${uploadId}`,
    verify: en ? "/en/verify" : "/verificar",
    verifyCode: (code: string) => `${en ? "/en/verify" : "/verificar"}/${code}`,
  };
}

export function caseOfficePaths(lang: Lang) {
  const en = lang === "en";
  const base = en ? "/en/manage" : "/gestion";
  const inbox = `${base}/${en ? "cases" : "expedientes"}`;
  const one = (id: string) => `${inbox}/${id}`;
  return {
    inbox,
    case: one,
    take: (id: string) => `${one(id)}/${en ? "take" : "tomar"}`,
    assign: (id: string) => `${one(id)}/${en ? "assign" : "asignar"}`,
    review: (id: string) => `${one(id)}/${en ? "review" : "revision"}`,
    requestInformation: (id: string) => `${one(id)}/${en ? "request-information" : "prevenir"}`,
    resolve: (id: string) => `${one(id)}/${en ? "resolve" : "resolver"}`,
    note: (id: string) => `${one(id)}/${en ? "note" : "nota"}`,
    document: (id: string) => `${one(id)}/${en ? "document" : "documento"}`,
    payments: `${base}/${en ? "payments" : "pagos"}`,
    outbox: `${base}/${en ? "outbox" : "correo-saliente"}`,
  };
}

registerLanguagePairs([
  ["/solicitudes/nueva", "/en/applications/new"],
  ["/solicitudes", "/en/applications"],
  ["/cuenta/tramites", "/en/account/applications"],
  ["/documentos", "/en/documents"],
  ["/verificar", "/en/verify"],
]);
registerBackOfficeSegments([
  ["expedientes", "cases"],
  ["tomar", "take"],
  ["asignar", "assign"],
  ["prevenir", "request-information"],
  ["resolver", "resolve"],
  ["nota", "note"],
  ["documento", "document"],
  ["pagos", "payments"],
  ["correo-saliente", "outbox"],
]);
