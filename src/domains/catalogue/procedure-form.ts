/**
 * The procedure editor's form and the catalogue record, both ways. Field names are the
 * record's own paths ("requirements.2.name.es"), so a validation error's path is the id
 * of the field to link to. Repeatable groups (requirements, steps, offices, phones, legal
 * basis) are numbered rows; empty rows are dropped.
 */
import { JARGON, readability, type ReadabilityReport } from "./readability.js";
import type { ProcedureInput } from "./schema.js";
import { checkProcedure, type FieldError } from "./validate.js";

/** A record as far as the editor has written it: any field may still be missing. */
export type DraftRecord = Partial<ProcedureInput> & { institution: string };

export const ROW_LIMITS = {
  requirements: 60,
  steps: 40,
  "channels.inPerson": 50,
  "channels.phone": 10,
  legalBasis: 30,
} as const;

const TOP_LEVEL = new Set([
  "homoclave",
  "kind",
  "audience",
  "officialName",
  "citizenName",
  "description",
  "whenApplies",
  "result",
  "requirements",
  "steps",
  "cost",
  "maxResolutionDays",
  "silenceRule",
  "requiredAssurance",
  "validity",
  "channels",
  "legalBasis",
  "lifeEvents",
  "keywords",
]);

type Tree = { [key: string]: Tree | string | string[] };

/** Turns flat "a.0.b" keys into a tree. Unknown top-level keys, odd segments and huge indexes are ignored. */
function unflatten(body: Record<string, unknown>): Tree {
  const root: Tree = {};
  for (const [key, raw] of Object.entries(body)) {
    const parts = key.split(".");
    if (!TOP_LEVEL.has(parts[0]!) || parts.length > 5) continue;
    if (parts.some((p) => !/^[a-zA-Z]{1,30}$|^\d{1,3}$/.test(p))) continue;
    const value = Array.isArray(raw)
      ? raw.filter((v): v is string => typeof v === "string")
      : typeof raw === "string"
        ? raw
        : null;
    if (value === null) continue;
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (typeof next !== "object" || Array.isArray(next)) node[part] = {};
      node = node[part] as Tree;
    }
    node[parts.at(-1)!] = value;
  }
  return root;
}

const str = (v: unknown): string =>
  typeof v === "string" ? v.trim() : Array.isArray(v) ? String(v[0] ?? "").trim() : "";
const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : typeof v === "string" && v ? [v] : []).map((s) => String(s).trim()).filter(Boolean);

function localized(v: unknown): { es: string; [k: string]: string } | undefined {
  if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
  const t = v as Tree;
  const es = str(t.es);
  const en = str(t.en);
  if (!es && !en) return undefined;
  return { es, ...(en ? { en } : {}) };
}

/** The numbered rows of a group, in order, as trees. */
function rows(v: unknown, limit: number): Tree[] {
  if (!v || typeof v !== "object" || Array.isArray(v)) return [];
  return Object.entries(v as Tree)
    .filter(([k]) => /^\d+$/.test(k) && Number(k) < limit)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, row]) => (row && typeof row === "object" && !Array.isArray(row) ? row : {}));
}

const isEmptyRow = (row: Tree): boolean =>
  Object.entries(row).every(([k, v]) =>
    typeof v === "object" && !Array.isArray(v)
      ? isEmptyRow(v)
      : k === "copies" || k === "original" || k === "uploadable"
        ? true
        : !str(v),
  );

const int = (v: unknown): number | undefined => (/^\d{1,9}$/.test(str(v)) ? Number(str(v)) : undefined);
const money = (v: unknown): number | undefined => {
  const s = str(v).replace(/[$,\s]/g, "");
  return /^\d{1,9}(\.\d{1,2})?$/.test(s) ? Number(s) : undefined;
};

