/**
 * The catalogue's editorial workflow. Editors of an institution write drafts (new
 * procedures or changes to published ones); reviewers publish them, send them back with
 * a comment, or retire procedures. Publishing goes through the same validation and
 * upsert as an import, and every published version is kept and can be compared.
 */
import { diffLines } from "diff";
import { appendAudit } from "../../platform/audit.js";
import { inTransaction, type Ctx } from "../../platform/context.js";
import { DomainError, invalidFields } from "../../platform/errors.js";
import type { Viewer } from "../accounts/sessions.js";
import { importCatalogue, type ImportInput, type ImportReport } from "./catalogue.js";
import { canEditProcedures, canImportProcedures, canReviewProcedures, canSeeCompleteness } from "./policies.js";
import { completeness, draftProblems, recordProblems, type DraftRecord } from "./procedure-form.js";
import * as q from "./queries.js";
import { HOMOCLAVE_PATTERN, type ProcedureInput } from "./schema.js";

const notFound = () =>
  new DomainError("not_found", {
    es: "No encontramos ese trámite entre los de tus instituciones.",
    en: "We could not find that procedure among your institutions' ones.",
  });

const forbidden = () =>
  new DomainError("forbidden", {
    es: "Tu rol no permite hacer esto en esta institución.",
    en: "Your role does not allow this in this institution.",
  });

/** The institution a procedure belongs to (published or only drafted), or 404 when the viewer is not its staff. */
async function institutionOf(ctx: Ctx, viewer: Viewer, homoclave: string): Promise<{ id: number; acronym: string }> {
  const published = await q.procedureInstitution(ctx.db, homoclave);
  const draft = published ? undefined : await q.openDraft(ctx.db, homoclave);
  const inst = published ?? (draft ? { id: draft.institutionId, acronym: draft.institution } : undefined);
  // Someone else's drafts do not exist, as far as this viewer can tell.
  if (!inst || !viewer.roles.some((r) => r.institution === inst.acronym)) throw notFound();
  return inst;
}

export interface EditorState {
  homoclave: string;
  institution: string;
  record: DraftRecord;
  draft: q.VersionRow | null;
  published: boolean;
}

/** What the editor opens: the open draft, or the published record to start a new draft from. */
export async function openForEditing(ctx: Ctx, viewer: Viewer, homoclave: string): Promise<EditorState> {
  const inst = await institutionOf(ctx, viewer, homoclave);
  if (!canEditProcedures(viewer, inst.acronym) && !canReviewProcedures(viewer, inst.acronym)) throw forbidden();
  const draft = (await q.openDraft(ctx.db, homoclave)) ?? null;
  const current = await q.getProcedure(ctx.db, homoclave);
  const record = (draft?.record ?? current?.record) as DraftRecord | undefined;
  if (!record) throw notFound();
  return { homoclave, institution: inst.acronym, record, draft, published: current?.status === "published" };
}

/**
 * Saves a draft. Missing fields are allowed (they are listed before submission);
 * malformed or oversized ones are refused with a message per field.
 */
export async function saveDraft(
  ctx: Ctx,
  viewer: Viewer,
  input: { homoclave: string | null; institution: string; record: DraftRecord },
): Promise<{ homoclave: string }> {
  if (!canEditProcedures(viewer, input.institution)) throw forbidden();
  const record = { ...input.record, institution: input.institution };
  const problems = draftProblems(record);
  const homoclave = input.homoclave ?? record.homoclave ?? "";
  if (!input.homoclave && !new RegExp(HOMOCLAVE_PATTERN).test(homoclave)) {
    problems.unshift({
      field: "homoclave",
      message: {
        es: "Escribe la homoclave del trámite, con la forma SIGLAS-00-000 (por ejemplo SRE-02-001).",
        en: "Enter the procedure's key, like ACRONYM-00-000 (for example SRE-02-001).",
      },
    });
  }
  const slugs = record.lifeEvents ?? [];
  const known = await q.lifeEventIdsBySlug(ctx.db, slugs);
  if (slugs.some((s) => !known.has(s))) {
    problems.push({
      field: "lifeEvents",
      message: { es: "Elige momentos de vida de la lista.", en: "Choose life events from the list." },
    });
  }
  if (problems.length) throw invalidFields(Object.fromEntries(problems.map((p) => [p.field, p.message])));
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock();
    const draft = await q.openDraft(tx.db, homoclave);
    if (input.homoclave === null) {
      // A new procedure: the key must be free.
      if (draft || (await q.getProcedure(tx.db, homoclave))) {
        throw invalidFields({
          homoclave: {
            es: `Ya existe un trámite con la homoclave ${homoclave}.`,
            en: `A procedure with the key ${homoclave} already exists.`,
          },
        });
      }
      const inst = await q.institutionIdsByAcronym(tx.db, [input.institution]);
      await q.insertDraft(tx.db, {
        homoclave,
        institutionId: inst.get(input.institution)!,
        record: { ...record, homoclave },
        userId: viewer.userId,
        now,
      });
      return { homoclave };
    }
    const inst = await institutionOf(tx, viewer, homoclave);
    if (inst.acronym !== input.institution) throw notFound();
    if (draft?.state === "in_review") {
      throw new DomainError("conflict", {
        es: "Este trámite está en revisión: no se puede cambiar hasta que lo publiquen o lo devuelvan.",
        en: "This procedure is in review: it cannot change until it is published or sent back.",
      });
    }
    const next = { ...record, homoclave };
    if (draft) await q.updateDraft(tx.db, draft.id, { record: next, userId: viewer.userId, now });
    else await q.insertDraft(tx.db, { homoclave, institutionId: inst.id, record: next, userId: viewer.userId, now });
    return { homoclave };
  });
}

