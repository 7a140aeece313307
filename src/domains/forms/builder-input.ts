/**
 * The page editor's fields ↔ a page of the definition, without HTTP or HTML. What the editor posts
 * is kept as typed (strings by field name), so a refused save shows it again; from it come the page
 * (ids made from labels, options typed one a line), the problems said next to the fields, and the
 * field that each of the definition's own problems points at.
 */
import { DomainError, type FieldIssue } from "../../platform/errors.js";
import { translator, type Lang } from "../../platform/views/i18n.js";
import type { LocalizedText } from "../catalogue/schema.js";
import {
  FILE_KINDS,
  PREFILL_SOURCES,
  QUESTION_ID,
  QUESTION_TYPES,
  type FormDefinition,
  type GroupQuestion,
  type Page,
  type Question,
} from "./definition.js";
import { isIsoDate } from "./validators.js";

/** Longest value read from any field: enough for every limit in the definition, and to show it back. */
const MAX_TEXT = 20_000;
/** Rows of the editor read from a post (forged indexes beyond them are ignored). */
const MAX_ROWS = 40;
const MAX_SUB_ROWS = 25;
/** Rows the buttons add up to. */
const MAX_QUESTIONS = 30;
const MAX_SUBS = 20;
const MB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// A posted body

export type Body = Record<string, unknown>;
export const asBody = (value: unknown): Body => (value && typeof value === "object" ? (value as Body) : {});

/** One posted value (multipart fields arrive as `{ value }`); repeated names count once. */
export function one(body: Body, name: string): string {
  const v = body[name];
  const first = Array.isArray(v) ? v[0] : v;
  const value =
    typeof first === "object" && first !== null && "value" in first ? (first as { value: unknown }).value : first;
  return typeof value === "string" ? value.slice(0, MAX_TEXT) : "";
}
function many(body: Body, name: string): string[] {
  const v = body[name];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string").slice(0, 200);
}
const valuesOf = (body: Body, prefix: string, keys: string[]): Values =>
  Object.fromEntries(keys.map((k) => [k, one(body, prefix + k)]));

// ---------------------------------------------------------------------------------------------
// The editor's fields

/** A page's fields; `showIf.more` carries an imported page's further conditions (JSON) untouched. */
export const PAGE_KEYS = ["id", "title.es", "title.en", "body.es", "body.en", "kind", "showIf.question", "showIf.more"];
/** A question's fields; `was` is its id when the page was opened, so conditions follow a rename. */
export const QUESTION_KEYS = [
  ...["was", "type", "id", "label.es", "label.en", "hint.es", "hint.en", "prefill", "options", "pattern"],
  ...["minLength", "maxLength", "patternMessage.es", "patternMessage.en", "min", "max", "minItems", "maxItems"],
  "file.maxMb",
];
/** A group's question; `extra` keeps (as JSON) what an imported one has that the editor does not show. */
export const SUB_KEYS = ["type", "id", "label.es", "label.en", "options", "extra"];

export type Values = Record<string, string>;
export interface SubInput {
  v: Values;
  required: boolean;
}
export interface QuestionInput {
  v: Values;
  required: boolean;
  fileKinds: string[];
  fields: SubInput[];
}
export interface PageInput {
  v: Values;
  /** Answers ticked under each candidate question (only the chosen question's count). */
  condIn: Record<string, string[]>;
  questions: QuestionInput[];
}
/** Problems shown on a page: by field (linked), the others as they are, and a message for all. */
export interface Problems {
  errors: Record<string, string>;
  loose: string[];
  message?: string | undefined;
}

const blank = (keys: string[]): Values => Object.fromEntries(keys.map((k) => [k, ""]));
export const emptySub = (): SubInput => ({ v: { ...blank(SUB_KEYS), type: "text" }, required: true });
export const emptyQuestion = (): QuestionInput => ({
  v: { ...blank(QUESTION_KEYS), type: "text" },
  required: true,
  fileKinds: [],
  fields: [],
});
/** A new page: no text yet and one empty question. */
export const emptyPage = (): PageInput => ({
  v: { ...blank(PAGE_KEYS), kind: "questions" },
  condIn: {},
  questions: [emptyQuestion()],
});

