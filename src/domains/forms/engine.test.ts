import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CURP_MESSAGES, type CurpProblem } from "../accounts/curp.js";
import type { AddressAnswer, Answers, FileAnswer, FormDefinition, Page, Question } from "./definition.js";
import {
  answerText,
  definitionProblems,
  exitPage,
  missingAnswers,
  nextPageId,
  pageInput,
  prefillFor,
  previousPageId,
  pruneHiddenAnswers,
  readPage,
  RFC_MESSAGES,
  startPageId,
  summaryRows,
  validateAll,
  visiblePages,
  withPageAnswers,
} from "./engine.js";

const vectors = JSON.parse(
  readFileSync(new URL("../../../test/standards/mx-ids/stdnum-mx-test-vectors.json", import.meta.url), "utf8"),
) as { curp: { valid: string[]; invalid: Record<string, string> } };

const CURP_PROBLEM: Record<string, CurpProblem> = {
  checksum: "checksum",
  length: "length",
  format: "format",
  "blacklisted first 4 letters": "blocked",
  date: "date",
  gender: "sex",
  state: "state",
};

// A few real INEGI municipalities, looked up by code or by name (accents and case aside).
const MUNICIPALITIES = [
  { code: "09015", state: "09", name: "Cuauhtémoc" },
  { code: "19039", state: "19", name: "Monterrey" },
  { code: "14039", state: "14", name: "Guadalajara" },
];
const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
const municipality = (state: string, nameOrCode: string) => {
  const m = MUNICIPALITIES.find(
    (x) => x.state === state && (x.code === nameOrCode || fold(x.name) === fold(nameOrCode)),
  );
  return m && { code: m.code, name: m.name };
};
const TODAY = "2026-03-03";
const OPTS = { today: TODAY, municipality, existing: {} };

const L = (es: string, en?: string): { es: string; [lang: string]: string } => (en ? { es, en } : { es });
const opt = (value: string, es: string, en: string) => ({ value, label: L(es, en) });

