/**
 * The form builder (/gestion/formularios, /en/manage/forms): staff build a procedure's online
 * form without code, preview it, export and import it as JSON, and put it live. Every change
 * goes through saveFormDraft, which checks the whole definition; a refused change shows the
 * problems next to the fields and keeps what was typed. Other institutions' forms answer 404.
 * The routes only read the request, call the use case and show a page or a status: the editor's
 * fields ↔ the definition are in builder-input.ts, the pages in views/.
 */
import multipart from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { VNode } from "preact";
import type { Ctx } from "../../platform/context.js";
import { DomainError } from "../../platform/errors.js";
import { sendFormPage, sendPrivatePage, type FormPageCommon } from "../../platform/http/pages.js";
import type { App } from "../../platform/http/server.js";
import { translator } from "../../platform/views/i18n.js";
import { staffOnly } from "../accounts/http.js";
import type { Viewer } from "../accounts/sessions.js";
import { getPublishedProcedure } from "../catalogue/catalogue.js";
import { backOfficeAlternate } from "../catalogue/paths.js";
import { HOMOCLAVE_PATTERN } from "../catalogue/schema.js";
import {
  asBody,
  declarationInput,
  draftFieldOfProblem,
  editPageInput,
  emptyPage,
  fieldOfProblem,
  issueProblems,
  movePage,
  one,
  pageFromInput,
  pageInput,
  readDeclaration,
  readPageInput,
  renameConditions,
  splitProblems,
  unknownAction,
  type PageInput,
  type Problems,
  type Values,
} from "./builder-input.js";
import { QUESTION_ID, type FormDefinition } from "./definition.js";
import * as forms from "./forms.js";
import { formOfficePaths } from "./paths.js";
import { canBuildForms, canPublishForms } from "./policies.js";
import { DraftPage, PageEditorPage } from "./views/builder.js";
import {
  ConfirmPage,
  FormPage,
  ImportPage,
  ListPage,
  noticeText,
  PreviewPage,
  type Confirmation,
} from "./views/office.js";

/** The largest definition accepted by import (file or pasted). */
export const IMPORT_LIMIT = 512 * 1024;
/** A page editor's post carries every question of the page; up to 30 with 200 options each. */
const EDITOR_BODY_LIMIT = 1024 * 1024;

const notFound = (es = "No encontramos ese formulario.", en = "We could not find that form.") =>
  new DomainError("not_found", { es, en });
const forbidden = () =>
  new DomainError("forbidden", {
    es: "Tu rol no permite construir formularios en esta institución.",
    en: "Your role does not allow building forms in this institution.",
  });
const isRefusal = (err: unknown): err is DomainError => err instanceof DomainError && err.code === "invalid";
const query = (req: FastifyRequest, name: string) => one(asBody(req.query), name);

function homoclaveParam(req: FastifyRequest): string {
  const h = String((req.params as { homoclave?: string }).homoclave ?? "").toUpperCase();
  if (!new RegExp(HOMOCLAVE_PATTERN).test(h))
    throw notFound("No existe ese trámite.", "That procedure does not exist.");
  return h;
}

function pageIndex(def: FormDefinition, req: FastifyRequest): number {
  const id = String((req.params as { pageId?: string }).pageId ?? "");
  const index = new RegExp(QUESTION_ID).test(id) ? def.pages.findIndex((p) => p.id === id) : -1;
  if (index < 0)
    throw notFound("Esta versión del formulario no tiene esa página.", "This version of the form has no such page.");
  return index;
}