// ---------------------------------------------------------------------------------------------
// A page of the definition → the editor's fields

/** `title.es` and `title.en` from `title`. */
const pair = (key: string, text: { es: string; en?: string } | undefined): Values => ({
  [`${key}.es`]: text?.es ?? "",
  [`${key}.en`]: text?.en ?? "",
});
const text = (v: number | string | undefined) => (v === undefined ? "" : String(v));
/** Options one a line, as the editor shows them: "valor: Etiqueta | English label". */
const optionsText = (options: Question["options"]) =>
  (options ?? []).map((o) => `${o.value}: ${o.label.es}${o.label.en ? ` | ${o.label.en}` : ""}`).join("\n");

function subInput(f: GroupQuestion): SubInput {
  const { type, id, label, required, options, ...extra } = f;
  return {
    v: {
      type,
      id,
      ...pair("label", label),
      options: optionsText(options),
      extra: Object.keys(extra).length ? JSON.stringify(extra) : "",
    },
    required: required !== false,
  };
}

function questionInput(q: Question): QuestionInput {
  return {
    v: {
      was: q.id,
      type: q.type,
      id: q.id,
      ...pair("label", q.label),
      ...pair("hint", q.hint),
      prefill: q.prefill ?? "",
      options: optionsText(q.options),
      pattern: q.pattern ?? "",
      ...pair("patternMessage", q.patternMessage),
      ...Object.fromEntries(
        (["minLength", "maxLength", "min", "max", "minItems", "maxItems"] as const).map((k) => [k, text(q[k])]),
      ),
      "file.maxMb": q.file ? String(Math.round((q.file.maxBytes / MB) * 100) / 100) : "",
    },
    required: q.required !== false,
    fileKinds: q.file?.kinds ?? [],
    fields: (q.fields ?? []).map(subInput),
  };
}

export function pageInput(page: Page): PageInput {
  const [first, ...more] = page.showIf ?? [];
  return {
    v: {
      id: page.id,
      ...pair("title", page.title),
      ...pair("body", page.body),
      kind: page.kind ?? "questions",
      "showIf.question": first?.question ?? "",
      "showIf.more": more.length ? JSON.stringify(more) : "",
    },
    condIn: first ? { [first.question]: first.in } : {},
    questions: page.questions.map(questionInput),
  };
}

/** Questions of earlier pages page `index` can depend on (and the one it depends on now), with their answers. */
export function candidatesFor(def: FormDefinition, index: number, chosen: string, lang: Lang) {
  const text = (label: LocalizedText) => (lang === "en" ? (label.en ?? label.es) : label.es);
  const yesNo = [
    { value: "yes", label: translator(lang)("Sí", "Yes") },
    { value: "no", label: "No" },
  ];
  return def.pages.flatMap((p, i) =>
    p.questions
      .filter((q) => ["yesno", "radio", "select", "checkboxes"].includes(q.type) && (i < index || q.id === chosen))
      .map((q) => ({
        id: q.id,
        label: text(q.label),
        pageNumber: i + 1,
        answers: q.type === "yesno" ? yesNo : (q.options ?? []).map((o) => ({ value: o.value, label: text(o.label) })),
      })),
  );
}

// ---------------------------------------------------------------------------------------------
// The posted editor → its fields, and what its buttons do to them on screen