const FORM: FormDefinition = {
  format: "ventanilla-form/1",
  pages: [
    {
      id: "eligibility",
      title: L("Edad"),
      questions: [{ id: "adult", type: "yesno", label: L("¿Tienes 18 años o más?", "Are you 18 or over?") }],
    },
    {
      id: "too_young",
      kind: "exit",
      title: L("No puedes hacer este trámite en línea"),
      body: L("Pide a tu madre, padre o tutor que lo haga por ti."),
      questions: [],
      showIf: [{ question: "adult", in: ["no"] }],
    },
    {
      id: "about",
      title: L("Tus datos"),
      questions: [
        { id: "name", type: "text", label: L("Nombre completo", "Full name"), maxLength: 80, prefill: "fullName" },
        { id: "curp", type: "curp", label: L("CURP"), prefill: "curp" },
        {
          id: "birth",
          type: "date",
          label: L("Fecha de nacimiento", "Date of birth"),
          max: -6570,
          min: "1900-01-01",
          prefill: "birthDate",
        },
        { id: "email", type: "email", label: L("Correo electrónico", "Email"), required: false, prefill: "email" },
        { id: "phone", type: "phone", label: L("Teléfono", "Phone"), prefill: "phone" },
      ],
    },
    {
      id: "kind",
      title: L("Quién solicita"),
      questions: [
        {
          id: "kind",
          type: "radio",
          label: L("¿Quién solicita?", "Who is applying?"),
          options: [opt("persona", "Una persona", "A person"), opt("empresa", "Una empresa", "A company")],
        },
      ],
    },
    {
      id: "company",
      title: L("La empresa"),
      showIf: [{ question: "kind", in: ["empresa"] }],
      questions: [
        { id: "rfc", type: "rfc", label: L("RFC de la empresa", "Company RFC") },
        { id: "has_employees", type: "yesno", label: L("¿Tiene empleados?", "Does it have employees?") },
      ],
    },
    {
      id: "employees",
      title: L("Empleados"),
      showIf: [{ question: "has_employees", in: ["yes"] }],
      questions: [
        { id: "employees", type: "number", label: L("Número de empleados", "Number of employees"), min: 1, max: 10000 },
      ],
    },
    {
      id: "address",
      title: L("Domicilio"),
      questions: [{ id: "home", type: "address", label: L("Tu domicilio", "Your address"), prefill: "address" }],
    },
    {
      id: "details",
      title: L("Detalles"),
      questions: [
        {
          id: "services",
          type: "checkboxes",
          label: L("Servicios", "Services"),
          options: [opt("agua", "Agua", "Water"), opt("luz", "Luz", "Electricity"), opt("gas", "Gas", "Gas")],
        },
        {
          id: "office",
          type: "select",
          label: L("Oficina", "Office"),
          options: [opt("centro", "Centro", "Centre"), opt("norte", "Norte", "North")],
        },
        { id: "reason", type: "textarea", label: L("Motivo", "Reason"), maxLength: 500 },
        {
          id: "folio",
          type: "text",
          label: L("Folio anterior", "Previous reference"),
          required: false,
          pattern: "[A-Z]{2}-[0-9]{4}",
          patternMessage: L("Escribe el folio como AB-1234", "Enter the reference like AB-1234"),
        },
      ],
    },
    {
      id: "family",
      title: L("Dependientes"),
      questions: [
        {
          id: "dependents",
          type: "group",
          label: L("Personas que dependen de ti", "People who depend on you"),
          required: false,
          maxItems: 3,
          fields: [
            { id: "name", type: "text", label: L("Nombre", "Name") },
            { id: "birth", type: "date", label: L("Fecha de nacimiento", "Date of birth"), max: 0 },
            { id: "studies", type: "yesno", label: L("¿Estudia?", "Studying?"), required: false },
          ],
        },
      ],
    },
    {
      id: "documents",
      title: L("Documentos"),
      questions: [
        {
          id: "id_doc",
          type: "file",
          label: L("Identificación", "Identity document"),
          file: { maxBytes: 5 * 1024 * 1024, kinds: ["pdf", "jpg"] },
        },
      ],
    },
    {
      id: "declare",
      title: L("Declaración"),
      questions: [
        {
          id: "truth",
          type: "declaration",
          label: L("Declaro que los datos son ciertos", "I declare the details are true"),
        },
      ],
    },
  ],
};

const page = (id: string) => FORM.pages.find((p) => p.id === id)!;
const ids = (pages: Page[]) => pages.map((p) => p.id);
const read = (pageId: string, input: Record<string, unknown>, existing: Answers = {}) =>
  readPage(FORM, page(pageId), input, { ...OPTS, existing });
const esErrors = (r: { errors: Record<string, { es: string }> }) =>
  Object.fromEntries(Object.entries(r.errors).map(([k, v]) => [k, v.es]));

const ABOUT = {
  name: "Ana López",
  curp: "HEGG560427MVZRRL04",
  "birth.day": "27",
  "birth.month": "4",
  "birth.year": "1956",
  phone: "55 1234 5678",
};
const HOME = {
  "home.street": "Av. Juárez 10",
  "home.settlement": "Centro",
  "home.postalCode": "06000",
  "home.state": "09",
  "home.municipality": "cuauhtemoc",
};
const FILE: FileAnswer = { uploadId: "u1", name: "ine.pdf", bytes: 123_456, contentType: "application/pdf" };

