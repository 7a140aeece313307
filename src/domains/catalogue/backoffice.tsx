/**
 * The back office of the catalogue (/gestion, /en/manage): staff with a second factor
 * draft, review, publish, compare, import and follow completeness. Every handler checks
 * the person's roles for the procedure's institution on the server (editorial.ts).
 */
import multipart from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Ctx } from "../../platform/context.js";
import { DomainError, STATUS_BY_CODE } from "../../platform/errors.js";
import { sendFormPage, sendPrivatePage } from "../../platform/http/pages.js";
import type { App } from "../../platform/http/server.js";
import { fieldErrors } from "../../platform/views/forms.js";
import type { Lang } from "../../platform/views/i18n.js";
import { staffOnly } from "../accounts/http.js";
import type { Viewer } from "../accounts/sessions.js";
import * as catalogue from "./catalogue.js";
import { recordsFromCsv } from "./csv.js";
import * as editorial from "./editorial.js";
import { backOfficeAlternate, backOfficePaths } from "./paths.js";
import { canEditProcedures, canReviewProcedures } from "./policies.js";
import { formToRecord, recordProblems, writingHelp, type DraftRecord } from "./procedure-form.js";
import { HOMOCLAVE_PATTERN } from "./schema.js";
import {
  CompletenessPage,
  ComparePage,
  DashboardPage,
  ImportPage,
  ReviewPage,
  VersionsPage,
} from "./views/backoffice.js";
import { EditorPage, type EditorProps } from "./views/editor.js";

const IMPORT_LIMIT = 20 * 1024 * 1024;
type Group = "requirements" | "steps" | "offices" | "phones" | "legalBasis";

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const text = (body: unknown, name: string, max = 5000): string => {
  const v = one(body && typeof body === "object" ? (body as Record<string, unknown>)[name] : undefined);
  return typeof v === "string" ? v.slice(0, max) : "";
};

function homoclaveParam(req: FastifyRequest): string {
  const h = String((req.params as { homoclave?: string }).homoclave ?? "").toUpperCase();
  if (!new RegExp(HOMOCLAVE_PATTERN).test(h)) {
    throw new DomainError("not_found", { es: "No existe ese trámite.", en: "That procedure does not exist." });
  }
  return h;
}