/** The posted page editor as typed. Only known names are read, at indexes the editor can show. */
export function readPageInput(body: Body): PageInput {
  const questions: QuestionInput[] = [];
  for (let i = 0; i < MAX_ROWS; i++) {
    const prefix = `questions.${i}.`;
    if (body[`${prefix}type`] === undefined) continue;
    const fields: SubInput[] = [];
    for (let j = 0; j < MAX_SUB_ROWS; j++) {
      const sub = `${prefix}fields.${j}.`;
      if (body[`${sub}type`] === undefined) continue;
      fields.push({ v: valuesOf(body, sub, SUB_KEYS), required: one(body, `${sub}required`) === "on" });
    }
    questions.push({
      v: valuesOf(body, prefix, QUESTION_KEYS),
      required: one(body, `${prefix}required`) === "on",
      fileKinds: many(body, `${prefix}file.kinds`),
      fields,
    });
  }
  const condIn: Record<string, string[]> = {};
  for (const key of Object.keys(body)) {
    const m = /^showIf\.in\.([a-z][a-z0-9_]{0,39})$/.exec(key);
    if (m) condIn[m[1]!] = many(body, key);
  }
  return { v: valuesOf(body, "", PAGE_KEYS), condIn, questions };
}

export const unknownAction = () =>
  new DomainError("invalid", { es: "No reconocemos esa acción.", en: "We do not recognise that action." });

/**
 * What a button of the editor does to the page as typed: add, move or remove a question, add or
 * remove a group's question ("edited", shown again unsaved); "full" when no more questions fit;
 * "save" for the save button. Unknown actions and missing questions are refused.
 */
export function editPageInput(input: PageInput, action: string): "edited" | "full" | "save" {
  const m = /^(add-question|up|down|remove|add-field|remove-field)(?::(\d{1,2}))?(?::(\d{1,2}))?$/.exec(action);
  if (!m) {
    if (action === "save") return "save";
    throw unknownAction();
  }
  const qs = input.questions;
  const [i, j] = [Number(m[2] ?? -1), Number(m[3] ?? -1)];
  const q = qs[i];
  if (m[1] === "add-question") {
    if (qs.length >= MAX_QUESTIONS) return "full";
    qs.push(emptyQuestion());
  } else if (!q)
    throw new DomainError("invalid", { es: "Esa pregunta no existe.", en: "That question does not exist." });
  else if (m[1] === "up" && i > 0) [qs[i - 1], qs[i]] = [q, qs[i - 1]!];
  else if (m[1] === "down" && i < qs.length - 1) [qs[i + 1], qs[i]] = [q, qs[i + 1]!];
  else if (m[1] === "remove") qs.splice(i, 1);
  else if (m[1] === "add-field") {
    if (!q.fields.length) q.fields.push(emptySub());
    if (q.fields.length < MAX_SUBS) q.fields.push(emptySub());
    q.v.type = "group";
  } else if (m[1] === "remove-field" && q.fields[j]) q.fields.splice(j, 1);
  return "edited";
}

// ---------------------------------------------------------------------------------------------
// The editor's fields → a page of the definition

type Issues = Record<string, { es: string; en: string }>;
type Say = (field: string, es: string, en: string) => void;

const isBlankQuestion = (q: QuestionInput) =>
  !["label.es", "label.en", "id", "hint.es", "options"].some((k) => q.v[k]?.trim()) && !q.fields.some(isFilledSub);
const isFilledSub = (s: SubInput) => ["label.es", "label.en", "id", "options"].some((k) => s.v[k]?.trim());

/** A key from a label: "¿Tienes pasaporte?" → "tienes_pasaporte"; unique among `taken`. */
export function keyFrom(label: string, fallback: string, taken: Set<string>, startWithLetter = true): string {
  let base = label
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 32)
    .replace(/_+$/, "");
  if (!base || (startWithLetter && !/^[a-z]/.test(base))) base = base ? `${fallback}_${base}`.slice(0, 32) : fallback;
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
  taken.add(key);
  return key;
}

const localized = (es: string, en: string | undefined): LocalizedText =>
  en?.trim() ? { es: es.trim(), en: en.trim() } : { es: es.trim() };