/** Answers a person who applies as a company with employees would have stored. */
function fullAnswers(): Answers {
  const pages: [string, Record<string, unknown>][] = [
    ["eligibility", { adult: "yes" }],
    ["about", ABOUT],
    ["kind", { kind: "empresa" }],
    ["company", { rfc: "MAB9307148T4", has_employees: "yes" }],
    ["employees", { employees: "12" }],
    ["address", HOME],
    ["details", { services: ["luz", "agua"], office: "centro", reason: "Apertura" }],
    [
      "family",
      {
        "dependents.0.name": "Luis",
        "dependents.0.birth.day": "1",
        "dependents.0.birth.month": "2",
        "dependents.0.birth.year": "2015",
      },
    ],
    ["declare", { truth: "yes" }],
  ];
  const answers: Answers = { id_doc: FILE };
  for (const [id, input] of pages) {
    const r = read(id, input);
    expect(r.errors, id).toEqual({});
    Object.assign(answers, r.answers);
  }
  return answers;
}

describe("routing", () => {
  it("shows the pages without conditions to start with", () => {
    expect(startPageId(FORM)).toBe("eligibility");
    expect(ids(visiblePages(FORM, {}))).toEqual([
      "eligibility",
      "about",
      "kind",
      "address",
      "details",
      "family",
      "documents",
      "declare",
    ]);
  });

  it("goes to the exit page and stops there", () => {
    const answers = { adult: false };
    expect(nextPageId(FORM, answers, "eligibility")).toBe("too_young");
    expect(nextPageId(FORM, answers, "too_young")).toBe("too_young");
    expect(exitPage(FORM, answers)?.id).toBe("too_young");
    expect(previousPageId(FORM, answers, "about")).toBe("eligibility");
  });

  it("follows chained conditions", () => {
    const answers = { adult: true, kind: "empresa", has_employees: true };
    expect(nextPageId(FORM, answers, "eligibility")).toBe("about");
    expect(nextPageId(FORM, answers, "kind")).toBe("company");
    expect(nextPageId(FORM, answers, "company")).toBe("employees");
    expect(nextPageId(FORM, answers, "employees")).toBe("address");
    expect(nextPageId(FORM, { ...answers, has_employees: false }, "company")).toBe("address");
    expect(previousPageId(FORM, answers, "address")).toBe("employees");
    expect(previousPageId(FORM, { ...answers, kind: "persona" }, "address")).toBe("kind");
  });

  it("ignores answers left on a page that is now hidden", () => {
    // has_employees was answered while applying as a company; as a person, the company page is hidden.
    const answers = { adult: true, kind: "persona", has_employees: true, employees: 3 };
    expect(ids(visiblePages(FORM, answers))).not.toContain("employees");
    expect(nextPageId(FORM, answers, "kind")).toBe("address");
  });

  it("ends with the check page and goes back from it", () => {
    expect(nextPageId(FORM, { adult: true }, "declare")).toBe("check");
    expect(previousPageId(FORM, { adult: true }, "check")).toBe("declare");
    expect(previousPageId(FORM, {}, "eligibility")).toBeUndefined();
    expect(nextPageId(FORM, {}, "no_such_page")).toBe("eligibility");
  });

  it("prunes answers of hidden pages and unknown questions", () => {
    const answers = {
      adult: true,
      kind: "persona",
      rfc: "MAB9307148T4",
      has_employees: true,
      employees: 3,
      forged: "x",
    };
    expect(pruneHiddenAnswers(FORM, answers)).toEqual({ adult: true, kind: "persona" });
  });

  it("replaces a page's answers, dropping those left blank", () => {
    const stored = { adult: true, email: "old@correo.mx", name: "Ana" };
    expect(withPageAnswers(page("about"), stored, { name: "Ana María" })).toEqual({ adult: true, name: "Ana María" });
  });
});