/** Reads the posted form into a draft record for the given institution (and homoclave, when it is fixed). */
export function formToRecord(
  body: unknown,
  fixed: {
    institution: string;
    homoclave?: string | undefined;
    popularity?: number | undefined;
    demo?: boolean | undefined;
  },
): DraftRecord {
  const t = unflatten(body && typeof body === "object" ? (body as Record<string, unknown>) : {});
  const r: DraftRecord = { institution: fixed.institution };
  const homoclave = fixed.homoclave ?? str(t.homoclave).toUpperCase();
  if (homoclave) r.homoclave = homoclave;
  const kind = str(t.kind);
  if (kind) r.kind = kind as ProcedureInput["kind"];
  r.audience = list(t.audience) as ProcedureInput["audience"];
  for (const key of ["officialName", "citizenName", "description", "whenApplies", "result", "validity"] as const) {
    const v = localized(t[key]);
    if (v) r[key] = v;
  }
  r.requirements = rows(t.requirements, ROW_LIMITS.requirements)
    .filter((row) => !isEmptyRow(row))
    .map((row) => {
      const notes = localized(row.notes);
      return {
        name: localized(row.name) ?? { es: "" },
        original: str(row.original) === "on",
        copies: int(row.copies) ?? 0,
        uploadable: str(row.uploadable) === "on",
        ...(notes ? { notes } : {}),
      };
    });
  r.steps = rows(t.steps, ROW_LIMITS.steps)
    .filter((row) => !isEmptyRow(row))
    .map((row) => localized(row) ?? { es: "" });
  const cost = (t.cost ?? {}) as Tree;
  const costType = str(cost.type);
  const places = localized(cost.paymentPlaces);
  if (costType === "free") r.cost = { type: "free" };
  else if (costType === "fixed")
    r.cost = { type: "fixed", amountMxn: money(cost.amountMxn) ?? 0, ...(places ? { paymentPlaces: places } : {}) };
  else if (costType === "formula")
    r.cost = {
      type: "formula",
      description: localized(cost.description) ?? { es: "" },
      ...(places ? { paymentPlaces: places } : {}),
    };
  const days = str(t.maxResolutionDays);
  if (days === "") r.maxResolutionDays = null;
  else if (int(days) !== undefined) r.maxResolutionDays = int(days)!;
  else r.maxResolutionDays = -1; // refused by validation with a clear message
  const silence = str(t.silenceRule);
  if (silence) r.silenceRule = silence as ProcedureInput["silenceRule"];
  const assurance = str(t.requiredAssurance);
  if (assurance) r.requiredAssurance = assurance as ProcedureInput["requiredAssurance"];
  const channels = (t.channels ?? {}) as Tree;
  const online = str((channels.online as Tree | undefined)?.url);
  const inPerson = rows(channels.inPerson, ROW_LIMITS["channels.inPerson"])
    .filter((row) => !isEmptyRow(row))
    .map((row) => ({
      name: str(row.name),
      address: str(row.address),
      hours: str(row.hours),
      ...(str(row.municipalityCode) ? { municipalityCode: str(row.municipalityCode) } : {}),
      ...(str(row.phone) ? { phone: str(row.phone) } : {}),
    }));
  const phone = rows(channels.phone, ROW_LIMITS["channels.phone"])
    .filter((row) => !isEmptyRow(row))
    .map((row) => ({ number: str(row.number), ...(str(row.hours) ? { hours: str(row.hours) } : {}) }));
  r.channels = {
    ...(online ? { online: { url: online } } : {}),
    ...(inPerson.length ? { inPerson } : {}),
    ...(phone.length ? { phone } : {}),
  };
  r.legalBasis = rows(t.legalBasis, ROW_LIMITS.legalBasis)
    .filter((row) => !isEmptyRow(row))
    .map((row) => ({ law: str(row.law), article: str(row.article), ...(str(row.url) ? { url: str(row.url) } : {}) }));
  r.lifeEvents = [...new Set(list(t.lifeEvents))];
  const kw = (t.keywords ?? {}) as Tree;
  const split = (v: unknown) =>
    str(v)
      .split(/[,;\n]/)
      .map((s) => s.trim())
      .filter(Boolean);
  const es = split(kw.es);
  const en = split(kw.en);
  if (es.length || en.length) r.keywords = { es, ...(en.length ? { en } : {}) };
  if (fixed.popularity !== undefined) r.popularity = fixed.popularity;
  if (fixed.demo) r.demo = true;
  return r;
}

// ---------------------------------------------------------------- checks

export interface FormProblem {
  field: string;
  message: { es: string; en: string };
}

/** Problems that only mean "not finished yet": a draft may have them, a submission may not. */
const INCOMPLETE = new Set([
  "is required",
  "must NOT have fewer than 1 characters",
  "must NOT have fewer than 1 items",
]);