/** The definition's length limits, said in words before the schema says them in its own. */
type Limits = Record<string, number>;
const PAGE_LIMITS: Limits = { "title.es": 300, "title.en": 300, "body.es": 4000, "body.en": 4000 };
const LABEL_LIMITS: Limits = { "label.es": 300, "label.en": 300 };
const QUESTION_LIMITS: Limits = {
  ...LABEL_LIMITS,
  ...{ "hint.es": 1000, "hint.en": 1000, pattern: 200, "patternMessage.es": 300, "patternMessage.en": 300 },
};
function tooLong(field: string, value: string | undefined, max: number, say: Say): void {
  const n = [...(value ?? "").trim()].length;
  if (n > max)
    say(field, `Escribe como máximo ${max} caracteres (hay ${n}).`, `Use ${max} characters at most (there are ${n}).`);
}

/** What a question and a group's question share: a type from the list and a label in Spanish. */
function typeAndLabel<T extends string>(v: Values, allowed: readonly T[], at: string, limits: Limits, say: Say) {
  const type = (allowed as readonly string[]).includes(v.type ?? "") ? (v.type as T) : ("text" as T);
  if (type !== v.type)
    say(`${at}type`, "Elige un tipo de respuesta de la lista.", "Choose a type of answer from the list.");
  if (!v["label.es"]?.trim()) say(`${at}label.es`, "Escribe la pregunta.", "Enter the question.");
  for (const [key, max] of Object.entries(limits)) tooLong(`${at}${key}`, v[key], max, say);
  return { type, label: localized(v["label.es"] ?? "", v["label.en"]) };
}

export interface Built {
  page: Page;
  issues: Issues;
  /** Index in the definition → row in the editor, for questions and for each group's questions. */
  rows: number[];
  subRows: number[][];
  renames: Map<string, string>;
}

