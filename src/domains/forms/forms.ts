/**
 * Online forms of procedures: staff build a draft version, preview it, put it live; a live
 * form keeps serving applications while its next version is drafted. Definitions can be
 * exported and imported as JSON (`ventanilla-form/1`).
 */
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { appendAudit } from "../../platform/audit.js";
import { inTransaction, type Ctx } from "../../platform/context.js";
import { DomainError, invalidFields } from "../../platform/errors.js";
import type { Viewer } from "../accounts/sessions.js";
import { getPublishedProcedure, type ProcedureRow } from "../catalogue/catalogue.js";
import { FORM_FORMAT, FormDefinition, type Page, type Question } from "./definition.js";
import { definitionProblems } from "./engine.js";
import { canBuildForms, canPublishForms } from "./policies.js";
import * as q from "./queries.js";

export type { FormRow } from "./queries.js";

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateShape = ajv.compile(FormDefinition);

const notFound = () =>
  new DomainError("not_found", {
    es: "No encontramos ese formulario entre los de tus instituciones.",
    en: "We could not find that form among your institutions' ones.",
  });
const forbidden = () =>
  new DomainError("forbidden", {
    es: "Tu rol no permite hacer esto en esta institución.",
    en: "Your role does not allow this in this institution.",
  });

/** The form people apply with now, if the procedure has one. */
export const liveForm = (ctx: Ctx, homoclave: string) => q.formOfProcedure(ctx.db, homoclave, "live");
export const formById = (ctx: Ctx, id: number) => q.formById(ctx.db, id);
export const formsOfInstitution = (ctx: Ctx, institution: string) => q.formsOfInstitution(ctx.db, institution);

