import { renderToString } from "preact-render-to-string";
import { describe, expect, it } from "vitest";
import type { Lang } from "../../../platform/views/i18n.js";
import type { Answers, FileAnswer, FormDefinition, Page, Question } from "../definition.js";
import { readPage } from "../engine.js";
import { pageHeadingIsQuestion, pageNeedsMultipart, QuestionFields, type QuestionFieldsProps } from "./questions.js";

// ---------------------------------------------------------------------------------------------
// A small HTML reader: enough to follow ids, attributes and ancestors in Preact's output.

interface El {
  tag: string;
  attrs: Record<string, string>;
  parent: El | undefined;
  text: string;
}
const VOID = new Set(["input", "br", "img", "hr", "meta", "link"]);
const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

function parse(html: string): El[] {
  const root: El = { tag: "root", attrs: {}, parent: undefined, text: "" };
  const all: El[] = [];
  let cur = root;
  for (const m of html.matchAll(/<(\/?)([a-zA-Z0-9]+)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*(\/?)>|([^<]+)/g)) {
    if (m[5] !== undefined) {
      for (let e: El | undefined = cur; e; e = e.parent) e.text += decode(m[5]);
    } else if (m[1]) {
      cur = cur.parent ?? root;
    } else {
      const attrs: Record<string, string> = {};
      for (const a of m[3]!.matchAll(/([^\s=]+)(?:="([^"]*)")?/g)) attrs[a[1]!] = decode(a[2] ?? "");
      const el: El = { tag: m[2]!, attrs, parent: cur, text: "" };
      all.push(el);
      if (!VOID.has(el.tag) && !m[4]) cur = el;
    }
  }
  return all;
}

const ancestors = (el: El) => {
  const out: El[] = [];
  for (let e = el.parent; e; e = e.parent) out.push(e);
  return out;
};
const hasClass = (el: El, c: string) => (el.attrs.class ?? "").split(" ").includes(c);

// ---------------------------------------------------------------------------------------------

const L = (es: string, en?: string): { es: string; [lang: string]: string } => (en ? { es, en } : { es });
const opt = (value: string, es: string, en: string) => ({ value, label: L(es, en) });

const ALL: Page = {
  id: "all",
  title: L("Todo"),
  questions: [
    {
      id: "name",
      type: "text",
      label: L("Nombre", "Name"),
      hint: L("Como aparece en tu acta", "As on your birth certificate"),
      prefill: "fullName",
    },
    { id: "reason", type: "textarea", label: L("Motivo", "Reason") },
    { id: "employees", type: "number", label: L("Empleados", "Employees") },
    { id: "birth", type: "date", label: L("Fecha de nacimiento", "Date of birth"), prefill: "birthDate" },
    { id: "adult", type: "yesno", label: L("¿Eres mayor de edad?", "Are you an adult?") },
    { id: "kind", type: "radio", label: L("Tipo", "Kind"), options: [opt("a", "Uno", "One"), opt("b", "Dos", "Two")] },
    {
      id: "services",
      type: "checkboxes",
      label: L("Servicios", "Services"),
      options: [opt("agua", "Agua", "Water"), opt("luz", "Luz", "Electricity")],
    },
    { id: "office", type: "select", label: L("Oficina", "Office"), options: [opt("centro", "Centro", "Centre")] },
    { id: "email", type: "email", label: L("Correo", "Email") },
    { id: "phone", type: "phone", label: L("Teléfono", "Phone") },
    { id: "curp", type: "curp", label: L("CURP") },
    { id: "rfc", type: "rfc", label: L("RFC") },
    { id: "home", type: "address", label: L("Domicilio", "Address") },
    { id: "truth", type: "declaration", label: L("Declaro que es cierto", "I declare it is true") },
  ],
};
const FAMILY: Page = {
  id: "family",
  title: L("Familia"),
  questions: [
    {
      id: "dependents",
      type: "group",
      label: L("Dependientes", "Dependants"),
      minItems: 1,
      maxItems: 3,
      fields: [
        { id: "name", type: "text", label: L("Nombre", "Name") },
        { id: "birth", type: "date", label: L("Nacimiento", "Birth") },
        { id: "home", type: "address", label: L("Domicilio", "Address") },
        { id: "studies", type: "yesno", label: L("¿Estudia?", "Studying?"), required: false },
      ],
    },
  ],
};
const DOCS: Page = {
  id: "docs",
  title: L("Documentos"),
  questions: [{ id: "ine", type: "file", label: L("INE"), file: { maxBytes: 5 * 1024 * 1024, kinds: ["pdf", "jpg"] } }],
};
const FORM: FormDefinition = { format: "ventanilla-form/1", pages: [ALL, FAMILY, DOCS] };
const municipality = (state: string, name: string) =>
  state === "09" && ["09015", "cuauhtémoc"].includes(name.toLowerCase())
    ? { code: "09015", name: "Cuauhtémoc" }
    : undefined;
const OPTS = { today: "2026-03-03", municipality, existing: {} };

function render(page: Page, props: Partial<QuestionFieldsProps> = {}, lang: Lang = "es") {
  const html = renderToString(
    <QuestionFields lang={lang} page={page} answers={{}} errors={{}} prefilled={[]} {...props} />,
  );
  const els = parse(html);
  const byId = (id: string) => els.filter((e) => e.attrs.id === id);
  const one = (id: string) => {
    const found = byId(id);
    expect(found, `#${id}`).toHaveLength(1);
    return found[0]!;
  };
  return { html, els, byId, one };
}

/** Errors of a page posted empty (or with `input`), in Spanish, as a page handler would pass them. */
function errorsOf(page: Page, input: Record<string, unknown> = {}, existing: Answers = {}) {
  const { errors } = readPage(FORM, page, input, { ...OPTS, existing });
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v.es]));
}

