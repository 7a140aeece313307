import { describe, expect, it } from "vitest";
import {
  editPageInput,
  emptyPage,
  fieldOfProblem,
  keyFrom,
  movePage,
  one,
  pageFromInput,
  pageInput,
  readDeclaration,
  readOptions,
  readPageInput,
  type Body,
} from "./builder-input.js";
import type { FormDefinition, Page } from "./definition.js";

const def = (...pages: Page[]): FormDefinition => ({ format: "ventanilla-form/1", pages }) as unknown as FormDefinition;
const page = (id: string, questions: Page["questions"] = []): Page => ({ id, title: { es: id }, questions });

/** A posted editor: the page's fields, then each question's as `questions.N.key`. */
function posted(fields: Body, ...questions: Record<string, string>[]): Body {
  const out: Body = { ...fields };
  questions.forEach((q, i) => {
    for (const [k, v] of Object.entries({ type: "text", required: "on", ...q })) out[`questions.${i}.${k}`] = v;
  });
  return out;
}
const build = (body: Body, d = def(), index = d.pages.length) => pageFromInput(readPageInput(body), d, index);

describe("ids from labels", () => {
  it("makes lowercase keys without accents or punctuation, unique among those taken", () => {
    const taken = new Set<string>();
    expect(keyFrom("¿Tienes pasaporte?", "pregunta", taken)).toBe("tienes_pasaporte");
    expect(keyFrom("Tienes pasaporte", "pregunta", taken)).toBe("tienes_pasaporte_2");
    expect(keyFrom("Año de nacimiento", "pregunta", taken)).toBe("ano_de_nacimiento");
    expect(keyFrom("¿¡!?", "pregunta", taken)).toBe("pregunta");
    expect(keyFrom("2 hijos", "pregunta", taken)).toBe("pregunta_2_hijos");
    expect(keyFrom("2 hijos", "opcion_1", new Set(), false)).toBe("2_hijos");
    expect(keyFrom("x".repeat(50), "pregunta", taken)).toBe("x".repeat(32));
  });

  it("names the page from its title and the questions from their labels, avoiding other pages' ids", () => {
    const built = build(
      posted({ "title.es": "Sobre ti" }, { "label.es": "Nombre" }, { "label.es": "Nombre" }, { id: "curp" }),
      def(page("sobre_ti", [{ id: "nombre", type: "text", label: { es: "Nombre" } }])),
    );
    expect(built.page.id).toBe("sobre_ti_2");
    expect(built.page.questions.map((q) => q.id)).toEqual(["nombre_2", "nombre_3", "curp"]);
    expect(built.issues["questions.2.label.es"]).toMatchObject({ es: "Escribe la pregunta." });
  });

  it("refuses a typed id that is not one, and follows a renamed question's conditions", () => {
    const built = build(posted({ "title.es": "P", id: "Mi Página" }, { "label.es": "A", was: "viejo", id: "nuevo" }));
    expect(built.issues.id?.en).toContain("lowercase letters");
    expect([...built.renames]).toEqual([["viejo", "nuevo"]]);
  });
});

describe("options typed one a line", () => {
  const read = (typed: string) => {
    const said: [string, string][] = [];
    const options = readOptions(typed, "options", (field, es) => said.push([field, es]));
    return { options, said };
  };

  it("reads 'valor: Etiqueta | English label', making the value from the label when absent", () => {
    expect(read("trabajo: Trabajo | Work\r\n\n  Estudios | Studies \nSí\nSí").options).toEqual([
      { value: "trabajo", label: { es: "Trabajo", en: "Work" } },
      { value: "estudios", label: { es: "Estudios", en: "Studies" } },
      { value: "si", label: { es: "Sí" } },
      { value: "si_2", label: { es: "Sí" } },
    ]);
    expect(read(" \n ").options).toBeUndefined();
  });

  it("says which line has no label, and takes 200 options at most", () => {
    expect(read("a: A\nb:").said).toEqual([["options", "La opción de la línea 2 no tiene etiqueta."]]);
    const many = read(Array.from({ length: 250 }, (_, i) => `Opción ${i}`).join("\n"));
    expect(many.options).toHaveLength(200);
    expect(many.said).toEqual([["options", "Una pregunta admite hasta 200 opciones."]]);
  });
});

