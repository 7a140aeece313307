/**
 * Pure checks: the kinds of answer Mexican forms ask for (RFC, telephone, postal code, email,
 * numbers, dates) and the consistency of a form definition as staff build it. Messages come in
 * Spanish and English; the engine (engine.ts) puts them to use.
 */
import { formatDate, formatNumber, type Lang } from "../../platform/views/i18n.js";
import type { Condition, FormDefinition, GroupQuestion, Page, PrefillSource, Question } from "./definition.js";

export type Localized = { es: string; en: string };
type AnyQuestion = Question | GroupQuestion;

/** A label in quotes, as messages name the question they are about. */
export const quoted = (label: { es: string; en?: string }): Localized => ({
  es: `«${label.es}»`,
  en: `‘${label.en ?? label.es}’`,
});

/** The values a choice question accepts (yes/no questions post "yes" or "no"). */
export const optionValues = (q: AnyQuestion): string[] =>
  q.type === "yesno" ? ["yes", "no"] : (q.options ?? []).map((o) => o.value);

/** Items a repeatable group takes when its definition does not say. */
export const DEFAULT_MAX_ITEMS = 20;
/** The schema's ceiling for maxItems: item indexes beyond it can only be forged. */
export const MAX_GROUP_ITEMS = 50;

/** The 32 states by INEGI code (seed/geo/states.csv), kept here so the engine stays pure. */
export const MX_STATES: readonly { code: string; name: string }[] = (
  "Aguascalientes;Baja California;Baja California Sur;Campeche;Coahuila de Zaragoza;Colima;" +
  "Chiapas;Chihuahua;Ciudad de México;Durango;Guanajuato;Guerrero;Hidalgo;Jalisco;México;" +
  "Michoacán de Ocampo;Morelos;Nayarit;Nuevo León;Oaxaca;Puebla;Querétaro;Quintana Roo;" +
  "San Luis Potosí;Sinaloa;Sonora;Tabasco;Tamaulipas;Tlaxcala;Veracruz de Ignacio de la Llave;" +
  "Yucatán;Zacatecas"
)
  .split(";")
  .map((name, i) => ({ code: String(i + 1).padStart(2, "0"), name }));

export function stateName(code: string): string | undefined {
  return MX_STATES.find((s) => s.code === code)?.name;
}

// ---------------------------------------------------------------------------------------------
// Text

/** Longest answer any field accepts, whatever the question says. */
export const MAX_ANSWER_CHARS = 10_000;

// C0 and C1 controls, plus the bidirectional overrides that can make a receipt read differently
// from what was typed.
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

export type TextProblem = "too_long" | "control";

/** Trims and NFC-normalises typed text; multiline text keeps its newlines and tabs. */
export function cleanText(
  raw: string,
  multiline = false,
): { ok: true; value: string } | { ok: false; problem: TextProblem } {
  if (raw.length > MAX_ANSWER_CHARS) return { ok: false, problem: "too_long" };
  const text = raw.replace(/\r\n?/g, "\n");
  if ((multiline ? CONTROL_EXCEPT_LINES : CONTROL).test(text)) return { ok: false, problem: "control" };
  return { ok: true, value: text.normalize("NFC").trim() };
}

/** Length as people count it (code points, so "ñ" or an emoji counts once). */
export const charCount = (s: string) => [...s].length;

// ---------------------------------------------------------------------------------------------
// RFC (Registro Federal de Contribuyentes)

// SAT's shape (tdCFDI.xsd): 3 letters for a company (persona moral), 4 for a person (física).
const RFC_SHAPE = /^[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}$/;
const RFC_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ";

/** Four-letter starts SAT never assigns to people (Anexo IV of its RFC rules). */
const RFC_BLOCKED = new Set(
  (
    "BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COJA COJE COJI COJO CULO FETO GUEY JOTO KACA KACO KAGA " +
    "KAGO KAKA KOGE KOJO KULO MAME MAMO MEAR MEAS MEON MION MOCO MULA PEDA PEDO PENE PUTA PUTO QULO RATA RUIN"
  ).split(" "),
);

