import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../../../test/app.js";
import { signedInStaff, type BrowserClient } from "../../../test/browser-client.js";
import { institution, procedure } from "../../../test/factories.js";
import { importCatalogue } from "../catalogue/catalogue.js";
import type { FormDefinition } from "./definition.js";

let t: TestApp;
let A: string; // the institution under test
let B: string; // another institution
let H: string; // A's procedure the form is built for
let H2: string; // another of A's procedures, without a form
let editor: BrowserClient;
let reviewer: BrowserClient;
let outsider: BrowserClient;

beforeAll(async () => {
  t = await openTestApp();
  A = institution().acronym;
  B = institution().acronym;
  const p1 = procedure(A);
  const p2 = procedure(A);
  H = p1.homoclave;
  H2 = p2.homoclave;
  const report = await importCatalogue(t.ctx, {
    institutions: [{ value: institution({ acronym: A }) }, { value: institution({ acronym: B }) }],
    procedures: [{ value: p1 }, { value: p2 }, { value: procedure(B) }],
  });
  expect(report.written).toBe(true);
  editor = (await signedInStaff(t.app, t.ctx, [{ institution: A, role: "editor" }])).client;
  reviewer = (await signedInStaff(t.app, t.ctx, [{ institution: A, role: "reviewer" }])).client;
  outsider = (await signedInStaff(t.app, t.ctx, [{ institution: B, role: "institution-admin" }])).client;
});
afterAll(() => t.close());

const base = (h = H) => `/gestion/formularios/${h}`;

async function forms(h = H) {
  return (
    await sql<{ version: number; state: string; definition: FormDefinition }>`select f.version, f.state, f.definition
      from forms f join procedures p on p.id = f.procedure_id where p.homoclave = ${h} order by f.version`.execute(
      t.ctx.db,
    )
  ).rows;
}
const draftDef = async (h = H) => (await forms(h)).find((f) => f.state === "draft")?.definition;

/** A page editor's fields for one page with questions, as a browser posts them. */
function question(i: number, fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries({ type: "text", required: "on", ...fields }).map(([k, v]) => [`questions.${i}.${k}`, v]),
  );
}

