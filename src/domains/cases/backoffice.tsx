/**
 * The institution's side of cases in the back office (/gestion/expedientes, /en/manage/cases):
 * the routes of the caseworker inbox, the case file with its actions (take, assign, review,
 * prevención, resolve, notes, internal documents), the bank reconciliation import and, in
 * development, the mail outbox. The routes read and check the input, call the use cases
 * (casework.ts, payments.ts) and choose the page and its status; the pages are in views/.
 */
import multipart, { type Multipart } from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import { mexicoDate } from "../../platform/business-days.js";
import type { Ctx } from "../../platform/context.js";
import { DomainError, STATUS_BY_CODE } from "../../platform/errors.js";
import { sendFormPage, sendPrivatePage } from "../../platform/http/pages.js";
import { checkStreamedCsrf, type App } from "../../platform/http/server.js";
import { fieldErrors, type FieldErrors } from "../../platform/views/forms.js";
import { translator, type Lang } from "../../platform/views/i18n.js";
import { staffOnly } from "../accounts/http.js";
import type { Viewer } from "../accounts/sessions.js";
import { backOfficeAlternate } from "../catalogue/paths.js";
import * as casework from "./casework.js";
import { listOutbox } from "./outbox.js";
import { caseOfficePaths } from "./paths.js";
import { importReconciliation, RECONCILIATION_MAX_BYTES, type ReconciliationReport } from "./payments.js";
import { canReconcilePayments, canSeeCases } from "./policies.js";
import { CASE_STATUSES } from "./states.js";
import { CasePage, isDone, type CaseForms, type Done } from "./views/case-file.js";
import {
  InboxPage,
  MAX_PAGE,
  PARAMS,
  paramName,
  type InboxFilter,
  type InboxResult,
  type Param,
} from "./views/inbox.js";
import { OUTBOX_SHOWN, OutboxPage } from "./views/outbox.js";
import { PaymentsPage, type LineProblem } from "./views/payments.js";

/** Internal documents: as large as addInternalDocument stores. */
const DOCUMENT_MAX_BYTES = 20 * 1024 * 1024;
/** Longest text field read from a post: a little over the use cases' 5,000, so they can say it is too long. */
const TEXT_READ_MAX = 6000;

// ------------------------------------------------------------------------------------------------
// Reading input

const field = (body: unknown, name: string, max: number): string => {
  const v = body && typeof body === "object" ? (body as Record<string, unknown>)[name] : undefined;
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === "string" ? s.slice(0, max) : "";
};

/** The institutions where the viewer may do something, in their roles' order; refused when there are none. */
function institutionsWhere(
  v: Viewer,
  may: (v: Viewer, institution: string) => boolean,
  refusal: { es: string; en: string },
): string[] {
  const list = [...new Set(v.roles.map((r) => r.institution).filter((institution) => may(v, institution)))];
  if (!list.length) throw new DomainError("forbidden", refusal);
  return list;
}

function queryValue(query: unknown, key: Param, lang: Lang): string {
  const raw = (query && typeof query === "object" ? query : {}) as Record<string, unknown>;
  const [es, en] = PARAMS[key];
  const v = lang === "en" ? (raw[en] ?? raw[es]) : (raw[es] ?? raw[en]);
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === "string" ? s : "";
}

const STATUS_FILTERS = ["open", ...CASE_STATUSES, "closed"] as const;
const DUE_FILTERS = ["soon", "overdue"] as const;
const ASSIGNMENT_FILTERS = ["mine", "unassigned"] as const;
const ACRONYM = /^[A-Z0-9][A-Z0-9&-]{1,19}$/;
const FOLIO = /^[A-Z0-9&-]{0,40}$/;