/** Sends the draft to the reviewers; refused, with every missing field listed, until it is complete. */
export async function submitForReview(ctx: Ctx, viewer: Viewer, homoclave: string): Promise<void> {
  const inst = await institutionOf(ctx, viewer, homoclave);
  if (!canEditProcedures(viewer, inst.acronym)) throw forbidden();
  await inTransaction(ctx, async (tx) => {
    const draft = await q.openDraft(tx.db, homoclave);
    if (!draft || draft.state === "in_review") {
      throw new DomainError("conflict", {
        es: "No hay un borrador por enviar a revisión.",
        en: "There is no draft to send for review.",
      });
    }
    const problems = recordProblems(draft.record as DraftRecord);
    if (problems.length) throw invalidFields(Object.fromEntries(problems.map((p) => [p.field, p.message])));
    await q.markSubmitted(tx.db, draft.id, viewer.userId, tx.clock());
  });
}

async function publishRecord(
  tx: Ctx,
  viewer: Viewer,
  inst: { id: number; acronym: string },
  record: ProcedureInput,
  draftId: number | undefined,
  comment: string | null,
): Promise<number> {
  const report = await importCatalogue(tx, { procedures: [{ value: record }] });
  if (!report.written) {
    throw new DomainError(
      "invalid",
      {
        es: "El trámite no pasó la validación del catálogo.",
        en: "The procedure did not pass the catalogue's validation.",
      },
      report.errors,
    );
  }
  const version = await q.nextVersion(tx.db, record.homoclave);
  await q.recordPublished(tx.db, {
    ...(draftId !== undefined ? { draftId } : {}),
    homoclave: record.homoclave,
    institutionId: inst.id,
    version,
    record,
    userId: viewer.userId,
    comment,
    now: tx.clock(),
  });
  await appendAudit(
    tx.db,
    {
      actorId: viewer.userId,
      action: record.status === "retired" ? "catalogue.retire" : "catalogue.publish",
      subject: `procedure:${record.homoclave}`,
      detail: { version },
    },
    tx.clock(),
  );
  return version;
}

/** Keeps the record as it was published before the first change through the workflow, as version 1. */
async function keepBaseline(
  tx: Ctx,
  homoclave: string,
  inst: { id: number },
  before?: { record: ProcedureInput; updatedAt: string } | undefined,
): Promise<void> {
  if ((await q.publishedVersions(tx.db, homoclave)).length) return;
  const current = before ?? (await q.getProcedure(tx.db, homoclave));
  if (!current) return;
  await q.recordPublished(tx.db, {
    homoclave,
    institutionId: inst.id,
    version: 1,
    record: current.record,
    userId: null,
    comment: null,
    now: new Date(Date.parse(current.updatedAt)),
  });
}

