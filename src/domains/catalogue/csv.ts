/**
 * The CSV import format: one procedure per row, lists separated by `|`.
 * Columns are documented in docs/IMPORT.md. Each row becomes a record that
 * remembers its line, so errors can point at it.
 */
import { parse } from "csv-parse/sync";
import { DomainError } from "../../platform/errors.js";
import type { SourcedRecord } from "./catalogue.js";

export const CSV_COLUMNS = [
  "homoclave",
  "institution",
  "kind",
  "status",
  "audience",
  "official_name_es",
  "official_name_en",
  "citizen_name_es",
  "citizen_name_en",
  "description_es",
  "description_en",
  "when_applies_es",
  "result_es",
  "requirements_es",
  "steps_es",
  "cost_type",
  "cost_amount_mxn",
  "cost_formula_es",
  "payment_places_es",
  "max_resolution_days",
  "silence_rule",
  "validity_es",
  "online_url",
  "office_name",
  "office_address",
  "office_hours",
  "office_municipality",
  "phone",
  "legal_basis",
  "life_events",
  "keywords_es",
  "last_reviewed",
  "popularity",
] as const;
const REQUIRED = ["homoclave", "institution", "kind", "citizen_name_es", "official_name_es", "description_es"];

const list = (v: string | undefined) =>
  (v ?? "")
    .split("|")
    .map((s) => s.trim())
    .filter(Boolean);
const text = (es: string | undefined, en?: string) => (es ? { es, ...(en ? { en } : {}) } : undefined);

/** Turns "2", "", "abc" into 2, undefined, "abc" so that the schema reports the bad value as it is. */
function num(v: string | undefined): unknown {
  if (v === undefined || v.trim() === "") return undefined;
  return /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v;
}

function rowToRecord(r: Record<string, string>): Record<string, unknown> {
  const costType = r.cost_type || "free";
  const cost =
    costType === "fixed"
      ? {
          type: "fixed",
          amountMxn: num(r.cost_amount_mxn),
          ...(r.payment_places_es ? { paymentPlaces: { es: r.payment_places_es } } : {}),
        }
      : costType === "formula"
        ? {
            type: "formula",
            description: text(r.cost_formula_es),
            ...(r.payment_places_es ? { paymentPlaces: { es: r.payment_places_es } } : {}),
          }
        : { type: costType };
  const office = r.office_name
    ? [
        {
          name: r.office_name,
          address: r.office_address,
          hours: r.office_hours,
          ...(r.office_municipality ? { municipalityCode: r.office_municipality } : {}),
        },
      ]
    : undefined;
  const record: Record<string, unknown> = {
    homoclave: r.homoclave,
    institution: r.institution,
    kind: r.kind,
    status: r.status || "published",
    audience: list(r.audience || "persona_fisica"),
    officialName: text(r.official_name_es, r.official_name_en),
    citizenName: text(r.citizen_name_es, r.citizen_name_en),
    description: text(r.description_es, r.description_en),
    whenApplies: text(r.when_applies_es),
    result: text(r.result_es),
    requirements: list(r.requirements_es).map((name) => ({
      name: { es: name },
      original: true,
      copies: 0,
      uploadable: false,
    })),
    steps: list(r.steps_es).map((es) => ({ es })),
    cost,
    maxResolutionDays: r.max_resolution_days ? num(r.max_resolution_days) : null,
    silenceRule: r.silence_rule || "none",
    validity: text(r.validity_es),
    channels: {
      ...(r.online_url ? { online: { url: r.online_url } } : {}),
      ...(office ? { inPerson: office } : {}),
      ...(r.phone ? { phone: list(r.phone).map((number) => ({ number })) } : {}),
    },
    legalBasis: list(r.legal_basis).map((item) => {
      const [law, article] = item.split(";").map((s) => s.trim());
      return { law, article: article || "—" };
    }),
    lifeEvents: list(r.life_events),
    keywords: r.keywords_es ? { es: list(r.keywords_es) } : undefined,
    lastReviewed: r.last_reviewed,
    popularity: num(r.popularity),
  };
  for (const k of Object.keys(record)) if (record[k] === undefined) delete record[k];
  return record;
}

export function recordsFromCsv(input: string | Buffer): SourcedRecord[] {
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(input, {
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim().toLowerCase());
        const unknown = names.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
        if (unknown.length) throw new DomainError("invalid", `Unknown CSV columns: ${unknown.join(", ")}.`);
        const missing = REQUIRED.filter((c) => !names.includes(c));
        if (missing.length) throw new DomainError("invalid", `Missing CSV columns: ${missing.join(", ")}.`);
        return names;
      },
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      info: true,
      trim: true,
      max_record_size: 200_000,
    });
  } catch (err) {
    if (err instanceof DomainError) throw err;
    const e = err as { message?: string; lines?: number };
    throw new DomainError(
      "invalid",
      `The CSV file cannot be read${e.lines ? ` (line ${e.lines})` : ""}: ${e.message}`,
      [{ field: "(file)", message: e.message ?? "unreadable", line: e.lines }],
    );
  }
  return rows.map(({ record, info }) => ({ value: rowToRecord(record), line: info.lines }));
}