/** Reads the inbox's query by hand: every value is checked against what the form offers. */
function readInboxQuery(
  query: unknown,
  lang: Lang,
  institutions: string[],
): { filter: InboxFilter; errors: FieldErrors; unknownInstitution: boolean } {
  const t = translator(lang);
  const errors: FieldErrors = {};
  const get = (key: Param) => queryValue(query, key, lang).trim();
  const wanted = get("institution").toUpperCase();
  const unknownInstitution = wanted !== "" && (!ACRONYM.test(wanted) || !institutions.includes(wanted));
  const filter: InboxFilter = {
    institution: wanted && institutions.includes(wanted) ? wanted : institutions[0]!,
    status: "open",
    due: "",
    assignment: "",
    folio: "",
    page: 1,
  };
  /** A choice from a fixed list: kept when offered, an error under the parameter's name otherwise. */
  const choice = (key: "status" | "due" | "assignment", allowed: readonly string[], message: string) => {
    const value = get(key);
    if (allowed.includes(value)) filter[key] = value;
    else if (value !== "") errors[paramName(key, lang)] = message;
  };
  choice("status", STATUS_FILTERS, t("Elige un estado de la lista.", "Choose a status from the list."));
  choice(
    "due",
    DUE_FILTERS,
    t("Elige «vencen pronto», «vencidos» o «cualquier plazo».", "Choose “due soon”, “overdue” or “any deadline”."),
  );
  choice(
    "assignment",
    ASSIGNMENT_FILTERS,
    t("Elige «asignados a mí», «sin asignar» o «todos».", "Choose “assigned to me”, “unassigned” or “all”."),
  );
  const folio = get("folio").toUpperCase();
  if (FOLIO.test(folio)) filter.folio = folio;
  else
    errors.folio = t(
      "Escribe el folio como aparece en el acuse, por ejemplo SRE-2026-000123 (hasta 40 letras, números y guiones).",
      "Enter the folio as it appears on the receipt, for example SRE-2026-000123 (up to 40 letters, digits and hyphens).",
    );
  const page = get("page");
  if (/^\d{1,3}$/.test(page) && Number(page) >= 1 && Number(page) <= MAX_PAGE) filter.page = Number(page);
  else if (page !== "")
    errors.filtros = t(
      `El número de página debe ser un número entero del 1 al ${MAX_PAGE}.`,
      `The page number must be a whole number from 1 to ${MAX_PAGE}.`,
    );
  return { filter, errors, unknownInstitution };
}

// ------------------------------------------------------------------------------------------------
// Refusals and streamed forms

/** A refusal a form page shows itself (invalid, conflict, too large); 403 and 404 go to the error page. */
function refusal(err: unknown, lang: Lang) {
  if (!(err instanceof DomainError) || err.code === "forbidden" || err.code === "not_found") throw err;
  return { status: STATUS_BY_CODE[err.code], errors: fieldErrors(err.details, lang), message: err.messageIn(lang) };
}

const multipartCode = (err: unknown) => (err as { code?: unknown } | null)?.code;

const brokenForm = () =>
  new DomainError("invalid", {
    es: "El formulario llegó incompleto o dañado. Vuelve a elegir el archivo y envíalo de nuevo.",
    en: "The form arrived incomplete or damaged. Choose the file again and send it again.",
  });

/** A multipart parser's error: its own 4xx errors stay; a body it could not read (cut short, malformed) is a 400. */
function readError(err: unknown): unknown {
  if (err instanceof DomainError || typeof (err as { statusCode?: unknown } | null)?.statusCode === "number")
    return err;
  return brokenForm();
}

/**
 * A refusal sent before the whole upload was read: the connection closes after the response, so
 * the rest of the body is neither read nor mistaken for the next request.
 */
const closeAfter = (reply: FastifyReply) => reply.header("connection", "close");

/** The next part of a streamed form; a body that cannot be read closes the connection after the reply. */
const nextPart = (parts: AsyncIterableIterator<Multipart>, reply: FastifyReply) =>
  parts.next().catch((e: unknown) => {
    closeAfter(reply);
    return Promise.reject(readError(e));
  });

/**
 * Starts reading a streamed multipart form whose first field is _csrf, and checks the token
 * before any file part is read. Anything else first (a file, another field, nothing) is refused.
 */
async function openStreamedForm(
  app: App,
  req: FastifyRequest,
  reply: FastifyReply,
  limits: { fileSize: number },
): Promise<AsyncIterableIterator<Multipart>> {
  if (!req.isMultipart())
    throw new DomainError("invalid", {
      es: "Este formulario se envía con un archivo; vuelve a la página y envíalo desde ahí.",
      en: "This form is sent with a file; go back to the page and send it from there.",
    });
  try {
    const parts = req.parts({ limits: { ...limits, files: 1, fields: 3 } });
    const first = await nextPart(parts, reply);
    let token: unknown;
    if (!first.done) {
      if (first.value.type === "field" && first.value.fieldname === "_csrf") token = first.value.value;
      else if (first.value.type === "file") first.value.file.destroy();
    }
    await checkStreamedCsrf(app, req, reply, token);
    return parts;
  } catch (err) {
    closeAfter(reply);
    throw err;
  }
}

