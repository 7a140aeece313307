/**
 * The form engine: which pages a person sees given their answers, how a posted page becomes
 * answers (or errors, in Spanish and English), and how answers read back on a summary or a
 * receipt. Pure functions over a FormDefinition; storage, uploads and HTTP live elsewhere.
 */
import { checkCurp, CURP_MESSAGES, normalizeCurp } from "../accounts/curp.js";
import { formatDate, formatNumber, pick, type Lang } from "../../platform/views/i18n.js";
import type {
  AddressAnswer,
  Answer,
  Answers,
  Condition,
  FileAnswer,
  FormDefinition,
  GroupQuestion,
  Page,
  PrefillSource,
  Question,
  ScalarAnswer,
} from "./definition.js";
import {
  charCount,
  checkDate,
  checkNumber,
  checkRfc,
  cleanText,
  DEFAULT_MAX_ITEMS,
  definitionProblems,
  fileKindOf,
  formatPhone,
  isEmail,
  isIsoDate,
  isPostalCode,
  MAX_GROUP_ITEMS,
  normalizePhone,
  optionValues,
  quoted,
  rfcCheckDigitOk,
  RFC_MESSAGES,
  stateName,
  textPattern,
  type Localized,
} from "./validators.js";

export { definitionProblems, DEFAULT_MAX_ITEMS, rfcCheckDigitOk, RFC_MESSAGES, type Localized };
export type PageErrors = Record<string, Localized>;
type AnyQuestion = Question | GroupQuestion;

// ---------------------------------------------------------------------------------------------
// Routing

export const isExit = (page: Page): boolean => page.kind === "exit";

/** Whether a condition's question was answered with one of its values (yes/no read as "yes"/"no"). */
function holds(c: Condition, answer: Answer | undefined): boolean {
  if (typeof answer === "boolean") return c.in.includes(answer ? "yes" : "no");
  if (typeof answer === "string") return c.in.includes(answer);
  if (Array.isArray(answer)) return answer.some((v) => typeof v === "string" && c.in.includes(v));
  return false;
}

/**
 * Pages in order whose conditions all hold. A condition only sees answers to questions on pages
 * already found visible, so an answer left over on a page that is now hidden changes nothing.
 */
export function visiblePages(def: FormDefinition, answers: Answers): Page[] {
  const seen = new Set<string>();
  const shown: Page[] = [];
  for (const page of def.pages) {
    if (!(page.showIf ?? []).every((c) => seen.has(c.question) && holds(c, answers[c.question]))) continue;
    shown.push(page);
    for (const q of page.questions) seen.add(q.id);
  }
  return shown;
}

/** The exit page the answers lead to, if any: the form stops there and cannot be sent. */
export function exitPage(def: FormDefinition, answers: Answers): Page | undefined {
  return visiblePages(def, answers).find(isExit);
}

/** The first page to show; undefined only for a form whose every page is conditional. */
export function startPageId(def: FormDefinition): string | undefined {
  return visiblePages(def, {})[0]?.id;
}

/**
 * The page after `currentPageId`, or "check" when none is left. An exit page comes up like any
 * other; from an exit page there is nowhere to go, so it returns that page again.
 */
export function nextPageId(def: FormDefinition, answers: Answers, currentPageId: string): string {
  const at = def.pages.findIndex((p) => p.id === currentPageId);
  const visible = visiblePages(def, answers);
  if (at < 0) return visible[0]?.id ?? "check";
  if (isExit(def.pages[at]!)) return currentPageId;
  const next = visible.find((p) => def.pages.indexOf(p) > at);
  return next ? next.id : "check";
}

/** The page a back link goes to (exit pages are never passed through); undefined on the first page. */
export function previousPageId(def: FormDefinition, answers: Answers, currentPageId: string): string | undefined {
  const pages = visiblePages(def, answers).filter((p) => !isExit(p));
  if (currentPageId === "check") return pages.at(-1)?.id;
  const at = def.pages.findIndex((p) => p.id === currentPageId);
  return pages.filter((p) => def.pages.indexOf(p) < at).at(-1)?.id;
}