export type RfcProblem = "length" | "format" | "date" | "blocked";

export function normalizeRfc(input: string): string {
  return input
    .normalize("NFC")
    .replace(/[\s-]+/g, "")
    .toUpperCase();
}

export function checkRfc(
  input: string,
): { ok: true; rfc: string; kind: "fisica" | "moral" } | { ok: false; problem: RfcProblem } {
  const rfc = normalizeRfc(input);
  if (rfc.length !== 12 && rfc.length !== 13) return { ok: false, problem: "length" };
  const letters = rfc.length - 9;
  if (!RFC_SHAPE.test(rfc) || !/^[A-ZÑ&]+$/.test(rfc.slice(0, letters))) return { ok: false, problem: "format" };
  if (letters === 4 && RFC_BLOCKED.has(rfc.slice(0, 4))) return { ok: false, problem: "blocked" };
  if (!yymmddExists(rfc.slice(letters, letters + 6))) return { ok: false, problem: "date" };
  return { ok: true, rfc, kind: letters === 4 ? "fisica" : "moral" };
}

/** The six digits are a birth or incorporation date whose century is not written: any will do. */
function yymmddExists(digits: string): boolean {
  const [yy, mm, dd] = [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4, 6)];
  return ["19", "20"].some((c) => isIsoDate(`${c}${yy}-${mm}-${dd}`));
}

/**
 * Whether the homoclave's last character matches SAT's check digit. Some RFCs that SAT really
 * issued fail it, so a failure is a warning to show, never a reason to refuse the answer.
 */
export function rfcCheckDigitOk(input: string): boolean {
  const rfc = normalizeRfc(input);
  if (!RFC_SHAPE.test(rfc) || !/^[1-9A-V][1-9A-Z][0-9A]$/.test(rfc.slice(-3))) return false;
  const body = `   ${rfc.slice(0, -1)}`.slice(-12);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += RFC_ALPHABET.indexOf(body[i]!) * (13 - i);
  return RFC_ALPHABET[(11 - (sum % 11)) % 11] === rfc.at(-1);
}

export const RFC_MESSAGES: Record<RfcProblem, Localized> = {
  length: {
    es: "El RFC tiene 13 caracteres si es de una persona y 12 si es de una empresa, con la homoclave.",
    en: "An RFC has 13 characters for a person and 12 for a company, including the homoclave.",
  },
  format: {
    es: "El RFC no tiene la forma correcta: 4 letras (3 si es de una empresa), 6 números de la fecha y 3 caracteres de la homoclave.",
    en: "The RFC does not have the right shape: 4 letters (3 for a company), 6 digits of the date and 3 characters of the homoclave.",
  },
  date: {
    es: "La fecha del RFC (los 6 números, AAMMDD) no es una fecha válida.",
    en: "The date in the RFC (the 6 digits, YYMMDD) is not a valid date.",
  },
  blocked: {
    es: "Ese RFC no puede existir: el SAT reemplaza esas primeras cuatro letras. Revisa tu Constancia de Situación Fiscal.",
    en: "That RFC cannot exist: SAT replaces those first four letters. Check your tax status certificate (Constancia de Situación Fiscal).",
  },
};

// ---------------------------------------------------------------------------------------------
// Telephone, postal code, email

/**
 * A Mexican number as its 10 digits. Accepts spaces, dashes, dots, brackets and the +52 prefix
 * (also the +52 1 that mobiles used before 2020). National numbers never start with 0 or 1.
 */
export function normalizePhone(input: string): string | undefined {
  let digits = input.replace(/[\s\-.()]/g, "");
  if (!/^\+?[0-9]+$/.test(digits)) return undefined;
  digits = digits.replace(/^\+/, "");
  if (digits.length === 13 && digits.startsWith("521")) digits = digits.slice(3);
  if (digits.length === 12 && digits.startsWith("52")) digits = digits.slice(2);
  return /^[2-9][0-9]{9}$/.test(digits) ? digits : undefined;
}

