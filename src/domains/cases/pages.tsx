/**
 * The person's pages: apply online page by page (uploads streamed to storage), check and send,
 * follow the case, pay, answer information requests, download the receipt, payment slip and
 * resolution, and the public page that verifies a resolution. Spanish and English.
 */
import multipart, { type Multipart } from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import { randomBytes } from "node:crypto";
import { mexicoDate } from "../../platform/business-days.js";
import type { Ctx } from "../../platform/context.js";
import { DomainError, STATUS_BY_CODE } from "../../platform/errors.js";
import { sendFormPage, type FormPageCommon } from "../../platform/http/pages.js";
import { checkStreamedCsrf, type App } from "../../platform/http/server.js";
import { fieldErrors, type FieldErrors } from "../../platform/views/forms.js";
import { pick, type Lang } from "../../platform/views/i18n.js";
import { renderPage } from "../../platform/views/render.js";
import { signInRedirect } from "../accounts/http.js";
import type { Viewer } from "../accounts/sessions.js";
import { getPublishedProcedure } from "../catalogue/catalogue.js";
import { registerOnlineApplication } from "../catalogue/pages.js";
import { paths as cataloguePaths } from "../catalogue/paths.js";
import { isExit, missingAnswers, previousPageId, summaryRows, visiblePages } from "../forms/engine.js";
import { liveForm } from "../forms/forms.js";
import * as applications from "./applications.js";
import { answerInformation, caseDocument, verifyResolution, withdrawApplication } from "./casework.js";
import { deadlineView } from "./deadlines.js";
import { geography, storageOf } from "./files.js";
import { casePaths } from "./paths.js";
import { paymentSlipPdf, receiptPdf } from "./pdf.js";
import { allowedActions } from "./states.js";
import { CheckPage, ExitPage, QuestionPage, StartPage } from "./views/apply.js";
import { CasePage, MyApplicationsPage, VerifyPage } from "./views/my-cases.js";

/** The largest file any question may accept (definition.ts); each question's own limit is enforced while streaming. */
const MAX_FILE = 20 * 1024 * 1024;
const CODE = /^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/;

type Handler = (req: FastifyRequest, reply: FastifyReply, viewer: Viewer) => Promise<unknown>;