describe("numbers, sizes and choices from the list", () => {
  it("keeps whole numbers, numbers or dates where each is allowed, and says what is wrong by field", () => {
    const built = build(
      posted(
        { "title.es": "P" },
        { "label.es": "Edad", type: "number", min: "18", max: "120.5" },
        { "label.es": "Fecha", type: "date", min: "2000-01-31", max: "-6570" },
        { "label.es": "Texto", minLength: "1.5", maxLength: "diez", min: "uno" },
        { "label.es": "Otro", type: "explode", prefill: "password" },
        { "label.es": "Archivo", type: "file", "file.maxMb": "99" },
      ),
    );
    expect(built.page.questions[0]).toMatchObject({ min: 18, max: 120.5 });
    expect(built.page.questions[1]).toMatchObject({ min: "2000-01-31", max: -6570 });
    expect(built.page.questions[3]!.type).toBe("text");
    expect(Object.keys(built.issues)).toEqual([
      "questions.2.minLength",
      "questions.2.maxLength",
      "questions.2.min",
      "questions.3.type",
      "questions.3.prefill",
      "questions.4.file.maxMb",
      "questions.4.file.kinds",
    ]);
  });

  it("counts characters, not bytes, against the definition's limits", () => {
    expect(build(posted({ "title.es": "ñ".repeat(300) })).issues).toEqual({});
    expect(build(posted({ "title.es": "ñ".repeat(301) })).issues["title.es"]?.es).toBe(
      "Escribe como máximo 300 caracteres (hay 301).",
    );
  });
});

describe("what the editor reads from a post", () => {
  it("reads only the rows the editor can show, ignoring forged and huge indexes", () => {
    const input = readPageInput({
      "questions.-1.type": "text",
      "questions.1e3.type": "text",
      "questions.999.type": "file",
      "questions.40.type": "text",
      "questions.39.type": "text",
      "questions.3.type": "group",
      "questions.3.fields.24.type": "text",
      "questions.3.fields.25.type": "text",
      "questions.3.fields.x.type": "text",
      "showIf.in.edad": ["18", "19"],
      "showIf.in.__proto__": "x",
      "showIf.in.Mal": "x",
      ["__proto__"]: "x",
    });
    expect(input.questions.map((q) => q.v.type)).toEqual(["group", "text"]);
    expect(input.questions[0]!.fields).toHaveLength(1);
    expect(input.condIn).toEqual({ edad: ["18", "19"] });
  });

  it("takes one value a field (multipart ones too), cut to a length it can show again", () => {
    expect(one({ a: ["x", "y"] }, "a")).toBe("x");
    expect(one({ a: { value: "z" } }, "a")).toBe("z");
    expect(one({ a: 3 }, "a")).toBe("");
    expect(one({ a: "x".repeat(30_000) }, "a")).toHaveLength(20_000);
  });

  it("drops forged conditions and extras but keeps the rest of the page", () => {
    const built = build({
      ...posted({ "title.es": "P", "showIf.more": "{not json" }, { type: "group", "label.es": "G" }),
      "questions.0.fields.0.type": "text",
      "questions.0.fields.0.label.es": "Nombre",
      "questions.0.fields.0.extra": "[1,2",
    });
    expect(built.issues).toEqual({});
    expect(built.page.showIf).toBeUndefined();
    expect(built.page.questions[0]!.fields).toEqual([
      { id: "nombre", type: "text", label: { es: "Nombre" }, required: false },
    ]);
  });

  it("asks for an answer that shows the page, whatever the question is called", () => {
    for (const chosen of ["edad", "constructor", "toString"])
      expect(build(posted({ "title.es": "P", "showIf.question": chosen })).issues).toHaveProperty("showIf.question");
  });
});