/** 10 digits grouped as people read them: 55 1234 5678 in the three big cities, 222 123 4567 elsewhere. */
export function formatPhone(digits: string): string {
  if (!/^[0-9]{10}$/.test(digits)) return digits;
  return /^(55|56|33|81)/.test(digits)
    ? `${digits.slice(0, 2)} ${digits.slice(2, 6)} ${digits.slice(6)}`
    : `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}

/** Five digits; no Mexican postal code starts with 00. */
export function isPostalCode(input: string): boolean {
  return /^(?!00)[0-9]{5}$/.test(input);
}

const DOMAIN_LABEL = "[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?";
const EMAIL = new RegExp(`^[^\\s@"(),:;<>[\\\\\\]]{1,64}@${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})+$`, "u");

/** A deliberately plain check: one @, something before it, a dotted domain after it. */
export function isEmail(input: string): boolean {
  return input.length <= 254 && EMAIL.test(input);
}

// ---------------------------------------------------------------------------------------------
// Numbers

/**
 * Reads a number as Mexicans and others write it: "1234.5", "1,234.5" (thousands with commas),
 * "1 234,5" or "1.234,5" (the Spanish way) and "12,5" (a decimal comma).
 */
export function parseNumber(input: string): number | undefined {
  const s = input.replace(/[\s\u00A0\u202F]/g, "").replace(/^\u2212/, "-");
  let plain: string | undefined;
  if (/^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$/.test(s)) plain = s.replace(/,/g, "");
  else if (/^-?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?$/.test(s) && (s.includes(",") || s.split(".").length > 2)) {
    plain = s.replace(/\./g, "").replace(",", ".");
  } else if (/^-?[0-9]+([.,][0-9]+)?$/.test(s)) plain = s.replace(",", ".");
  if (plain === undefined) return undefined;
  const n = Number(plain);
  return Number.isFinite(n) ? n : undefined;
}

type Limits = { min?: number | string | undefined; max?: number | string | undefined };

/** A typed number within the question's limits, or the message that says why not. */
export function checkNumber(
  Q: Localized,
  text: string,
  limits: Limits,
): { ok: true; value: number } | { ok: false; message: Localized } {
  const n = parseNumber(text);
  const say = (es: string, en: string) => ({
    ok: false as const,
    message: { es: `${Q.es} ${es}`, en: `${Q.en} ${en}` },
  });
  if (n === undefined) return say("debe ser un número, como 150 o 12.5", "must be a number, like 150 or 12.5");
  const { min, max } = limits;
  if (typeof min === "number" && n < min) {
    return say(`debe ser ${formatNumber(min, "es")} o más`, `must be ${formatNumber(min, "en")} or more`);
  }
  if (typeof max === "number" && n > max) {
    return say(`debe ser ${formatNumber(max, "es")} o menos`, `must be ${formatNumber(max, "en")} or less`);
  }
  return { ok: true, value: n };
}

// ---------------------------------------------------------------------------------------------
// Dates (ISO YYYY-MM-DD strings, compared as strings)

export function isIsoDate(s: string): boolean {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A date limit from a form definition: an ISO date, or a number of days from today (-6570: 18 years ago). */
export function resolveDateLimit(limit: number | string, today: string): string {
  return typeof limit === "number" ? addDays(today, Math.trunc(limit)) : limit;
}

export type DateProblem = "missing" | "year" | "invalid";

/** The three boxes of a GOV.UK date input as an ISO date; `missing` lists the empty boxes. */
export function dateFromParts(
  day: string,
  month: string,
  year: string,
): { ok: true; iso: string } | { ok: false; problem: DateProblem; missing?: ("day" | "month" | "year")[] } {
  const parts = { day, month, year };
  const missing = (["day", "month", "year"] as const).filter((k) => parts[k] === "");
  if (missing.length) return { ok: false, problem: "missing", missing };
  if (!/^[0-9]{1,2}$/.test(day) || !/^[0-9]{1,2}$/.test(month)) return { ok: false, problem: "invalid" };
  if (!/^[0-9]{4}$/.test(year)) return { ok: false, problem: /^[0-9]+$/.test(year) ? "year" : "invalid" };
  const iso = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  return isIsoDate(iso) && year >= "1000" ? { ok: true, iso } : { ok: false, problem: "invalid" };
}

const PART_NAMES = { day: ["el día", "a day"], month: ["el mes", "a month"], year: ["el año", "a year"] } as const;

/**
 * The three boxes of a date question checked against its limits, in GOV.UK's words. A null
 * message means all three boxes are empty (the caller knows whether an answer is required).
 */
export function checkDate(
  Q: Localized,
  [day, month, year]: [string, string, string],
  limits: Limits,
  today: string,
): { ok: true; iso: string } | { ok: false; message: Localized | null } {
  const say = (es: string, en: string) => ({ ok: false as const, message: { es, en } });
  const date = dateFromParts(day, month, year);
  if (!date.ok && date.problem === "missing") {
    const m = date.missing!;
    if (m.length === 3) return { ok: false, message: null };
    const es = m.map((p) => PART_NAMES[p][0]).join(" y ");
    const en = m.map((p) => PART_NAMES[p][1]).join(" and ");
    return say(`La fecha de ${Q.es} debe incluir ${es}`, `The date for ${Q.en} must include ${en}`);
  }
  if (!date.ok && date.problem === "year") {
    return say(`El año de ${Q.es} debe tener 4 dígitos`, `The year for ${Q.en} must include 4 numbers`);
  }
  if (!date.ok)
    return say(`${Q.es} debe ser una fecha real, como 27 3 1990`, `${Q.en} must be a real date, like 27 3 1990`);
  const words = (limit: string, lang: Lang) =>
    limit === today ? (lang === "es" ? "hoy" : "today") : formatDate(limit, lang);
  const min = limits.min === undefined ? undefined : resolveDateLimit(limits.min, today);
  const max = limits.max === undefined ? undefined : resolveDateLimit(limits.max, today);
  if (min && date.iso < min) {
    return say(`${Q.es} debe ser ${words(min, "es")} o después`, `${Q.en} must be ${words(min, "en")} or later`);
  }
  if (max && date.iso > max) {
    return say(`${Q.es} debe ser ${words(max, "es")} o antes`, `${Q.en} must be ${words(max, "en")} or earlier`);
  }
  return { ok: true, iso: date.iso };
}

// ---------------------------------------------------------------------------------------------
// Rules from form definitions

const PATTERNS = new Map<string, RegExp | null>();

/**
 * A staff-written pattern as a whole-answer RegExp, or null if it does not compile. Patterns that
 * repeat a repeated group ("(a+)+") are refused: they can take minutes on a crafted answer.
 */
export function textPattern(source: string): RegExp | null {
  if (!PATTERNS.has(source)) {
    let re: RegExp | null = null;
    if (source.length <= 200 && !nestedQuantifier(source)) {
      try {
        re = new RegExp(`^(?:${source})$`, "u");
      } catch {
        re = null;
      }
    }
    PATTERNS.set(source, re);
  }
  return PATTERNS.get(source)!;
}

/** A quantified group that itself contains a quantifier: the shape of catastrophic backtracking. */
export function nestedQuantifier(source: string): boolean {
  return /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/.test(source);
}

const KIND_BY_TYPE: Record<string, "pdf" | "jpg" | "png"> = {
  "application/pdf": "pdf",
  "image/jpeg": "jpg",
  "image/png": "png",
};

export function fileKindOf(contentType: string): "pdf" | "jpg" | "png" | undefined {
  return KIND_BY_TYPE[contentType.toLowerCase()];
}

// ---------------------------------------------------------------------------------------------
// Checking a definition (beyond its JSON schema), in words for the staff who build forms

export interface DefinitionProblem {
  path: string;
  es: string;
  en: string;
}
type Add = (path: string, es: string, en: string) => void;

const CHOICE_TYPES: readonly string[] = ["radio", "checkboxes", "select"];
const CONDITION_TYPES: readonly string[] = ["yesno", "radio", "select", "checkboxes"];
const PREFILL_TYPES: Record<PrefillSource, string[]> = {
  givenNames: ["text"],
  surnames: ["text"],
  fullName: ["text"],
  curp: ["curp", "text"],
  email: ["email", "text"],
  birthDate: ["date"],
  phone: ["phone", "text"],
  rfc: ["rfc", "text"],
  address: ["address"],
};
const TEXT_TYPES = ["text", "textarea"];

/** Problems a form builder shows next to the part to fix; JSON Pointer paths, like ajv's. */
export function definitionProblems(def: FormDefinition): DefinitionProblem[] {
  const out: DefinitionProblem[] = [];
  const add: Add = (path, es, en) => out.push({ path, es, en });
  const pageIds = new Set<string>();
  const earlier = new Map<string, Question>();
  const questionIds = new Set<string>();
  def.pages.forEach((page, p) => {
    const at = `/pages/${p}`;
    const T = { es: `«${page.title.es}»`, en: `‘${page.title.en ?? page.title.es}’` };
    if (pageIds.has(page.id)) {
      add(
        `${at}/id`,
        `Dos páginas usan el identificador «${page.id}»; cada página necesita uno distinto.`,
        `Two pages use the identifier ‘${page.id}’; each page needs its own.`,
      );
    }
    pageIds.add(page.id);
    pageProblems(page, at, T, add);
    (page.showIf ?? []).forEach((c, i) => conditionProblems(c, `${at}/showIf/${i}`, T, earlier, def, add));
    page.questions.forEach((q, i) => {
      if (questionIds.has(q.id)) {
        add(
          `${at}/questions/${i}/id`,
          `Dos preguntas usan el identificador «${q.id}»; cada pregunta del formulario necesita uno distinto.`,
          `Two questions use the identifier ‘${q.id}’; each question in the form needs its own.`,
        );
      }
      questionIds.add(q.id);
      questionProblems(q, `${at}/questions/${i}`, add, false);
    });
    // Only after the page: a condition cannot depend on a question of its own page.
    for (const q of page.questions) earlier.set(q.id, q);
  });
  if (!def.pages.some((p) => p.kind !== "exit" && p.questions.length)) {
    add(
      "/pages",
      "El formulario necesita al menos una página con preguntas.",
      "The form needs at least one page with questions.",
    );
  }
  return out;
}

function pageProblems(page: Page, at: string, T: Localized, add: Add) {
  if (page.kind !== "exit") {
    if (!page.questions.length && !page.body)
      add(at, `La página ${T.es} no tiene preguntas ni texto.`, `The page ${T.en} has no questions and no text.`);
    return;
  }
  if (!page.body) {
    add(
      `${at}/body`,
      `La página de salida ${T.es} necesita un texto que explique por qué termina el formulario y qué puede hacer la persona.`,
      `The exit page ${T.en} needs text explaining why the form ends and what the person can do instead.`,
    );
  }
  if (page.questions.length) {
    add(
      `${at}/questions`,
      `La página de salida ${T.es} no puede tener preguntas: ahí termina el formulario.`,
      `The exit page ${T.en} cannot have questions: the form ends there.`,
    );
  }
  if (!page.showIf) {
    add(
      `${at}/showIf`,
      `La página de salida ${T.es} no tiene condición, así que todas las personas terminarían ahí. Indica en qué caso se muestra.`,
      `The exit page ${T.en} has no condition, so everyone would stop there. Say when it is shown.`,
    );
  }
}

function conditionProblems(
  c: Condition,
  at: string,
  T: Localized,
  earlier: Map<string, Question>,
  def: FormDefinition,
  add: Add,
) {
  const q = earlier.get(c.question);
  if (!q) {
    const exists = def.pages.some((p) => p.questions.some((x) => x.id === c.question));
    return exists
      ? add(
          `${at}/question`,
          `La página ${T.es} depende de la pregunta «${c.question}», que no está en una página anterior. Una página solo puede depender de respuestas ya dadas.`,
          `The page ${T.en} depends on the question ‘${c.question}’, which is not on an earlier page. A page can only depend on answers already given.`,
        )
      : add(
          `${at}/question`,
          `La página ${T.es} depende de la pregunta «${c.question}», que no existe.`,
          `The page ${T.en} depends on the question ‘${c.question}’, which does not exist.`,
        );
  }
  const Q = quoted(q.label);
  if (!CONDITION_TYPES.includes(q.type)) {
    return add(
      `${at}/question`,
      `La página ${T.es} depende de ${Q.es}, pero solo se puede depender de preguntas de sí o no, de opción única, de casillas o de lista.`,
      `The page ${T.en} depends on ${Q.en}, but a page can only depend on yes/no, radio, checkbox or list questions.`,
    );
  }
  const allowed = optionValues(q);
  c.in.forEach((v, i) => {
    if (!allowed.includes(v)) {
      add(
        `${at}/in/${i}`,
        `La página ${T.es} espera la respuesta «${v}» en ${Q.es}, que no es una de sus opciones (${allowed.join(", ")}).`,
        `The page ${T.en} expects the answer ‘${v}’ to ${Q.en}, which is not one of its options (${allowed.join(", ")}).`,
      );
    }
  });
}

function questionProblems(q: AnyQuestion, at: string, add: Add, inGroup: boolean) {
  const Q = quoted(q.label);
  const say = (path: string, es: string, en: string) => add(`${at}${path}`, es, en);
  const choice = CHOICE_TYPES.includes(q.type);
  if (choice && !q.options?.length)
    say(
      "/options",
      `La pregunta ${Q.es} necesita opciones para elegir.`,
      `The question ${Q.en} needs options to choose from.`,
    );
  if (!choice && q.options)
    say(
      "/options",
      `La pregunta ${Q.es} no es de opciones: quítale las opciones o cambia su tipo.`,
      `The question ${Q.en} is not a choice question: remove its options or change its type.`,
    );
  const values = (q.options ?? []).map((o) => o.value);
  if (new Set(values).size !== values.length)
    say(
      "/options",
      `Dos opciones de ${Q.es} tienen el mismo valor; cada opción necesita uno distinto.`,
      `Two options of ${Q.en} have the same value; each option needs its own.`,
    );
  if (q.type === "file" && !q.file)
    say(
      "/file",
      `La pregunta ${Q.es} pide un archivo: indica qué formatos acepta y su tamaño máximo.`,
      `The question ${Q.en} asks for a file: say which formats it accepts and the largest size.`,
    );
  if (q.type !== "file" && q.file)
    say(
      "/file",
      `Solo las preguntas de archivo llevan reglas de archivo; quítalas de ${Q.es}.`,
      `Only file questions have file rules; remove them from ${Q.en}.`,
    );
  if ((q.type === "group" || q.type === "file") && inGroup)
    say(
      "/type",
      `Un grupo no puede contener otro grupo ni pedir archivos (${Q.es}).`,
      `A group cannot contain another group or ask for files (${Q.en}).`,
    );
  if ("fields" in q && q.fields && q.type !== "group")
    say(
      "/fields",
      `Solo los grupos que se repiten llevan preguntas dentro; quítalas de ${Q.es} o cambia su tipo a grupo.`,
      `Only repeatable groups contain questions; remove them from ${Q.en} or make it a group.`,
    );
  if (q.type === "group") groupProblems(q as Question, at, Q, add);
  limitProblems(q, Q, say);
  if (q.prefill && !PREFILL_TYPES[q.prefill].includes(q.type)) {
    say(
      "/prefill",
      `El dato de la cuenta que llena ${Q.es} no sirve para este tipo de pregunta (${q.prefill} solo llena preguntas de tipo ${PREFILL_TYPES[q.prefill].join(" o ")}).`,
      `The account fact that fills ${Q.en} does not suit this type of question (${q.prefill} only fills ${PREFILL_TYPES[q.prefill].join(" or ")} questions).`,
    );
  }
}

function groupProblems(q: Question, at: string, Q: Localized, add: Add) {
  if (!q.fields?.length)
    return add(
      `${at}/fields`,
      `La pregunta ${Q.es} es un grupo que se repite: agrega las preguntas de cada registro.`,
      `The question ${Q.en} is a repeatable group: add the questions of each entry.`,
    );
  const ids = new Set<string>();
  q.fields.forEach((f, j) => {
    if (ids.has(f.id))
      add(
        `${at}/fields/${j}/id`,
        `Dos preguntas del grupo ${Q.es} usan el identificador «${f.id}».`,
        `Two questions in the group ${Q.en} use the identifier ‘${f.id}’.`,
      );
    ids.add(f.id);
    questionProblems(f, `${at}/fields/${j}`, add, true);
  });
  if ((q.minItems ?? 0) > (q.maxItems ?? DEFAULT_MAX_ITEMS))
    add(
      `${at}/minItems`,
      `El grupo ${Q.es} pide más registros como mínimo que como máximo.`,
      `The group ${Q.en} asks for more entries at least than at most.`,
    );
}

function limitProblems(q: AnyQuestion, Q: Localized, say: Add) {
  if (q.pattern !== undefined) {
    if (!TEXT_TYPES.includes(q.type))
      say(
        "/pattern",
        `Solo las preguntas de texto llevan un patrón; quítalo de ${Q.es}.`,
        `Only text questions have a pattern; remove it from ${Q.en}.`,
      );
    else if (q.pattern.length > 200)
      say(
        "/pattern",
        `El patrón de ${Q.es} es demasiado largo: el máximo es 200 caracteres.`,
        `The pattern of ${Q.en} is too long: 200 characters at most.`,
      );
    else if (!textPattern(q.pattern))
      say(
        "/pattern",
        `El patrón de ${Q.es} no es una expresión regular válida o es demasiado complejo (repite algo que ya se repite, como (a+)+). Pide ayuda a tu equipo técnico.`,
        `The pattern of ${Q.en} is not a valid regular expression or is too complex (it repeats something already repeated, like (a+)+). Ask your technical team for help.`,
      );
  }
  if (q.minLength !== undefined || q.maxLength !== undefined) {
    if (!TEXT_TYPES.includes(q.type))
      say(
        "/minLength",
        `Solo las preguntas de texto tienen longitud mínima o máxima; quítalas de ${Q.es}.`,
        `Only text questions have a minimum or maximum length; remove them from ${Q.en}.`,
      );
    else if ((q.minLength ?? 0) > (q.maxLength ?? Infinity))
      say(
        "/minLength",
        `La longitud mínima de ${Q.es} es mayor que la máxima; nadie podría responder.`,
        `The minimum length of ${Q.en} is more than its maximum; nobody could answer.`,
      );
  }
  if ((q.minItems !== undefined || q.maxItems !== undefined) && q.type !== "group")
    say(
      "/minItems",
      `Solo los grupos que se repiten tienen número de registros; quítalo de ${Q.es}.`,
      `Only repeatable groups have a number of entries; remove it from ${Q.en}.`,
    );
  if (q.min === undefined && q.max === undefined) return;
  const limits = [q.min, q.max].filter((x) => x !== undefined);
  if (q.type !== "number" && q.type !== "date")
    return say(
      "/min",
      `Solo los números y las fechas tienen mínimo y máximo; quítalos de ${Q.es}.`,
      `Only numbers and dates have a minimum and maximum; remove them from ${Q.en}.`,
    );
  if (q.type === "number" && limits.some((x) => typeof x !== "number"))
    return say(
      "/min",
      `El mínimo y el máximo de ${Q.es} deben ser números.`,
      `The minimum and maximum of ${Q.en} must be numbers.`,
    );
  if (q.type === "date" && limits.some((x) => typeof x === "string" && !isIsoDate(x)))
    return say(
      "/min",
      `El mínimo y el máximo de ${Q.es} deben ser fechas (AAAA-MM-DD) o un número de días desde hoy.`,
      `The minimum and maximum of ${Q.en} must be dates (YYYY-MM-DD) or a number of days from today.`,
    );
  // A date limit in days and another as a date compare differently each day: only like with like.
  if (typeof q.min === typeof q.max && q.min! > q.max!)
    say(
      "/min",
      `El mínimo de ${Q.es} es mayor que su máximo; nadie podría responder.`,
      `The minimum of ${Q.en} is more than its maximum; nobody could answer.`,
    );
}