/** Checks a definition (shape, then meaning); throws with every problem, by path. */
export function checkDefinition(value: unknown): FormDefinition {
  if (!validateShape(value)) {
    const issues: Record<string, { es: string; en: string }> = {};
    for (const e of (validateShape.errors ?? []).slice(0, 20)) {
      const path = e.instancePath.replace(/^\//, "").replaceAll("/", ".") || "definition";
      const text = `${path}: ${e.message ?? "is invalid"}`;
      issues[path] ??= { es: `La definición no es válida en ${text}`, en: `The definition is not valid at ${text}` };
    }
    throw invalidFields(issues);
  }
  const def = value as FormDefinition;
  const problems = definitionProblems(def);
  if (problems.length) throw invalidFields(Object.fromEntries(problems.map((p) => [p.path, { es: p.es, en: p.en }])));
  return def;
}

const text = (es: string, en: string) => ({ es, en });

/**
 * A first version built from the catalogue record: who is applying (filled from the account),
 * one upload per requirement that can be sent online, and the declaration.
 */
export function starterDefinition(procedure: ProcedureRow): FormDefinition {
  const applicant: Question[] = [
    {
      id: "nombre",
      type: "text",
      label: text("Nombre o nombres", "Given names"),
      prefill: "givenNames",
      maxLength: 120,
    },
    { id: "apellidos", type: "text", label: text("Apellidos", "Surnames"), prefill: "surnames", maxLength: 120 },
    { id: "curp", type: "curp", label: text("CURP", "CURP"), prefill: "curp" },
    { id: "correo", type: "email", label: text("Correo electrónico", "Email address"), prefill: "email" },
    { id: "telefono", type: "phone", label: text("Teléfono", "Phone number"), required: false, prefill: "phone" },
  ];
  const pages: Page[] = [{ id: "solicitante", title: text("Tus datos", "Your details"), questions: applicant }];
  const uploads = procedure.record.requirements.filter((r) => r.uploadable);
  if (uploads.length)
    pages.push({
      id: "documentos",
      title: text("Documentos", "Documents"),
      body: text(
        "Sube cada documento en PDF, JPG o PNG, de hasta 10 MB.",
        "Upload each document as a PDF, JPG or PNG file of up to 10 MB.",
      ),
      questions: uploads.slice(0, 30).map((r, i) => ({
        id: `documento_${i + 1}`,
        type: "file" as const,
        label: { es: r.name.es, ...(r.name.en ? { en: r.name.en } : {}) },
        file: { maxBytes: 10 * 1024 * 1024, kinds: ["pdf", "jpg", "png"] as ("pdf" | "jpg" | "png")[] },
      })),
    });
  return {
    format: FORM_FORMAT,
    pages,
    declaration: text(
      "Declaro bajo protesta de decir verdad que los datos y documentos que envío son ciertos.",
      "I declare, under oath, that the details and documents I am sending are true.",
    ),
  };
}

async function procedureOfInstitution(ctx: Ctx, viewer: Viewer, homoclave: string): Promise<ProcedureRow> {
  const procedure = await getPublishedProcedure(ctx, homoclave).catch(() => undefined);
  if (
    !procedure ||
    (!viewer.roles.some((r) => r.institution === procedure.institutionAcronym) && !viewer.isPlatformAdmin)
  )
    throw notFound();
  return procedure;
}

/** The draft version of a procedure's form, created from the live one (or a starter) when there is none. */
export async function openFormDraft(ctx: Ctx, viewer: Viewer, homoclave: string): Promise<q.FormRow> {
  const procedure = await procedureOfInstitution(ctx, viewer, homoclave);
  if (!canBuildForms(viewer, procedure.institutionAcronym)) throw forbidden();
  const created = await inTransaction(ctx, async (tx) => {
    const existing = await q.formOfProcedure(tx.db, homoclave, "draft");
    if (existing) return existing;
    const live = await q.formOfProcedure(tx.db, homoclave, "live");
    const id = await q.insertDraft(
      tx.db,
      procedure.id,
      live?.definition ?? starterDefinition(procedure),
      viewer.userId,
    );
    if (id === null) return null;
    await appendAudit(
      tx.db,
      { actorId: viewer.userId, action: "form.draft", subject: `procedure:${homoclave}`, detail: { formId: id } },
      tx.clock(),
    );
    return (await q.formById(tx.db, id))!;
  });
  // Someone else created it a moment ago: that draft is the one to open.
  return created ?? (await q.formOfProcedure(ctx.db, homoclave, "draft"))!;
}

/** A form the viewer may build: their institution's, or 404. */
export async function formForStaff(ctx: Ctx, viewer: Viewer, formId: number): Promise<q.FormRow> {
  const form = await q.formById(ctx.db, formId);
  if (!form || (!viewer.roles.some((r) => r.institution === form.institution) && !viewer.isPlatformAdmin))
    throw notFound();
  if (!canBuildForms(viewer, form.institution)) throw forbidden();
  return form;
}

async function draftForStaff(ctx: Ctx, viewer: Viewer, formId: number): Promise<q.FormRow> {
  const form = await formForStaff(ctx, viewer, formId);
  if (form.state !== "draft")
    throw new DomainError("conflict", {
      es: "Esta versión ya no es un borrador; abre el borrador del formulario para cambiarlo.",
      en: "This version is no longer a draft; open the form's draft to change it.",
    });
  return form;
}

/** Replaces the draft's definition after checking it whole. */
export async function saveFormDraft(ctx: Ctx, viewer: Viewer, formId: number, definition: unknown): Promise<void> {
  const def = checkDefinition(definition);
  await draftForStaff(ctx, viewer, formId);
  await q.updateDraft(ctx.db, formId, def);
}

/** Puts the draft live; the version people used until now is retired (applications keep theirs). */
export async function publishForm(ctx: Ctx, viewer: Viewer, formId: number): Promise<void> {
  const form = await draftForStaff(ctx, viewer, formId);
  if (!canPublishForms(viewer, form.institution)) throw forbidden();
  checkDefinition(form.definition);
  await inTransaction(ctx, async (tx) => {
    await q.retireLive(tx.db, form.procedureId);
    await q.makeLive(tx.db, form.id, viewer.userId, await q.latestProcedureVersion(tx.db, form.procedureId));
    await appendAudit(
      tx.db,
      {
        actorId: viewer.userId,
        action: "form.publish",
        subject: `procedure:${form.homoclave}`,
        detail: { formId, version: form.version },
      },
      tx.clock(),
    );
  });
}

/** Drops a draft nobody has started an application with. */
export async function discardFormDraft(ctx: Ctx, viewer: Viewer, formId: number): Promise<void> {
  await draftForStaff(ctx, viewer, formId);
  await q.deleteDraft(ctx.db, formId);
}

/** Imports a JSON definition into the procedure's draft (created if needed). */
export async function importFormDefinition(ctx: Ctx, viewer: Viewer, homoclave: string, json: string): Promise<number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw invalidFields({
      definition: { es: "El archivo no es JSON válido.", en: "The file is not valid JSON." },
    });
  }
  const def = checkDefinition(parsed);
  const draft = await openFormDraft(ctx, viewer, homoclave);
  await q.updateDraft(ctx.db, draft.id, def);
  return draft.id;
}

export const formVersions = (ctx: Ctx, homoclave: string) => q.formVersions(ctx.db, homoclave);

/** Puts a definition live for a procedure without a person behind it (demo content, imports by operators). */
export async function installForm(ctx: Ctx, homoclave: string, definition: FormDefinition): Promise<number> {
  const def = checkDefinition(definition);
  const procedure = await getPublishedProcedure(ctx, homoclave);
  return inTransaction(ctx, async (tx) => {
    const existing = await q.formOfProcedure(tx.db, homoclave, "draft");
    const id = existing?.id ?? (await q.insertDraft(tx.db, procedure.id, def, null));
    if (id === null)
      throw new DomainError("conflict", {
        es: "Alguien está creando otra versión de este formulario; inténtalo de nuevo.",
        en: "Someone is creating another version of this form; try again.",
      });
    await q.updateDraft(tx.db, id, def);
    await q.retireLive(tx.db, procedure.id);
    await q.makeLive(tx.db, id, null, await q.latestProcedureVersion(tx.db, procedure.id));
    await appendAudit(
      tx.db,
      { actorId: null, action: "form.install", subject: `procedure:${homoclave}`, detail: { formId: id } },
      tx.clock(),
    );
    return id;
  });
}