describe("reading a page", () => {
  it("reads every type of the about page, normalising what people type", () => {
    const r = read("about", { ...ABOUT, name: "  Jose\u0301  Pérez ", curp: " hegg560427mvzrrl04 ", email: "" });
    expect(r).toEqual({
      errors: {},
      answers: { name: "José  Pérez", curp: "HEGG560427MVZRRL04", birth: "1956-04-27", phone: "5512345678" },
    });
  });

  it("ignores forged field names, never storing them", () => {
    const r = read("about", { ...ABOUT, is_admin: "yes", adult: "no", "name.extra": "x", kind: "empresa" });
    expect(Object.keys(r.answers).sort()).toEqual(["birth", "curp", "name", "phone"]);
  });

  it("says what is missing, naming the question", () => {
    expect(esErrors(read("about", {}))).toEqual({
      name: "Escribe tu respuesta a «Nombre completo»",
      curp: "Escribe tu respuesta a «CURP»",
      "birth.day": "Escribe tu respuesta a «Fecha de nacimiento»",
      phone: "Escribe tu respuesta a «Teléfono»",
    });
    expect(read("about", {}).errors.name!.en).toBe("Enter your answer to ‘Full name’");
  });

  it("refuses answers that are too long or carry control characters", () => {
    const r = read("about", { ...ABOUT, name: "a".repeat(81), phone: "55\u00001234 5678", curp: "x".repeat(10_001) });
    expect(esErrors(r)).toEqual({
      name: "«Nombre completo» debe tener como máximo 80 caracteres",
      phone: "La respuesta a «Teléfono» tiene caracteres que no se pueden usar. Vuelve a escribirla.",
      curp: "La respuesta a «CURP» es demasiado larga.",
    });
  });

  it.each(vectors.curp.valid)("accepts the CURP %s", (curp) => {
    expect(read("about", { ...ABOUT, curp: curp.toLowerCase() }).answers.curp).toBe(curp);
  });

  it.each(Object.entries(vectors.curp.invalid))("refuses the CURP %s (%s)", (curp, reason) => {
    expect(read("about", { ...ABOUT, curp }).errors.curp).toEqual(CURP_MESSAGES[CURP_PROBLEM[reason]!]);
  });

  it.each([
    [
      { "birth.day": "31", "birth.month": "2", "birth.year": "1980" },
      "«Fecha de nacimiento» debe ser una fecha real, como 27 3 1990",
    ],
    [
      { "birth.day": "1", "birth.month": "", "birth.year": "1980" },
      "La fecha de «Fecha de nacimiento» debe incluir el mes",
    ],
    [
      { "birth.day": "1", "birth.month": "1", "birth.year": "80" },
      "El año de «Fecha de nacimiento» debe tener 4 dígitos",
    ],
    [
      { "birth.day": "uno", "birth.month": "1", "birth.year": "1980" },
      "«Fecha de nacimiento» debe ser una fecha real, como 27 3 1990",
    ],
    [
      { "birth.day": "1", "birth.month": "1", "birth.year": "2010" },
      "«Fecha de nacimiento» debe ser 7 de marzo de 2008 o antes",
    ],
    [
      { "birth.day": "1", "birth.month": "1", "birth.year": "1899" },
      "«Fecha de nacimiento» debe ser 1 de enero de 1900 o después",
    ],
  ])("refuses the date %j", (date, message) => {
    expect(esErrors(read("about", { ...ABOUT, ...date }))).toEqual({ "birth.day": message });
  });

  it("refuses a date in the future when the limit is today", () => {
    const r = read("family", {
      "dependents.0.name": "Luis",
      "dependents.0.birth.day": "4",
      "dependents.0.birth.month": "3",
      "dependents.0.birth.year": "2026",
    });
    expect(r.errors["dependents.0.birth.day"]!.en).toBe("‘Date of birth’ must be today or earlier");
  });

  it("checks email and phone formats", () => {
    const r = read("about", { ...ABOUT, email: "ana@correo", phone: "55 1234 567" });
    expect(esErrors(r)).toEqual({
      email: "Escribe «Correo electrónico» con el formato correcto, como nombre@ejemplo.com",
      phone: "Escribe «Teléfono» como un número de 10 dígitos, como 55 1234 5678",
    });
    expect(read("about", { ...ABOUT, phone: "+52 1 81 1234 5678" }).answers.phone).toBe("8112345678");
  });

  it("reads yes/no as booleans and refuses anything else", () => {
    expect(read("eligibility", { adult: "yes" }).answers).toEqual({ adult: true });
    expect(read("eligibility", { adult: "no" }).answers).toEqual({ adult: false });
    expect(esErrors(read("eligibility", { adult: "maybe" }))).toEqual({
      adult: "Elige una de las opciones de «¿Tienes 18 años o más?»",
    });
    expect(esErrors(read("eligibility", {}))).toEqual({ adult: "Elige una respuesta para «¿Tienes 18 años o más?»" });
  });

  it("refuses a forged option value", () => {
    expect(read("kind", { kind: "gobierno" }).errors.kind!.en).toBe("Select one of the options for ‘Who is applying?’");
    const r = read("details", { services: ["agua", "admin"], office: "sur", reason: "x" });
    expect(Object.keys(r.errors)).toEqual(["services", "office"]);
  });

  it("reads checkboxes from a string or a list, in the definition's order, once each", () => {
    const base = { office: "norte", reason: "x" };
    expect(read("details", { ...base, services: "gas" }).answers.services).toEqual(["gas"]);
    expect(read("details", { ...base, services: ["gas", "agua", "gas"] }).answers.services).toEqual(["agua", "gas"]);
    expect(read("details", { ...base, services: [] }).errors.services!.es).toBe(
      "Marca al menos una opción en «Servicios»",
    );
  });

  it("treats the empty option of a list as no answer", () => {
    expect(read("details", { services: "gas", office: "", reason: "x" }).errors.office!.es).toBe(
      "Elige una respuesta para «Oficina»",
    );
  });

  it("keeps newlines in long text but not control characters", () => {
    const base = { services: "gas", office: "norte" };
    expect(read("details", { ...base, reason: "Uno\r\ndos\tTres " }).answers.reason).toBe("Uno\ndos\tTres");
    expect(read("details", { ...base, reason: "a\u0007" }).errors.reason).toBeDefined();
    expect(read("details", { ...base, reason: "a".repeat(501) }).errors.reason!.en).toBe(
      "‘Reason’ must be 500 characters or fewer",
    );
  });

  it("applies a pattern with the staff's own message", () => {
    const base = { services: "gas", office: "norte", reason: "x" };
    expect(read("details", { ...base, folio: "ab-12" }).errors.folio).toEqual({
      es: "Escribe el folio como AB-1234",
      en: "Enter the reference like AB-1234",
    });
    expect(read("details", { ...base, folio: "AB-1234" }).answers.folio).toBe("AB-1234");
  });

  it("reads numbers in Spanish or English notation within limits", () => {
    expect(read("employees", { employees: "1 234" }).answers.employees).toBe(1234);
    expect(read("employees", { employees: "12" }).answers.employees).toBe(12);
    expect(read("employees", { employees: "0" }).errors.employees!.es).toBe("«Número de empleados» debe ser 1 o más");
    expect(read("employees", { employees: "20,000" }).errors.employees!.en).toBe(
      "‘Number of employees’ must be 10,000 or less",
    );
    expect(read("employees", { employees: "doce" }).errors.employees!.es).toBe(
      "«Número de empleados» debe ser un número, como 150 o 12.5",
    );
  });

  it("refuses an RFC with an impossible date, accepts one whose check digit fails", () => {
    expect(read("company", { rfc: "MAB9313148T4", has_employees: "no" }).errors.rfc).toEqual(RFC_MESSAGES.date);
    expect(read("company", { rfc: "sin9311169p8", has_employees: "no" }).answers.rfc).toBe("SIN9311169P8");
  });

  describe("address", () => {
    it("resolves the municipality within the state and keeps its name", () => {
      expect(read("address", HOME).answers.home).toEqual({
        street: "Av. Juárez 10",
        settlement: "Centro",
        postalCode: "06000",
        stateCode: "09",
        municipalityCode: "09015",
        municipalityName: "Cuauhtémoc",
      });
      expect(read("address", { ...HOME, "home.municipality": "09015" }).errors).toEqual({});
    });

    it("needs every part", () => {
      expect(Object.keys(read("address", { "home.street": "Juárez 10" }).errors)).toEqual([
        "home.settlement",
        "home.postalCode",
        "home.state",
        "home.municipality",
      ]);
    });

    it("refuses an unknown state, a municipality of another state and a bad postal code", () => {
      expect(Object.keys(read("address", { ...HOME, "home.state": "33" }).errors)).toEqual(["home.state"]);
      expect(esErrors(read("address", { ...HOME, "home.municipality": "Monterrey" }))).toEqual({
        "home.municipality": "No encontramos el municipio «Monterrey» en Ciudad de México. Revisa cómo se escribe.",
      });
      expect(read("address", { ...HOME, "home.state": "19", "home.municipality": "Monterrey" }).errors).toEqual({});
      expect(Object.keys(read("address", { ...HOME, "home.postalCode": "6000" }).errors)).toEqual(["home.postalCode"]);
    });
  });

  it("needs the declaration ticked", () => {
    expect(read("declare", { truth: "yes" }).answers).toEqual({ truth: true });
    expect(read("declare", { truth: "on" }).errors.truth!.es).toBe("Marca la casilla para confirmar la declaración");
    expect(read("declare", {}).errors.truth).toBeDefined();
  });

  describe("repeatable group", () => {
    const item = (i: number, name: string) => ({
      [`dependents.${i}.name`]: name,
      [`dependents.${i}.birth.day`]: "1",
      [`dependents.${i}.birth.month`]: "2",
      [`dependents.${i}.birth.year`]: "2015",
    });

    it("collects the items with something typed, skipping empty ones", () => {
      const r = read("family", {
        ...item(0, "Luis"),
        ...item(2, "Eva"),
        "dependents.2.studies": "yes",
        "dependents.1.name": " ",
      });
      expect(r).toEqual({
        errors: {},
        answers: {
          dependents: [
            { name: "Luis", birth: "2015-02-01" },
            { name: "Eva", birth: "2015-02-01", studies: true },
          ],
        },
      });
    });

    it("reports each item's errors under the field's id", () => {
      const r = read("family", { "dependents.0.name": "Luis", ...item(1, ""), "dependents.1.birth.day": "30" });
      expect(Object.keys(r.errors)).toEqual(["dependents.0.birth.day", "dependents.1.name", "dependents.1.birth.day"]);
    });

    it("enforces maxItems and ignores forged indexes past the schema's ceiling", () => {
      const four = { ...item(0, "A"), ...item(1, "B"), ...item(2, "C"), ...item(3, "D") };
      expect(read("family", four).errors.dependents!.es).toBe(
        "«Personas que dependen de ti» admite como máximo 3 registros",
      );
      expect(read("family", { ...item(0, "A"), ...item(60, "Z") }).answers.dependents).toHaveLength(1);
    });

    it("enforces minItems, and an optional group may stay empty", () => {
      expect(read("family", {})).toEqual({ answers: {}, errors: {} });
      const strict: Page = {
        ...page("family"),
        questions: [{ ...(page("family").questions[0] as Question), required: true, minItems: 2 }],
      };
      const r = readPage(FORM, strict, item(0, "A"), OPTS);
      expect(r.errors.dependents!.en).toBe("Add at least 2 entries to ‘People who depend on you’");
    });
  });

  describe("files", () => {
    it("keeps the stored file, never reading one from the form", () => {
      expect(read("documents", { id_doc: "forged" }, { id_doc: FILE })).toEqual({
        answers: { id_doc: FILE },
        errors: {},
      });
    });

    it("says a required file is missing", () => {
      expect(read("documents", {}).errors.id_doc!.es).toBe("Sube el archivo para «Identificación»");
    });

    it("refuses a stored file of a kind or size the question does not take", () => {
      expect(read("documents", {}, { id_doc: { ...FILE, contentType: "image/png" } }).errors.id_doc).toBeDefined();
      expect(read("documents", {}, { id_doc: { ...FILE, bytes: 6 * 1024 * 1024 } }).errors.id_doc!.en).toBe(
        "The file for ‘Identity document’ is too big",
      );
    });
  });
});

