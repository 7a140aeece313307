import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FormDefinition, GroupQuestion, Page, Question } from "./definition.js";
import {
  addDays,
  checkDate,
  checkNumber,
  checkRfc,
  cleanText,
  dateFromParts,
  definitionProblems,
  formatPhone,
  isEmail,
  isIsoDate,
  isPostalCode,
  MX_STATES,
  nestedQuantifier,
  normalizePhone,
  parseNumber,
  resolveDateLimit,
  rfcCheckDigitOk,
  stateName,
  textPattern,
} from "./validators.js";

// Published test vectors (python-stdnum), copied into test/standards (see its README).
const vectors = JSON.parse(
  readFileSync(new URL("../../../test/standards/mx-ids/stdnum-mx-test-vectors.json", import.meta.url), "utf8"),
) as {
  rfc: {
    valid_with_check_digit: string[];
    valid_format_bad_check_digit_but_registered_at_SAT: string[];
    valid_personal_without_homoclave: string[];
    invalid: Record<string, string>;
  };
};

describe("RFC", () => {
  it.each(vectors.rfc.valid_with_check_digit)("accepts %s, whose check digit matches", (rfc) => {
    expect(checkRfc(rfc)).toMatchObject({ ok: true, rfc });
    expect(rfcCheckDigitOk(rfc)).toBe(true);
  });

  it.each(vectors.rfc.valid_format_bad_check_digit_but_registered_at_SAT)(
    "accepts %s, registered at SAT though its check digit fails (a warning, not an error)",
    (rfc) => {
      expect(checkRfc(rfc)).toMatchObject({ ok: true });
      expect(rfcCheckDigitOk(rfc)).toBe(false);
    },
  );

  it("tells a person's RFC (13) from a company's (12)", () => {
    expect(checkRfc("GODE561231GR8")).toMatchObject({ kind: "fisica" });
    expect(checkRfc("MAB9307148T4")).toMatchObject({ kind: "moral" });
  });

  it("refuses the ten-character RFC without homoclave: forms need the whole RFC", () => {
    expect(checkRfc(vectors.rfc.valid_personal_without_homoclave[0]!)).toEqual({ ok: false, problem: "length" });
  });

  it.each([
    ["ABCD123456", "length"],
    ["AKJ970902", "length"],
    ["AABN8211038Ñ2", "format"],
    ["CACA580710NF7", "blocked"],
    ["1ODE561231GR8", "format"],
  ])("refuses %s (%s)", (rfc, problem) => {
    expect(checkRfc(rfc)).toEqual({ ok: false, problem });
  });

  it("keeps an RFC whose homoclave SAT's check-digit alphabet rejects, but warns", () => {
    expect(vectors.rfc.invalid["CCM650122I06"]).toMatch(/check-digit/);
    expect(checkRfc("CCM650122I06")).toMatchObject({ ok: true });
    expect(rfcCheckDigitOk("CCM650122I06")).toBe(false);
  });

  it("refuses an impossible date in the six digits, in either century", () => {
    expect(checkRfc("GODE561331GR8")).toEqual({ ok: false, problem: "date" });
    expect(checkRfc("GODE560230GR8")).toEqual({ ok: false, problem: "date" });
    // 29 February 2000 existed (1900 was not a leap year, 2000 was).
    expect(checkRfc("GODE000229GR8")).toMatchObject({ ok: true });
  });

  it("reads lower case, spaces and dashes as people type them", () => {
    expect(checkRfc(" gode-561231 gr8 ")).toMatchObject({ ok: true, rfc: "GODE561231GR8" });
    expect(checkRfc("muñ110218lj6")).toMatchObject({ ok: true, rfc: "MUÑ110218LJ6" });
    // A decomposed Ñ (N + combining tilde) is the same letter.
    expect(checkRfc("MUN\u0303110218LJ6")).toMatchObject({ ok: true, rfc: "MUÑ110218LJ6" });
  });
});