/** Each error key names one field, whose message is announced with it and its group marked. */
function expectLinkedErrors(page: Page, errors: Record<string, string>, props: Partial<QuestionFieldsProps> = {}) {
  const r = render(page, { errors, ...props });
  for (const [key, message] of Object.entries(errors)) {
    const field = r.one(key);
    const error = r.one(`${key}-error`);
    expect(hasClass(error, "govuk-error-message")).toBe(true);
    expect(error.text).toBe(`Error: ${message}`);
    const describers = [field, ...ancestors(field)].filter((e) =>
      (e.attrs["aria-describedby"] ?? "").split(" ").includes(`${key}-error`),
    );
    expect(describers.length, `aria-describedby for ${key}`).toBeGreaterThan(0);
    expect(
      ancestors(field).some((e) => hasClass(e, "govuk-form-group--error")),
      `error group for ${key}`,
    ).toBe(true);
  }
  return r;
}

describe("question fields", () => {
  it("renders every type with GOV.UK Frontend classes, no script or style, and unique ids", () => {
    const r = render(ALL);
    expect(r.html).not.toMatch(/<script|style=/);
    const ids = r.els.map((e) => e.attrs.id).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
    for (const cls of [
      "govuk-input",
      "govuk-textarea",
      "govuk-date-input",
      "govuk-radios",
      "govuk-checkboxes",
      "govuk-select",
      "govuk-fieldset__legend",
      "govuk-hint",
    ]) {
      expect(
        r.els.some((e) => hasClass(e, cls)),
        cls,
      ).toBe(true);
    }
    expect(r.one("name-hint").text).toBe("Como aparece en tu acta");
    expect(r.one("name").attrs["aria-describedby"]).toBe("name-hint");
  });

  it("links every error of an empty page to its field", () => {
    const errors = errorsOf(ALL);
    expect(Object.keys(errors)).toEqual(
      expect.arrayContaining(["name", "birth.day", "adult", "services", "home.street", "home.municipality", "truth"]),
    );
    const r = expectLinkedErrors(ALL, errors);
    expect(r.els.filter((e) => hasClass(e, "govuk-input--error")).length).toBeGreaterThan(5);
    expect(hasClass(r.one("birth.month"), "govuk-input--error")).toBe(true);
  });

  it("links the errors of a bad address part by part", () => {
    const input = {
      "home.street": "Juárez 10",
      "home.settlement": "Centro",
      "home.postalCode": "600",
      "home.state": "09",
      "home.municipality": "Monterrey",
    };
    const errors = errorsOf({ ...ALL, questions: [ALL.questions[12]!] }, input);
    expect(Object.keys(errors)).toEqual(["home.postalCode", "home.municipality"]);
    expectLinkedErrors(ALL, errors, { input });
  });

  it("gives each type its keyboard, autofill and spelling hints", () => {
    const r = render(ALL, { prefilled: [] });
    expect(r.one("email").attrs).toMatchObject({ type: "email", autocomplete: "email", spellcheck: "false" });
    expect(r.one("phone").attrs).toMatchObject({ type: "tel", autocomplete: "tel" });
    expect(r.one("curp").attrs).toMatchObject({ spellcheck: "false", autocapitalize: "characters" });
    expect(r.one("rfc").attrs).toMatchObject({ spellcheck: "false" });
    expect(r.one("employees").attrs).toMatchObject({ inputmode: "decimal" });
    expect(r.one("name").attrs.autocomplete).toBe("name");
    expect(r.one("birth.day").attrs).toMatchObject({ inputmode: "numeric", autocomplete: "bday-day" });
    expect(r.one("birth.year").attrs.class).toContain("govuk-input--width-4");
    expect(r.one("home.postalCode").attrs).toMatchObject({ inputmode: "numeric", autocomplete: "postal-code" });
    expect(r.one("home.street").attrs.autocomplete).toBe("address-line1");
    expect(r.one("home.state").tag).toBe("select");
    expect(r.els.filter((e) => e.tag === "option" && e.parent?.attrs.id === "home.state")).toHaveLength(33);
    expect(r.one("home.municipality").attrs.type).toBe("text");
  });

  it("shows stored answers, municipalities by name", () => {
    const answers: Answers = {
      name: "Ana",
      reason: "Uno\ndos",
      employees: 12,
      birth: "1990-03-07",
      adult: false,
      kind: "b",
      services: ["luz"],
      office: "centro",
      home: {
        street: "Juárez 10",
        settlement: "Centro",
        postalCode: "06000",
        stateCode: "09",
        municipalityCode: "09015",
        municipalityName: "Cuauhtémoc",
      },
      truth: true,
    };
    const r = render(ALL, { answers });
    expect(r.one("name").attrs.value).toBe("Ana");
    expect(r.one("reason").text).toBe("Uno\ndos");
    expect(r.one("employees").attrs.value).toBe("12");
    expect([r.one("birth.day"), r.one("birth.month"), r.one("birth.year")].map((e) => e.attrs.value)).toEqual([
      "7",
      "3",
      "1990",
    ]);
    expect(r.one("adult-2").attrs).toMatchObject({ value: "no", checked: "" });
    expect(r.one("adult").attrs.checked).toBeUndefined();
    expect(r.one("kind-2").attrs.checked).toBe("");
    expect(r.one("services-2").attrs).toMatchObject({ value: "luz", checked: "" });
    expect(r.els.find((e) => e.tag === "option" && e.attrs.value === "centro")!.attrs.selected).toBe("");
    expect(r.els.find((e) => e.tag === "option" && e.attrs.value === "09")!.attrs.selected).toBe("");
    expect(r.one("home.municipality").attrs.value).toBe("Cuauhtémoc");
    expect(r.one("truth").attrs).toMatchObject({ type: "checkbox", value: "yes", checked: "" });
  });

  it("shows again what was typed when the page had errors", () => {
    const input = {
      "birth.day": "31",
      "birth.month": "2",
      "birth.year": "1990",
      curp: "abc",
      services: ["agua", "luz"],
    };
    const r = render(ALL, { input, answers: { curp: "HEGG560427MVZRRL04" } });
    expect(r.one("birth.day").attrs.value).toBe("31");
    expect(r.one("curp").attrs.value).toBe("abc");
    expect(r.one("services").attrs.checked).toBe("");
    expect(r.one("services-2").attrs.checked).toBe("");
  });

  it("marks answers taken from the account", () => {
    const r = render(ALL, {
      answers: { name: "Ana López", curp: "HEGG560427MVZRRL04" },
      prefilled: ["name", "curp", "birth"],
    });
    expect(r.one("name-prefilled").text).toBe("Lo tomamos de tu cuenta; puedes cambiarlo.");
    expect(r.one("name").attrs["aria-describedby"]).toBe("name-hint name-prefilled");
    expect(r.one("curp-prefilled")).toBeDefined();
    // Nothing came from the account for the date, so nothing to say.
    expect(r.byId("birth-prefilled")).toHaveLength(0);
    expect(render(ALL, { answers: { name: "Ana" }, prefilled: ["name"] }, "en").one("name-prefilled").text).toBe(
      "From your account; you can change it.",
    );
  });

  it("speaks English, marking Spanish-only labels as Spanish", () => {
    const r = render(ALL, {}, "en");
    expect(r.els.find((e) => e.tag === "label" && e.attrs.for === "name")!.text).toBe("Name");
    expect(r.els.find((e) => e.tag === "label" && e.attrs.for === "curp")!.attrs.lang).toBe("es");
    expect(r.els.find((e) => e.tag === "label" && e.attrs.for === "adult")!.text).toBe("Yes");
    expect(r.els.find((e) => e.tag === "label" && e.attrs.for === "home.settlement")!.text).toBe(
      "Neighbourhood (colonia)",
    );
  });
});