/** The typed page as page `index` of `def`, with what cannot even be put into it (by field). */
export function pageFromInput(x: PageInput, def: FormDefinition, index: number): Built {
  const issues: Issues = {};
  const say: Say = (field, es, en) => void (issues[field] ??= { es, en });
  const v = x.v;
  const others = def.pages.filter((_, i) => i !== index);
  const takenQuestions = new Set(others.flatMap((p) => p.questions.map((q) => q.id)));
  for (const q of x.questions) if (q.v.id?.trim()) takenQuestions.add(q.v.id.trim());
  const idOf = (typed: string, label: string, fallback: string, taken: Set<string>, field: string) => {
    const id = typed.trim();
    if (!id) return keyFrom(label, fallback, taken);
    if (!new RegExp(QUESTION_ID).test(id))
      say(
        field,
        "El identificador solo puede tener letras minúsculas sin acentos, números y _, empezar con una letra y tener hasta 40 caracteres.",
        "The identifier can only have lowercase letters without accents, digits and _, start with a letter and be up to 40 characters long.",
      );
    return id;
  };
  if (!v["title.es"]?.trim()) say("title.es", "Escribe el título de la página.", "Enter the page's title.");
  for (const [key, max] of Object.entries(PAGE_LIMITS)) tooLong(key, v[key], max, say);
  const page: Page = {
    id: idOf(v.id ?? "", v["title.es"] ?? "", "pagina", new Set(others.map((p) => p.id)), "id"),
    title: localized(v["title.es"] ?? "", v["title.en"]),
    questions: [],
  };
  if (v.kind === "exit") page.kind = "exit";
  if (v["body.es"]?.trim()) page.body = localized(v["body.es"], v["body.en"]);
  else if (v["body.en"]?.trim())
    say("body.es", "Escribe también el texto en español.", "Enter the text in Spanish too.");
  const chosen = v["showIf.question"] ?? "";
  const conditions: Page["showIf"] = [];
  if (chosen) {
    const answers = Object.hasOwn(x.condIn, chosen) ? x.condIn[chosen]! : [];
    if (!answers.length)
      say(
        "showIf.question",
        "Marca al menos una respuesta que muestre esta página, o elige «Siempre».",
        "Tick at least one answer that shows this page, or choose “Always”.",
      );
    conditions.push({ question: chosen, in: answers });
  }
  try {
    const more: unknown = v["showIf.more"] ? JSON.parse(v["showIf.more"]) : [];
    if (Array.isArray(more)) conditions.push(...(more as NonNullable<Page["showIf"]>).slice(0, 9));
  } catch {
    // A forged value: the further conditions are dropped, the chosen one stays.
  }
  if (conditions.length) page.showIf = conditions;

  const rows: number[] = [];
  const subRows: number[][] = [];
  const renames = new Map<string, string>();
  x.questions.forEach((q, i) => {
    if (isBlankQuestion(q)) return;
    const at = `questions.${i}.`;
    const qv = q.v;
    const { type, label } = typeAndLabel(qv, QUESTION_TYPES, at, QUESTION_LIMITS, say);
    const question: Question = {
      id: idOf(qv.id ?? "", qv["label.es"] ?? "", "pregunta", takenQuestions, `${at}id`),
      type,
      label,
    };
    if (qv.was && qv.was !== question.id && !x.questions.some((o) => o.v.id?.trim() === qv.was))
      renames.set(qv.was, question.id);
    for (const k of ["hint", "patternMessage"] as const) {
      if (qv[`${k}.es`]?.trim()) question[k] = localized(qv[`${k}.es`]!, qv[`${k}.en`]);
      else if (qv[`${k}.en`]?.trim()) say(`${at}${k}.es`, "Escríbelo también en español.", "Write it in Spanish too.");
    }
    if (!q.required) question.required = false;
    if (qv.prefill) {
      if ((PREFILL_SOURCES as readonly string[]).includes(qv.prefill))
        question.prefill = qv.prefill as Question["prefill"];
      else say(`${at}prefill`, "Elige un dato de la lista.", "Choose an item from the list.");
    }
    const options = readOptions(qv.options ?? "", `${at}options`, say);
    if (options) question.options = options;
    for (const k of ["minLength", "maxLength", "minItems", "maxItems"] as const) {
      const s = qv[k]?.trim();
      if (!s) continue;
      if (/^\d{1,5}$/.test(s)) question[k] = Number(s);
      else say(`${at}${k}`, "Escribe un número entero, como 10.", "Enter a whole number, like 10.");
    }
    for (const k of ["min", "max"] as const) {
      const s = qv[k]?.trim();
      if (!s) continue;
      if (/^-?\d{1,12}(\.\d{1,6})?$/.test(s)) question[k] = Number(s);
      else if (isIsoDate(s)) question[k] = s;
      else
        say(
          `${at}${k}`,
          "Escribe un número, como 18, o una fecha como 2000-01-31.",
          "Enter a number, like 18, or a date like 2000-01-31.",
        );
    }
    if (qv.pattern?.trim()) question.pattern = qv.pattern;
    if (type === "file") {
      const mb = qv["file.maxMb"]?.trim() || "10";
      const size = /^\d{1,2}(\.\d{1,2})?$/.test(mb) ? Number(mb) : NaN;
      if (!(size > 0 && size <= 20))
        say(`${at}file.maxMb`, "Escribe un tamaño entre 0.1 y 20 MB.", "Enter a size between 0.1 and 20 MB.");
      const kinds = FILE_KINDS.filter((k) => q.fileKinds.includes(k));
      if (!kinds.length) say(`${at}file.kinds`, "Marca al menos un formato.", "Tick at least one format.");
      question.file = { maxBytes: Math.max(1, Math.round((size || 10) * MB)), kinds };
    }
    const subs: number[] = [];
    const fields = q.fields.flatMap((s, j): GroupQuestion[] => {
      if (!isFilledSub(s)) return [];
      subs.push(j);
      return [subFromInput(s, `${at}fields.${j}.`, say)];
    });
    const groupIds = new Set(fields.map((f) => f.id).filter(Boolean));
    for (const f of fields) if (!f.id) f.id = keyFrom(f.label.es, "dato", groupIds);
    if (fields.length) question.fields = fields;
    rows.push(i);
    subRows.push(subs);
    page.questions.push(question);
  });
  return { page, issues, rows, subRows, renames };
}