function explain(e: FieldError): { es: string; en: string } {
  const max = /must NOT have more than (\d+) (characters|items)/.exec(e.message);
  if (max) {
    return max[2] === "characters"
      ? {
          es: `Es demasiado largo: como máximo ${max[1]} caracteres.`,
          en: `It is too long: at most ${max[1]} characters.`,
        }
      : { es: `Hay demasiados: como máximo ${max[1]}.`, en: `There are too many: at most ${max[1]}.` };
  }
  if (INCOMPLETE.has(e.message)) return { es: "Falta este dato.", en: "This is missing." };
  if (/format "uri"|pattern "\^https\?/.test(e.message)) {
    return {
      es: "Escribe una dirección web completa, que empiece con https://.",
      en: "Enter a full web address starting with https://.",
    };
  }
  if (e.field === "homoclave") {
    return {
      es: "La homoclave tiene la forma SIGLAS-00-000, por ejemplo SRE-02-001.",
      en: "The key looks like ACRONYM-00-000, for example SRE-02-001.",
    };
  }
  if (e.field === "maxResolutionDays" || /must be >= 0/.test(e.message)) {
    return {
      es: "Escribe un número entero de días hábiles, o déjalo vacío.",
      en: "Enter a whole number of business days, or leave it empty.",
    };
  }
  if (e.field.endsWith("amountMxn"))
    return { es: "Escribe el monto en pesos, mayor que cero.", en: "Enter the amount in pesos, more than zero." };
  if (/municipalityCode/.test(e.field))
    return { es: "La clave INEGI del municipio tiene 5 dígitos.", en: "The INEGI municipality code has 5 digits." };
  return { es: "Este dato no es válido.", en: "This is not valid." };
}

/** Where a schema problem should point in the form: a missing group points at its first row. */
function fieldFor(e: FieldError): string {
  const f = e.field.replace(/\.\(record\)$/, "");
  if (f === "steps") return "steps.0.es";
  if (f === "legalBasis") return "legalBasis.0.law";
  if (f === "audience") return "audience";
  if (f === "cost") return "cost.type";
  if (/^(officialName|citizenName|description)$/.test(f)) return `${f}.es`;
  if (/^requirements\.\d+\.name$/.test(f) || /^steps\.\d+$/.test(f)) return `${f}.es`;
  return f;
}

/** Every problem of a record, in words, with the form field it belongs to. */
export function recordProblems(record: DraftRecord): FormProblem[] {
  const c = checkProcedure({ ...record, lastReviewed: record.lastReviewed ?? "2000-01-01" });
  const problems: FormProblem[] = c.ok ? [] : c.errors.map((e) => ({ field: fieldFor(e), message: explain(e) }));
  if (!record.steps?.length)
    problems.push({
      field: "steps.0.es",
      message: { es: "Escribe al menos un paso.", en: "Write at least one step." },
    });
  const ch = record.channels ?? {};
  if (!ch.online && !ch.inPerson?.length && !ch.phone?.length) {
    problems.push({
      field: "channels.online.url",
      message: {
        es: "Indica al menos un canal: en línea, en oficina o por teléfono.",
        en: "Give at least one channel: online, in person or by phone.",
      },
    });
  }
  const seen = new Set<string>();
  return problems
    .filter((p) => (seen.has(p.field) ? false : (seen.add(p.field), true)))
    .map(({ field, message }) => ({ field, message }));
}

/** Problems a draft may not be saved with: too long, malformed. Missing data is allowed until submission. */
export function draftProblems(record: DraftRecord): FormProblem[] {
  return recordProblems(record).filter((p) => p.message.es !== "Falta este dato." && !/al menos/.test(p.message.es));
}

// ---------------------------------------------------------------- help while writing

const PLAIN_FIELDS = (r: DraftRecord) =>
  [r.citizenName?.es, r.description?.es, r.whenApplies?.es, r.result?.es, ...(r.steps ?? []).map((s) => s.es)]
    .filter(Boolean)
    .join("\n");

export function writingHelp(record: DraftRecord): ReadabilityReport {
  return readability(PLAIN_FIELDS(record));
}

export { JARGON };

/** How complete a record is: mandatory fields and recommended ones (English text, life events, keywords...). */
export function completeness(record: DraftRecord): { filled: number; total: number; missing: string[] } {
  const checks: [string, boolean][] = [
    ["citizenName", !!record.citizenName?.es],
    ["officialName", !!record.officialName?.es],
    ["description", !!record.description?.es],
    ["kind", !!record.kind],
    ["audience", !!record.audience?.length],
    ["requirements", !!record.requirements?.length],
    ["steps", !!record.steps?.length],
    ["cost", !!record.cost],
    ["silenceRule", !!record.silenceRule],
    ["channels", !!(record.channels?.online || record.channels?.inPerson?.length || record.channels?.phone?.length)],
    ["legalBasis", !!record.legalBasis?.length],
    ["whenApplies", !!record.whenApplies?.es],
    ["result", !!record.result?.es],
    ["validity", !!record.validity?.es],
    ["lifeEvents", !!record.lifeEvents?.length],
    ["keywords", !!record.keywords?.es.length],
    ["citizenName.en", !!record.citizenName?.en],
    ["description.en", !!record.description?.en],
  ];
  return {
    filled: checks.filter(([, ok]) => ok).length,
    total: checks.length,
    missing: checks.filter(([, ok]) => !ok).map(([k]) => k),
  };
}