/** Reads what is left of a form after the file, so the request ends cleanly; limits hit now change nothing. */
async function drain(parts: AsyncIterableIterator<Multipart>): Promise<void> {
  try {
    for await (const part of parts) if (part.type === "file") part.file.resume();
  } catch {
    // The file was handled already; an over-long tail is simply dropped.
  }
}

// ------------------------------------------------------------------------------------------------
// Routes

export async function caseBackOffice(app: App, ctx: Ctx): Promise<void> {
  await app.register(async (scope) => {
    const office = scope as unknown as App;
    // Without attachFieldsToBody: routes read parts as a stream, the CSRF token first (config { csrf: "stream" }).
    // fileSize is one byte over the largest document, so storage (which refuses over 20 MB) always sees a
    // file that is too big instead of one busboy quietly cut at exactly 20 MB.
    await office.register(multipart, { limits: { fileSize: DOCUMENT_MAX_BYTES + 1, files: 1, fields: 3 } });
    for (const lang of ["es", "en"] as const) registerRoutes(office, ctx, lang);
  });
}

function registerRoutes(app: App, ctx: Ctx, lang: Lang): void {
  const t = translator(lang);
  const o = caseOfficePaths(lang);
  const alt = (req: FastifyRequest) => backOfficeAlternate(req.url, lang);
  const hidden = { schema: { hide: true } };
  const streamed = { schema: { hide: true }, config: { csrf: "stream" as const } };
  const idOf = (req: FastifyRequest) => String((req.params as { id?: unknown }).id ?? "");

  // ---------------------------------------------------------------- inbox
  app.get(
    o.inbox,
    hidden,
    staffOnly(lang, async (req, reply, viewer) => {
      const institutions = institutionsWhere(viewer, canSeeCases, {
        es: "Tu rol no incluye atender expedientes.",
        en: "Your role does not include working cases.",
      });
      const { filter, errors, unknownInstitution } = readInboxQuery(req.query, lang, institutions);
      if (unknownInstitution)
        throw new DomainError("not_found", {
          es: "No atiendes expedientes de esa institución.",
          en: "You do not work cases of that institution.",
        });
      const page = (result: InboxResult | undefined, status: number) =>
        sendPrivatePage(
          reply,
          <InboxPage
            lang={lang}
            alternateHref={alt(req)}
            institutions={institutions}
            filter={filter}
            errors={errors}
            result={result}
            showPayments={canReconcilePayments(viewer, filter.institution)}
            showOutbox={viewer.isPlatformAdmin && !ctx.config.MAIL_URL}
          />,
          status,
        );
      if (Object.keys(errors).length) return page(undefined, 400);
      const result = await casework.inboxOf(ctx, viewer, filter.institution, {
        status: filter.status,
        due: filter.due || undefined,
        mine: filter.assignment === "mine",
        unassigned: filter.assignment === "unassigned",
        folio: filter.folio || undefined,
        page: filter.page,
      });
      return page(result, 200);
    }),
  );

  // ---------------------------------------------------------------- the case file
  const casePage = async (req: FastifyRequest, reply: FastifyReply, viewer: Viewer, forms: CaseForms, status = 200) => {
    const file = await casework.caseFile(ctx, viewer, idOf(req));
    const today = mexicoDate(ctx.clock());
    return sendFormPage(
      reply,
      { lang, alternateHref: alt(req) },
      (c) => <CasePage {...c} viewer={viewer} file={file} today={today} forms={forms} />,
      status,
    );
  };
  /** The case page again with the reasons of a refusal and what was posted. */
  const refusedCase = (
    req: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    err: unknown,
    values: Record<string, string> = {},
  ) => {
    const r = refusal(err, lang);
    return casePage(req, reply, viewer, { values, errors: r.errors, message: r.message }, r.status);
  };
  /** After an action worked: back to the case, which shows a banner. */
  const backToCase = (reply: FastifyReply, id: string, done: Done) =>
    reply.redirect(`${o.case(id)}?${paramName("done", lang)}=${done}`, 303);

  app.get(
    o.case(":id"),
    hidden,
    staffOnly(lang, (req, reply, viewer) => {
      const done = queryValue(req.query, "done", lang);
      return casePage(req, reply, viewer, { values: {}, errors: {}, done: isDone(done) ? done : undefined });
    }),
  );

  /** A posted action: on success back to the case with a banner, on a refusal the case page with the reasons. */
  const action = (
    path: (id: string) => string,
    done: Done,
    read: (body: unknown) => Record<string, string>,
    run: (viewer: Viewer, id: string, values: Record<string, string>) => Promise<void>,
  ) =>
    app.post(
      path(":id"),
      hidden,
      staffOnly(lang, async (req, reply, viewer) => {
        const id = idOf(req);
        const values = read(req.body);
        try {
          await run(viewer, id, values);
        } catch (err) {
          return refusedCase(req, reply, viewer, err, values);
        }
        return backToCase(reply, id, done);
      }),
    );

  const none = () => ({});
  action(o.take, "take", none, (v, id) => casework.takeCase(ctx, v, id));
  action(
    o.assign,
    "assign",
    (body) => ({ assignee: field(body, "assignee", 20) }),
    (v, id, x) => casework.assignCase(ctx, v, id, x.assignee),
  );
  action(o.review, "review", none, (v, id) => casework.startReview(ctx, v, id));
  action(
    o.requestInformation,
    "request",
    (body) => ({ message: field(body, "message", TEXT_READ_MAX) }),
    (v, id, x) => casework.requestInformation(ctx, v, id, x.message),
  );
  action(
    o.resolve,
    "resolve",
    (body) => ({ outcome: field(body, "outcome", 20), reasons: field(body, "reasons", TEXT_READ_MAX) }),
    (v, id, x) => casework.resolveCase(ctx, v, id, { outcome: x.outcome, reasons: x.reasons }),
  );
  action(
    o.note,
    "note",
    (body) => ({ note: field(body, "note", TEXT_READ_MAX) }),
    (v, id, x) => casework.addNote(ctx, v, id, x.note),
  );

  // An internal document: streamed from the request into storage, never held whole in memory.
  app.post(
    o.document(":id"),
    streamed,
    staffOnly(lang, async (req, reply, viewer) => {
      const id = idOf(req);
      const parts = await openStreamedForm(app, req, reply, { fileSize: DOCUMENT_MAX_BYTES + 1 });
      const chooseFile = () =>
        casePage(
          req,
          reply,
          viewer,
          { values: {}, errors: { document: t("Elige un archivo PDF, JPG o PNG.", "Choose a PDF, JPG or PNG file.") } },
          400,
        );
      for (;;) {
        const next = await nextPart(parts, reply);
        if (next.done) return chooseFile();
        const part = next.value;
        if (part.type !== "file") continue;
        if (part.fieldname !== "document" || !part.filename) {
          part.file.resume();
          await drain(parts);
          return chooseFile();
        }
        // A body cut short shows up as an error of the file stream, wherever the use case was reading it.
        let streamFailed = false;
        part.file.on("error", () => (streamFailed = true));
        try {
          await casework.addInternalDocument(ctx, viewer, id, { name: part.filename, stream: part.file });
        } catch (err) {
          closeAfter(reply);
          const cutShort =
            !(err instanceof DomainError) && (streamFailed || part.file.errored !== null || req.raw.aborted);
          return refusedCase(req, reply, viewer, cutShort ? brokenForm() : err);
        }
        await drain(parts);
        return backToCase(reply, id, "document");
      }
    }),
  );

  // ---------------------------------------------------------------- payments
  const paymentInstitutions = (viewer: Viewer) =>
    institutionsWhere(viewer, canReconcilePayments, {
      es: "Conciliar pagos es para la coordinación de casos o la administración de la institución.",
      en: "Reconciling payments is for case managers or institution admins.",
    });
  const paymentsPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    institutions: string[],
    institution: string,
    extra: { report?: ReconciliationReport; fileError?: string; problems?: LineProblem[] } = {},
    status = 200,
  ) =>
    sendFormPage(
      reply,
      { lang, alternateHref: alt(req) },
      (c) => (
        <PaymentsPage
          {...c}
          institutions={institutions}
          institution={institution}
          report={extra.report}
          fileError={extra.fileError}
          problems={extra.problems ?? []}
        />
      ),
      status,
    );

  app.get(
    o.payments,
    hidden,
    staffOnly(lang, async (req, reply, viewer) => {
      const institutions = paymentInstitutions(viewer);
      const wanted = queryValue(req.query, "institution", lang).toUpperCase();
      return paymentsPage(req, reply, institutions, institutions.includes(wanted) ? wanted : institutions[0]!);
    }),
  );

  app.post(
    o.payments,
    streamed,
    staffOnly(lang, async (req, reply, viewer) => {
      const institutions = paymentInstitutions(viewer);
      const parts = await openStreamedForm(app, req, reply, { fileSize: RECONCILIATION_MAX_BYTES });
      let institution = institutions[0]!;
      let upload: { name: string; content: Buffer } | undefined;
      const refuse = (message: string, status: number, problems: LineProblem[] = []) =>
        paymentsPage(req, reply, institutions, institution, { fileError: message, problems }, status);
      try {
        for await (const part of parts) {
          if (part.type === "field") {
            if (part.fieldname === "institution" && typeof part.value === "string") {
              const wanted = part.value.toUpperCase();
              if (!institutions.includes(wanted))
                throw new DomainError("forbidden", {
                  es: "Tu rol no permite conciliar pagos de esa institución.",
                  en: "Your role does not allow reconciling that institution's payments.",
                });
              institution = wanted;
            }
          } else if (part.fieldname === "file" && part.filename && !upload) {
            upload = { name: part.filename, content: await part.toBuffer() };
          } else {
            part.file.resume();
          }
        }
      } catch (err) {
        closeAfter(reply);
        const code = multipartCode(err);
        if (code === "FST_REQ_FILE_TOO_LARGE" || code === "FST_FILES_LIMIT" || code === "FST_FIELDS_LIMIT")
          return refuse(
            code === "FST_REQ_FILE_TOO_LARGE"
              ? t(
                  "El archivo pesa más de 5 MB; divídelo en archivos más pequeños.",
                  "The file is larger than 5 MB; split it into smaller files.",
                )
              : t(
                  "Envía un solo archivo con el formulario de esta página.",
                  "Send a single file with this page's form.",
                ),
            413,
          );
        const read = readError(err);
        if (read instanceof DomainError && read.code === "invalid") return refuse(read.messageIn(lang), 400);
        throw read;
      }
      if (!upload || upload.content.length === 0)
        return refuse(t("Elige el archivo CSV del banco.", "Choose the bank's CSV file."), 400);
      let text: string;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(upload.content);
      } catch {
        return refuse(
          t(
            "El archivo no es texto en UTF-8; guárdalo como «CSV UTF-8» e inténtalo de nuevo.",
            "The file is not UTF-8 text; save it as “CSV UTF-8” and try again.",
          ),
          400,
        );
      }
      try {
        const report = await importReconciliation(ctx, viewer, institution, { name: upload.name, text });
        return paymentsPage(req, reply, institutions, institution, { report });
      } catch (err) {
        const r = refusal(err, lang);
        const problems =
          err instanceof DomainError
            ? err.details
                .filter((d) => d.line !== undefined)
                .map((d) => ({ line: d.line!, message: d.localized ? d.localized[lang] : d.message }))
            : [];
        return refuse(r.message, r.status, problems);
      }
    }),
  );

  // ---------------------------------------------------------------- the development outbox
  app.get(
    o.outbox,
    hidden,
    staffOnly(lang, async (req, reply, viewer) => {
      if (ctx.config.MAIL_URL)
        throw new DomainError("not_found", {
          es: "La página que buscas no existe.",
          en: "The page you are looking for does not exist.",
        });
      if (!viewer.isPlatformAdmin)
        throw new DomainError("forbidden", {
          es: "El correo saliente lo ve solo la administración de la plataforma.",
          en: "Only platform admins can see outgoing mail.",
        });
      const mails = await listOutbox(ctx.db, OUTBOX_SHOWN);
      return sendPrivatePage(reply, <OutboxPage lang={lang} alternateHref={alt(req)} mails={mails} />);
    }),
  );
}