describe("checking stored answers before sending", () => {
  it("finds nothing wrong with a complete application", () => {
    const answers = fullAnswers();
    expect(validateAll(FORM, answers, OPTS)).toEqual({});
    expect(missingAnswers(FORM, answers)).toEqual([]);
  });

  it("round-trips stored answers to fields", () => {
    const answers = fullAnswers();
    expect(pageInput(page("about"), answers)).toMatchObject({
      "birth.day": "27",
      "birth.month": "4",
      "birth.year": "1956",
      curp: "HEGG560427MVZRRL04",
    });
    expect(pageInput(page("address"), answers)).toMatchObject({ "home.municipality": "09015", "home.state": "09" });
  });

  it("catches stored answers that today's rules refuse", () => {
    const answers = {
      ...fullAnswers(),
      curp: "PEGL890909MJCRMS09",
      office: "sur",
      employees: 0,
      phone: "123",
      birth: "2015-01-01",
      truth: false,
    };
    const errors = validateAll(FORM, answers, OPTS);
    expect(Object.keys(errors).sort()).toEqual(["birth.day", "curp", "employees", "office", "phone", "truth"]);
    expect(errors.employees!.pageId).toBe("employees");
  });

  it("catches stored values of the wrong shape", () => {
    const answers = { ...fullAnswers(), home: "Juárez 10", services: "agua", phone: "55 1234 5678", employees: "12" };
    const errors = validateAll(FORM, answers, OPTS);
    expect(
      Object.keys(errors)
        .filter((k) => !k.startsWith("home."))
        .sort(),
    ).toEqual(["employees", "phone", "services"]);
    expect(errors["home.street"]!.es).toBe("Escribe la calle y el número de «Tu domicilio»");
    expect(errors.phone).toEqual({ pageId: "about", es: "Vuelve a responder «Teléfono»", en: "Answer ‘Phone’ again" });
  });

  it("accepts a prefilled address without the municipality's name", () => {
    const answers = fullAnswers();
    const { municipalityName: _, ...home } = answers.home as AddressAnswer;
    expect(validateAll(FORM, { ...answers, home }, OPTS)).toEqual({});
  });

  it("catches forged fields stored inside a group's items", () => {
    const answers = fullAnswers();
    const dependents = [{ ...(answers.dependents as Record<string, string>[])[0], role: "admin" }];
    expect(Object.keys(validateAll(FORM, { ...answers, dependents }, OPTS))).toEqual(["dependents"]);
  });

  it("refuses to send answers that lead to an exit page", () => {
    expect(validateAll(FORM, { ...fullAnswers(), adult: false }, OPTS).too_young!.pageId).toBe("too_young");
  });

  it("lists required questions without an answer on visible pages only", () => {
    const answers = { adult: true, kind: "persona", name: "Ana", has_employees: false };
    expect(missingAnswers(FORM, answers)).toEqual([
      "curp",
      "birth",
      "phone",
      "home",
      "services",
      "office",
      "reason",
      "id_doc",
      "truth",
    ]);
    expect(missingAnswers(FORM, { ...answers, kind: "empresa" })).toContain("rfc");
  });
});