const SUB_TYPES = QUESTION_TYPES.filter((t): t is GroupQuestion["type"] => t !== "group" && t !== "file");
const TEXT_ONLY = ["minLength", "maxLength", "pattern", "patternMessage"];
const SUB_EXTRA = ["hint", "prefill", "min", "max", ...TEXT_ONLY];

function subFromInput(s: SubInput, at: string, say: Say): GroupQuestion {
  const sv = s.v;
  const { type, label } = typeAndLabel(sv, SUB_TYPES, at, LABEL_LIMITS, say);
  const id = sv.id?.trim() ?? "";
  if (id && !new RegExp(QUESTION_ID).test(id))
    say(
      `${at}id`,
      "Usa letras minúsculas sin acentos, números y _.",
      "Use lowercase letters without accents, digits and _.",
    );
  const f: GroupQuestion = { id, type, label };
  if (!s.required) f.required = false;
  const options = readOptions(sv.options ?? "", `${at}options`, say);
  if (options) f.options = options;
  let extra: Record<string, unknown> = {};
  try {
    const parsed: unknown = sv.extra ? JSON.parse(sv.extra) : {};
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) extra = parsed as Record<string, unknown>;
  } catch {
    // A forged value: nothing kept.
  }
  const fits = (k: string) =>
    TEXT_ONLY.includes(k)
      ? ["text", "textarea"].includes(type)
      : k === "min" || k === "max"
        ? ["number", "date"].includes(type)
        : true;
  for (const k of SUB_EXTRA) if (extra[k] !== undefined && fits(k)) (f as Record<string, unknown>)[k] = extra[k];
  return f;
}

/** Options typed one a line as "valor: Etiqueta | English label"; the value is made from the label when absent. */
export function readOptions(typed: string, field: string, say: Say) {
  const lines = typed
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!lines.length) return undefined;
  if (lines.length > 200)
    say(field, "Una pregunta admite hasta 200 opciones.", "A question takes 200 options at most.");
  const taken = new Set<string>();
  return lines.slice(0, 200).map((line, k) => {
    const m = /^([a-z0-9][a-z0-9_-]{0,39})\s*:\s*(.*)$/.exec(line);
    const [es = "", en] = (m ? m[2]! : line).split("|").map((s) => s.trim());
    if (!es)
      say(field, `La opción de la línea ${k + 1} no tiene etiqueta.`, `The option on line ${k + 1} has no label.`);
    const value = m ? m[1]! : keyFrom(es, `opcion_${k + 1}`, taken, false);
    taken.add(value);
    return { value, label: localized(es || value, en) };
  });
}

/** Conditions that named a renamed question follow it. */
export function renameConditions(def: FormDefinition, renames: Map<string, string>): void {
  for (const page of def.pages) for (const c of page.showIf ?? []) c.question = renames.get(c.question) ?? c.question;
}

// ---------------------------------------------------------------------------------------------
// The draft's other fields: the order of its pages, and the declaration

/** Moves page `index` one place up or down, or removes it. */
export function movePage(def: FormDefinition, index: number, move: "page-up" | "page-down" | "page-delete-confirm") {
  const to = move === "page-up" ? index - 1 : index + 1;
  if (move === "page-delete-confirm") def.pages.splice(index, 1);
  else if (to >= 0 && to < def.pages.length) [def.pages[index], def.pages[to]] = [def.pages[to]!, def.pages[index]!];
  else
    throw new DomainError("invalid", { es: "Esa página no se puede mover más.", en: "That page cannot move further." });
}

