import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries } from "../../platform/audit.js";
import type { Ctx } from "../../platform/context.js";
import { DomainError } from "../../platform/errors.js";
import { runOneJob } from "../../platform/jobs/queue.js";
import { JOBS } from "../../jobs.js";
import { EXE_BYTES, liveProcedure, PDF_BYTES, sampleDefinition, streamOf } from "../../../test/cases.js";
import { openTestCtx, type TestDb } from "../../../test/db.js";
import { citizen, staffMember } from "../../../test/people.js";
import { installForm } from "../forms/forms.js";
import * as applications from "./applications.js";
import * as casework from "./casework.js";
import { storageOf } from "./files.js";
import { importReconciliation } from "./payments.js";
import { isValidReference } from "./payment-reference.js";
import * as q from "./queries.js";

let db: TestDb;
let ctx: Ctx;
beforeAll(async () => {
  ({ db, ctx } = await openTestCtx());
});
afterAll(async () => db?.drop());

const key = () => `k${Math.random().toString(36).slice(2)}${Date.now().toString(36)}xx`;

async function runJobs() {
  while (await runOneJob(ctx, JOBS as never)) {
    /* until the queue is empty */
  }
}

/** Fills the sample form as a person would and returns the draft id. */
async function filledDraft(viewer: Awaited<ReturnType<typeof citizen>>, homoclave: string) {
  const draftId = await applications.startApplication(ctx, viewer, homoclave);
  const curp = (await applications.draftOf(ctx, viewer, draftId)).draft.answers.curp as string;
  await applications.savePage(ctx, viewer, draftId, "datos", { nombre: "Lucía", curp, telefono: "55 1234 5678" });
  await applications.savePage(ctx, viewer, draftId, "motivo", { tipo: "trabajo" });
  await applications.uploadFile(ctx, viewer, draftId, "documentos", "identificacion", {
    name: "../../ine frente.pdf",
    stream: streamOf(PDF_BYTES),
  });
  await applications.savePage(ctx, viewer, draftId, "documentos", {});
  return draftId;
}