export async function formBuilder(app: App, ctx: Ctx): Promise<void> {
  // Imports are read before the CSRF check, which finds _csrf among the multipart fields.
  await app.register(multipart, {
    attachFieldsToBody: true,
    limits: { fileSize: IMPORT_LIMIT, files: 1, fields: 5, fieldSize: IMPORT_LIMIT + 1024, parts: 6 },
  });

  /** The procedure's forms, if the viewer builds forms for its institution: 404 for other institutions, 403 for other roles. */
  async function access(viewer: Viewer, req: FastifyRequest) {
    const homoclave = homoclaveParam(req);
    const procedure = await getPublishedProcedure(ctx, homoclave).catch(() => undefined);
    const institution = procedure?.institutionAcronym ?? "";
    if (!procedure || !(viewer.isPlatformAdmin || viewer.roles.some((r) => r.institution === institution)))
      throw notFound(
        "No encontramos ese trámite entre los de tus instituciones.",
        "We could not find that procedure among your institutions' ones.",
      );
    if (!canBuildForms(viewer, institution)) throw forbidden();
    const versions = await forms.formVersions(ctx, homoclave);
    const load = (row: { id: number } | undefined) => (row ? forms.formForStaff(ctx, viewer, row.id) : undefined);
    const draft = () => load(versions.find((v) => v.state === "draft"));
    return {
      homoclave,
      name: procedure.citizenName,
      versions,
      canPublish: canPublishForms(viewer, institution),
      draft,
      live: () => load(versions.find((v) => v.state === "live")),
      version: (n: number) => load(versions.find((v) => v.version === n)),
      /** The draft, or 404 when there is none. */
      mustDraft: async () => {
        const form = await draft();
        if (form) return form;
        throw notFound(
          "Este formulario no tiene borrador: créalo desde la página del formulario.",
          "This form has no draft: create one from the form's page.",
        );
      },
    };
  }
  type Access = Awaited<ReturnType<typeof access>>;
  /** The version a preview or an export shows: `?version=N`, else the draft, else the live one. */
  const shown = async (a: Access, req: FastifyRequest) => {
    const wanted = query(req, "version");
    if (wanted && !/^\d{1,6}$/.test(wanted)) throw notFound("No existe esa versión.", "That version does not exist.");
    const form = wanted ? await a.version(Number(wanted)) : ((await a.draft()) ?? (await a.live()));
    if (!form) throw notFound("Este trámite todavía no tiene formulario.", "This procedure has no form yet.");
    return form;
  };

  for (const lang of ["es", "en"] as const) {
    const f = formOfficePaths(lang);
    const t = translator(lang);
    const H = ":homoclave";
    type Handler = (req: FastifyRequest, reply: FastifyReply, viewer: Viewer, a: Access) => Promise<unknown>;
    /** A staff route about one procedure's form, its access checked first (so 404 comes before any 400). */
    const route = (method: "GET" | "POST", url: string, handler: Handler, bodyLimit?: number) =>
      app.route({
        method,
        url,
        schema: { hide: true },
        ...(bodyLimit ? { bodyLimit } : {}),
        handler: staffOnly(lang, async (req, reply, viewer) => handler(req, reply, viewer, await access(viewer, req))),
      });
    const show = (req: FastifyRequest, reply: FastifyReply, page: (c: FormPageCommon) => VNode, status = 200) =>
      sendFormPage(reply, { lang, alternateHref: backOfficeAlternate(req.url, lang) }, page, status);
    const messages = (err: DomainError) => err.details.map((d) => d.localized?.[lang] ?? d.message);
    /** What the form's pages say about it: the procedure, what the viewer may do, and the notice asked for. */
    const about = (req: FastifyRequest, a: Access) => ({
      homoclave: a.homoclave,
      procedureName: t(a.name.es, a.name.en ?? a.name.es),
      canPublish: a.canPublish,
      notice: noticeText(query(req, "aviso"), lang),
    });
    const confirm = (req: FastifyRequest, reply: FastifyReply, a: Access, c: Confirmation, status = 200) =>
      show(req, reply, (common) => <ConfirmPage {...common} homoclave={a.homoclave} confirm={c} />, status);

    // ---------------------------------------------------------------- the institution's forms, one form
    app.get(
      f.list,
      { schema: { hide: true } },
      staffOnly(lang, async (req, reply, viewer) => {
        const mine = [...new Set(viewer.roles.map((r) => r.institution))].filter((i) => canBuildForms(viewer, i));
        const wanted = query(req, "institucion").toUpperCase();
        const ok = /^[A-Z0-9][A-Z0-9&-]{1,19}$/.test(wanted) && (mine.includes(wanted) || viewer.isPlatformAdmin);
        const institution = ok ? wanted : mine[0];
        if (!institution) throw forbidden();
        const items = await forms.formsOfInstitution(ctx, institution);
        return show(req, reply, (c) => <ListPage {...c} institution={institution} institutions={mine} items={items} />);
      }),
    );
    route("GET", f.form(H), async (req, reply, _v, a) =>
      show(req, reply, (c) => <FormPage {...c} {...about(req, a)} versions={a.versions} />),
    );

    // ---------------------------------------------------------------- the draft's pages
    /** The draft's pages; a refused change shows its problems, and the declaration as typed. */
    const draftPage = (
      req: FastifyRequest,
      reply: FastifyReply,
      a: Access,
      form: forms.FormRow,
      extra: { problems?: Problems; declaration?: Values | undefined; status?: number } = {},
    ) =>
      show(
        req,
        reply,
        (c) => (
          <DraftPage
            {...c}
            {...about(req, a)}
            version={form.version}
            definition={form.definition}
            {...(extra.problems ?? { errors: {}, loose: [] })}
            declaration={extra.declaration ?? declarationInput(form.definition)}
          />
        ),
        extra.status,
      );
    route("GET", f.draft(H), async (req, reply, _v, a) => {
      const draft = await a.draft();
      return draft ? draftPage(req, reply, a, draft) : reply.redirect(f.form(a.homoclave), 303);
    });

    /** Creates the draft, moves or deletes a page, or saves the declaration. */
    route("POST", f.draft(H), async (req, reply, viewer, a) => {
      const body = asBody(req.body);
      const action = one(body, "action");
      if (action === "open") {
        await forms.openFormDraft(ctx, viewer, a.homoclave);
        return reply.redirect(`${f.draft(a.homoclave)}?aviso=creado`, 303);
      }
      const draft = await a.mustDraft();
      const def = structuredClone(draft.definition);
      const m = /^(page-up|page-down|page-delete|page-delete-confirm):([a-z][a-z0-9_]{0,39})$/.exec(action);
      let declaration: Values | undefined;
      if (m) {
        const index = def.pages.findIndex((p) => p.id === m[2]);
        const page = def.pages[index];
        if (!page) throw notFound("El borrador no tiene esa página.", "The draft has no such page.");
        if (m[1] === "page-delete") return confirm(req, reply, a, { kind: "delete-page", page });
        movePage(def, index, m[1] as "page-up" | "page-down" | "page-delete-confirm");
      } else if (action === "declaration") {
        const typed = readDeclaration(body);
        declaration = typed.values;
        if (Object.keys(typed.issues).length)
          return draftPage(req, reply, a, draft, {
            problems: issueProblems(typed.issues, lang),
            declaration,
            status: 400,
          });
        if (typed.declaration) def.declaration = typed.declaration;
        else delete def.declaration;
      } else throw unknownAction();
      try {
        await forms.saveFormDraft(ctx, viewer, draft.id, def);
        return reply.redirect(`${f.draft(a.homoclave)}?aviso=guardado`, 303);
      } catch (err) {
        if (!isRefusal(err)) throw err;
        const problems = splitProblems(err.details, lang, (path) => draftFieldOfProblem(path, def, draft.definition));
        const message = err.messageIn(lang);
        return draftPage(req, reply, a, draft, { problems: { ...problems, message }, declaration, status: 400 });
      }
    });

    // ---------------------------------------------------------------- the page editor
    const editorPage = (
      req: FastifyRequest,
      reply: FastifyReply,
      a: Access,
      def: FormDefinition,
      index: number,
      input: PageInput,
      extra: Partial<Problems> & { unsaved?: boolean; status?: number } = {},
    ) =>
      show(
        req,
        reply,
        (c) => (
          <PageEditorPage
            {...c}
            homoclave={a.homoclave}
            action={req.url.split("?")[0]!}
            definition={def}
            index={index}
            input={input}
            errors={extra.errors ?? {}}
            loose={extra.loose ?? []}
            message={extra.message}
            unsaved={extra.unsaved ?? false}
          />
        ),
        extra.status,
      );

    /** Saves the page, or only changes it on screen for the buttons that add, move or remove. */
    const editorPost =
      (isNew: boolean): Handler =>
      async (req, reply, viewer, a) => {
        const draft = await a.mustDraft();
        const def = structuredClone(draft.definition);
        const index = isNew ? def.pages.length : pageIndex(def, req);
        const body = asBody(req.body);
        const input = readPageInput(body);
        const edited = editPageInput(input, one(body, "action") || "save");
        if (edited === "full") {
          const message = t("Una página admite hasta 30 preguntas.", "A page takes 30 questions at most.");
          return editorPage(req, reply, a, def, index, input, { message, status: 400 });
        }
        if (edited === "edited") return editorPage(req, reply, a, def, index, input, { unsaved: true });
        const built = pageFromInput(input, def, index);
        if (Object.keys(built.issues).length)
          return editorPage(req, reply, a, def, index, input, { ...issueProblems(built.issues, lang), status: 400 });
        def.pages[index] = built.page;
        renameConditions(def, built.renames);
        try {
          await forms.saveFormDraft(ctx, viewer, draft.id, def);
        } catch (err) {
          if (!isRefusal(err)) throw err;
          const problems = splitProblems(err.details, lang, (path) => fieldOfProblem(path, index, built));
          return editorPage(req, reply, a, def, index, input, {
            ...problems,
            message: err.messageIn(lang),
            status: 400,
          });
        }
        return reply.redirect(`${f.draft(a.homoclave)}?aviso=guardado#page-${built.page.id}`, 303);
      };

    route("GET", f.addPage(H), async (req, reply, _v, a) => {
      const def = (await a.mustDraft()).definition;
      return editorPage(req, reply, a, def, def.pages.length, emptyPage());
    });
    route("POST", f.addPage(H), editorPost(true), EDITOR_BODY_LIMIT);
    route("GET", f.page(H, ":pageId"), async (req, reply, _v, a) => {
      const def = (await a.mustDraft()).definition;
      const index = pageIndex(def, req);
      return editorPage(req, reply, a, def, index, pageInput(def.pages[index]!));
    });
    route("POST", f.page(H, ":pageId"), editorPost(false), EDITOR_BODY_LIMIT);

    // ---------------------------------------------------------------- preview and export
    const previewHref = (a: Access, req: FastifyRequest) => {
      const version = query(req, "version");
      const suffix = /^\d{1,6}$/.test(version) ? `?version=${version}` : "";
      return (pageId: string) => `${f.preview(a.homoclave, pageId)}${suffix}`;
    };
    route("GET", f.previewStart(H), async (req, reply, _v, a) =>
      reply.redirect(previewHref(a, req)((await shown(a, req)).definition.pages[0]!.id), 303),
    );
    route("GET", f.preview(H, ":pageId"), async (req, reply, _v, a) => {
      const form = await shown(a, req);
      const page = form.definition.pages[pageIndex(form.definition, req)]!;
      return sendPrivatePage(
        reply,
        <PreviewPage
          lang={lang}
          alternateHref={backOfficeAlternate(req.url, lang)}
          homoclave={a.homoclave}
          version={form.version}
          definition={form.definition}
          page={page}
          href={previewHref(a, req)}
        />,
      );
    });
    route("GET", f.exportJson(H), async (req, reply, _v, a) => {
      const form = await shown(a, req);
      return reply
        .type("application/json; charset=utf-8")
        .header("cache-control", "no-store")
        .header("content-disposition", `attachment; filename="${a.homoclave}-v${form.version}.json"`)
        .send(`${JSON.stringify(form.definition, null, 2)}\n`);
    });

    // ---------------------------------------------------------------- import
    const importPage = (
      req: FastifyRequest,
      reply: FastifyReply,
      a: Access,
      extra: { text?: string; problems?: string[]; message?: string; status?: number } = {},
    ) =>
      show(
        req,
        reply,
        (c) => (
          <ImportPage
            {...c}
            homoclave={a.homoclave}
            text={extra.text ?? ""}
            problems={extra.problems ?? []}
            message={extra.message}
          />
        ),
        extra.status,
      );
    route("GET", f.importJson(H), async (req, reply, _v, a) => importPage(req, reply, a));
    route(
      "POST",
      f.importJson(H),
      async (req, reply, viewer, a) => {
        const body = asBody(req.body);
        const file = body.file as { toBuffer?: () => Promise<Buffer>; filename?: string } | undefined;
        const pasted = one(body, "definition");
        const content = file?.toBuffer && file.filename ? (await file.toBuffer()).toString("utf8") : pasted;
        if (!content.trim())
          return importPage(req, reply, a, {
            status: 400,
            message: t("Elige un archivo JSON o pega su contenido.", "Choose a JSON file or paste its content."),
          });
        if (Buffer.byteLength(content) > IMPORT_LIMIT)
          return importPage(req, reply, a, {
            status: 413,
            message: t(
              "La definición es demasiado grande (máximo 512 KB).",
              "The definition is too large (512 KB at most).",
            ),
          });
        try {
          await forms.importFormDefinition(ctx, viewer, a.homoclave, content);
        } catch (err) {
          if (!isRefusal(err)) throw err;
          const text = content === pasted ? pasted : "";
          return importPage(req, reply, a, {
            text,
            problems: messages(err),
            message: err.messageIn(lang),
            status: 400,
          });
        }
        return reply.redirect(`${f.draft(a.homoclave)}?aviso=importado`, 303);
      },
      IMPORT_LIMIT * 4,
    );

    // ---------------------------------------------------------------- publish and discard
    const publishPage = async (
      req: FastifyRequest,
      reply: FastifyReply,
      a: Access,
      refused: string[] = [],
      status = 200,
    ) => {
      if (!a.canPublish) throw forbidden();
      const draft = await a.mustDraft();
      const live = await a.live();
      let problems = refused;
      try {
        forms.checkDefinition(draft.definition);
      } catch (err) {
        if (!isRefusal(err)) throw err;
        problems = messages(err);
      }
      return confirm(req, reply, a, { kind: "publish", draft, live, problems }, status);
    };
    route("GET", f.publish(H), async (req, reply, _v, a) => publishPage(req, reply, a));
    route("POST", f.publish(H), async (req, reply, viewer, a) => {
      try {
        await forms.publishForm(ctx, viewer, (await a.mustDraft()).id);
      } catch (err) {
        if (!isRefusal(err)) throw err;
        return publishPage(req, reply, a, messages(err).length ? messages(err) : [err.messageIn(lang)], 400);
      }
      return reply.redirect(`${f.form(a.homoclave)}?aviso=publicado`, 303);
    });
    route("GET", f.discard(H), async (req, reply, _v, a) =>
      confirm(req, reply, a, { kind: "discard", version: (await a.mustDraft()).version }),
    );
    route("POST", f.discard(H), async (_req, reply, viewer, a) => {
      const draft = await a.mustDraft();
      await forms.discardFormDraft(ctx, viewer, draft.id);
      const kept = await forms.formById(ctx, draft.id);
      return reply.redirect(`${f.form(a.homoclave)}?aviso=${kept ? "conservado" : "descartado"}`, 303);
    });
  }
}