export async function backOfficePages(app: App, ctx: Ctx): Promise<void> {
  // File uploads (the import form) are read before the CSRF check, which finds _csrf among the fields.
  await app.register(multipart, { attachFieldsToBody: true, limits: { fileSize: IMPORT_LIMIT, files: 1, fields: 5 } });
  const lifeEvents = async (lang: Lang) =>
    (await catalogue.listLifeEvents(ctx)).map((e) => ({
      slug: e.slug,
      name: lang === "en" ? (e.name.en ?? e.name.es) : e.name.es,
    }));

  for (const lang of ["es", "en"] as const) {
    const b = backOfficePaths(lang);
    const alt = (req: FastifyRequest) => backOfficeAlternate(req.url, lang);
    const t = (es: string, en: string) => (lang === "en" ? en : es);

    const staff = (handler: Parameters<typeof staffOnly>[1]) => staffOnly(lang, handler);

    const editorProps = async (
      req: FastifyRequest,
      reply: FastifyReply,
      s: { isNew: boolean; institution: string; record: DraftRecord; draft: EditorProps["draft"]; choices?: string[] },
      extra: EditorProps["extra"] = {},
      errors: Record<string, string> = {},
      message?: string,
      notice?: string,
    ): Promise<EditorProps> => ({
      lang,
      alternateHref: alt(req),
      csrf: await reply.generateCsrf(),
      action: s.isNew ? b.newProcedure : b.procedure(s.record.homoclave ?? ""),
      isNew: s.isNew,
      institution: s.institution,
      ...(s.choices ? { institutionChoices: s.choices } : {}),
      record: s.record,
      draft: s.draft,
      lifeEvents: await lifeEvents(lang),
      extra,
      errors,
      message,
      help: writingHelp(s.record),
      missing: recordProblems(s.record).map((p) => ({ field: p.field, message: p.message[lang] })),
      notice,
    });

    app.get(
      b.home,
      { schema: { hide: true } },
      staff(async (req, reply, viewer) => {
        const items = await editorial.workList(ctx, viewer);
        return sendPrivatePage(
          reply,
          <DashboardPage lang={lang} alternateHref={alt(req)} viewer={viewer} items={items} />,
        );
      }),
    );

    // ------------------------------------------------------------ the editor
    const editable = (v: Viewer) => [
      ...new Set(v.roles.filter((r) => r.role === "editor" || r.role === "reviewer").map((r) => r.institution)),
    ];

    app.get(
      b.newProcedure,
      { schema: { hide: true } },
      staff(async (req, reply, viewer) => {
        const choices = editable(viewer);
        if (!choices.length)
          throw new DomainError("forbidden", { es: "Necesitas el rol de edición.", en: "You need the editor role." });
        const wanted = String(one((req.query as Record<string, unknown>).institucion) ?? "");
        const institution = choices.includes(wanted) ? wanted : choices[0]!;
        const props = await editorProps(req, reply, {
          isNew: true,
          institution,
          record: { institution },
          draft: null,
          choices,
        });
        return sendPrivatePage(reply, <EditorPage {...props} />);
      }),
    );

    /** Saves, submits, or adds a row to a group, for a new or an existing procedure. */
    const handleEditorPost = async (
      req: FastifyRequest,
      reply: FastifyReply,
      viewer: Viewer,
      homoclave: string | null,
    ) => {
      const action = text(req.body, "action", 40);
      let institution: string;
      let base: DraftRecord | undefined;
      let draft: EditorProps["draft"] = null;
      if (homoclave) {
        const state = await editorial.openForEditing(ctx, viewer, homoclave);
        institution = state.institution;
        base = state.record;
        draft = state.draft;
      } else {
        institution = text(req.body, "institution", 30);
        if (!canEditProcedures(viewer, institution)) {
          throw new DomainError("forbidden", {
            es: "No editas trámites de esa institución.",
            en: "You do not edit that institution's procedures.",
          });
        }
      }
      const record = formToRecord(req.body, {
        institution,
        homoclave: homoclave ?? undefined,
        popularity: base?.popularity,
        demo: base?.demo,
      });
      const choices = homoclave ? undefined : editable(viewer);
      const state = { isNew: !homoclave, institution, record, draft, ...(choices ? { choices } : {}) };
      const group = /^add-(requirements|steps|offices|phones|legalBasis)$/.exec(action)?.[1] as Group | undefined;
      if (group) {
        const props = await editorProps(req, reply, state, { [group]: 1 });
        return sendPrivatePage(reply, <EditorPage {...props} />);
      }
      try {
        const saved = await editorial.saveDraft(ctx, viewer, { homoclave, institution, record });
        if (action === "submit") await editorial.submitForReview(ctx, viewer, saved.homoclave);
        return reply.redirect(
          `${b.procedure(saved.homoclave)}?aviso=${action === "submit" ? "enviado" : "guardado"}`,
          303,
        );
      } catch (err) {
        if (!(err instanceof DomainError) || err.code === "not_found" || err.code === "forbidden") throw err;
        const props = await editorProps(req, reply, state, {}, fieldErrors(err.details, lang), err.messageIn(lang));
        return sendPrivatePage(reply, <EditorPage {...props} />, STATUS_BY_CODE[err.code]);
      }
    };

    app.post(
      b.newProcedure,
      { schema: { hide: true } },
      staff((req, reply, viewer) => handleEditorPost(req, reply, viewer, null)),
    );

    app.get(
      `${b.procedure(":homoclave")}`,
      { schema: { hide: true } },
      staff(async (req, reply, viewer) => {
        const state = await editorial.openForEditing(ctx, viewer, homoclaveParam(req));
        const notice = (() => {
          const a = one((req.query as Record<string, unknown>).aviso);
          if (a === "guardado") return t("Borrador guardado.", "Draft saved.");
          if (a === "enviado") return t("Enviado a revisión.", "Sent for review.");
          if (a === "publicado")
            return t(
              "Publicado: ya aparece en el portal y en la búsqueda.",
              "Published: it now shows on the portal and in search.",
            );
          return undefined;
        })();
        const props = await editorProps(
          req,
          reply,
          { isNew: false, institution: state.institution, record: state.record, draft: state.draft },
          {},
          {},
          undefined,
          notice,
        );
        return sendPrivatePage(reply, <EditorPage {...props} />);
      }),
    );
    app.post(
      `${b.procedure(":homoclave")}`,
      { schema: { hide: true } },
      staff((req, reply, viewer) => handleEditorPost(req, reply, viewer, homoclaveParam(req))),
    );

    // ------------------------------------------------------------ review
    const reviewPage = async (
      req: FastifyRequest,
      reply: FastifyReply,
      viewer: Viewer,
      homoclave: string,
      errors: Record<string, string> = {},
      message?: string,
      status = 200,
    ) => {
      const state = await editorial.openForEditing(ctx, viewer, homoclave);
      const published = await catalogue.getPublishedProcedure(ctx, homoclave).then(
        (p) => p.record,
        () => undefined,
      );
      const comparison = editorial.diffRecords(published ?? {}, state.draft?.record ?? state.record);
      return sendFormPage(
        reply,
        { lang, alternateHref: alt(req) },
        (c) => (
          <ReviewPage
            {...c}
            homoclave={homoclave}
            draft={state.draft}
            canReview={canReviewProcedures(viewer, state.institution)}
            comparison={comparison}
            help={writingHelp(state.record)}
            missing={recordProblems(state.record).map((p) => ({ field: p.field, message: p.message[lang] }))}
            published={state.published}
            errors={errors}
            message={message}
          />
        ),
        status,
      );
    };
    app.get(
      b.review(":homoclave"),
      { schema: { hide: true } },
      staff((req, reply, viewer) => reviewPage(req, reply, viewer, homoclaveParam(req))),
    );

    const reviewAction = (act: (viewer: Viewer, homoclave: string, body: unknown) => Promise<string>) =>
      staff(async (req, reply, viewer) => {
        const homoclave = homoclaveParam(req);
        try {
          return reply.redirect(await act(viewer, homoclave, req.body), 303);
        } catch (err) {
          if (!(err instanceof DomainError) || err.code === "not_found" || err.code === "forbidden") throw err;
          return reviewPage(
            req,
            reply,
            viewer,
            homoclave,
            fieldErrors(err.details, lang),
            err.messageIn(lang),
            STATUS_BY_CODE[err.code],
          );
        }
      });
    app.post(
      b.publish(":homoclave"),
      { schema: { hide: true } },
      reviewAction(async (viewer, h) => {
        await editorial.publish(ctx, viewer, h);
        return `${b.procedure(h)}?aviso=publicado`;
      }),
    );
    app.post(
      b.sendBack(":homoclave"),
      { schema: { hide: true } },
      reviewAction(async (viewer, h, body) => {
        await editorial.sendBack(ctx, viewer, h, text(body, "comment", 2100));
        return b.home;
      }),
    );
    app.post(
      b.retire(":homoclave"),
      { schema: { hide: true } },
      reviewAction(async (viewer, h, body) => {
        await editorial.retire(ctx, viewer, h, text(body, "comment", 2100));
        return b.versions(h);
      }),
    );

    // ------------------------------------------------------------ versions
    app.get(
      b.versions(":homoclave"),
      { schema: { hide: true } },
      staff(async (req, reply, viewer) => {
        const h = homoclaveParam(req);
        const versions = await editorial.versionHistory(ctx, viewer, h);
        return sendPrivatePage(
          reply,
          <VersionsPage lang={lang} alternateHref={alt(req)} homoclave={h} versions={versions} />,
        );
      }),
    );
    app.get(
      b.compare(":homoclave"),
      { schema: { hide: true } },
      staff(async (req, reply, viewer) => {
        const h = homoclaveParam(req);
        const query = req.query as Record<string, unknown>;
        const num = (v: unknown) =>
          typeof one(v) === "string" && /^\d{1,6}$/.test(one(v) as string) ? Number(one(v)) : NaN;
        const from = num(query.de);
        const to = num(query.a);
        if (!Number.isInteger(from) || !Number.isInteger(to)) {
          throw new DomainError("invalid", {
            es: "Elige dos versiones para comparar.",
            en: "Choose two versions to compare.",
          });
        }
        const comparison = await editorial.compareVersions(ctx, viewer, h, from, to);
        return sendPrivatePage(
          reply,
          <ComparePage lang={lang} alternateHref={alt(req)} homoclave={h} comparison={comparison} />,
        );
      }),
    );

    // ------------------------------------------------------------ completeness and import
    app.get(
      b.completeness(":acronym"),
      { schema: { hide: true } },
      staff(async (req, reply, viewer) => {
        const acronym = String((req.params as { acronym: string }).acronym);
        if (!/^[A-Z0-9][A-Z0-9&-]{1,19}$/.test(acronym))
          throw new DomainError("not_found", {
            es: "No existe esa institución.",
            en: "That institution does not exist.",
          });
        const c = await editorial.institutionCompleteness(ctx, viewer, acronym);
        return sendPrivatePage(reply, <CompletenessPage lang={lang} alternateHref={alt(req)} {...c} />);
      }),
    );

    const reviewerInstitutions = (v: Viewer) => [
      ...new Set(v.roles.filter((r) => r.role === "reviewer").map((r) => r.institution)),
    ];
    app.get(
      b.importFile,
      { schema: { hide: true } },
      staff(async (req, reply, viewer) => {
        if (!reviewerInstitutions(viewer).length) {
          throw new DomainError("forbidden", {
            es: "Importar es para el rol de revisión.",
            en: "Importing is for reviewers.",
          });
        }
        return sendFormPage(reply, { lang, alternateHref: alt(req) }, (c) => (
          <ImportPage {...c} institutions={reviewerInstitutions(viewer)} />
        ));
      }),
    );
    app.post(
      b.importFile,
      { schema: { hide: true } },
      staff(async (req, reply, viewer) => {
        const file = (req.body as Record<string, unknown> | undefined)?.file as
          | { toBuffer?: () => Promise<Buffer>; filename?: string; mimetype?: string; file?: { truncated?: boolean } }
          | undefined;
        const page = async (status: number, report?: catalogue.ImportReport, message?: string) =>
          sendFormPage(
            reply,
            { lang, alternateHref: alt(req) },
            (c) => (
              <ImportPage
                {...c}
                institutions={reviewerInstitutions(viewer)}
                report={report ? { ...report.procedures, errors: report.errors } : undefined}
                message={message}
              />
            ),
            status,
          );
        if (!file?.toBuffer || !file.filename)
          return page(400, undefined, t("Elige un archivo JSON o CSV.", "Choose a JSON or CSV file."));
        const content = await file.toBuffer();
        if (file.file?.truncated)
          return page(
            413,
            undefined,
            t("El archivo es demasiado grande (máximo 20 MB).", "The file is too large (20 MB at most)."),
          );
        let input: catalogue.ImportInput;
        try {
          input =
            /\.csv$/i.test(file.filename) || file.mimetype === "text/csv"
              ? { procedures: recordsFromCsv(content) }
              : catalogue.recordsFromJson(JSON.parse(content.toString("utf8")));
        } catch (err) {
          const m =
            err instanceof DomainError
              ? err.messageIn(lang)
              : t("El archivo no es un JSON válido.", "The file is not valid JSON.");
          return page(400, undefined, m);
        }
        const report = await editorial.importAsStaff(ctx, viewer, input);
        return page(report.written ? 200 : 422, report);
      }),
    );
  }
}
