/**
 * The back office of cases through the real app and database: the inbox, the case file and its
 * actions, the streamed internal-document upload, the bank reconciliation import and the outbox.
 * Cases are made by the real use cases: a reviewer puts a form live, a person applies.
 */
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { sql } from "kysely";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../app.js";
import { makeCtx } from "../../platform/context.js";
import { queueMail } from "../../platform/mail.js";
import { openTestApp, type TestApp } from "../../../test/app.js";
import { BrowserClient, signedInStaff } from "../../../test/browser-client.js";
import { EXE_BYTES, PDF_BYTES, streamOf } from "../../../test/cases.js";
import { testConfig, TMP_DIR } from "../../../test/db.js";
import { institution, procedure } from "../../../test/factories.js";
import { citizen, staffMember } from "../../../test/people.js";
import type { Viewer } from "../accounts/sessions.js";
import { importCatalogue } from "../catalogue/catalogue.js";
import type { ProcedureInput } from "../catalogue/schema.js";
import { FORM_FORMAT, type FormDefinition } from "../forms/definition.js";
import { openFormDraft, publishForm, saveFormDraft } from "../forms/forms.js";
import * as applications from "./applications.js";
import * as casework from "./casework.js";
import * as q from "./queries.js";

let t: TestApp;
const dataDir = join(TMP_DIR, `cases-office-${randomBytes(4).toString("hex")}`);
beforeAll(async () => {
  t = await openTestApp({ DATA_DIR: dataDir });
});
afterAll(async () => {
  await t?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const l = (es: string, en: string) => ({ es, en });
const DEFINITION: FormDefinition = {
  format: FORM_FORMAT,
  pages: [
    {
      id: "solicitud",
      title: l("Tu solicitud", "Your application"),
      questions: [
        { id: "motivo", type: "textarea", label: l("Motivo", "Reason"), maxLength: 500 },
        {
          id: "identificacion",
          type: "file",
          label: l("Identificación oficial", "Official ID"),
          required: false,
          file: { maxBytes: 1024 * 1024, kinds: ["pdf"] },
        },
      ],
    },
  ],
};

/** A fresh institution with one procedure per entry, each with DEFINITION put live by a reviewer. */
async function newInstitution(procs: Partial<ProcedureInput>[] = [{}]) {
  const inst = institution();
  const records = procs.map((p) => procedure(inst.acronym, { requiredAssurance: "basica", ...p }));
  const report = await importCatalogue(t.ctx, {
    institutions: [{ value: inst }],
    procedures: records.map((value) => ({ value })),
  });
  if (report.invalidRecords) throw new Error(JSON.stringify(report));
  const reviewer = await staffMember(t.ctx, [{ institution: inst.acronym, role: "reviewer" }]);
  for (const r of records) {
    const draft = await openFormDraft(t.ctx, reviewer, r.homoclave);
    await saveFormDraft(t.ctx, reviewer, draft.id, DEFINITION);
    await publishForm(t.ctx, reviewer, draft.id);
  }
  return { acronym: inst.acronym, homoclaves: records.map((r) => r.homoclave) };
}

/** A person applies with the live form, optionally with a PDF as their ID. */
async function apply(person: Viewer, homoclave: string, motivo = "Necesito la constancia.", withFile = false) {
  const draftId = await applications.startApplication(t.ctx, person, homoclave);
  if (withFile)
    await applications.uploadFile(t.ctx, person, draftId, "solicitud", "identificacion", {
      name: "ine.pdf",
      stream: streamOf(PDF_BYTES),
    });
  expect(await applications.savePage(t.ctx, person, draftId, "solicitud", { motivo })).toBe("check");
  return applications.submitApplication(t.ctx, person, draftId, randomBytes(12).toString("hex"), "es");
}

const caseRow = async (publicId: string) => (await q.applicationByPublicId(t.ctx.db, publicId))!;

/** Everything a refused request must leave as it was. */
async function snapshot(id: number) {
  const r = await sql<Record<string, unknown>>`select a.status, a.assigned_to, a.deadline::text,
      (select count(*)::int from case_events e where e.application_id = a.id) as events,
      (select count(*)::int from uploads u where u.application_id = a.id) as uploads,
      (select count(*)::int from information_requests i where i.application_id = a.id) as requests,
      (select count(*)::int from resolutions r where r.application_id = a.id) as resolutions
    from applications a where a.id = ${id}`.execute(t.ctx.db);
  return r.rows[0];
}

const cookieOf = (c: BrowserClient) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; ");

interface FilePart {
  field: string;
  name: string;
  type: string;
  content: Buffer;
}
function multipart(fields: [string, string][], file?: FilePart, fileFirst = false) {
  const boundary = `----vt${randomBytes(8).toString("hex")}`;
  const fieldParts = fields.map(([k, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  const fileParts = file
    ? [
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
        ),
        file.content,
        Buffer.from("\r\n"),
      ]
    : [];
  const parts = fileFirst ? [...fileParts, ...fieldParts] : [...fieldParts, ...fileParts];
  return {
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

async function postMultipart(
  c: BrowserClient,
  url: string,
  fields: [string, string][],
  file?: FilePart,
  fileFirst = false,
) {
  const m = multipart(fields, file, fileFirst);
  return t.app.inject({
    method: "POST",
    url,
    payload: m.payload,
    headers: { "content-type": m.type, cookie: cookieOf(c) },
  });
}

/** Uploads an internal document from the case page, as the browser would (the token first). */
async function uploadDocument(c: BrowserClient, publicId: string, file: Omit<FilePart, "field">) {
  await c.get(`/gestion/expedientes/${publicId}`);
  return postMultipart(c, `/gestion/expedientes/${publicId}/documento`, [["_csrf", c.csrf]], {
    field: "document",
    ...file,
  });
}

const pdf = { name: "informe.pdf", type: "application/pdf", content: PDF_BYTES };

describe("the inbox", () => {
  it("lists the institution's open cases by deadline, with filters that work without JavaScript", async () => {
    const { acronym, homoclaves } = await newInstitution([
      { maxResolutionDays: 10, silenceRule: "negativa_ficta" },
      { maxResolutionDays: 3, silenceRule: "afirmativa_ficta" },
    ]);
    const other = await newInstitution();
    const person = await citizen(t.ctx);
    const late = await apply(person, homoclaves[0]!);
    const soon = await apply(person, homoclaves[1]!);
    const later = await apply(person, homoclaves[0]!);
    const elsewhere = await apply(person, other.homoclaves[0]!);
    // A case whose legal time ran out long ago: the silence rule of its procedure applies.
    await sql`update applications set deadline = '2020-01-06' where id = ${late.id}`.execute(t.ctx.db);

    const worker = await signedInStaff(t.app, t.ctx, [{ institution: acronym, role: "caseworker" }]);
    const inbox = await worker.client.get("/gestion/expedientes");
    expect(inbox.statusCode).toBe(200);
    expect(inbox.headers["cache-control"]).toBe("no-store");
    const order = [late, soon, later].map((a) => inbox.body.indexOf(a.folio));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(inbox.body).not.toContain(elsewhere.folio);
    expect(inbox.body).toContain("3 expedientes");
    expect(inbox.body).toContain("Vencido");
    expect(inbox.body).toContain("Aplica la negativa ficta");
    expect(inbox.body).toContain("Vence pronto");
    expect(inbox.body).toContain('<th scope="col" class="govuk-table__header">');
    expect(inbox.body).toContain('class="vt-table-wrap"');

    const folios = (body: string) => [late, soon, later].filter((a) => body.includes(a.folio)).map((a) => a.folio);
    expect(folios((await worker.client.get("/gestion/expedientes?vence=overdue")).body)).toEqual([late.folio]);
    expect(folios((await worker.client.get("/gestion/expedientes?vence=soon")).body)).toEqual([late.folio, soon.folio]);
    expect(folios((await worker.client.get(`/gestion/expedientes?folio=${soon.folio.toLowerCase()}`)).body)).toEqual([
      soon.folio,
    ]);
    expect(folios((await worker.client.get("/gestion/expedientes?estado=received")).body)).toHaveLength(3);
    const closed = await worker.client.get("/gestion/expedientes?estado=closed");
    expect(closed.body).toContain("No hay expedientes con estos filtros.");

    // Taking a case moves it from "unassigned" to "assigned to me".
    await worker.client.get(`/gestion/expedientes/${later.publicId}`);
    expect((await worker.client.post(`/gestion/expedientes/${later.publicId}/tomar`)).statusCode).toBe(303);
    expect(folios((await worker.client.get("/gestion/expedientes?asignacion=mine")).body)).toEqual([later.folio]);
    expect(folios((await worker.client.get("/gestion/expedientes?asignacion=unassigned")).body)).toEqual([
      late.folio,
      soon.folio,
    ]);

    // The same in English, with the English parameter names; the Spanish ones still work there.
    const en = await worker.client.get("/en/manage/cases?due=overdue");
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain("Overdue");
    expect(en.body).toContain("Negative silence applies");
    expect(folios(en.body)).toEqual([late.folio]);
    expect(folios((await worker.client.get("/en/manage/cases?vence=overdue")).body)).toEqual([late.folio]);
    expect(en.body).toContain('hreflang="es"');
  });

  it("lets staff with case roles at several institutions pick one, and hides the rest", async () => {
    const one = await newInstitution();
    const two = await newInstitution();
    const person = await citizen(t.ctx);
    const a = await apply(person, one.homoclaves[0]!);
    const b = await apply(person, two.homoclaves[0]!);
    const worker = await signedInStaff(t.app, t.ctx, [
      { institution: one.acronym, role: "caseworker" },
      { institution: two.acronym, role: "case-manager" },
    ]);
    // By default the first of their institutions; either can be picked.
    const first = await worker.client.get("/gestion/expedientes");
    expect(first.body.includes(a.folio) !== first.body.includes(b.folio)).toBe(true);
    expect(first.body).toContain('<select class="govuk-select" id="institucion" name="institucion"');
    for (const [acronym, shown, hidden] of [
      [one.acronym, a.folio, b.folio],
      [two.acronym, b.folio, a.folio],
    ] as const) {
      const page = await worker.client.get(`/gestion/expedientes?institucion=${acronym.toLowerCase()}`);
      expect(page.body).toContain(`<option value="${acronym}" selected>`);
      expect(page.body).toContain(shown);
      expect(page.body).not.toContain(hidden);
    }
    // An institution they do not work for does not exist for them.
    const outsider = await newInstitution();
    expect((await worker.client.get(`/gestion/expedientes?institucion=${outsider.acronym}`)).statusCode).toBe(404);

    const editor = await signedInStaff(t.app, t.ctx, [{ institution: one.acronym, role: "editor" }]);
    expect((await editor.client.get("/gestion/expedientes")).statusCode).toBe(403);
    const signedOut = await new BrowserClient(t.app).get("/gestion/expedientes");
    expect(signedOut.statusCode).toBe(303);
  });

  it("answers hostile query strings with a 400 page that says what is wrong, never a 500", async () => {
    const { acronym, homoclaves } = await newInstitution();
    const worker = await signedInStaff(t.app, t.ctx, [{ institution: acronym, role: "caseworker" }]);
    const cases: [string, number, string][] = [
      ["estado=nope", 400, "Elige un estado de la lista."],
      ["estado=%3Cscript%3E", 400, "Elige un estado de la lista."],
      ["pagina=-1", 400, "El número de página debe ser un número entero del 1 al 200."],
      ["pagina=abc", 400, "El número de página debe ser"],
      ["pagina=0", 400, "El número de página debe ser"],
      ["pagina=99999999999999999999", 400, "El número de página debe ser"],
      [`folio=${"A".repeat(10_000)}`, 400, "Escribe el folio como aparece en el acuse"],
      ["folio=%27%20or%201%3D1--", 400, "Escribe el folio como aparece en el acuse"],
      ["folio=%00", 400, "Escribe el folio"],
      ["vence=yesterday", 400, "vencen pronto"],
      ["asignacion=everyone", 400, "asignados a mí"],
      [`institucion=${"X".repeat(10_000)}`, 404, "No atiendes expedientes de esa institución."],
      ["institucion=%E0%A4%A", 404, ""],
      ["estado=open&estado=closed", 200, ""],
      ["unknown=1&pagina=2", 200, ""],
    ];
    for (const [query, status, message] of cases) {
      const res = await worker.client.get(`/gestion/expedientes?${query}`);
      expect({ query: query.slice(0, 60), status: res.statusCode }).toEqual({ query: query.slice(0, 60), status });
      expect(res.body).toContain(message);
      if (status === 400) expect(res.body).toContain("govuk-error-summary");
      expect(res.body).not.toContain("<script>");
    }
    const en = await worker.client.get("/en/manage/cases?page=abc");
    expect(en.statusCode).toBe(400);
    expect(en.body).toContain("The page number must be a whole number from 1 to 200.");
    for (const id of ["nope", "00000000-0000-0000-0000-000000000000", "%2e%2e%2f%2e%2e", "A".repeat(190)])
      expect((await worker.client.get(`/gestion/expedientes/${id}`)).statusCode).toBe(404);
    // The success banner only says what the page knows.
    const person = await citizen(t.ctx);
    const c = await apply(person, homoclaves[0]!);
    for (const done of ["constructor", "__proto__", "toString", "%3Cb%3E"]) {
      const res = await worker.client.get(`/gestion/expedientes/${c.publicId}?hecho=${done}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain("govuk-notification-banner");
    }
  });
});

describe("the inbox's pages", () => {
  it("shows 50 cases a page with GOV.UK pagination that keeps the filters", async () => {
    const { acronym, homoclaves } = await newInstitution();
    const person = await citizen(t.ctx);
    for (let i = 0; i < 51; i++) await apply(person, homoclaves[0]!);
    const worker = await signedInStaff(t.app, t.ctx, [{ institution: acronym, role: "caseworker" }]);
    const rows = (body: string) => body.split('<th scope="row"').length - 1;
    const first = await worker.client.get("/gestion/expedientes?asignacion=unassigned");
    expect(first.body).toContain("51 expedientes");
    expect(rows(first.body)).toBe(50);
    expect(first.body).toContain('<nav class="govuk-pagination"');
    expect(first.body).toContain(
      `href="/gestion/expedientes?institucion=${acronym}&amp;asignacion=unassigned&amp;pagina=2" rel="next"`,
    );
    const second = await worker.client.get(
      `/gestion/expedientes?institucion=${acronym}&asignacion=unassigned&pagina=2`,
    );
    expect(rows(second.body)).toBe(1);
    expect(second.body).toContain('rel="prev"');
    expect(second.body).toContain('aria-current="page"');
    const beyond = await worker.client.get("/gestion/expedientes?pagina=3");
    expect(beyond.statusCode).toBe(200);
    expect(beyond.body).toContain("Esta página no tiene expedientes.");
    expect((await worker.client.get("/en/manage/cases?page=2")).body).toContain("51 cases");
  });
});

describe("the case file", () => {
  it("another institution's cases do not exist: 404 on every route, and nothing changes", async () => {
    const mine = await newInstitution();
    const theirs = await newInstitution();
    const person = await citizen(t.ctx);
    const theirCase = await apply(person, theirs.homoclaves[0]!);
    const theirWorker = await staffMember(t.ctx, [{ institution: theirs.acronym, role: "caseworker" }]);
    const manager = await signedInStaff(t.app, t.ctx, [{ institution: mine.acronym, role: "case-manager" }]);
    const before = await snapshot(theirCase.id);
    const id = theirCase.publicId;
    const base = `/gestion/expedientes/${id}`;

    expect((await manager.client.get(base)).statusCode).toBe(404);
    expect((await manager.client.get(`/en/manage/cases/${id}`)).statusCode).toBe(404);
    await manager.client.get("/gestion/expedientes");
    const posts: [string, Record<string, string>][] = [
      [`${base}/tomar`, {}],
      [`${base}/asignar`, { assignee: String(manager.userId) }],
      [`${base}/asignar`, { assignee: String(theirWorker.userId) }],
      [`${base}/revision`, {}],
      [`${base}/prevenir`, { message: "Falta tu comprobante." }],
      [`${base}/resolver`, { outcome: "favourable", reasons: "Cumple." }],
      [`${base}/nota`, { note: "Nota ajena." }],
      [`/en/manage/cases/${id}/take`, {}],
    ];
    for (const [url, fields] of posts) {
      const res = await manager.client.post(url, fields);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 404 });
    }
    await manager.client.get("/gestion/expedientes");
    const upload = await postMultipart(manager.client, `${base}/documento`, [["_csrf", manager.client.csrf]], {
      field: "document",
      ...pdf,
    });
    expect(upload.statusCode).toBe(404);
    expect(await snapshot(theirCase.id)).toEqual(before);
  });

  it("a caseworker takes an unassigned case but cannot assign; a case-manager assigns", async () => {
    const { acronym, homoclaves } = await newInstitution();
    const other = await newInstitution();
    const person = await citizen(t.ctx);
    const c = await apply(person, homoclaves[0]!);
    const worker = await signedInStaff(t.app, t.ctx, [{ institution: acronym, role: "caseworker" }]);
    const colleague = await signedInStaff(t.app, t.ctx, [{ institution: acronym, role: "caseworker" }]);
    const manager = await signedInStaff(t.app, t.ctx, [{ institution: acronym, role: "case-manager" }]);
    const stranger = await staffMember(t.ctx, [{ institution: other.acronym, role: "caseworker" }]);
    const base = `/gestion/expedientes/${c.publicId}`;

    const page = await worker.client.get(base);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Tomar este expediente");
    expect(page.body).not.toContain("Guardar asignación");
    expect(page.body).not.toContain("Iniciar la revisión");
    expect(page.body).toContain("Sin asignar");

    expect((await worker.client.post(`${base}/asignar`, { assignee: String(worker.userId) })).statusCode).toBe(403);
    expect((await caseRow(c.publicId)).assignedTo).toBeNull();
    // Not theirs, so no review either.
    expect((await worker.client.post(`${base}/revision`)).statusCode).toBe(403);

    const took = await worker.client.post(`${base}/tomar`);
    expect(took.statusCode).toBe(303);
    expect(took.headers.location).toBe(`${base}?hecho=take`);
    expect((await caseRow(c.publicId)).assignedTo).toBe(worker.userId);
    const after = await worker.client.get(took.headers.location as string);
    expect(after.body).toContain("Tomaste el expediente.");
    expect(after.body).toContain("Iniciar la revisión");
    expect(after.body).not.toContain("Tomar este expediente");

    // Someone else cannot take it now.
    await colleague.client.get(base);
    expect((await colleague.client.post(`${base}/tomar`)).statusCode).toBe(403);

    const managerPage = await manager.client.get(base);
    expect(managerPage.body).toContain("Guardar asignación");
    expect(managerPage.body).toContain("Nadie (sin asignar)");
    const assigned = await manager.client.post(`${base}/asignar`, { assignee: String(colleague.userId) });
    expect(assigned.statusCode).toBe(303);
    expect((await caseRow(c.publicId)).assignedTo).toBe(colleague.userId);

    const wrong = await manager.client.post(`${base}/asignar`, { assignee: String(stranger.userId) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain("Elige a alguien que atienda expedientes en esta institución.");
    expect(wrong.body).toContain('href="#assignee"');
    expect((await caseRow(c.publicId)).assignedTo).toBe(colleague.userId);

    expect((await manager.client.post(`${base}/asignar`, { assignee: "" })).statusCode).toBe(303);
    expect((await caseRow(c.publicId)).assignedTo).toBeNull();

    // Assignment events are internal.
    const publicEvents = await q.eventsOf(t.ctx.db, c.id, false);
    expect(publicEvents.map((e) => e.kind)).not.toContain("assigned");
  });

  it("review → request information → the person answers → resolve, with the case file at each step", async () => {
    const { acronym, homoclaves } = await newInstitution([{ maxResolutionDays: 10 }]);
    const person = await citizen(t.ctx);
    const c = await apply(person, homoclaves[0]!, "Para inscribirme a la escuela.\nSegunda línea.", true);
    const worker = await signedInStaff(t.app, t.ctx, [{ institution: acronym, role: "caseworker" }]);
    const base = `/gestion/expedientes/${c.publicId}`;
    await worker.client.get(base);
    expect((await worker.client.post(`${base}/tomar`)).statusCode).toBe(303);

    const file = await worker.client.get(base);
    expect(file.body).toContain(c.folio);
    expect(file.body).toContain("Lucía Pérez Gómez");
    expect(file.body).toContain("Para inscribirme a la escuela.");
    const upload = c.answers.identificacion as { uploadId: string };
    expect(file.body).toContain(`href="/documentos/${upload.uploadId}"`);
    expect(file.body).toContain("Recibido");
    expect(file.body).toContain("quedan 10 días hábiles");
    expect(file.body).toContain("Este trámite no tiene pago.");

    const review = await worker.client.post(`${base}/revision`);
    expect(review.statusCode).toBe(303);
    expect((await caseRow(c.publicId)).status).toBe("in_review");
    // Starting the review again is a conflict the page explains.
    const again = await worker.client.post(`${base}/revision`);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain("esa acción ya no es posible");

    const empty = await worker.client.post(`${base}/prevenir`, { message: "  " });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain("Escribe qué información necesitas.");
    expect(empty.body).toContain('href="#message"');
    const tooLong = await worker.client.post(`${base}/prevenir`, { message: "x".repeat(5001) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain("5000 caracteres o menos");
    const asked = await worker.client.post(`${base}/prevenir`, { message: "Falta el comprobante de domicilio." });
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe(`${base}?hecho=request`);
    const waiting = await worker.client.get(base);
    expect(waiting.body).toContain("Falta el comprobante de domicilio.");
    expect(waiting.body).toContain("Detenido: esperando información de la persona");
    expect(waiting.body).not.toContain("Emitir la resolución");

    await casework.answerInformation(t.ctx, person, c.publicId, "Aquí está mi comprobante.");
    expect((await caseRow(c.publicId)).status).toBe("in_review");

    const noOutcome = await worker.client.post(`${base}/resolver`, { reasons: "Cumple los requisitos." });
    expect(noOutcome.statusCode).toBe(400);
    expect(noOutcome.body).toContain("Elige el sentido de la resolución.");
    expect(noOutcome.body).toContain("Cumple los requisitos.");
    const form = await worker.client.get(base);
    expect(form.body).toContain("Esto emite el documento oficial");
    const resolved = await worker.client.post(`${base}/resolver`, {
      outcome: "favourable",
      reasons: "Cumple los requisitos del artículo 12.",
    });
    expect(resolved.statusCode).toBe(303);
    const done = await caseRow(c.publicId);
    expect(done.status).toBe("resolved_favourable");
    const resolution = (await q.resolutionOf(t.ctx.db, c.id))!;
    const page = await worker.client.get(resolved.headers.location as string);
    expect(page.body).toContain("Se emitió la resolución");
    expect(page.body).toContain(resolution.verificationCode);
    expect(page.body).toContain(`href="/verificar/${resolution.verificationCode}"`);
    expect(page.body).toContain("Resuelto a favor");
    expect(page.body).not.toContain("Pedir información");
    // The history, in order, as staff see it.
    const kinds = (await q.eventsOf(t.ctx.db, c.id, true)).map((e) => e.kind);
    expect(kinds).toEqual([
      "submitted",
      "assigned",
      "start_review",
      "request_information",
      "answer_information",
      "resolve_favourable",
    ]);
    const twice = await worker.client.post(`${base}/resolver`, { outcome: "unfavourable", reasons: "No." });
    expect(twice.statusCode).toBe(409);
    expect((await caseRow(c.publicId)).status).toBe("resolved_favourable");

    // The English case file.
    const en = await worker.client.get(`/en/manage/cases/${c.publicId}`);
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain("Approved");
    expect(en.body).toContain("Verify the resolution");
  });

  it("internal notes and documents are for staff only", async () => {
    const { acronym, homoclaves } = await newInstitution();
    const person = await citizen(t.ctx);
    const c = await apply(person, homoclaves[0]!);
    const manager = await signedInStaff(t.app, t.ctx, [{ institution: acronym, role: "case-manager" }]);
    const base = `/gestion/expedientes/${c.publicId}`;
    await manager.client.get(base);
    const noted = await manager.client.post(`${base}/nota`, { note: "Llamar a la persona el lunes." });
    expect(noted.statusCode).toBe(303);
    const uploaded = await uploadDocument(manager.client, c.publicId, pdf);
    expect(uploaded.statusCode).toBe(303);
    expect(uploaded.headers.location).toBe(`${base}?hecho=document`);

    const page = await manager.client.get(base);
    expect(page.body).toContain("Llamar a la persona el lunes.");
    expect(page.body).toContain("Interna");
    expect(page.body).toContain("informe.pdf");
    expect(page.body).toContain("Interno");

    const staffEvents = await q.eventsOf(t.ctx.db, c.id, true);
    expect(staffEvents.map((e) => e.kind)).toEqual(expect.arrayContaining(["note", "internal_document"]));
    const publicEvents = await q.eventsOf(t.ctx.db, c.id, false);
    expect(publicEvents.map((e) => e.kind)).not.toContain("note");
    expect(publicEvents.some((e) => e.body?.includes("Llamar"))).toBe(false);
    const mine = await applications.myCase(t.ctx, person, c.publicId);
    expect(mine.events.some((e) => e.kind === "note" || e.kind === "internal_document")).toBe(false);
    expect(mine.uploads.some((u) => u.internal)).toBe(false);
  });
});

describe("the streamed internal-document upload", () => {
  it("refuses a missing or wrong CSRF token before reading the file, and stores nothing", async () => {
    const { acronym, homoclaves } = await newInstitution();
    const person = await citizen(t.ctx);
    const c = await apply(person, homoclaves[0]!);
    const manager = await signedInStaff(t.app, t.ctx, [{ institution: acronym, role: "case-manager" }]);
    const url = `/gestion/expedientes/${c.publicId}/documento`;
    const before = await snapshot(c.id);
    await manager.client.get(`/gestion/expedientes/${c.publicId}`);
    const file = { field: "document", ...pdf };

    const none = await postMultipart(manager.client, url, [], file);
    expect(none.statusCode).toBe(403);
    expect(none.body).toContain("Este formulario caducó o no vino de este sitio.");
    expect((await postMultipart(manager.client, url, [["_csrf", "forged"]], file)).statusCode).toBe(403);
    // The token after the file does not count: it must come first.
    expect((await postMultipart(manager.client, url, [["_csrf", manager.client.csrf]], file, true)).statusCode).toBe(
      403,
    );
    // A token from another browser does not count either.
    const other = await signedInStaff(t.app, t.ctx, [{ institution: acronym, role: "case-manager" }]);
    await other.client.get(`/gestion/expedientes/${c.publicId}`);
    expect((await postMultipart(manager.client, url, [["_csrf", other.client.csrf]], file)).statusCode).toBe(403);
    // Not a multipart form at all.
    expect((await manager.client.post(url, {})).statusCode).toBe(400);

    expect(await snapshot(c.id)).toEqual(before);
    const stored = await sql<{
      n: number;
    }>`select count(*)::int as n from uploads where application_id = ${c.id}`.execute(t.ctx.db);
    expect(stored.rows[0]!.n).toBe(0);
  });

  it("refuses a renamed .exe, an empty choice and a file over 20 MB with a clear message", async () => {
    const { acronym, homoclaves } = await newInstitution();
    const person = await citizen(t.ctx);
    const c = await apply(person, homoclaves[0]!);
    const manager = await signedInStaff(t.app, t.ctx, [{ institution: acronym, role: "case-manager" }]);
    const before = await snapshot(c.id);

    const exe = await uploadDocument(manager.client, c.publicId, {
      name: "informe.pdf",
      type: "application/pdf",
      content: EXE_BYTES,
    });
    expect(exe.statusCode).toBe(400);
    expect(exe.body).toContain("El contenido del archivo no es PDF, JPG o PNG, diga lo que diga su nombre");
    expect(exe.body).toContain('href="#document"');

    const nothing = await uploadDocument(manager.client, c.publicId, {
      name: "",
      type: "application/octet-stream",
      content: Buffer.alloc(0),
    });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.body).toContain("Elige un archivo PDF, JPG o PNG.");

    const big = Buffer.concat([PDF_BYTES, Buffer.alloc(20 * 1024 * 1024 + 10, 0x20)]);
    const huge = await uploadDocument(manager.client, c.publicId, {
      name: "grande.pdf",
      type: "application/pdf",
      content: big,
    });
    expect([400, 413]).toContain(huge.statusCode);
    expect(huge.body).toContain("20 MB");

    expect(await snapshot(c.id)).toEqual(before);
  });
  it("answers a body cut short with a 400 page, not a 500, and stores nothing", async () => {
    const { acronym, homoclaves } = await newInstitution([{ cost: { type: "fixed", amountMxn: 10 } }]);
    const person = await citizen(t.ctx);
    const c = await apply(person, homoclaves[0]!);
    const manager = await signedInStaff(t.app, t.ctx, [{ institution: acronym, role: "case-manager" }]);
    const before = await snapshot(c.id);
    const cutShort = (csrf: string, field: string, name: string, content: string) => {
      const boundary = `----vt${randomBytes(8).toString("hex")}`;
      return {
        payload:
          `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\n` +
          `Content-Type: application/octet-stream\r\n\r\n${content}`,
        type: `multipart/form-data; boundary=${boundary}`,
      };
    };
    const send = (url: string, m: { payload: string; type: string }) =>
      t.app.inject({
        method: "POST",
        url,
        payload: m.payload,
        headers: { "content-type": m.type, cookie: cookieOf(manager.client) },
      });

    await manager.client.get(`/gestion/expedientes/${c.publicId}`);
    const doc = await send(
      `/gestion/expedientes/${c.publicId}/documento`,
      cutShort(manager.client.csrf, "document", "informe.pdf", PDF_BYTES.toString("latin1")),
    );
    expect(doc.statusCode).toBe(400);
    expect(doc.body).toContain("El formulario llegó incompleto o dañado.");
    expect(doc.headers.connection).toBe("close");

    await manager.client.get("/gestion/pagos");
    const csv = await send(
      "/gestion/pagos",
      cutShort(manager.client.csrf, "file", "banco.csv", "referencia,importe,fecha_pago,banco,operacion\n"),
    );
    expect(csv.statusCode).toBe(400);
    expect(csv.body).toContain("El formulario llegó incompleto o dañado.");

    // Only a header, no parts at all.
    await manager.client.get("/gestion/pagos");
    const garbage = await t.app.inject({
      method: "POST",
      url: "/gestion/pagos",
      payload: "this is not multipart at all",
      headers: { "content-type": "multipart/form-data; boundary=nothing", cookie: cookieOf(manager.client) },
    });
    expect(garbage.statusCode).toBeGreaterThanOrEqual(400);
    expect(garbage.statusCode).toBeLessThan(500);

    expect(await snapshot(c.id)).toEqual(before);
    expect((await q.paymentOf(t.ctx.db, c.id))!.status).toBe("pending");
  });
});

describe("payments reconciliation", () => {
  const HEADER = "referencia,importe,fecha_pago,banco,operacion";
  const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: "America/Mexico_City" }).format(new Date());

  async function upload(c: BrowserClient, content: string | Buffer, name = "banco.csv") {
    await c.get("/gestion/pagos");
    return postMultipart(c, "/gestion/pagos", [["_csrf", c.csrf]], {
      field: "file",
      name,
      type: "text/csv",
      content: Buffer.isBuffer(content) ? content : Buffer.from(content),
    });
  }

  it("refuses a file with a broken line whole, then records a good file once", async () => {
    const { acronym, homoclaves } = await newInstitution([{ cost: { type: "fixed", amountMxn: 250 } }]);
    const person = await citizen(t.ctx);
    const c = await apply(person, homoclaves[0]!);
    expect(c.status).toBe("awaiting_payment");
    const payment = (await q.paymentOf(t.ctx.db, c.id))!;
    const manager = await signedInStaff(t.app, t.ctx, [{ institution: acronym, role: "case-manager" }]);
    const reconciliations = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from reconciliations`.execute(t.ctx.db)).rows[0]!.n;
    const count = await reconciliations();

    const form = await manager.client.get("/gestion/pagos");
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain("referencia,importe,fecha_pago,banco,operacion");
    expect(form.body).toContain('enctype="multipart/form-data"');

    const good = `${payment.reference},250.00,${today()},BANORTE,884213`;
    const broken = await upload(manager.client, `${HEADER}\n${good}\n${payment.reference},250,${today()},BBVA,1\n`);
    expect(broken.statusCode).toBe(400);
    expect(broken.body).toContain("no se registró ningún pago");
    expect(broken.body).toContain("Líneas con problemas");
    expect(broken.body).toMatch(
      /<td class="govuk-table__cell">3<\/td>\s*<td class="govuk-table__cell vt-break">El importe/,
    );
    expect((await q.paymentOf(t.ctx.db, c.id))!.status).toBe("pending");
    expect(await reconciliations()).toBe(count);

    const ok = await upload(manager.client, `\uFEFF${HEADER}\r\n${good}\r\n`);
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain("Pagos registrados");
    expect(ok.body).toContain(c.folio);
    expect((await q.paymentOf(t.ctx.db, c.id))!.status).toBe("paid");
    expect((await caseRow(c.publicId)).status).toBe("received");
    const events = (await q.eventsOf(t.ctx.db, c.id, true)).length;

    const again = await upload(manager.client, `\uFEFF${HEADER}\r\n${good}\r\n`);
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain("Ya estaban pagados");
    expect(again.body).toContain("0 pagos registrados, 1 ya estaba pagado");
    expect((await caseRow(c.publicId)).status).toBe("received");
    expect((await q.eventsOf(t.ctx.db, c.id, true)).length).toBe(events);

    const page = await manager.client.get(`/gestion/expedientes/${c.publicId}`);
    expect(page.body).toContain("Pagado");
  });

  it("refuses files that are not UTF-8 text, too large, or sent without the token; and people without the role", async () => {
    const { acronym } = await newInstitution([{ cost: { type: "fixed", amountMxn: 99 } }]);
    const manager = await signedInStaff(t.app, t.ctx, [{ institution: acronym, role: "case-manager" }]);
    const latin1 = Buffer.from(`${HEADER}\n00600001234526043040,1234.50,2026-04-12,Banco Azteca Señor,1\n`, "latin1");
    const notUtf8 = await upload(manager.client, latin1);
    expect(notUtf8.statusCode).toBe(400);
    expect(notUtf8.body).toContain("El archivo no es texto en UTF-8");

    const noHeader = await upload(manager.client, "hola,mundo\n");
    expect(noHeader.statusCode).toBe(400);
    expect(noHeader.body).toContain("La primera línea debe ser el encabezado");

    const tooBig = await upload(manager.client, Buffer.alloc(5 * 1024 * 1024 + 1, 0x61));
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.body).toContain("más de 5 MB");

    const missing = await postMultipart(manager.client, "/gestion/pagos", [], {
      field: "file",
      name: "banco.csv",
      type: "text/csv",
      content: Buffer.from(HEADER),
    });
    expect(missing.statusCode).toBe(403);

    const worker = await signedInStaff(t.app, t.ctx, [{ institution: acronym, role: "caseworker" }]);
    expect((await worker.client.get("/gestion/pagos")).statusCode).toBe(403);
    const other = await newInstitution();
    await manager.client.get("/gestion/pagos");
    const foreign = await postMultipart(
      manager.client,
      "/gestion/pagos",
      [
        ["_csrf", manager.client.csrf],
        ["institution", other.acronym],
      ],
      { field: "file", name: "banco.csv", type: "text/csv", content: Buffer.from(`${HEADER}\n`) },
    );
    expect(foreign.statusCode).toBe(403);
  });
});

describe("the development outbox", () => {
  it("shows queued mail to platform admins only", async () => {
    const to = `destino.${randomBytes(4).toString("hex")}@correo.example.mx`;
    await queueMail(t.ctx.db, {
      to,
      subject: "Tu enlace <para entrar>",
      body: "Entra con https://ventanilla.test/x?token=abc",
    });
    const admin = await signedInStaff(t.app, t.ctx, [], { platformAdmin: true });
    const page = await admin.client.get("/gestion/correo-saliente");
    expect(page.statusCode).toBe(200);
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.body).toContain(to);
    expect(page.body).toContain("Tu enlace &lt;para entrar>");
    expect(page.body).toContain("https://ventanilla.test/x?token=abc");
    expect((await admin.client.get("/en/manage/outbox")).body).toContain("Outgoing mail (development)");
    const { acronym } = await newInstitution();
    const worker = await signedInStaff(t.app, t.ctx, [{ institution: acronym, role: "case-manager" }]);
    expect((await worker.client.get("/gestion/correo-saliente")).statusCode).toBe(403);
  });

  it("does not exist when real mail is configured", async () => {
    // The same database, served by an app whose settings name an SMTP server.
    const withMail = await createApp(
      makeCtx(
        testConfig({ DATA_DIR: dataDir, MAIL_URL: "smtp://127.0.0.1:2525" }),
        t.ctx.db,
        pino({ level: "silent" }),
      ),
    );
    try {
      const admin = await signedInStaff(withMail, t.ctx, [], { platformAdmin: true });
      expect((await admin.client.get("/gestion/correo-saliente")).statusCode).toBe(404);
      expect((await admin.client.get("/en/manage/outbox")).statusCode).toBe(404);
    } finally {
      await withMail.close();
    }
  });
});