/** Today's date in Mexico City (the catalogue's dates are civil dates there, not UTC). */
const today = (ctx: Ctx) =>
  new Intl.DateTimeFormat("en-CA", {
    timeZone: "America/Mexico_City",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(ctx.clock());

/** Publishes the draft under review. The public page then says it was reviewed today. */
export async function publish(ctx: Ctx, viewer: Viewer, homoclave: string): Promise<{ version: number }> {
  const inst = await institutionOf(ctx, viewer, homoclave);
  if (!canReviewProcedures(viewer, inst.acronym)) throw forbidden();
  return inTransaction(ctx, async (tx) => {
    const draft = await q.openDraft(tx.db, homoclave);
    if (draft?.state !== "in_review") {
      throw new DomainError("conflict", {
        es: "Solo se publica un borrador que está en revisión.",
        en: "Only a draft that is in review can be published.",
      });
    }
    const problems = recordProblems(draft.record as DraftRecord);
    if (problems.length) throw invalidFields(Object.fromEntries(problems.map((p) => [p.field, p.message])));
    await keepBaseline(tx, homoclave, inst);
    const record = { ...draft.record, status: "published" as const, lastReviewed: today(tx) };
    return { version: await publishRecord(tx, viewer, inst, record, draft.id, null) };
  });
}

function checkComment(comment: string): string {
  const c = comment.trim();
  if (c.length < 3 || c.length > 2000) {
    throw invalidFields({
      comment: {
        es: "Escribe un comentario que explique qué cambiar (de 3 a 2000 caracteres).",
        en: "Write a comment that explains what to change (3 to 2000 characters).",
      },
    });
  }
  return c;
}

export async function sendBack(ctx: Ctx, viewer: Viewer, homoclave: string, comment: string): Promise<void> {
  const inst = await institutionOf(ctx, viewer, homoclave);
  if (!canReviewProcedures(viewer, inst.acronym)) throw forbidden();
  const text = checkComment(comment);
  await inTransaction(ctx, async (tx) => {
    const draft = await q.openDraft(tx.db, homoclave);
    if (draft?.state !== "in_review") {
      throw new DomainError("conflict", {
        es: "Ese borrador no está en revisión.",
        en: "That draft is not in review.",
      });
    }
    await q.markSentBack(tx.db, draft.id, viewer.userId, text, tx.clock());
  });
}

/** Takes a published procedure off the public catalogue; its history stays. */
export async function retire(ctx: Ctx, viewer: Viewer, homoclave: string, comment: string): Promise<void> {
  const inst = await institutionOf(ctx, viewer, homoclave);
  if (!canReviewProcedures(viewer, inst.acronym)) throw forbidden();
  const text = checkComment(comment);
  await inTransaction(ctx, async (tx) => {
    const current = await q.getProcedure(tx.db, homoclave);
    if (current?.status !== "published") {
      throw new DomainError("conflict", {
        es: "Solo se retira un trámite publicado.",
        en: "Only a published procedure can be retired.",
      });
    }
    await keepBaseline(tx, homoclave, inst);
    const draft = await q.openDraft(tx.db, homoclave);
    if (draft) await q.markDiscarded(tx.db, draft.id, viewer.userId, tx.clock());
    await publishRecord(
      tx,
      viewer,
      inst,
      { ...current.record, status: "retired", lastReviewed: today(tx) },
      undefined,
      text,
    );
  });
}

export async function versionHistory(ctx: Ctx, viewer: Viewer, homoclave: string): Promise<q.VersionRow[]> {
  const inst = await institutionOf(ctx, viewer, homoclave);
  if (!canEditProcedures(viewer, inst.acronym)) throw forbidden();
  return q.publishedVersions(ctx.db, homoclave);
}

/** A readable, line-per-fact text of a record, for comparing versions. */
export function recordText(r: Partial<ProcedureInput>): string {
  const lines: string[] = [];
  const add = (label: string, value: string | number | null | undefined) => {
    if (value !== undefined && value !== null && value !== "") lines.push(`${label}: ${value}`);
  };
  add("Estado", r.status);
  add("Nombre ciudadano", r.citizenName?.es);
  add("Nombre ciudadano (en)", r.citizenName?.en);
  add("Nombre oficial", r.officialName?.es);
  add("Tipo", r.kind);
  add("Quién lo pide", r.audience?.join(", "));
  add("Descripción", r.description?.es);
  add("Descripción (en)", r.description?.en);
  add("Cuándo aplica", r.whenApplies?.es);
  add("Resultado", r.result?.es);
  for (const [i, req] of (r.requirements ?? []).entries()) {
    add(
      `Requisito ${i + 1}`,
      `${req.name.es}${req.original ? " (original)" : ""}${req.copies ? `, ${req.copies} copias` : ""}${req.uploadable ? ", se puede subir" : ""}`,
    );
  }
  for (const [i, s] of (r.steps ?? []).entries()) add(`Paso ${i + 1}`, s.es);
  if (r.cost) {
    add(
      "Costo",
      r.cost.type === "free"
        ? "gratuito"
        : r.cost.type === "fixed"
          ? `$${r.cost.amountMxn} MXN`
          : r.cost.description.es,
    );
  }
  add("Plazo máximo (días hábiles)", r.maxResolutionDays ?? undefined);
  add("Silencio", r.silenceRule);
  add("Identidad requerida en línea", r.requiredAssurance);
  add("Vigencia", r.validity?.es);
  add("En línea", r.channels?.online?.url);
  for (const o of r.channels?.inPerson ?? []) add("Oficina", `${o.name}, ${o.address}, ${o.hours}`);
  for (const p of r.channels?.phone ?? []) add("Teléfono", `${p.number}${p.hours ? `, ${p.hours}` : ""}`);
  for (const l of r.legalBasis ?? []) add("Fundamento", `${l.law}, ${l.article}`);
  add("Momentos de vida", r.lifeEvents?.join(", "));
  add("Palabras clave", r.keywords?.es.join(", "));
  add("Última revisión", r.lastReviewed);
  return `${lines.join("\n")}\n`;
}

export interface Comparison {
  from: q.VersionRow;
  to: q.VersionRow;
  parts: { value: string; added: boolean; removed: boolean }[];
}

export async function compareVersions(
  ctx: Ctx,
  viewer: Viewer,
  homoclave: string,
  from: number,
  to: number,
): Promise<Comparison> {
  const versions = await versionHistory(ctx, viewer, homoclave);
  const a = versions.find((v) => v.version === from);
  const b = versions.find((v) => v.version === to);
  if (!a || !b) {
    throw new DomainError("not_found", {
      es: "Una de esas versiones no existe.",
      en: "One of those versions does not exist.",
    });
  }
  return { from: a, to: b, parts: diffRecords(a.record, b.record) };
}

/** Line by line, what changes from one record to another. */
export function diffRecords(from: Partial<ProcedureInput>, to: Partial<ProcedureInput>) {
  return diffLines(recordText(from), recordText(to)).map((p) => ({
    value: p.value,
    added: !!p.added,
    removed: !!p.removed,
  }));
}

export async function workList(ctx: Ctx, viewer: Viewer): Promise<q.WorkItem[]> {
  return q.workList(ctx.db, [...new Set(viewer.roles.map((r) => r.institution))]);
}

/** Per procedure and overall: how many mandatory and recommended fields are filled. */
export async function institutionCompleteness(ctx: Ctx, viewer: Viewer, acronym: string) {
  if (!canSeeCompleteness(viewer, acronym)) throw forbidden();
  const ids = await q.institutionIdsByAcronym(ctx.db, [acronym]);
  const id = ids.get(acronym);
  if (id === undefined) throw notFound();
  const records = await q.institutionWorkRecords(ctx.db, id);
  const rows = records.map((r) => ({
    homoclave: r.homoclave,
    draft: r.draft,
    name: r.record.citizenName?.es ?? r.homoclave,
    ...completeness(r.record as DraftRecord),
  }));
  const filled = rows.reduce((n, r) => n + r.filled, 0);
  const total = rows.reduce((n, r) => n + r.total, 0);
  return { acronym, procedures: rows, percent: total ? Math.round((filled / total) * 100) : 0 };
}

/**
 * Import as a staff action: the same validation as the API, all or nothing, only
 * procedures of institutions where the person reviews; each one is kept as a version.
 */
export async function importAsStaff(ctx: Ctx, viewer: Viewer, input: ImportInput): Promise<ImportReport> {
  if ((input.institutions ?? []).length || (input.lifeEvents ?? []).length) {
    throw new DomainError("forbidden", {
      es: "Desde aquí solo se importan trámites; las instituciones y los momentos de vida los gestiona la plataforma.",
      en: "Only procedures are imported here; institutions and life events are managed by the platform.",
    });
  }
  for (const r of input.procedures ?? []) {
    const inst =
      typeof r.value === "object" && r.value ? (r.value as { institution?: unknown }).institution : undefined;
    if (typeof inst !== "string" || !canImportProcedures(viewer, inst)) {
      throw new DomainError("forbidden", {
        es: `El archivo trae trámites de ${typeof inst === "string" ? inst : "una institución desconocida"}, donde no tienes el rol de revisión.`,
        en: `The file has procedures of ${typeof inst === "string" ? inst : "an unknown institution"}, where you do not have the reviewer role.`,
      });
    }
  }
  return inTransaction(ctx, async (tx) => {
    const before = new Map<string, q.ProcedureRow>();
    for (const r of input.procedures ?? []) {
      const homoclave = (r.value as { homoclave?: unknown }).homoclave;
      const row = typeof homoclave === "string" ? await q.getProcedure(tx.db, homoclave) : undefined;
      if (row) before.set(row.record.homoclave, row);
    }
    const report = await importCatalogue(tx, { ...input, partial: false });
    if (!report.written) return report;
    for (const r of input.procedures ?? []) {
      const record = r.value as ProcedureInput;
      const inst = (await q.procedureInstitution(tx.db, record.homoclave))!;
      const prior = before.get(record.homoclave);
      if (prior) await keepBaseline(tx, record.homoclave, inst, prior);
      const current = await q.getProcedure(tx.db, record.homoclave);
      await q.recordPublished(tx.db, {
        homoclave: record.homoclave,
        institutionId: inst.id,
        version: await q.nextVersion(tx.db, record.homoclave),
        record: current!.record,
        userId: viewer.userId,
        comment: "importación",
        now: tx.clock(),
      });
    }
    await appendAudit(
      tx.db,
      {
        actorId: viewer.userId,
        action: "catalogue.import",
        subject: "catalogue",
        detail: { procedures: report.procedures },
      },
      tx.clock(),
    );
    return report;
  });
}