describe("prefill", () => {
  it("answers the questions whose facts the account holds", () => {
    const home = {
      street: "Juárez 10",
      settlement: "Centro",
      postalCode: "06000",
      stateCode: "09",
      municipalityCode: "09015",
    };
    const { answers, prefilled } = prefillFor(FORM, {
      fullName: "Ana López",
      curp: "hegg560427mvzrrl04",
      birthDate: "1956-04-27",
      phone: "+52 55 1234 5678",
      address: home,
      rfc: "GODE561231GR8",
    });
    expect(answers).toEqual({
      name: "Ana López",
      curp: "HEGG560427MVZRRL04",
      birth: "1956-04-27",
      phone: "5512345678",
      home,
    });
    expect(prefilled).toEqual(["name", "curp", "birth", "phone", "home"]);
  });

  it("skips facts that do not fit the question", () => {
    expect(prefillFor(FORM, { birthDate: "27/04/1956", phone: "12", address: "Juárez 10" }).answers).toEqual({});
  });
});

describe("answers as text", () => {
  const q = (id: string) => FORM.pages.flatMap((p) => p.questions).find((x) => x.id === id)!;
  const home = {
    street: "Av. Juárez 10",
    settlement: "Centro",
    postalCode: "06000",
    stateCode: "09",
    municipalityCode: "09015",
    municipalityName: "Cuauhtémoc",
  };

  it.each([
    ["adult", true, "Sí", "Yes"],
    ["adult", false, "No", "No"],
    ["kind", "empresa", "Una empresa", "A company"],
    ["services", ["agua", "luz"], "Agua, Luz", "Water, Electricity"],
    ["birth", "2026-03-03", "3 de marzo de 2026", "3 March 2026"],
    ["employees", 1234.5, "1,234.5", "1,234.5"],
    ["phone", "5512345678", "55 1234 5678", "55 1234 5678"],
    [
      "home",
      home,
      "Av. Juárez 10, Centro, C.P. 06000, Cuauhtémoc, Ciudad de México",
      "Av. Juárez 10, Centro, postcode 06000, Cuauhtémoc, Ciudad de México",
    ],
    ["id_doc", FILE, "ine.pdf (121 KB)", "ine.pdf (121 KB)"],
    ["truth", true, "Sí, lo declaro", "Yes, I declare this"],
  ] as const)("%s: %j", (id, answer, es, en) => {
    expect(answerText(q(id), answer as Answers[string], "es")).toBe(es);
    expect(answerText(q(id), answer as Answers[string], "en")).toBe(en);
  });

  it("writes a group's items one a line", () => {
    const items = [
      { name: "Luis", birth: "2015-02-01" },
      { name: "Eva", birth: "2016-05-09", studies: true },
    ];
    expect(answerText(q("dependents"), items as Answers[string], "es")).toBe(
      "1. Nombre: Luis; Fecha de nacimiento: 1 de febrero de 2015\n2. Nombre: Eva; Fecha de nacimiento: 9 de mayo de 2016; ¿Estudia?: Sí",
    );
    expect(answerText(q("dependents"), items as Answers[string], "en").split("\n")[1]).toBe(
      "2. Name: Eva; Date of birth: 9 May 2016; Studying?: Yes",
    );
  });

  it("summarises the visible pages, with change links", () => {
    const answers = { ...fullAnswers(), email: undefined } as unknown as Answers;
    delete answers.email;
    const rows = summaryRows(FORM, answers, "en", (p, qid) => `/change/${p}#${qid}`);
    expect(rows.map((r) => r.questionId)).not.toContain("too_young");
    expect(rows.find((r) => r.questionId === "email")).toEqual({
      pageId: "about",
      questionId: "email",
      label: "Email",
      value: "Not answered",
      changeHref: "/change/about#email",
    });
    expect(rows.find((r) => r.questionId === "employees")?.value).toBe("12");
    const asPerson = summaryRows(FORM, { ...answers, kind: "persona" }, "es");
    expect(asPerson.map((r) => r.questionId)).not.toContain("rfc");
    expect(asPerson[0]).toEqual({
      pageId: "eligibility",
      questionId: "adult",
      label: "¿Tienes 18 años o más?",
      value: "Sí",
    });
  });
});

describe("definition problems", () => {
  it("finds nothing wrong with a sound form", () => {
    expect(definitionProblems(FORM)).toEqual([]);
  });
});