describe("building a form without code", () => {
  it("an editor creates the draft, adds pages of several kinds, a condition and an exit page, and previews it", async () => {
    const list = await editor.get("/gestion/formularios");
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="${base()}"`);
    const overview = await editor.get(base());
    expect(overview.body).toContain("Crear el formulario a partir del trámite");
    const opened = await editor.post(`${base()}/borrador`, { action: "open" });
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe(`${base()}/borrador?aviso=creado`);
    const draft = await editor.get(`${base()}/borrador`);
    expect(draft.statusCode).toBe(200);
    expect(draft.body).toContain("Tus datos");
    expect(draft.body).toContain("Identificación oficial"); // the uploadable requirement became a file question
    expect((await forms()).map((f) => f.state)).toEqual(["draft"]);

    // "Add another question" shows a new row and keeps what was typed, without saving.
    await editor.get(`${base()}/borrador/agregar-pagina`);
    const typed = { "title.es": "Sobre ti", ...question(0, { type: "yesno", "label.es": "¿Eres mayor de edad?" }) };
    const more = await editor.post(`${base()}/borrador/agregar-pagina`, { ...typed, action: "add-question" });
    expect(more.statusCode).toBe(200);
    expect(more.body).toContain('name="questions.1.type"');
    expect(more.body).toContain('value="¿Eres mayor de edad?"');
    expect((await draftDef())!.pages).toHaveLength(2);

    const saved = await editor.post(`${base()}/borrador/agregar-pagina`, {
      ...typed,
      "title.en": "About you",
      ...question(1, {
        type: "radio",
        "label.es": "¿Para qué la necesitas?",
        "label.en": "What do you need it for?",
        options: "trabajo: Trabajo | Work\nEstudios | Studies",
      }),
      ...question(2, { type: "date", "label.es": "Fecha de nacimiento", max: "-6570", prefill: "birthDate" }),
      ...question(3, { type: "number", "label.es": "Personas en tu hogar", min: "1", max: "30", required: "" }),
      ...question(4, { type: "group", "label.es": "Dependientes", maxItems: "5" }),
      "questions.4.fields.0.type": "text",
      "questions.4.fields.0.label.es": "Nombre",
      "questions.4.fields.0.required": "on",
      "questions.4.fields.1.type": "date",
      "questions.4.fields.1.label.es": "Fecha de nacimiento",
      ...question(5, {}), // an empty row is left out
      action: "save",
    });
    expect(saved.statusCode).toBe(303);
    let def = (await draftDef())!;
    const about = def.pages[2]!;
    expect(about.id).toBe("sobre_ti");
    expect(about.title).toEqual({ es: "Sobre ti", en: "About you" });
    expect(about.questions.map((q) => [q.id, q.type])).toEqual([
      ["eres_mayor_de_edad", "yesno"],
      ["para_que_la_necesitas", "radio"],
      ["fecha_de_nacimiento", "date"],
      ["personas_en_tu_hogar", "number"],
      ["dependientes", "group"],
    ]);
    expect(about.questions[1]!.options).toEqual([
      { value: "trabajo", label: { es: "Trabajo", en: "Work" } },
      { value: "estudios", label: { es: "Estudios", en: "Studies" } },
    ]);
    expect(about.questions[2]).toMatchObject({ max: -6570, prefill: "birthDate" });
    expect(about.questions[3]).toMatchObject({ min: 1, max: 30, required: false });
    expect(about.questions[4]!.fields!.map((f) => f.id)).toEqual(["nombre", "fecha_de_nacimiento"]);
    expect(about.questions[4]!.fields![1]!.required).toBe(false);

    // A page shown only for one answer, and an exit page for "no".
    const conditional = await editor.submit(`${base()}/borrador/agregar-pagina`, {
      "title.es": "Tus estudios",
      "showIf.question": "para_que_la_necesitas",
      "showIf.in.para_que_la_necesitas": "estudios",
      ...question(0, { type: "textarea", "label.es": "¿Qué estudias?", maxLength: "500" }),
      action: "save",
    });
    expect(conditional.statusCode).toBe(303);
    const exit = await editor.submit(`${base()}/borrador/agregar-pagina`, {
      "title.es": "No puedes hacerlo en línea",
      "body.es": "Este trámite es para personas adultas. Acude a una oficina con tu madre, padre o tutor.",
      kind: "exit",
      "showIf.question": "eres_mayor_de_edad",
      "showIf.in.eres_mayor_de_edad": "no",
      ...question(0, {}),
      action: "save",
    });
    expect(exit.statusCode).toBe(303);
    def = (await draftDef())!;
    expect(def.pages.map((p) => p.id)).toEqual([
      "solicitante",
      "documentos",
      "sobre_ti",
      "tus_estudios",
      "no_puedes_hacerlo_en_linea",
    ]);
    expect(def.pages[3]!.showIf).toEqual([{ question: "para_que_la_necesitas", in: ["estudios"] }]);
    expect(def.pages[4]).toMatchObject({
      kind: "exit",
      questions: [],
      showIf: [{ question: "eres_mayor_de_edad", in: ["no"] }],
    });

    const shown = await editor.get(`${base()}/borrador`);
    expect(shown.body).toContain("Se muestra solo si «¿Para qué la necesitas?» es «Estudios».");
    expect(shown.body).toContain("Página de salida");
    // The editor shows options as typed lines; the condition's question is picked among earlier ones.
    const edit = await editor.get(`${base()}/borrador/paginas/sobre_ti`);
    expect(edit.body).toContain("trabajo: Trabajo | Work\nestudios: Estudios | Studies");
    const later = await editor.get(`${base()}/borrador/paginas/tus_estudios`);
    expect(later.body).toContain('value="para_que_la_necesitas" checked');

    // Moving pages keeps the definition valid; moving the conditional page above its question is refused.
    expect((await editor.post(`${base()}/borrador`, { action: "page-up:no_puedes_hacerlo_en_linea" })).statusCode).toBe(
      303,
    );
    expect((await editor.post(`${base()}/borrador`, { action: "page-up:tus_estudios" })).statusCode).toBe(303);
    expect((await draftDef())!.pages.map((p) => p.id)).toEqual([
      "solicitante",
      "documentos",
      "sobre_ti",
      "tus_estudios",
      "no_puedes_hacerlo_en_linea",
    ]);
    const before = await draftDef();
    const bad = await editor.post(`${base()}/borrador`, { action: "page-up:tus_estudios" });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#page-tus_estudios"');
    expect(bad.body).toContain("no está en una página anterior");
    expect(await draftDef()).toEqual(before);

    // Renaming a question carries the conditions that use it.
    const page = await editor.get(`${base()}/borrador/paginas/sobre_ti`);
    expect(page.statusCode).toBe(200);
    const renamed = await editor.post(`${base()}/borrador/paginas/sobre_ti`, {
      ...fieldsOf(page.body),
      "questions.0.id": "mayor_de_edad",
      action: "save",
    });
    expect(renamed.statusCode).toBe(303);
    def = (await draftDef())!;
    expect(def.pages.find((p) => p.kind === "exit")!.showIf![0]!.question).toBe("mayor_de_edad");

    // The preview goes through every page in order, conditional ones labelled.
    const start = await editor.get(`${base()}/vista-previa`);
    expect(start.statusCode).toBe(303);
    expect(start.headers.location).toBe(`${base()}/vista-previa/solicitante`);
    const preview = await editor.get(`${base()}/vista-previa/tus_estudios`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain("Se muestra solo si «¿Para qué la necesitas?» es «Estudios».");
    expect(preview.body).toContain('name="que_estudias"');
    expect(preview.body).toContain("disabled");
    expect(preview.body).toContain('rel="prev"');
    expect(preview.body).toContain('rel="next"');
    expect((await editor.get(`${base()}/vista-previa/documentos`)).body).toContain('type="file"');

    // Every id on the builder's pages is unique (labels, error links and conditional reveals rely on them).
    for (const url of [
      base(),
      `${base()}/borrador`,
      `${base()}/borrador/paginas/sobre_ti`,
      `${base()}/vista-previa/sobre_ti`,
    ])
      expect([url, duplicateIds((await editor.get(url)).body)]).toEqual([url, []]);
    const grown = await editor.post(`${base()}/borrador/paginas/sobre_ti`, {
      ...fieldsOf(page.body),
      action: "add-question",
    });
    expect(duplicateIds(grown.body)).toEqual([]);

    // The English builder is the same, its language switch pointing at the Spanish one.
    const en = await editor.get(`/en/manage/forms/${H}/draft`);
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain("Draft form");
    expect(en.body).toContain(`href="/gestion/formularios/${H}/borrador"`);
    expect((await editor.get(`/en/manage/forms/${H}/draft/pages/sobre_ti`)).body).toContain("Add another question");
  });

  it("refuses bad input with 400, shows it next to the fields as typed, and leaves the draft unchanged", async () => {
    const before = await draftDef();
    const url = `${base()}/borrador/paginas/sobre_ti`;
    const page = await editor.get(url);
    const fields = fieldsOf(page.body);
    const post = (extra: Record<string, string>) => editor.post(url, { ...fields, action: "save", ...extra });

    const empty = await post({ "title.es": "", "questions.1.label.es": "", "questions.1.hint.es": "Ayuda única 7431" });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#title.es"');
    expect(empty.body).toContain('href="#questions.1.label.es"');
    expect(empty.body).toContain("Ayuda única 7431");
    const notNumber = await post({ "questions.3.min": "uno" });
    expect(notNumber.statusCode).toBe(400);
    expect(notNumber.body).toContain('href="#questions.3.min"');
    expect(notNumber.body).toContain('value="uno"');
    const slow = await post({ "questions.0.type": "text", "questions.0.pattern": "(a+)+" });
    expect(slow.statusCode).toBe(400);
    expect(slow.body).toContain('href="#questions.0.pattern"');
    const options = await post({ "questions.2.options": "a: A" });
    expect(options.statusCode).toBe(400);
    expect(options.body).toContain('href="#questions.2.options"');
    const taken = await post({ "questions.2.id": "curp" });
    expect(taken.statusCode).toBe(400);
    expect(taken.body).toContain('href="#questions.2.id"');
    // Taking away an option a later page depends on: the problem is on that page, so it is listed without a link.
    const orphan = await post({ "questions.1.options": "trabajo: Trabajo" });
    expect(orphan.statusCode).toBe(400);
    expect(orphan.body).toContain("estudios");
    const huge = await post({ "title.es": "x".repeat(50_000) });
    expect(huge.statusCode).toBe(400);
    expect(huge.body).toContain('href="#title.es"');
    expect(huge.body).toContain("Escribe como máximo 300 caracteres");
    expect(huge.body).toMatch(/<title>Error: /);
    const large = await post({ "questions.0.hint.es": "x".repeat(200_000) }); // over the site's usual 64 KB, under the editor's 1 MB
    expect(large.statusCode).toBe(400);
    expect(large.body).toContain('href="#questions.0.hint.es"');
    const tooMuch = await post({ "questions.0.label.es": "x".repeat(1_100_000) });
    expect(tooMuch.statusCode).toBe(413);

    // Forged actions, indexes and names.
    for (const action of ["remove:99", "up:-1", "explode", "add-field:x", "remove-field:0:99"]) {
      const res = await post({ action });
      expect([200, 400]).toContain(res.statusCode);
    }
    expect((await post({ action: "remove:99" })).statusCode).toBe(400);
    const forged = await post({
      "questions.-1.type": "group",
      "questions.999.type": "file",
      ["__proto__"]: "x",
      "showIf.more": "{not json",
      "questions.0.file.kinds": "exe",
      "questions.4.fields.0.extra": "[1,2",
    });
    expect(forged.statusCode).toBe(303); // only the real fields count; the draft is as it was
    expect(await draftDef()).toEqual(before);

    expect((await editor.get(`${base()}/borrador/paginas/no_existe`)).statusCode).toBe(404);
    expect((await editor.post(`${base()}/borrador/paginas/no_existe`, fields)).statusCode).toBe(404);
    expect((await editor.get(`${base()}/borrador/paginas/..%2F..`)).statusCode).toBe(404);
    expect((await editor.post(`${base()}/borrador`, { action: "page-delete:no_existe" })).statusCode).toBe(404);
    expect((await editor.post(`${base()}/borrador`, { action: "page-up:solicitante" })).statusCode).toBe(400);
    expect((await editor.get(`${base()}/vista-previa/solicitante?version=abc`)).statusCode).toBe(404);
    expect((await editor.get(`${base()}/vista-previa/solicitante?version=99`)).statusCode).toBe(404);
    expect((await editor.get("/gestion/formularios/NO-EXISTE-1")).statusCode).toBe(404);
    expect((await editor.get(`${base()}?aviso=constructor`)).statusCode).toBe(200);
    expect((await post({ "showIf.question": "constructor", "showIf.in.constructor": "x" })).statusCode).toBe(400);
    expect((await post({ "showIf.question": "toString" })).statusCode).toBe(400);
    expect(await draftDef()).toEqual(before);

    // Removing a question changes only the screen until the page is saved.
    const removed = await post({ action: "remove:3" });
    expect(removed.statusCode).toBe(200);
    expect(removed.body).toContain("Todavía no se guardó");
    expect(removed.body).not.toContain('value="Personas en tu hogar"');
    expect(await draftDef()).toEqual(before);
  });

  it("deletes a page after confirming, and saves the declaration", async () => {
    const confirm = await editor.post(`${base()}/borrador`, { action: "page-delete:tus_estudios" });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain("¿Borrar la página «Tus estudios»?");
    expect((await draftDef())!.pages.some((p) => p.id === "tus_estudios")).toBe(true);
    const deleted = await editor.post(`${base()}/borrador`, { action: "page-delete-confirm:tus_estudios" });
    expect(deleted.statusCode).toBe(303);
    expect((await draftDef())!.pages.some((p) => p.id === "tus_estudios")).toBe(false);
    // The page other pages depend on cannot go.
    const needed = await editor.post(`${base()}/borrador`, { action: "page-delete-confirm:sobre_ti" });
    expect(needed.statusCode).toBe(400);
    const declared = await editor.post(`${base()}/borrador`, {
      action: "declaration",
      "declaration.es": "Declaro que todo es cierto.",
      "declaration.en": "I declare it is all true.",
    });
    expect(declared.statusCode).toBe(303);
    expect((await draftDef())!.declaration).toEqual({
      es: "Declaro que todo es cierto.",
      en: "I declare it is all true.",
    });
    const tooLong = await editor.post(`${base()}/borrador`, {
      action: "declaration",
      "declaration.es": "x".repeat(3000),
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('href="#declaration.es"');
    expect(tooLong.body).toContain("x".repeat(3000));
  });

  it("answers 404 to another institution's staff on every route with this form's ids", async () => {
    await outsider.get("/gestion/formularios");
    const page = `${base()}/borrador/paginas/sobre_ti`;
    const gets = [
      base(),
      `${base()}/borrador`,
      `${base()}/borrador/agregar-pagina`,
      page,
      `${base()}/vista-previa`,
      `${base()}/vista-previa/sobre_ti`,
      `${base()}/exportar.json`,
      `${base()}/importar`,
      `${base()}/publicar`,
      `${base()}/descartar`,
      `/en/manage/forms/${H}/draft`,
      `/en/manage/forms/${H}/export.json`,
    ];
    for (const url of gets) expect([url, (await outsider.get(url)).statusCode]).toEqual([url, 404]);
    const posts: [string, Record<string, string>][] = [
      [`${base()}/borrador`, { action: "open" }],
      [`${base()}/borrador`, { action: "page-delete-confirm:sobre_ti" }],
      [`${base()}/borrador/agregar-pagina`, { "title.es": "x", action: "save" }],
      [page, { "title.es": "", action: "save" }],
      [`${base()}/importar`, { definition: "{nope" }],
      [`${base()}/publicar`, { action: "publish" }],
      [`${base()}/descartar`, { action: "discard" }],
    ];
    for (const [url, fields] of posts) expect([url, (await outsider.post(url, fields)).statusCode]).toEqual([url, 404]);
    expect((await outsider.get(`/gestion/formularios?institucion=${A}`)).body).not.toContain(H);
    expect((await forms()).length).toBe(1);
  });

  it("lets a reviewer publish but not an editor, and retires the live version on the next publication", async () => {
    const caseworker = (await signedInStaff(t.app, t.ctx, [{ institution: A, role: "caseworker" }])).client;
    expect((await caseworker.get(`${base()}/borrador`)).statusCode).toBe(403);
    expect((await caseworker.get("/gestion/formularios")).statusCode).toBe(403);
    expect((await editor.get(`${base()}/publicar`)).statusCode).toBe(403);
    await editor.get(`${base()}/borrador`);
    expect((await editor.post(`${base()}/publicar`, { action: "publish" })).statusCode).toBe(403);
    expect((await forms()).map((f) => f.state)).toEqual(["draft"]);
    expect((await editor.get(`${base()}/borrador`)).body).not.toContain(`href="${base()}/publicar"`);

    const confirm = await reviewer.get(`${base()}/publicar`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain("¿Publicar la versión 1 del formulario?");
    expect(confirm.body).toContain("se podrá hacer en línea");
    const published = await reviewer.post(`${base()}/publicar`, { action: "publish" });
    expect(published.statusCode).toBe(303);
    expect(published.headers.location).toBe(`${base()}?aviso=publicado`);
    expect((await forms()).map((f) => f.state)).toEqual(["live"]);

    // The next version starts from the live one; publishing it retires version 1.
    await reviewer.post(`${base()}/borrador`, { action: "open" });
    const v2 = await reviewer.get(`${base()}/borrador/paginas/documentos`);
    expect(
      (
        await reviewer.post(`${base()}/borrador/paginas/documentos`, {
          ...fieldsOf(v2.body),
          "title.es": "Tus documentos",
          action: "save",
        })
      ).statusCode,
    ).toBe(303);
    const again = await reviewer.get(`${base()}/publicar`);
    expect(again.body).toContain("Reemplaza la versión 1");
    expect(again.body).toContain("tendrán que empezarla de nuevo");
    expect((await reviewer.post(`${base()}/publicar`, { action: "publish" })).statusCode).toBe(303);
    expect((await forms()).map((f) => [f.version, f.state])).toEqual([
      [1, "retired"],
      [2, "live"],
    ]);
    const overview = await reviewer.get(base());
    expect(overview.body).toContain("Retirada");
    expect(overview.body).toContain("Versión 2, publicada el");
  });

  it("exports the definition and imports it back; an invalid import changes nothing", async () => {
    const exported = await editor.get(`${base()}/exportar.json`);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers["content-disposition"]).toBe(`attachment; filename="${H}-v2.json"`);
    const def = JSON.parse(exported.body) as FormDefinition;
    expect(def).toEqual((await forms()).find((f) => f.state === "live")!.definition);
    expect((await editor.get(`${base()}/exportar.json?version=1`)).headers["content-disposition"]).toContain(
      `${H}-v1.json`,
    );

    // Pasted: creates the draft (version 3) with the definition as it was.
    await editor.get(`${base()}/importar`);
    const pasted = await editor.post(`${base()}/importar`, { definition: JSON.stringify(def) });
    expect(pasted.statusCode).toBe(303);
    expect(await draftDef()).toEqual(def);
    // As a file (multipart), changed.
    const changed = structuredClone(def);
    changed.pages[0]!.title = { es: "Datos de quien lo pide", en: "Applicant's details" };
    const upload = await postFile(editor, `${base()}/importar`, JSON.stringify(changed));
    expect(upload.statusCode).toBe(303);
    expect(await draftDef()).toEqual(changed);

    const invalid = await editor.post(`${base()}/importar`, { definition: "{nope" });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain("no es JSON válido");
    expect(invalid.body).toContain("{nope");
    const broken = structuredClone(def);
    broken.pages.push({ id: "fin", kind: "exit", title: { es: "Fin" }, questions: [] });
    const refused = await postFile(editor, `${base()}/importar`, JSON.stringify(broken));
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain("no tiene condición");
    expect(refused.body).toContain("necesita un texto");
    const notAForm = await editor.post(`${base()}/importar`, {
      definition: JSON.stringify({ format: "otro", pages: [] }),
    });
    expect(notAForm.statusCode).toBe(400);
    expect(await draftDef()).toEqual(changed);
    const big = await postFile(editor, `${base()}/importar`, " ".repeat(600 * 1024));
    expect(big.statusCode).toBe(413);
    expect((await editor.post(`${base()}/importar`, {})).statusCode).toBe(400);

    // An invalid import into a procedure without a form creates nothing.
    await editor.get(`${base(H2)}/importar`);
    expect((await editor.post(`${base(H2)}/importar`, { definition: JSON.stringify(broken) })).statusCode).toBe(400);
    expect(await forms(H2)).toEqual([]);
  });

  it("discards a draft after confirming", async () => {
    const confirm = await editor.get(`${base()}/descartar`);
    expect(confirm.statusCode).toBe(200);
    const discarded = await editor.post(`${base()}/descartar`, { action: "discard" });
    expect(discarded.statusCode).toBe(303);
    expect(discarded.headers.location).toBe(`${base()}?aviso=descartado`);
    expect((await forms()).map((f) => f.state)).toEqual(["retired", "live"]);
    expect((await editor.get(`${base()}/borrador`)).statusCode).toBe(303);
    expect((await editor.get(`${base()}/borrador/paginas/documentos`)).statusCode).toBe(404);
  });
});

/** The fields of the page's main form as a browser would post them (inputs, checked boxes, selects, textareas). */
function fieldsOf(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  const start = html.indexOf('<form method="post"');
  const form = html.slice(start, html.indexOf("</form>", start));
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
  const decode = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&");
  for (const tag of form.match(/<input\b[^>]*>/g) ?? []) {
    const name = attr(tag, "name");
    const type = attr(tag, "type") ?? "text";
    if (!name || name === "_csrf") continue;
    if ((type === "radio" || type === "checkbox") && !/\bchecked\b/.test(tag)) continue;
    if (type === "checkbox" && out[name] !== undefined) continue; // one value is enough for these tests
    out[name] = decode(attr(tag, "value") ?? "");
  }
  for (const m of form.matchAll(/<textarea\b[^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g))
    out[m[1]!] = decode(m[2]!);
  for (const m of form.matchAll(/<select\b[^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value(?:="([^"]*)")? selected/.exec(m[2]!) ?? /<option value(?:="([^"]*)")?/.exec(m[2]!);
    out[m[1]!] = decode(selected?.[1] ?? "");
  }
  return out;
}

function duplicateIds(html: string): string[] {
  const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]!);
  return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
}

/** Posts a JSON file as the import form does (multipart), with the client's cookies and token. */
async function postFile(client: BrowserClient, url: string, content: string) {
  const boundary = "----vt-test-boundary";
  const payload = [
    `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${client.csrf}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="form.json"\r\nContent-Type: application/json\r\n\r\n${content}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="definition"\r\n\r\n\r\n`,
    `--${boundary}--\r\n`,
  ].join("");
  const res = await t.app.inject({
    method: "POST",
    url,
    payload,
    headers: {
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      "content-type": `multipart/form-data; boundary=${boundary}`,
    },
    remoteAddress: client.address,
  });
  return res;
}