/** Only answers to questions on visible pages: what a person answered down a path they left is dropped. */
export function pruneHiddenAnswers(def: FormDefinition, answers: Answers): Answers {
  const out: Answers = {};
  for (const page of visiblePages(def, answers)) {
    for (const q of page.questions) if (answers[q.id] !== undefined) out[q.id] = answers[q.id]!;
  }
  return out;
}

/** The stored answers with one page's replaced: its questions missing from `fresh` were left blank. */
export function withPageAnswers(page: Page, stored: Answers, fresh: Answers): Answers {
  const out = { ...stored };
  for (const q of page.questions) {
    if (fresh[q.id] === undefined) delete out[q.id];
    else out[q.id] = fresh[q.id]!;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading a posted page

export type MunicipalityLookup = (stateCode: string, nameOrCode: string) => { code: string; name: string } | undefined;

export interface ReadOptions {
  /** Messages come in both languages whatever this says; kept for callers that pass it. */
  lang?: Lang | undefined;
  /** YYYY-MM-DD, in Mexico City: relative date limits count from it. */
  today: string;
  municipality: MunicipalityLookup;
  /** Answers already stored: file questions keep theirs (uploads arrive another way). */
  existing: Answers;
}

interface Reader {
  input: Record<string, unknown>;
  today: string;
  municipality: MunicipalityLookup;
}

interface Read {
  value?: ScalarAnswer | Record<string, ScalarAnswer>[] | undefined;
  errors: PageErrors;
}

const q$ = (q: AnyQuestion): Localized => quoted(q.label);
const fail = (key: string, es: string, en: string): Read => ({ errors: { [key]: { es, en } } });
const ok = (value: Read["value"]): Read => ({ value, errors: {} });
const isRequired = (q: AnyQuestion) => q.required !== false;

/** One value of a field; a repeated name (forged, or a double post) counts as its first value. */
function one(input: Record<string, unknown>, name: string): string {
  const v = input[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === "string" ? first : typeof first === "number" ? String(first) : "";
}

function many(input: Record<string, unknown>, name: string): string[] {
  const v = input[name];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string" && x.trim() !== "");
}

/** The cleaned text of a field, or the error that stops it. */
function textOf(q: AnyQuestion, name: string, r: Reader, multiline = false): { text: string } | Read {
  const cleaned = cleanText(one(r.input, name), multiline);
  if (cleaned.ok) return { text: cleaned.value };
  const Q = q$(q);
  return cleaned.problem === "too_long"
    ? fail(name, `La respuesta a ${Q.es} es demasiado larga.`, `The answer to ${Q.en} is too long.`)
    : fail(
        name,
        `La respuesta a ${Q.es} tiene caracteres que no se pueden usar. Vuelve a escribirla.`,
        `The answer to ${Q.en} contains characters that cannot be used. Type it again.`,
      );
}

function missing(q: AnyQuestion, name: string): Read {
  if (!isRequired(q)) return ok(undefined);
  const Q = q$(q);
  switch (q.type) {
    case "radio":
    case "select":
    case "yesno":
      return fail(name, `Elige una respuesta para ${Q.es}`, `Select an answer for ${Q.en}`);
    case "checkboxes":
      return fail(name, `Marca al menos una opción en ${Q.es}`, `Select at least one option for ${Q.en}`);
    case "declaration":
      return fail(name, "Marca la casilla para confirmar la declaración", "Tick the box to confirm the declaration");
    case "file":
      return fail(name, `Sube el archivo para ${Q.es}`, `Upload the file for ${Q.en}`);
    default:
      return fail(name, `Escribe tu respuesta a ${Q.es}`, `Enter your answer to ${Q.en}`);
  }
}

/** Shorthand for the readers of typed text: empty → missing, otherwise `check` decides. */
function typed(q: AnyQuestion, name: string, r: Reader, check: (text: string) => Read, multiline = false): Read {
  const t = textOf(q, name, r, multiline);
  if (!("text" in t)) return t;
  return t.text === "" ? missing(q, name) : check(t.text);
}

function readText(q: AnyQuestion, name: string, r: Reader): Read {
  const Q = q$(q);
  const say = (es: string, en: string) => fail(name, `${Q.es} ${es}`, `${Q.en} ${en}`);
  const check = (text: string): Read => {
    const n = charCount(text);
    if (q.minLength !== undefined && n < q.minLength) {
      return say(`debe tener al menos ${q.minLength} caracteres`, `must be ${q.minLength} characters or more`);
    }
    if (q.maxLength !== undefined && n > q.maxLength) {
      return say(`debe tener como máximo ${q.maxLength} caracteres`, `must be ${q.maxLength} characters or fewer`);
    }
    const pattern = q.pattern === undefined ? undefined : textPattern(q.pattern);
    if (!pattern || pattern.test(text)) return ok(text);
    const m = q.patternMessage;
    return m ? fail(name, m.es, m.en ?? m.es) : say("no tiene el formato correcto", "is not in the right format");
  };
  return typed(q, name, r, check, q.type === "textarea");
}

function readNumber(q: AnyQuestion, name: string, r: Reader): Read {
  return typed(q, name, r, (text) => {
    const n = checkNumber(q$(q), text, q);
    return n.ok ? ok(n.value) : { errors: { [name]: n.message } };
  });
}

function readDate(q: AnyQuestion, name: string, r: Reader): Read {
  const key = `${name}.day`;
  const parts: string[] = [];
  for (const part of ["day", "month", "year"]) {
    const t = textOf(q, `${name}.${part}`, r);
    if (!("text" in t)) return { errors: { [key]: Object.values(t.errors)[0]! } };
    parts.push(t.text);
  }
  const date = checkDate(q$(q), parts as [string, string, string], q, r.today);
  if (date.ok) return ok(date.iso);
  return date.message ? { errors: { [key]: date.message } } : missing(q, key);
}

function forged(q: AnyQuestion, name: string): Read {
  const Q = q$(q);
  return fail(name, `Elige una de las opciones de ${Q.es}`, `Select one of the options for ${Q.en}`);
}

function readChoice(q: AnyQuestion, name: string, r: Reader): Read {
  const value = one(r.input, name).trim();
  if (value === "") return missing(q, name);
  if (!optionValues(q).includes(value)) return forged(q, name);
  return ok(q.type === "yesno" ? value === "yes" : value);
}

function readCheckboxes(q: AnyQuestion, name: string, r: Reader): Read {
  const values = [...new Set(many(r.input, name).map((v) => v.trim()))];
  if (!values.length) return missing(q, name);
  const allowed = optionValues(q);
  if (values.some((v) => !allowed.includes(v))) return forged(q, name);
  // Stored in the definition's order, whatever order the browser sent.
  return ok(allowed.filter((v) => values.includes(v)));
}

function readDeclaration(q: AnyQuestion, name: string, r: Reader): Read {
  return one(r.input, name) === "yes" ? ok(true) : missing(q, name);
}

const FORMAT_MESSAGES: Partial<Record<AnyQuestion["type"], [string, string]>> = {
  email: ["con el formato correcto, como nombre@ejemplo.com", "in the correct format, like name@example.com"],
  phone: ["como un número de 10 dígitos, como 55 1234 5678", "as a 10-digit number, like 55 1234 5678"],
};

function formatFail(q: AnyQuestion, name: string): Read {
  const [es, en] = FORMAT_MESSAGES[q.type]!;
  const Q = q$(q);
  return fail(name, `Escribe ${Q.es} ${es}`, `Enter ${Q.en} ${en}`);
}

function readFormatted(q: AnyQuestion, name: string, r: Reader): Read {
  return typed(q, name, r, (text) => {
    if (q.type === "email") return isEmail(text) ? ok(text) : formatFail(q, name);
    if (q.type === "phone") {
      const phone = normalizePhone(text);
      return phone ? ok(phone) : formatFail(q, name);
    }
    if (q.type === "curp") {
      const curp = checkCurp(text);
      return curp.ok ? ok(normalizeCurp(text)) : { errors: { [name]: CURP_MESSAGES[curp.problem] } };
    }
    const rfc = checkRfc(text);
    return rfc.ok ? ok(rfc.rfc) : { errors: { [name]: RFC_MESSAGES[rfc.problem] } };
  });
}

const ADDRESS_PARTS = ["street", "settlement", "postalCode", "state", "municipality"] as const;
const ADDRESS_MISSING: Record<(typeof ADDRESS_PARTS)[number], [string, string]> = {
  street: ["la calle y el número", "the street and number"],
  settlement: ["la colonia", "the neighbourhood (colonia)"],
  postalCode: ["el código postal", "the postal code"],
  state: ["el estado", "the state"],
  municipality: ["el municipio o alcaldía", "the municipality"],
};

function readAddress(q: AnyQuestion, name: string, r: Reader): Read {
  const text: Partial<Record<(typeof ADDRESS_PARTS)[number], string>> = {};
  const errors: PageErrors = {};
  for (const part of ADDRESS_PARTS) {
    const t = textOf(q, `${name}.${part}`, r);
    if ("text" in t) text[part] = t.text;
    else Object.assign(errors, t.errors);
  }
  if (Object.keys(errors).length) return { errors };
  if (ADDRESS_PARTS.every((p) => !text[p]) && !isRequired(q)) return ok(undefined);
  const Q = q$(q);
  for (const part of ADDRESS_PARTS) {
    const [es, en] = ADDRESS_MISSING[part];
    if (!text[part]) errors[`${name}.${part}`] = { es: `Escribe ${es} de ${Q.es}`, en: `Enter ${en} for ${Q.en}` };
  }
  const { postalCode = "", state = "", municipality = "" } = text;
  if (postalCode && !isPostalCode(postalCode)) {
    errors[`${name}.postalCode`] = {
      es: `El código postal de ${Q.es} debe tener 5 números, como 06000`,
      en: `The postal code for ${Q.en} must be 5 digits, like 06000`,
    };
  }
  const stateOk = stateName(state) !== undefined;
  if (state && !stateOk)
    errors[`${name}.state`] = { es: `Elige el estado de ${Q.es}`, en: `Select the state for ${Q.en}` };
  const found = stateOk && municipality ? r.municipality(state, municipality) : undefined;
  if (stateOk && municipality && !found) {
    errors[`${name}.municipality`] = {
      es: `No encontramos el municipio «${municipality}» en ${stateName(state)}. Revisa cómo se escribe.`,
      en: `We could not find the municipality ‘${municipality}’ in ${stateName(state)}. Check the spelling.`,
    };
  }
  if (Object.keys(errors).length || !found) return { errors };
  const address: AddressAnswer = {
    street: text.street!,
    settlement: text.settlement!,
    postalCode,
    stateCode: state,
    municipalityCode: found.code,
    municipalityName: found.name,
  };
  return ok(address);
}

function readField(q: AnyQuestion, name: string, r: Reader): Read {
  switch (q.type) {
    case "text":
    case "textarea":
      return readText(q, name, r);
    case "number":
      return readNumber(q, name, r);
    case "date":
      return readDate(q, name, r);
    case "yesno":
    case "radio":
    case "select":
      return readChoice(q, name, r);
    case "checkboxes":
      return readCheckboxes(q, name, r);
    case "declaration":
      return readDeclaration(q, name, r);
    case "address":
      return readAddress(q, name, r);
    case "email":
    case "phone":
    case "curp":
    case "rfc":
      return readFormatted(q, name, r);
    default:
      // Files arrive by upload and groups do not nest; a definition saying otherwise is refused upstream.
      return ok(undefined);
  }
}

/** The input names a field posts under (a date or address posts several). */
export function fieldNames(type: AnyQuestion["type"], name: string): string[] {
  if (type === "date") return ["day", "month", "year"].map((p) => `${name}.${p}`);
  if (type === "address") return ADDRESS_PARTS.map((p) => `${name}.${p}`);
  return [name];
}

const filled = (r: Reader, f: GroupQuestion, name: string) =>
  fieldNames(f.type, name).some((n) => many(r.input, n).length > 0);

function readGroup(q: Question, r: Reader): Read {
  const errors: PageErrors = {};
  const items: Record<string, ScalarAnswer>[] = [];
  const fields = q.fields ?? [];
  // Indexes past the schema's ceiling can only be forged; those below it but past maxItems are counted.
  for (let i = 0; i < MAX_GROUP_ITEMS; i++) {
    if (!fields.some((f) => filled(r, f, `${q.id}.${i}.${f.id}`))) continue;
    const item: Record<string, ScalarAnswer> = {};
    for (const f of fields) {
      const got = readField(f, `${q.id}.${i}.${f.id}`, r);
      Object.assign(errors, got.errors);
      if (got.value !== undefined) item[f.id] = got.value as ScalarAnswer;
    }
    items.push(item);
  }
  const Q = q$(q);
  const min = isRequired(q) ? (q.minItems ?? 1) : items.length ? (q.minItems ?? 0) : 0;
  const max = q.maxItems ?? DEFAULT_MAX_ITEMS;
  if (items.length < min) {
    errors[q.id] =
      min === 1
        ? { es: `Agrega al menos un registro en ${Q.es}`, en: `Add at least one entry to ${Q.en}` }
        : { es: `Agrega al menos ${min} registros en ${Q.es}`, en: `Add at least ${min} entries to ${Q.en}` };
  }
  if (items.length > max) {
    errors[q.id] = { es: `${Q.es} admite como máximo ${max} registros`, en: `${Q.en} takes ${max} entries at most` };
  }
  return { value: items.length ? items : undefined, errors };
}

function checkFile(q: Question, answer: Answer | undefined): Read {
  if (answer === undefined) return missing(q, q.id);
  const file = answer as Partial<FileAnswer>;
  const Q = q$(q);
  const kind = typeof file.contentType === "string" ? fileKindOf(file.contentType) : undefined;
  if (typeof file.bytes !== "number" || typeof file.name !== "string" || !kind || !q.file?.kinds.includes(kind)) {
    return fail(q.id, `Vuelve a subir el archivo de ${Q.es}`, `Upload the file for ${Q.en} again`);
  }
  if (file.bytes > q.file.maxBytes) {
    return fail(q.id, `El archivo de ${Q.es} es demasiado grande`, `The file for ${Q.en} is too big`);
  }
  return ok(answer as FileAnswer);
}

/**
 * A posted page as answers to its questions, or errors keyed by the id of the field to fix.
 * Only names belonging to the page's questions are read, so forged fields are never stored.
 * Store `answers` (with withPageAnswers) only when `errors` is empty.
 */
export function readPage(
  _def: FormDefinition,
  page: Page,
  input: Record<string, unknown>,
  opts: ReadOptions,
): { answers: Answers; errors: PageErrors } {
  const r: Reader = { input, today: opts.today, municipality: opts.municipality };
  const answers: Answers = {};
  const errors: PageErrors = {};
  for (const q of page.questions) {
    const got =
      q.type === "file"
        ? checkFile(q, opts.existing[q.id])
        : q.type === "group"
          ? readGroup(q, r)
          : readField(q, q.id, r);
    Object.assign(errors, got.errors);
    if (got.value !== undefined) answers[q.id] = got.value;
  }
  return { answers, errors };
}

// ---------------------------------------------------------------------------------------------
// Answers back to fields: to fill a page's inputs and to re-check stored answers

function scalarInput(q: AnyQuestion, name: string, a: Answer | undefined, out: Record<string, string | string[]>) {
  if (a === undefined) return;
  if (q.type === "date" && typeof a === "string") {
    const [y = "", m = "", d = ""] = a.split("-");
    Object.assign(out, {
      [`${name}.day`]: String(Number(d)),
      [`${name}.month`]: String(Number(m)),
      [`${name}.year`]: y,
    });
  } else if (q.type === "address" && typeof a === "object" && !Array.isArray(a)) {
    const ad = a as Partial<AddressAnswer>;
    const parts = [ad.street, ad.settlement, ad.postalCode, ad.stateCode, ad.municipalityCode];
    ADDRESS_PARTS.forEach((p, i) => (out[`${name}.${p}`] = String(parts[i] ?? "")));
  } else if (typeof a === "boolean") out[name] = q.type === "declaration" ? (a ? "yes" : "") : a ? "yes" : "no";
  else if (Array.isArray(a)) out[name] = a.filter((v): v is string => typeof v === "string");
  else if (typeof a === "string" || typeof a === "number") out[name] = String(a);
}

/** A page's stored answers as the field values a browser would post (files excepted). */
export function pageInput(page: Page, answers: Answers): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const q of page.questions) {
    const a = answers[q.id];
    if (q.type !== "group") scalarInput(q, q.id, a, out);
    else if (Array.isArray(a)) {
      a.forEach((item, i) => {
        if (typeof item !== "object" || item === null) return;
        for (const f of q.fields ?? [])
          scalarInput(f, `${q.id}.${i}.${f.id}`, (item as Record<string, Answer>)[f.id], out);
      });
    }
  }
  return out;
}

/** A value in a form that compares equal whatever its key order (and without names kept for display). */
function canonical(a: unknown): string {
  if (Array.isArray(a)) return `[${a.map(canonical).join(",")}]`;
  if (typeof a !== "object" || a === null) return JSON.stringify(a) ?? "";
  const entries = Object.entries(a).filter(([k, v]) => k !== "municipalityName" && v !== undefined);
  return `{${entries
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
    .join(",")}}`;
}

/**
 * Every stored answer re-checked against today's rules, page by page over the visible pages, as
 * the final submit needs: a value that was valid under an older definition, or was stored by a
 * bug in another shape than reading it now would give, is caught. When the answers lead to an
 * exit page, that page's id carries an error too.
 */
export function validateAll(
  def: FormDefinition,
  answers: Answers,
  opts: Omit<ReadOptions, "existing"> & { existing?: Answers },
): Record<string, Localized & { pageId: string }> {
  const out: Record<string, Localized & { pageId: string }> = {};
  for (const page of visiblePages(def, answers)) {
    if (isExit(page)) {
      out[page.id] = {
        pageId: page.id,
        es: "Con estas respuestas no puedes hacer este trámite en línea.",
        en: "With these answers you cannot apply online.",
      };
      continue;
    }
    const read = readPage(def, page, pageInput(page, answers), { ...opts, existing: answers });
    const errors: PageErrors = { ...read.errors };
    for (const q of page.questions) {
      const key = q.type === "group" ? q.id : fieldNames(q.type, q.id)[0]!;
      const touched = Object.keys(errors).some((k) => k === q.id || k.startsWith(`${q.id}.`));
      if (!touched && canonical(read.answers[q.id]) !== canonical(answers[q.id])) {
        const Q = q$(q);
        errors[key] = { es: `Vuelve a responder ${Q.es}`, en: `Answer ${Q.en} again` };
      }
    }
    for (const [key, m] of Object.entries(errors)) out[key] = { ...m, pageId: page.id };
  }
  return out;
}

/** No answer; an unticked declaration counts as none (a "no" to a yes/no question is an answer). */
const isEmpty = (q: AnyQuestion, a: Answer | undefined) =>
  a === undefined || a === "" || (Array.isArray(a) && a.length === 0) || (q.type === "declaration" && a !== true);

/** Required questions on the visible pages that have no answer, in form order. */
export function missingAnswers(def: FormDefinition, answers: Answers): string[] {
  return visiblePages(def, answers)
    .filter((p) => !isExit(p))
    .flatMap((p) => p.questions)
    .filter((q) => isRequired(q) && isEmpty(q, answers[q.id]) && !(q.type === "group" && q.minItems === 0))
    .map((q) => q.id);
}

// ---------------------------------------------------------------------------------------------
// Answers as text: the check-your-answers page and the receipt

function fileSize(bytes: number, lang: Lang): string {
  if (bytes < 1024) return `${formatNumber(bytes, lang)} bytes`;
  const kb = bytes / 1024;
  if (kb < 1024) return `${formatNumber(Math.round(kb), lang)} KB`;
  return `${formatNumber(Math.round((kb / 1024) * 10) / 10, lang)} MB`;
}

function addressText(a: AddressAnswer, lang: Lang): string {
  const cp = lang === "es" ? `C.P. ${a.postalCode}` : `postcode ${a.postalCode}`;
  const state = stateName(a.stateCode) ?? a.stateCode;
  return [a.street, a.settlement, cp, a.municipalityName ?? a.municipalityCode, state].filter(Boolean).join(", ");
}

const optionLabel = (q: AnyQuestion, value: string, lang: Lang) => {
  const o = q.options?.find((x) => x.value === value);
  return o ? pick(o.label, lang) : value;
};

/** One answer as people read it; group entries one a line, everything else on one line. */
export function answerText(question: AnyQuestion, answer: Answer | undefined, lang: Lang): string {
  if (answer === undefined) return "";
  const yes = lang === "es" ? "Sí" : "Yes";
  switch (question.type) {
    case "yesno":
      return answer === true ? yes : answer === false ? "No" : String(answer);
    case "declaration":
      return answer === true ? (lang === "es" ? "Sí, lo declaro" : "Yes, I declare this") : "";
    case "radio":
    case "select":
      return optionLabel(question, String(answer), lang);
    case "checkboxes":
      return Array.isArray(answer) ? answer.map((v) => optionLabel(question, String(v), lang)).join(", ") : "";
    case "date":
      return typeof answer === "string" && isIsoDate(answer) ? formatDate(answer, lang) : String(answer);
    case "number":
      return typeof answer === "number" ? formatNumber(answer, lang) : String(answer);
    case "phone":
      return formatPhone(String(answer));
    case "address":
      return typeof answer === "object" ? addressText(answer as AddressAnswer, lang) : "";
    case "file": {
      const f = answer as FileAnswer;
      return `${f.name} (${fileSize(f.bytes, lang)})`;
    }
    case "group":
      return groupText(question as Question, answer, lang);
    default:
      return String(answer);
  }
}

function groupText(q: Question, answer: Answer, lang: Lang): string {
  if (!Array.isArray(answer)) return "";
  return (answer as Record<string, ScalarAnswer>[])
    .map((item, i) => {
      const parts = (q.fields ?? [])
        .filter((f) => item[f.id] !== undefined)
        .map((f) => `${pick(f.label, lang)}: ${answerText(f, item[f.id], lang)}`);
      return `${i + 1}. ${parts.join("; ")}`;
    })
    .join("\n");
}

export interface SummaryRow {
  pageId: string;
  questionId: string;
  label: string;
  value: string;
  changeHref?: string;
}

/** Rows for "check your answers": every question on the visible pages, unanswered ones said so. */
export function summaryRows(
  def: FormDefinition,
  answers: Answers,
  lang: Lang,
  changeHref?: (pageId: string, questionId: string) => string,
): SummaryRow[] {
  const none = lang === "es" ? "Sin respuesta" : "Not answered";
  return visiblePages(def, answers)
    .filter((p) => !isExit(p))
    .flatMap((page) =>
      page.questions.map((q) => {
        const row: SummaryRow = {
          pageId: page.id,
          questionId: q.id,
          label: pick(q.label, lang),
          value: isEmpty(q, answers[q.id]) ? none : answerText(q, answers[q.id], lang),
        };
        if (changeHref) row.changeHref = changeHref(page.id, q.id);
        return row;
      }),
    );
}

// ---------------------------------------------------------------------------------------------
// Prefill (once-only: what the platform already knows)

function prefillValue(q: Question, fact: string | AddressAnswer): ScalarAnswer | undefined {
  if (q.type === "address") return typeof fact === "object" ? fact : undefined;
  if (typeof fact !== "string" || fact.trim() === "") return undefined;
  if (q.type === "date") return isIsoDate(fact) ? fact : undefined;
  if (q.type === "phone") return normalizePhone(fact);
  if (q.type === "curp") return normalizeCurp(fact);
  if (q.type === "rfc") {
    const rfc = checkRfc(fact);
    return rfc.ok ? rfc.rfc : undefined;
  }
  return ["text", "email"].includes(q.type) ? fact.trim() : undefined;
}

/**
 * Answers taken from facts about the person, for questions that ask for them. The caller applies
 * them where nothing is answered yet; `prefilled` lists those ids so the page can say where they came from.
 */
export function prefillFor(
  def: FormDefinition,
  facts: Partial<Record<PrefillSource, string | AddressAnswer>>,
): { answers: Answers; prefilled: string[] } {
  const answers: Answers = {};
  for (const q of def.pages.flatMap((p) => p.questions)) {
    const fact = q.prefill ? facts[q.prefill] : undefined;
    const value = fact === undefined ? undefined : prefillValue(q, fact);
    if (value !== undefined) answers[q.id] = value;
  }
  return { answers, prefilled: Object.keys(answers) };
}