export async function casePages(app: App, ctx: Ctx): Promise<void> {
  // Uploads are streamed part by part (route config csrf: "stream" checks the token first).
  await app.register(multipart, {
    limits: { fileSize: MAX_FILE, files: 30, fields: 400, fieldSize: 12_000, parts: 430 },
  });

  registerOnlineApplication(async (homoclave, lang) =>
    (await liveForm(ctx, homoclave)) ? casePaths(lang).start(homoclave) : null,
  );

  for (const lang of ["es", "en"] as const) {
    const c = casePaths(lang);
    const other = casePaths(lang === "es" ? "en" : "es");
    const signedIn = (handler: Handler) => async (req: FastifyRequest, reply: FastifyReply) =>
      req.viewer ? handler(req, reply, req.viewer) : signInRedirect(req, reply, lang);
    const form = (
      reply: FastifyReply,
      alternateHref: string,
      page: (c: FormPageCommon) => preact.VNode,
      status = 200,
    ) => sendFormPage(reply, { lang, alternateHref }, page, status);
    const param = (req: FastifyRequest, name: string) => String((req.params as Record<string, string>)[name] ?? "");
    const messageOf = (e: DomainError) => e.messageIn(lang);

    // ------------------------------------------------------------ start

    app.get(
      c.start(":homoclave"),
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const homoclave = param(req, "homoclave");
        const procedure = await getPublishedProcedure(ctx, homoclave);
        const live = await liveForm(ctx, procedure.homoclave);
        if (!live)
          throw new DomainError("not_found", {
            es: "Este trámite todavía no se puede hacer en línea.",
            en: "This procedure cannot be done online yet.",
          });
        const { drafts } = await applications.myApplications(ctx, viewer);
        return form(reply, other.start(homoclave), (common) => (
          <StartPage
            {...common}
            procedure={procedure}
            hasDraft={drafts.some((d) => d.formId === live.id)}
            pageCount={live.definition.pages.filter((p) => !isExit(p)).length}
          />
        ));
      }),
    );

    app.post(
      c.start(":homoclave"),
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const homoclave = param(req, "homoclave");
        try {
          const started = await applications.beginApplication(ctx, viewer, homoclave);
          const target =
            started.resumed || !started.firstPageId
              ? c.draft(started.draftId)
              : c.page(started.draftId, started.firstPageId);
          return reply.redirect(target, 303);
        } catch (e) {
          if (!(e instanceof DomainError) || e.code !== "forbidden") throw e;
          const procedure = await getPublishedProcedure(ctx, homoclave);
          const live = await liveForm(ctx, homoclave);
          return form(
            reply,
            other.start(homoclave),
            (common) => (
              <StartPage
                {...common}
                procedure={procedure}
                hasDraft={false}
                pageCount={live?.definition.pages.length ?? 0}
                problem={messageOf(e)}
              />
            ),
            403,
          );
        }
      }),
    );

    // ------------------------------------------------------------ pages of a draft

    /** Carry on where the person left off: the first page with a required answer missing, or the check page. */
    app.get(
      c.draft(":draftId"),
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const view = await applications.draftOf(ctx, viewer, param(req, "draftId"));
        const def = view.form.definition;
        const missing = new Set(missingAnswers(def, view.draft.answers));
        const pages = visiblePages(def, view.draft.answers);
        const target = pages.find((p) => isExit(p) || p.questions.some((x) => missing.has(x.id)));
        return reply.redirect(target ? c.page(view.draft.publicId, target.id) : c.check(view.draft.publicId), 303);
      }),
    );

    const renderQuestionPage = async (
      reply: FastifyReply,
      view: applications.DraftView,
      pageId: string,
      input: Record<string, unknown> | undefined,
      errors: FieldErrors,
      status = 200,
    ) => {
      const def = view.form.definition;
      const page = applications.pageOf(def, view.draft.answers, pageId);
      const draftId = view.draft.publicId;
      const back = previousPageId(def, view.draft.answers, pageId);
      const alternate = other.page(draftId, pageId);
      if (isExit(page))
        return form(reply, alternate, (common) => (
          <ExitPage
            {...common}
            procedure={view.procedure}
            page={page}
            backHref={back ? c.page(draftId, back) : c.start(view.procedure.homoclave)}
            procedureHref={cataloguePaths(lang).procedure(view.procedure.homoclave)}
          />
        ));
      const states = (await geography(ctx)).states;
      return form(
        reply,
        alternate,
        (common) => (
          <QuestionPage
            {...common}
            draftId={draftId}
            procedure={view.procedure}
            page={page}
            answers={view.draft.answers}
            input={input}
            prefilled={view.draft.prefilled}
            errors={errors}
            backHref={back ? c.page(draftId, back) : c.start(view.procedure.homoclave)}
            states={states}
          />
        ),
        status,
      );
    };

    app.get(
      c.page(":draftId", ":pageId"),
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const view = await applications.draftOf(ctx, viewer, param(req, "draftId"));
        return renderQuestionPage(reply, view, param(req, "pageId"), undefined, {});
      }),
    );

    app.post(
      c.page(":draftId", ":pageId"),
      { schema: { hide: true }, config: { csrf: "stream" } },
      signedIn(async (req, reply, viewer) => {
        const draftId = param(req, "draftId");
        const pageId = param(req, "pageId");
        const { input, errors } = req.isMultipart()
          ? await readStreamedPage(app, ctx, req, reply, viewer, draftId, pageId)
          : await checkedBody(app, req, reply);
        let next: string | undefined;
        try {
          if (!Object.keys(errors).length) next = await applications.savePage(ctx, viewer, draftId, pageId, input);
        } catch (e) {
          if (!(e instanceof DomainError) || e.code !== "invalid") throw e;
          Object.assign(errors, fieldErrors(e.details, lang));
        }
        if (next === undefined) {
          const view = await applications.draftOf(ctx, viewer, draftId);
          // Show what the person typed, with the files already stored.
          return renderQuestionPage(reply, view, pageId, input, localize(errors, lang), 400);
        }
        if (one(input._later)) return reply.redirect(`${c.mine}?guardado=1`, 303);
        return reply.redirect(next === "check" ? c.check(draftId) : c.page(draftId, next), 303);
      }),
    );

    // ------------------------------------------------------------ check and send

    const renderCheck = async (
      reply: FastifyReply,
      view: applications.DraftView,
      errors: FieldErrors,
      message?: string,
      status = 200,
    ) => {
      const def = view.form.definition;
      const draftId = view.draft.publicId;
      const rows = summaryRows(def, view.draft.answers, lang, (pageId) => c.page(draftId, pageId));
      const missing = missingAnswers(def, view.draft.answers);
      const shownErrors: FieldErrors = { ...errors };
      for (const id of missing)
        shownErrors[id] ??=
          lang === "en" ? "Answer this question before sending" : "Responde esta pregunta antes de enviar";
      const back = previousPageId(def, view.draft.answers, "check");
      return form(
        reply,
        other.check(draftId),
        (common) => (
          <CheckPage
            {...common}
            draftId={draftId}
            procedure={view.procedure}
            rows={rows}
            declaration={def.declaration ? pick(def.declaration, lang) : undefined}
            errors={shownErrors}
            message={message}
            idempotencyKey={randomBytes(18).toString("base64url")}
            backHref={back ? c.page(draftId, back) : c.start(view.procedure.homoclave)}
          />
        ),
        status,
      );
    };

    app.get(
      c.check(":draftId"),
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const view = await applications.draftOf(ctx, viewer, param(req, "draftId"));
        return renderCheck(reply, view, {});
      }),
    );

    app.post(
      c.submit(":draftId"),
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const draftId = param(req, "draftId");
        const key = one((req.body as Record<string, unknown> | undefined)?.idempotencyKey) ?? "";
        try {
          const sent = await applications.submitApplication(ctx, viewer, draftId, key, lang);
          return reply.redirect(`${c.case(sent.publicId)}?enviado=1`, 303);
        } catch (e) {
          if (!(e instanceof DomainError) || (e.code !== "invalid" && e.code !== "conflict")) throw e;
          const view = await applications.draftOf(ctx, viewer, draftId);
          return renderCheck(reply, view, fieldErrors(e.details, lang), messageOf(e), STATUS_BY_CODE[e.code]);
        }
      }),
    );

    app.post(
      c.discard(":draftId"),
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        await applications.discardDraft(ctx, viewer, param(req, "draftId"));
        return reply.redirect(`${c.mine}?borrado=1`, 303);
      }),
    );

    // ------------------------------------------------------------ my applications

    app.get(
      c.mine,
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const { applications: sent, drafts, deadlines } = await applications.myApplications(ctx, viewer);
        const query = req.query as Record<string, unknown>;
        const notice = query.guardado
          ? lang === "en"
            ? "Your answers are saved. Come back here to carry on."
            : "Guardamos tus respuestas. Vuelve aquí para continuar."
          : query.borrado
            ? lang === "en"
              ? "The application was deleted."
              : "Borramos la solicitud."
            : undefined;
        return form(reply, other.mine, (common) => (
          <MyApplicationsPage {...common} applications={sent} drafts={drafts} deadlines={deadlines} notice={notice} />
        ));
      }),
    );

    const renderCase = async (
      req: FastifyRequest,
      reply: FastifyReply,
      viewer: Viewer,
      errors: FieldErrors = {},
      answer?: string,
      status = 200,
    ) => {
      const id = param(req, "id");
      const data = await applications.myCase(ctx, viewer, id);
      const rows = summaryRows(data.definition, data.app.answers, lang);
      return form(
        reply,
        other.case(id),
        (common) => (
          <CasePage
            {...common}
            app={data.app}
            deadline={deadlineView(data.app, mexicoDate(ctx.clock()), data.closed)}
            events={data.events}
            uploads={data.uploads}
            payment={data.payment}
            request={data.request}
            resolution={data.resolution}
            rows={rows}
            canWithdraw={allowedActions(data.app.status, "applicant").includes("withdraw")}
            justSent={Boolean((req.query as Record<string, unknown>).enviado)}
            errors={errors}
            answer={answer}
          />
        ),
        status,
      );
    };

    app.get(
      c.case(":id"),
      { schema: { hide: true } },
      signedIn((req, reply, viewer) => renderCase(req, reply, viewer)),
    );

    app.post(
      c.answer(":id"),
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const answer = one((req.body as Record<string, unknown> | undefined)?.answer);
        try {
          await answerInformation(ctx, viewer, param(req, "id"), answer);
        } catch (e) {
          if (!(e instanceof DomainError) || e.code !== "invalid") throw e;
          return renderCase(req, reply, viewer, fieldErrors(e.details, lang), answer?.slice(0, 5000), 400);
        }
        return reply.redirect(c.case(param(req, "id")), 303);
      }),
    );

    app.post(
      c.withdraw(":id"),
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        await withdrawApplication(ctx, viewer, param(req, "id"));
        return reply.redirect(c.case(param(req, "id")), 303);
      }),
    );

    // ------------------------------------------------------------ documents

    app.get(
      c.receiptPdf(":id"),
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const data = await applications.myCase(ctx, viewer, param(req, "id"));
        const a = data.app;
        const pdf = await receiptPdf({
          lang,
          folio: a.folio,
          procedureName: pick(a.citizenName as { es: string }, lang),
          institutionName: pick(a.institutionName as { es: string }, lang),
          submittedAt: new Date(a.submittedAt),
          deadline: a.deadline,
          silence:
            a.silenceRule === "afirmativa_ficta"
              ? "afirmativa"
              : a.silenceRule === "negativa_ficta"
                ? "negativa"
                : null,
          rows: summaryRows(data.definition, a.answers, lang).map((r) => ({ label: r.label, value: r.value })),
        });
        return sendPdf(reply, pdf, `${a.folio}-${lang === "en" ? "receipt" : "acuse"}.pdf`);
      }),
    );

    app.get(
      c.paymentPdf(":id"),
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const data = await applications.myCase(ctx, viewer, param(req, "id"));
        if (!data.payment)
          throw new DomainError("not_found", {
            es: "Este trámite no tiene pago.",
            en: "This application has no payment.",
          });
        const a = data.app;
        const pdf = await paymentSlipPdf({
          lang,
          reference: data.payment.reference,
          chain: data.payment.chain,
          amount: data.payment.amountCentavos / 100,
          concept: pick(a.citizenName as { es: string }, lang),
          institutionName: pick(a.institutionName as { es: string }, lang),
          expiresOn: data.payment.expiresOn,
          folio: a.folio,
        });
        return sendPdf(reply, pdf, `${a.folio}-${lang === "en" ? "payment" : "pago"}.pdf`);
      }),
    );

    app.get(
      c.resolutionPdf(":id"),
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const data = await applications.myCase(ctx, viewer, param(req, "id"));
        if (!data.resolution?.storageKey)
          throw new DomainError("not_found", {
            es: "La resolución todavía se está preparando; vuelve en unos minutos.",
            en: "The resolution is still being prepared; come back in a few minutes.",
          });
        const stream = await storageOf(ctx).get(data.resolution.storageKey);
        return sendPdf(reply, stream, `${data.app.folio}-${lang === "en" ? "resolution" : "resolucion"}.pdf`);
      }),
    );

    app.get(
      c.document(":uploadId"),
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const { upload, stream } = await caseDocument(ctx, viewer, param(req, "uploadId"));
        return reply
          .type(upload.contentType)
          .header("cache-control", "private, no-store")
          .header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(upload.name)}`)
          .send(stream);
      }),
    );

    // ------------------------------------------------------------ public verification

    const verify = async (req: FastifyRequest, reply: FastifyReply, raw: string, searched: boolean) => {
      const code = raw.trim().toUpperCase().slice(0, 40);
      const valid = CODE.test(code);
      const resolution = valid ? await verifyResolution(ctx, code) : undefined;
      const errors: FieldErrors =
        searched && !valid
          ? {
              codigo:
                lang === "en"
                  ? "Enter the code as it is printed: four groups of four letters and numbers, like ABCD-EFGH-JKLM-NPQR"
                  : "Escribe el código como aparece impreso: cuatro grupos de cuatro letras y números, como ABCD-EFGH-JKLM-NPQR",
            }
          : {};
      const alternate = searched && valid ? other.verifyCode(code) : other.verify;
      return reply
        .code(Object.keys(errors).length ? 400 : resolution || !searched ? 200 : 404)
        .type("text/html; charset=utf-8")
        .header("cache-control", "no-store")
        .send(
          renderPage(
            <VerifyPage
              lang={lang}
              alternateHref={alternate}
              code={code}
              resolution={resolution}
              searched={searched}
              errors={errors}
            />,
          ),
        );
    };
    const limited = { config: { rateLimit: { max: 30, timeWindow: "1 minute" } }, schema: { hide: true } };
    app.get(c.verify, limited, async (req, reply) => {
      const raw = one((req.query as Record<string, unknown>).codigo);
      return verify(req, reply, raw ?? "", raw !== undefined);
    });
    app.get(c.verifyCode(":code"), limited, async (req, reply) => verify(req, reply, param(req, "code"), true));
  }
}

function sendPdf(reply: FastifyReply, body: Buffer | NodeJS.ReadableStream, fileName: string) {
  return reply
    .type("application/pdf")
    .header("cache-control", "private, no-store")
    .header("content-disposition", `inline; filename="${fileName}"`)
    .send(body);
}

const one = (v: unknown): string | undefined => {
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === "string" ? s : undefined;
};

/** Field errors from use cases come in both languages; page-level ones are already in the page's. */
function localize(errors: Record<string, string | { es: string; en: string }>, lang: Lang): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, typeof v === "string" ? v : v[lang]]));
}

async function checkedBody(_app: App, req: FastifyRequest, reply: FastifyReply) {
  // Plain form posts of a streamed-CSRF route are checked here, like every other form.
  const body = (req.body ?? {}) as Record<string, unknown>;
  await checkStreamedCsrf(_app, req, reply, one(body._csrf));
  (req as unknown as { body: unknown }).body = body;
  return { input: body, errors: {} as Record<string, string | { es: string; en: string }> };
}

/**
 * Reads a multipart page: `_csrf` must come first; each file goes straight to storage as it
 * arrives (checked for size and type on the way); the other fields are collected as input.
 */
async function readStreamedPage(
  app: App,
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  viewer: Viewer,
  draftId: string,
  pageId: string,
) {
  const input: Record<string, unknown> = {};
  const errors: Record<string, { es: string; en: string }> = {};
  let first = true;
  for await (const part of req.parts() as AsyncIterableIterator<Multipart>) {
    if (first) {
      first = false;
      await checkStreamedCsrf(
        app,
        req,
        reply,
        part.type === "field" && part.fieldname === "_csrf" ? part.value : undefined,
      );
      if (part.type === "file") part.file.resume();
      continue;
    }
    if (part.type === "field") {
      const prev = input[part.fieldname];
      input[part.fieldname] = prev === undefined ? part.value : ([] as unknown[]).concat(prev, part.value);
      continue;
    }
    if (!part.filename) {
      part.file.resume();
      continue;
    }
    try {
      await applications.uploadFile(ctx, viewer, draftId, pageId, part.fieldname, {
        name: part.filename,
        stream: part.file,
      });
    } catch (e) {
      part.file.resume();
      if (!(e instanceof DomainError) || e.code !== "invalid") throw e;
      for (const d of e.details) errors[d.field] = d.localized ?? { es: d.message, en: d.message };
    }
    if (part.file.truncated)
      errors[part.fieldname] = { es: "El archivo pesa más de 20 MB.", en: "The file is larger than 20 MB." };
  }
  if (first) await checkStreamedCsrf(app, req, reply, undefined);
  return { input, errors };
}