describe("applying online", () => {
  it("prefills what the account knows, routes by answers, and sends once with a folio", async () => {
    const { homoclave, institution } = await liveProcedure(ctx);
    const person = await citizen(ctx);
    const draftId = await applications.startApplication(ctx, person, homoclave);
    const view = await applications.draftOf(ctx, person, draftId);
    expect(view.draft.answers.nombre).toBe("Lucía");
    expect(view.draft.answers.curp).toMatch(/^[A-Z]{4}\d{6}/);
    expect(view.draft.prefilled).toEqual(expect.arrayContaining(["nombre", "curp"]));
    // Starting again continues the same draft.
    expect(await applications.startApplication(ctx, person, homoclave)).toBe(draftId);

    // "otro" shows the detail page; changing the answer drops what was written there.
    expect(await applications.savePage(ctx, person, draftId, "motivo", { tipo: "otro" })).toBe("detalle");
    await applications.savePage(ctx, person, draftId, "detalle", { explicacion: "Para un curso" });
    expect(await applications.savePage(ctx, person, draftId, "motivo", { tipo: "trabajo" })).toBe("documentos");
    expect((await applications.draftOf(ctx, person, draftId)).draft.answers.explicacion).toBeUndefined();

    await filledDraft(person, homoclave);
    const k = key();
    const [a, b] = await Promise.all([
      applications.submitApplication(ctx, person, draftId, k, "es"),
      applications.submitApplication(ctx, person, draftId, k, "es"),
    ]);
    expect(a.id).toBe(b.id);
    const again = await applications.submitApplication(ctx, person, draftId, k, "es");
    expect(again.id).toBe(a.id);
    expect(a.folio).toMatch(new RegExp(`^${institution}-\\d{4}-\\d{6}$`));
    expect(a.status).toBe("received");
    expect(a.deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const count = await sql<{
      n: number;
    }>`select count(*)::int as n from applications where user_id = ${person.userId}`.execute(ctx.db);
    expect(count.rows[0]!.n).toBe(1);
    // The upload moved with the application, its name made safe.
    const uploads = await q.uploadsOfApplication(ctx.db, a.id, false);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.name).not.toContain("/");
    expect(await storageOf(ctx).exists(uploads[0]!.storageKey)).toBe(true);
    // The person was told, in their language, and the audit log has it.
    await runJobs();
    const mail = await sql<{
      subject: string;
    }>`select subject from outbox_mail where recipient = ${person.email} order by id desc limit 1`.execute(ctx.db);
    expect(mail.rows[0]!.subject).toContain(a.folio);
    expect((await auditEntries(ctx.db, { subject: `case:${a.folio}` }, 10)).map((e) => e.action)).toContain(
      "case.submit",
    );
  });

  it("refuses bad answers, forged fields and lying uploads without writing them", async () => {
    const { homoclave } = await liveProcedure(ctx);
    const person = await citizen(ctx);
    const draftId = await applications.startApplication(ctx, person, homoclave);
    const before = (await applications.draftOf(ctx, person, draftId)).draft.answers;
    await expect(
      applications.savePage(ctx, person, draftId, "datos", { nombre: "", curp: "XXXX", admin: "yes" }),
    ).rejects.toMatchObject({ code: "invalid" });
    expect((await applications.draftOf(ctx, person, draftId)).draft.answers).toEqual(before);
    await applications.savePage(ctx, person, draftId, "motivo", { tipo: "trabajo", is_admin: "1" });
    expect((await applications.draftOf(ctx, person, draftId)).draft.answers).not.toHaveProperty("is_admin");
    await expect(applications.savePage(ctx, person, draftId, "motivo", { tipo: "<script>" })).rejects.toMatchObject({
      code: "invalid",
    });
    // A page that does not exist, or is hidden by the answers.
    await expect(applications.savePage(ctx, person, draftId, "detalle", { explicacion: "x" })).rejects.toMatchObject({
      code: "not_found",
    });
    const upload = (bytes: Buffer, question = "identificacion") =>
      applications.uploadFile(ctx, person, draftId, "documentos", question, {
        name: "ine.pdf",
        stream: streamOf(bytes),
      });
    await expect(upload(EXE_BYTES)).rejects.toMatchObject({ code: "invalid" });
    await expect(upload(Buffer.alloc(0))).rejects.toMatchObject({ code: "invalid" });
    await expect(upload(Buffer.concat([PDF_BYTES, Buffer.alloc(2 * 1024 * 1024)]))).rejects.toMatchObject({
      code: "invalid",
    });
    await expect(upload(PDF_BYTES, "nombre")).rejects.toMatchObject({ code: "invalid" });
    expect((await applications.draftOf(ctx, person, draftId)).uploads).toHaveLength(0);
    // Sending with the file missing lists it.
    const err = await applications.submitApplication(ctx, person, draftId, key(), "es").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).details.map((d) => d.field)).toContain("identificacion");
  });

  it("keeps only the files the answers point at: a replaced or discarded file goes, after its row", async () => {
    const { homoclave } = await liveProcedure(ctx);
    const person = await citizen(ctx);
    const draftId = await filledDraft(person, homoclave);
    const first = (await applications.draftOf(ctx, person, draftId)).uploads[0]!;
    await applications.uploadFile(ctx, person, draftId, "documentos", "identificacion", {
      name: "otra.pdf",
      stream: streamOf(PDF_BYTES),
    });
    await applications.savePage(ctx, person, draftId, "documentos", {});
    const now = (await applications.draftOf(ctx, person, draftId)).uploads;
    expect(now.map((u) => u.name)).toEqual(["otra.pdf"]);
    expect(await storageOf(ctx).exists(first.storageKey)).toBe(false);
    await applications.discardDraft(ctx, person, draftId);
    expect(await storageOf(ctx).exists(now[0]!.storageKey)).toBe(false);
    await expect(applications.draftOf(ctx, person, draftId)).rejects.toMatchObject({ code: "not_found" });
  });

  it("keeps other people out of drafts, cases and documents", async () => {
    const { homoclave, institution } = await liveProcedure(ctx);
    const owner = await citizen(ctx);
    const stranger = await citizen(ctx);
    const draftId = await filledDraft(owner, homoclave);
    await expect(applications.draftOf(ctx, stranger, draftId)).rejects.toMatchObject({ code: "not_found" });
    await expect(applications.savePage(ctx, stranger, draftId, "motivo", { tipo: "otro" })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(applications.submitApplication(ctx, stranger, draftId, key(), "es")).rejects.toMatchObject({
      code: "not_found",
    });
    const draftUpload = (await applications.draftOf(ctx, owner, draftId)).uploads[0]!;
    await expect(casework.caseDocument(ctx, stranger, draftUpload.publicId)).rejects.toMatchObject({
      code: "not_found",
    });
    const sent = await applications.submitApplication(ctx, owner, draftId, key(), "es");
    await expect(applications.myCase(ctx, stranger, sent.publicId)).rejects.toMatchObject({ code: "not_found" });
    await expect(casework.withdrawApplication(ctx, stranger, sent.publicId)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(casework.answerInformation(ctx, stranger, sent.publicId, "hola")).rejects.toMatchObject({
      code: "not_found",
    });
    const upload = (await q.uploadsOfApplication(ctx.db, sent.id, false))[0]!;
    await expect(casework.caseDocument(ctx, stranger, upload.publicId)).rejects.toMatchObject({ code: "not_found" });
    expect((await casework.caseDocument(ctx, owner, upload.publicId)).upload.id).toBe(upload.id);
    // Staff of another institution, and staff without a case role, see nothing.
    const other = await liveProcedure(ctx);
    const outsider = await staffMember(ctx, [{ institution: other.institution, role: "case-manager" }]);
    const editor = await staffMember(ctx, [{ institution, role: "editor" }]);
    for (const v of [outsider, editor]) {
      await expect(casework.caseFile(ctx, v, sent.publicId)).rejects.toMatchObject({ code: "not_found" });
      await expect(casework.startReview(ctx, v, sent.publicId)).rejects.toMatchObject({ code: "not_found" });
      await expect(casework.addNote(ctx, v, sent.publicId, "x")).rejects.toMatchObject({ code: "not_found" });
      await expect(casework.caseDocument(ctx, v, upload.publicId)).rejects.toMatchObject({ code: "not_found" });
      await expect(casework.inboxOf(ctx, v, institution, {})).rejects.toMatchObject({ code: "not_found" });
    }
    expect((await q.applicationById(ctx.db, sent.id))!.status).toBe("received");
  });

  it("refuses a submission for a form version that is no longer live, keeping the answers", async () => {
    const { homoclave } = await liveProcedure(ctx);
    const person = await citizen(ctx);
    const draftId = await filledDraft(person, homoclave);
    await installForm(ctx, homoclave, sampleDefinition());
    await expect(applications.submitApplication(ctx, person, draftId, key(), "es")).rejects.toMatchObject({
      code: "conflict",
    });
    expect((await applications.draftOf(ctx, person, draftId)).draft.answers.tipo).toBe("trabajo");
  });

  it("asks for the identity the procedure needs", async () => {
    const { homoclave } = await liveProcedure(ctx, { requiredAssurance: "verificada" });
    const person = await citizen(ctx);
    await expect(applications.startApplication(ctx, person, homoclave)).rejects.toMatchObject({ code: "forbidden" });
    const basic = await liveProcedure(ctx);
    const unconfirmed = await citizen(ctx, { confirmed: false });
    await expect(applications.startApplication(ctx, unconfirmed, basic.homoclave)).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});

describe("working a case", () => {
  it("goes through review, a prevención that pauses the clock, and a verifiable resolution", async () => {
    const { homoclave, institution } = await liveProcedure(ctx, { maxResolutionDays: 10 });
    const person = await citizen(ctx);
    const sent = await applications.submitApplication(ctx, person, await filledDraft(person, homoclave), key(), "es");
    const worker = await staffMember(ctx, [{ institution, role: "caseworker" }]);
    const manager = await staffMember(ctx, [{ institution, role: "case-manager" }]);

    // A caseworker may not act on a case that is not theirs, may take it, and a manager assigns.
    await expect(casework.startReview(ctx, worker, sent.publicId)).rejects.toMatchObject({ code: "forbidden" });
    await expect(casework.assignCase(ctx, worker, sent.publicId, String(worker.userId))).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(casework.assignCase(ctx, manager, sent.publicId, "999999")).rejects.toMatchObject({ code: "invalid" });
    await casework.assignCase(ctx, manager, sent.publicId, String(worker.userId));
    const inbox = await casework.inboxOf(ctx, worker, institution, { mine: true });
    expect(inbox.rows.map((r) => r.folio)).toEqual([sent.folio]);

    await casework.startReview(ctx, worker, sent.publicId);
    await expect(casework.startReview(ctx, worker, sent.publicId)).rejects.toMatchObject({ code: "conflict" });
    await casework.addNote(ctx, worker, sent.publicId, "Revisar la identificación");
    await expect(casework.requestInformation(ctx, worker, sent.publicId, "  ")).rejects.toMatchObject({
      code: "invalid",
    });
    await casework.requestInformation(ctx, worker, sent.publicId, "Sube tu identificación por ambos lados.");
    let row = (await q.applicationById(ctx.db, sent.id))!;
    expect(row.status).toBe("information_requested");
    expect(row.deadline).toBeNull();

    // The person sees the request but not the internal note, and answers it; the clock restarts.
    const mine = await applications.myCase(ctx, person, sent.publicId);
    expect(mine.request?.message).toContain("ambos lados");
    expect(mine.events.map((e) => e.kind)).not.toContain("note");
    await casework.answerInformation(ctx, person, sent.publicId, "Ya la subí completa.");
    row = (await q.applicationById(ctx.db, sent.id))!;
    expect(row.status).toBe("in_review");
    expect(row.deadline).not.toBeNull();

    await expect(
      casework.resolveCase(ctx, worker, sent.publicId, { outcome: "maybe", reasons: "x" }),
    ).rejects.toMatchObject({
      code: "invalid",
    });
    await casework.resolveCase(ctx, worker, sent.publicId, {
      outcome: "favourable",
      reasons: "Cumple los requisitos.",
    });
    await runJobs();
    const resolution = (await q.resolutionOf(ctx.db, sent.id))!;
    expect(resolution.verificationCode).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    expect(resolution.storageKey).not.toBeNull();
    expect((await q.resolutionByCode(ctx.db, resolution.verificationCode))!.folio).toBe(sent.folio);
    // Once resolved, nothing else may happen to it.
    await expect(casework.withdrawApplication(ctx, person, sent.publicId)).rejects.toMatchObject({ code: "conflict" });
    const actions = (await auditEntries(ctx.db, { subject: `case:${sent.folio}` }, 50)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "case.submit",
        "case.assign",
        "case.start_review",
        "case.request_information",
        "case.answer_information",
        "case.resolve_favourable",
        "case.note",
      ]),
    );
  });

  it("waits for payment, and a bank file marks it paid once", async () => {
    const { homoclave, institution } = await liveProcedure(ctx, { cost: { type: "fixed", amountMxn: 510 } });
    const person = await citizen(ctx);
    const sent = await applications.submitApplication(ctx, person, await filledDraft(person, homoclave), key(), "es");
    expect(sent.status).toBe("awaiting_payment");
    expect(sent.deadline).toBeNull();
    const payment = (await q.paymentOf(ctx.db, sent.id))!;
    expect(isValidReference(payment.reference)).toBe(true);
    expect(payment.amountCentavos).toBe(51000);

    const manager = await staffMember(ctx, [{ institution, role: "case-manager" }]);
    const header = "referencia,importe,fecha_pago,banco,operacion";
    const good = `${header}\n${payment.reference},510.00,2026-11-20,BANORTE,OP-1\n`;
    // A broken line stops the whole file.
    await expect(
      importReconciliation(ctx, manager, institution, { name: "b.csv", text: `${good}123,abc,2026-13-40,X\n` }),
    ).rejects.toMatchObject({ code: "invalid" });
    expect((await q.paymentOf(ctx.db, sent.id))!.status).toBe("pending");

    const first = await importReconciliation(ctx, manager, institution, { name: "a.csv", text: good });
    expect(first.matched.map((m) => m.folio)).toEqual([sent.folio]);
    const second = await importReconciliation(ctx, manager, institution, { name: "a.csv", text: good });
    expect(second.matched).toHaveLength(0);
    expect(second.alreadyPaid).toHaveLength(1);
    const row = (await q.applicationById(ctx.db, sent.id))!;
    expect(row.status).toBe("received");
    expect(row.deadline).not.toBeNull();
    const worker = await staffMember(ctx, [{ institution, role: "caseworker" }]);
    await expect(importReconciliation(ctx, worker, institution, { name: "a.csv", text: good })).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});