describe("question pages", () => {
  const single = (q: Question, extra: Partial<Page> = {}): Page => ({
    id: "p",
    title: L("P"),
    questions: [q],
    ...extra,
  });

  it("makes the only question the page's heading", () => {
    const text = single(ALL.questions[0]!);
    expect(pageHeadingIsQuestion(text)).toBe(true);
    const r = render(text);
    const label = r.els.find((e) => e.tag === "label" && e.attrs.for === "name")!;
    expect(label.attrs.class).toBe("govuk-label govuk-label--l");
    expect(label.parent!.tag).toBe("h1");
    const radios = render(single(ALL.questions[5]!));
    const h1 = radios.els.find((e) => e.tag === "h1")!;
    expect(h1.attrs.class).toBe("govuk-fieldset__heading");
    expect(h1.parent!.attrs.class).toContain("govuk-fieldset__legend--l");
  });

  it("keeps the page's own heading when it has text, several questions or a declaration", () => {
    expect(pageHeadingIsQuestion(single(ALL.questions[0]!, { body: L("Antes de empezar") }))).toBe(false);
    expect(pageHeadingIsQuestion(ALL)).toBe(false);
    expect(pageHeadingIsQuestion(single(ALL.questions[13]!))).toBe(false);
    expect(render(ALL).els.some((e) => e.tag === "h1")).toBe(false);
  });
});