describe("the editor's buttons", () => {
  it("adds, moves and removes rows on screen, and refuses what does not exist", () => {
    const input = emptyPage();
    expect(editPageInput(input, "add-question")).toBe("edited");
    input.questions[1]!.v["label.es"] = "Segunda";
    expect(editPageInput(input, "up:1")).toBe("edited");
    expect(input.questions[0]!.v["label.es"]).toBe("Segunda");
    expect(editPageInput(input, "up:0")).toBe("edited");
    expect(editPageInput(input, "add-field:0")).toBe("edited");
    expect(input.questions[0]).toMatchObject({ v: { type: "group" }, fields: [{}, {}] });
    expect(editPageInput(input, "remove-field:0:99")).toBe("edited");
    expect(editPageInput(input, "save")).toBe("save");
    for (const forged of ["remove:99", "explode", "add-field:x", "up:-1", "remove:100"])
      expect(() => editPageInput(input, forged)).toThrow();
    while (input.questions.length < 30) editPageInput(input, "add-question");
    expect(editPageInput(input, "add-question")).toBe("full");
  });
});

describe("a page there and back", () => {
  it("shows a page of the definition as fields that make the same page again", () => {
    const original: Page = {
      id: "datos",
      title: { es: "Datos", en: "Details" },
      body: { es: "Texto." },
      showIf: [
        { question: "tipo", in: ["a"] },
        { question: "otro", in: ["b"] },
      ],
      questions: [
        {
          id: "motivo",
          type: "radio",
          label: { es: "Motivo", en: "Reason" },
          hint: { es: "Elige uno" },
          required: false,
          options: [
            { value: "trabajo", label: { es: "Trabajo", en: "Work" } },
            { value: "otro", label: { es: "Otro" } },
          ],
        },
        { id: "nota", type: "textarea", label: { es: "Nota" }, maxLength: 500, pattern: "^[a-z ]+$" },
        { id: "ine", type: "file", label: { es: "INE" }, file: { maxBytes: 2.5 * 1024 * 1024, kinds: ["pdf"] } },
        {
          id: "hijos",
          type: "group",
          label: { es: "Hijos" },
          maxItems: 5,
          fields: [{ id: "nombre", type: "text", label: { es: "Nombre" }, maxLength: 80 }],
        },
      ],
    };
    const shown = pageInput(original);
    expect(shown.v["showIf.question"]).toBe("tipo");
    expect(shown.questions[0]!.v.options).toBe("trabajo: Trabajo | Work\notro: Otro");
    expect(shown.questions[2]!.v["file.maxMb"]).toBe("2.5");
    const again = pageFromInput(shown, def(page("antes"), original), 1);
    expect(again.issues).toEqual({});
    expect(again.page).toEqual(original);
  });
});

describe("problems and the fields that show them", () => {
  it("points a definition's problem at the editor's row, past the blank rows left out", () => {
    const built = build(posted({ "title.es": "P" }, {}, { "label.es": "A" }, { type: "group", "label.es": "G" }));
    expect(built.rows).toEqual([1, 2]);
    expect(fieldOfProblem("/pages/0/questions/0/options", 0, built)).toBe("questions.1.options");
    expect(fieldOfProblem("/pages/0/questions/1/label/en", 0, built)).toBe("questions.2.label.en");
    expect(fieldOfProblem("/pages/0/questions/9", 0, built)).toBe("questions");
    expect(fieldOfProblem("/pages/0/title/en", 0, built)).toBe("title.en");
    expect(fieldOfProblem("/pages/1/title", 0, built)).toBeUndefined();
  });
});

describe("the draft's pages and declaration", () => {
  it("moves pages within the draft and refuses to move past either end", () => {
    const d = def(page("a"), page("b"), page("c"));
    movePage(d, 0, "page-down");
    expect(d.pages.map((p) => p.id)).toEqual(["b", "a", "c"]);
    expect(() => movePage(d, 0, "page-up")).toThrow("That page cannot move further.");
    movePage(d, 2, "page-delete-confirm");
    expect(d.pages.map((p) => p.id)).toEqual(["b", "a"]);
  });

  it("reads the declaration, empty meaning none, and says when it is too long", () => {
    expect(readDeclaration({ "declaration.es": " Declaro. ", "declaration.en": "" }).declaration).toEqual({
      es: "Declaro.",
    });
    expect(readDeclaration({ "declaration.es": "  " }).declaration).toBeUndefined();
    expect(Object.keys(readDeclaration({ "declaration.en": "x".repeat(2001) }).issues)).toEqual(["declaration.en"]);
  });
});