/** The declaration's fields. */
export const declarationInput = (def: FormDefinition): Values => pair("declaration", def.declaration);

/** The declaration as typed, and what is wrong with it; `declaration` is undefined when it is left empty. */
export function readDeclaration(body: Body) {
  const values = valuesOf(body, "", ["declaration.es", "declaration.en"]);
  const issues: Issues = {};
  for (const key of ["declaration.es", "declaration.en"])
    tooLong(key, values[key], 2000, (field, es, en) => (issues[field] = { es, en }));
  const declaration = values["declaration.es"]!.trim()
    ? localized(values["declaration.es"]!, values["declaration.en"])
    : undefined;
  return { values, issues, declaration };
}

// ---------------------------------------------------------------------------------------------
// Problems → the fields that show them

const DIRECT = "id type required prefill options pattern minLength maxLength min max minItems maxItems".split(" ");

/** The field of the page editor a problem's path points at (`pages.2.questions.0.options`), if it is on this page. */
export function fieldOfProblem(path: string, index: number, built: Built): string | undefined {
  const parts = path.replace(/^\//, "").split(/[./]/);
  if (parts[0] !== "pages" || parts[1] !== String(index)) return undefined;
  const [k, a, b, c, d] = parts.slice(2);
  const lang = (x: string | undefined) => (x === "en" ? "en" : "es");
  if (k === undefined) return "body.es";
  if (k === "title" || k === "body") return `${k}.${lang(a)}`;
  if (k === "id" || k === "kind") return k;
  if (k === "showIf") return "showIf.question";
  if (k !== "questions") return undefined;
  const row = built.rows[Number(a)];
  if (a === undefined || row === undefined) return "questions";
  const at = `questions.${row}.`;
  if (b === undefined) return `${at}label.es`;
  if (["label", "hint", "patternMessage"].includes(b)) return `${at}${b}.${lang(c)}`;
  if (b === "file") return c === "kinds" ? `${at}file.kinds` : `${at}file.maxMb`;
  if (b === "fields") {
    const sub = built.subRows[Number(a)]?.[Number(c)];
    if (c === undefined || sub === undefined) return `${at.slice(0, -1)}.fields`;
    const s = `${at}fields.${sub}.`;
    return d === "label"
      ? `${s}label.${lang(parts[7])}`
      : ["id", "type", "options"].includes(d ?? "")
        ? s + d
        : `${s}label.es`;
  }
  return DIRECT.includes(b) ? at + b : `${at}label.es`;
}

/** The draft's page a problem's path points at (`pages.3.…` → `page-<id>`) if it was there before the change, or the declaration. */
export function draftFieldOfProblem(path: string, def: FormDefinition, before: FormDefinition): string | undefined {
  if (/^\/?declaration/.test(path)) return "declaration.es";
  const page = def.pages[Number(/^\/?pages[./](\d+)/.exec(path)?.[1] ?? NaN)];
  return page && before.pages.some((x) => x.id === page.id) ? `page-${page.id}` : undefined;
}

/** Problems of a refused definition as field errors (where a field shows them) and the rest. */
export function splitProblems(
  details: FieldIssue[],
  lang: Lang,
  fieldOf: (path: string) => string | undefined = (field) => field,
): Problems {
  const errors: Record<string, string> = {};
  const loose: string[] = [];
  for (const d of details) {
    const message = d.localized ? d.localized[lang] : d.message;
    const field = fieldOf(d.field);
    if (field) errors[field] ??= message;
    else if (!loose.includes(message)) loose.push(message);
  }
  return { errors, loose };
}

/** The problems found in the typed fields, each by its field. */
export const issueProblems = (issues: Issues, lang: Lang): Problems =>
  splitProblems(
    Object.entries(issues).map(([field, m]) => ({ field, message: m.en, localized: m })),
    lang,
  );