describe("repeatable groups", () => {
  const items: Record<string, string | boolean>[] = [
    { name: "Luis", birth: "2015-02-01" },
    { name: "Eva", birth: "2016-05-09", studies: true },
  ];

  it("shows the stored items plus one empty item, up to maxItems", () => {
    const r = render(FAMILY, { answers: { dependents: items } });
    expect(r.els.filter((e) => hasClass(e, "vt-group-item"))).toHaveLength(3);
    expect(r.one("dependents.1.name").attrs.value).toBe("Eva");
    expect(r.one("dependents.1.studies").attrs.checked).toBe("");
    expect(r.one("dependents.2.name").attrs.value).toBe("");
    expect(r.one("dependents.2-hint").text).toBe("Déjalo en blanco si no necesitas agregar otro.");
    const full = render(FAMILY, { answers: { dependents: [...items, { name: "Ana", birth: "2017-01-01" }] } });
    expect(full.els.filter((e) => hasClass(e, "vt-group-item"))).toHaveLength(3);
    expect(full.byId("dependents.3.name")).toHaveLength(0);
  });

  it("shows one empty item to start with, and no autofill of the person's own details", () => {
    const r = render(FAMILY);
    expect(r.els.filter((e) => hasClass(e, "vt-group-item"))).toHaveLength(1);
    expect(r.byId("dependents.0-hint")).toHaveLength(0);
    expect(r.one("dependents.0.home.postalCode").attrs.autocomplete).toBeUndefined();
  });

  it("links item errors, and the group's own, to their fields", () => {
    const input = {
      "dependents.0.name": "Luis",
      "dependents.2.birth.day": "31",
      "dependents.2.birth.month": "2",
      "dependents.2.birth.year": "2015",
    };
    const errors = errorsOf(FAMILY, input);
    expect(Object.keys(errors)).toEqual(
      expect.arrayContaining([
        "dependents.0.birth.day",
        "dependents.0.home.street",
        "dependents.2.name",
        "dependents.2.birth.day",
      ]),
    );
    const r = expectLinkedErrors(FAMILY, errors, { input });
    expect(r.els.filter((e) => hasClass(e, "vt-group-item"))).toHaveLength(3);
    expectLinkedErrors(FAMILY, errorsOf(FAMILY));
    expect(Object.keys(errorsOf(FAMILY))).toEqual(["dependents"]);
  });
});

describe("file questions", () => {
  const file: FileAnswer = { uploadId: "u1", name: "ine.pdf", bytes: 250_000, contentType: "application/pdf" };

  it("accepts only the question's kinds and says its rules", () => {
    const r = render(DOCS);
    expect(pageNeedsMultipart(DOCS)).toBe(true);
    expect(pageNeedsMultipart(ALL)).toBe(false);
    expect(r.one("ine").attrs).toMatchObject({
      type: "file",
      class: "govuk-file-upload",
      accept: ".pdf,application/pdf,.jpg,.jpeg,image/jpeg",
    });
    expect(r.one("ine-rules").text).toBe("Formatos: PDF, JPG. Tamaño máximo: 5 MB.");
  });

  it("names the file already uploaded", () => {
    const r = render(DOCS, { answers: { ine: file } });
    expect(r.one("ine-current").text).toBe("Archivo que subiste: ine.pdf (244 KB). Si subes otro, reemplaza a este.");
    expect(r.one("ine").attrs["aria-describedby"]).toBe("ine-rules ine-current");
    expect(render(DOCS, { uploads: { ine: file } }, "en").one("ine-current").text).toContain("ine.pdf (244 KB)");
  });

  it("links a missing file's error", () => {
    expectLinkedErrors(DOCS, errorsOf(DOCS));
  });
});