describe("telephone", () => {
  it.each([
    ["55 1234 5678", "5512345678"],
    ["55-1234-5678", "5512345678"],
    ["+52 55 1234 5678", "5512345678"],
    ["+52 1 55 1234 5678", "5512345678"],
    ["525512345678", "5512345678"],
    ["(222) 123 45 67", "2221234567"],
  ])("reads %s as %s", (typed, digits) => {
    expect(normalizePhone(typed)).toBe(digits);
  });

  it.each(["5512345", "0155123456", "1234567890", "55 1234 567a", "+1 202 555 0100", ""])("refuses %j", (typed) => {
    expect(normalizePhone(typed)).toBeUndefined();
  });

  it("groups digits as people read them", () => {
    expect(formatPhone("5512345678")).toBe("55 1234 5678");
    expect(formatPhone("2221234567")).toBe("222 123 4567");
  });
});

describe("postal code, email, states", () => {
  it("takes five digits, never starting 00", () => {
    expect(isPostalCode("06000")).toBe(true);
    expect(isPostalCode("64000")).toBe(true);
    expect(["00123", "6400", "640000", "64 000", "ABCDE"].map(isPostalCode)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it("checks email plainly", () => {
    expect(isEmail("ana.lopez@correo.gob.mx")).toBe(true);
    expect(isEmail("josé@méxico.mx")).toBe(true);
    expect(["ana", "ana@", "@correo.mx", "ana@correo", "ana lopez@correo.mx", "a@b@c.mx"].map(isEmail)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(isEmail(`${"a".repeat(250)}@b.mx`)).toBe(false);
  });

  it("knows the 32 states by INEGI code", () => {
    expect(MX_STATES).toHaveLength(32);
    expect(stateName("09")).toBe("Ciudad de México");
    expect(stateName("19")).toBe("Nuevo León");
    expect(stateName("32")).toBe("Zacatecas");
    expect(stateName("33")).toBeUndefined();
    expect(stateName("9")).toBeUndefined();
  });
});

describe("text", () => {
  it("trims and composes to NFC", () => {
    expect(cleanText("  Jose\u0301 ")).toEqual({ ok: true, value: "José" });
  });

  it("refuses control characters, and bidirectional overrides that disguise text", () => {
    expect(cleanText("a\u0000b")).toEqual({ ok: false, problem: "control" });
    expect(cleanText("a\u202Eb")).toEqual({ ok: false, problem: "control" });
    expect(cleanText("line\nline")).toEqual({ ok: false, problem: "control" });
  });

  it("lets multiline text keep newlines and tabs (CRLF becomes LF)", () => {
    expect(cleanText("one\r\ntwo\tthree", true)).toEqual({ ok: true, value: "one\ntwo\tthree" });
    expect(cleanText("one\u0007", true)).toEqual({ ok: false, problem: "control" });
  });

  it("refuses more than 10,000 characters", () => {
    expect(cleanText("a".repeat(10_000))).toMatchObject({ ok: true });
    expect(cleanText("a".repeat(10_001))).toEqual({ ok: false, problem: "too_long" });
  });
});

describe("numbers", () => {
  it.each([
    ["1234.5", 1234.5],
    ["12,5", 12.5],
    ["1,234.5", 1234.5],
    ["1,234", 1234],
    ["1 234,5", 1234.5],
    ["1.234,5", 1234.5],
    ["1.234.567", 1234567],
    ["-3", -3],
    [" 42 ", 42],
  ])("reads %j as %d", (typed, n) => {
    expect(parseNumber(typed)).toBe(n);
  });

  it.each(["", "abc", "1e5", "1,2,3", "12.", "0x10", "Infinity"])("refuses %j", (typed) => {
    expect(parseNumber(typed)).toBeUndefined();
  });

  it("checks limits with a message naming the question", () => {
    const Q = { es: "«Edad»", en: "‘Age’" };
    expect(checkNumber(Q, "17", { min: 18 })).toEqual({
      ok: false,
      message: { es: "«Edad» debe ser 18 o más", en: "‘Age’ must be 18 or more" },
    });
    expect(checkNumber(Q, "18", { min: 18, max: 120 })).toEqual({ ok: true, value: 18 });
  });
});

describe("dates", () => {
  it("knows real dates", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2023-02-29")).toBe(false);
    expect(isIsoDate("2023-2-1")).toBe(false);
  });

  it("counts relative limits in days from today", () => {
    expect(addDays("2026-03-03", -1)).toBe("2026-03-02");
    // Days, not years: 18 × 365 days falls short of 18 years by the leap days between.
    expect(resolveDateLimit(-6570, "2026-03-03")).toBe("2008-03-07");
    expect(resolveDateLimit("2000-01-01", "2026-03-03")).toBe("2000-01-01");
  });

  it("reads the three boxes of a date", () => {
    expect(dateFromParts("3", "3", "2026")).toEqual({ ok: true, iso: "2026-03-03" });
    expect(dateFromParts("31", "2", "2026")).toEqual({ ok: false, problem: "invalid" });
    expect(dateFromParts("1", "13", "2026")).toEqual({ ok: false, problem: "invalid" });
    expect(dateFromParts("1", "1", "26")).toEqual({ ok: false, problem: "year" });
    expect(dateFromParts("", "1", "")).toEqual({ ok: false, problem: "missing", missing: ["day", "year"] });
  });

  it("words limits as GOV.UK does, with today said as today", () => {
    const Q = { es: "«Fecha de nacimiento»", en: "‘Date of birth’" };
    expect(checkDate(Q, ["4", "3", "2026"], { max: 0 }, "2026-03-03")).toEqual({
      ok: false,
      message: { es: "«Fecha de nacimiento» debe ser hoy o antes", en: "‘Date of birth’ must be today or earlier" },
    });
    expect(checkDate(Q, ["1", "1", "2010"], { max: -6570 }, "2026-03-03")).toEqual({
      ok: false,
      message: {
        es: "«Fecha de nacimiento» debe ser 7 de marzo de 2008 o antes",
        en: "‘Date of birth’ must be 7 March 2008 or earlier",
      },
    });
    expect(checkDate(Q, ["", "", ""], {}, "2026-03-03")).toEqual({ ok: false, message: null });
  });
});

describe("staff patterns", () => {
  it("matches the whole answer", () => {
    expect(textPattern("[A-Z]{3}")!.test("ABC")).toBe(true);
    expect(textPattern("[A-Z]{3}")!.test("ABCD")).toBe(false);
  });

  it("refuses patterns that do not compile, are too long or can backtrack for ever", () => {
    expect(textPattern("[a-")).toBeNull();
    expect(textPattern("a".repeat(201))).toBeNull();
    expect(nestedQuantifier("(a+)+")).toBe(true);
    expect(nestedQuantifier("([a-z]*){2,}")).toBe(true);
    expect(textPattern("(a+)+$")).toBeNull();
    expect(nestedQuantifier("([A-Z]{2}-)+")).toBe(false);
  });
});

const L = (es: string, en?: string): { es: string; [lang: string]: string } => (en ? { es, en } : { es });
const opt = (value: string, es: string, en: string) => ({ value, label: L(es, en) });

describe("definition problems", () => {
  const withPages = (...pages: Page[]): FormDefinition => ({ format: "ventanilla-form/1", pages });
  const text = (id: string, extra: Partial<Question> = {}): Question => ({
    id,
    type: "text",
    label: L(`Pregunta ${id}`),
    ...extra,
  });
  const qPage = (id: string, questions: Question[], extra: Partial<Page> = {}): Page => ({
    id,
    title: L(`Página ${id}`),
    questions,
    ...extra,
  });
  const paths = (def: FormDefinition) => definitionProblems(def).map((p) => p.path);

  it("writes every problem in both languages for staff", () => {
    const problems = definitionProblems(withPages(qPage("a", [text("x", { type: "radio" })]), qPage("a", [text("x")])));
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p.es).not.toMatch(/undefined|\[object/);
      expect(p.en).not.toMatch(/undefined|\[object/);
    }
  });

  it("needs unique page and question ids, and unique field ids within a group", () => {
    const group = text("g", {
      type: "group",
      required: false,
      fields: [
        { id: "n", type: "text", label: L("N") },
        { id: "n", type: "text", label: L("N2") },
      ],
    });
    expect(paths(withPages(qPage("a", [text("x"), group]), qPage("a", [text("x")])))).toEqual([
      "/pages/0/questions/1/fields/1/id",
      "/pages/1/id",
      "/pages/1/questions/0/id",
    ]);
  });

  it("needs options on choice questions only, each value once", () => {
    expect(paths(withPages(qPage("a", [text("r", { type: "radio" })])))).toEqual(["/pages/0/questions/0/options"]);
    expect(paths(withPages(qPage("a", [text("t", { options: [opt("a", "A", "A")] })])))).toEqual([
      "/pages/0/questions/0/options",
    ]);
    const twice = [opt("a", "A", "A"), opt("a", "B", "B")];
    expect(paths(withPages(qPage("a", [text("s", { type: "select", options: twice })])))).toEqual([
      "/pages/0/questions/0/options",
    ]);
  });

  it("needs file rules on file questions only, and fields on groups only", () => {
    expect(paths(withPages(qPage("a", [text("f", { type: "file" })])))).toEqual(["/pages/0/questions/0/file"]);
    expect(paths(withPages(qPage("a", [text("t", { file: { maxBytes: 10, kinds: ["pdf"] } })])))).toEqual([
      "/pages/0/questions/0/file",
    ]);
    expect(paths(withPages(qPage("a", [text("g", { type: "group" })])))).toEqual(["/pages/0/questions/0/fields"]);
    expect(paths(withPages(qPage("a", [text("t", { fields: [{ id: "n", type: "text", label: L("N") }] })])))).toEqual([
      "/pages/0/questions/0/fields",
    ]);
  });

  it("lets a page depend only on an earlier choice question, with values it can take", () => {
    const yesno = text("y", { type: "yesno" });
    const name = text("name");
    const cases: [Page[], string][] = [
      [
        [
          qPage("a", [yesno]),
          qPage("b", [text("t")], { showIf: [{ question: "later", in: ["yes"] }] }),
          qPage("c", [text("later", { type: "yesno" })]),
        ],
        "/pages/1/showIf/0/question",
      ],
      [[qPage("a", [yesno], { showIf: [{ question: "y", in: ["yes"] }] })], "/pages/0/showIf/0/question"],
      [
        [qPage("a", [yesno]), qPage("b", [text("t")], { showIf: [{ question: "nope", in: ["yes"] }] })],
        "/pages/1/showIf/0/question",
      ],
      [
        [qPage("a", [name]), qPage("b", [text("t")], { showIf: [{ question: "name", in: ["Ana"] }] })],
        "/pages/1/showIf/0/question",
      ],
      [
        [qPage("a", [yesno]), qPage("b", [text("t")], { showIf: [{ question: "y", in: ["yes", "si"] }] })],
        "/pages/1/showIf/0/in/1",
      ],
      [
        [
          qPage("a", [text("kind", { type: "radio", options: [opt("persona", "Persona", "Person")] })]),
          qPage("b", [text("t")], { showIf: [{ question: "kind", in: ["gobierno"] }] }),
        ],
        "/pages/1/showIf/0/in/0",
      ],
    ];
    for (const [pages, path] of cases) expect(paths(withPages(...pages))).toEqual([path]);
  });

  it("checks patterns: they must compile, stay short and not backtrack for ever", () => {
    expect(paths(withPages(qPage("a", [text("t", { pattern: "[a-" })])))).toEqual(["/pages/0/questions/0/pattern"]);
    expect(paths(withPages(qPage("a", [text("t", { pattern: "a".repeat(201) })])))).toEqual([
      "/pages/0/questions/0/pattern",
    ]);
    expect(paths(withPages(qPage("a", [text("t", { pattern: "(a+)+" })])))).toEqual(["/pages/0/questions/0/pattern"]);
    expect(paths(withPages(qPage("a", [text("t", { type: "curp", pattern: "[A-Z]+" })])))).toEqual([
      "/pages/0/questions/0/pattern",
    ]);
  });

  it("checks limits: minimum not above maximum, and only where they apply", () => {
    const cases: [Partial<Question>, string][] = [
      [{ type: "number", min: 10, max: 1 }, "/pages/0/questions/0/min"],
      [{ type: "date", min: "2020-01-01", max: "2019-01-01" }, "/pages/0/questions/0/min"],
      [{ type: "date", min: -10, max: -20 }, "/pages/0/questions/0/min"],
      [{ type: "number", min: "2020-01-01" }, "/pages/0/questions/0/min"],
      [{ min: 1 }, "/pages/0/questions/0/min"],
      [{ minLength: 10, maxLength: 5 }, "/pages/0/questions/0/minLength"],
      [{ type: "email", maxLength: 5 }, "/pages/0/questions/0/minLength"],
      [{ maxItems: 3 }, "/pages/0/questions/0/minItems"],
      [
        { type: "group", minItems: 5, maxItems: 2, fields: [text("n") as GroupQuestion] },
        "/pages/0/questions/0/minItems",
      ],
    ];
    for (const [extra, path] of cases) expect(paths(withPages(qPage("a", [text("t", extra)])))).toEqual([path]);
    // Days from today and a fixed date compare differently each day: left alone.
    expect(paths(withPages(qPage("a", [text("t", { type: "date", min: -10, max: "2000-01-01" })])))).toEqual([]);
  });

  it("refuses groups inside groups and files inside groups", () => {
    const fields = [{ id: "f", type: "file", label: L("F") }] as unknown as Question["fields"];
    expect(paths(withPages(qPage("a", [text("g", { type: "group", fields })])))).toContain(
      "/pages/0/questions/0/fields/0/type",
    );
  });

  it("needs exit pages with a text, no questions and a condition", () => {
    const exit = (extra: Partial<Page>) =>
      qPage("out", [], {
        kind: "exit",
        body: L("Acude a la oficina."),
        showIf: [{ question: "y", in: ["no"] }],
        ...extra,
      });
    const first = qPage("a", [text("y", { type: "yesno" })]);
    expect(paths(withPages(first, exit({})))).toEqual([]);
    expect(paths(withPages(first, exit({ body: undefined })))).toEqual(["/pages/1/body"]);
    expect(paths(withPages(first, exit({ questions: [text("t")] })))).toEqual(["/pages/1/questions"]);
    expect(paths(withPages(first, exit({ showIf: undefined })))).toEqual(["/pages/1/showIf"]);
  });

  it("needs at least one page with questions, and no empty pages", () => {
    expect(paths(withPages(qPage("a", [], { kind: "exit", body: L("Adiós") })))).toEqual(["/pages/0/showIf", "/pages"]);
    expect(paths(withPages(qPage("a", [text("t")]), qPage("b", [])))).toEqual(["/pages/1"]);
    expect(paths(withPages(qPage("intro", [], { body: L("Antes de empezar…") }), qPage("a", [text("t")])))).toEqual([]);
  });

  it("fills a question only with a fact of its kind", () => {
    expect(paths(withPages(qPage("a", [text("t", { prefill: "address" })])))).toEqual(["/pages/0/questions/0/prefill"]);
    expect(paths(withPages(qPage("a", [text("t", { type: "date", prefill: "birthDate" })])))).toEqual([]);
  });
});
