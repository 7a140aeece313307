/**
 * Validation of catalogue records against the schemas in schema.ts, with errors
 * a person can act on (record number, field, message).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { InstitutionInput, LifeEventInput, ProcedureInput } from "./schema.js";

// ajv-formats ships CommonJS; its default export arrives wrapped under ESM.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats;

const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false });
addFormats(ajv);

export interface FieldError {
  field: string;
  message: string;
}

function describe(error: ErrorObject): FieldError {
  const base = error.instancePath.replace(/^\//, "").replaceAll("/", ".");
  if (error.keyword === "required") {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return { field: base ? `${base}.${missing}` : missing, message: "is required" };
  }
  if (error.keyword === "additionalProperties") {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return { field: base ? `${base}.${extra}` : extra, message: "is not a known field" };
  }
  if (error.keyword === "enum" || error.keyword === "const") {
    const allowed = (error.params as { allowedValues?: unknown[]; allowedValue?: unknown }).allowedValues ?? [
      (error.params as { allowedValue?: unknown }).allowedValue,
    ];
    return { field: base || "(record)", message: `must be one of: ${allowed.join(", ")}` };
  }
  return { field: base || "(record)", message: error.message ?? "is invalid" };
}

/** Union errors are noisy (one per branch); keep the most specific ones. */
function summarise(errors: ErrorObject[] | null | undefined): FieldError[] {
  if (!errors) return [];
  const useful = errors.filter((e) => e.keyword !== "anyOf" && e.keyword !== "oneOf");
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of useful.length ? useful : errors) {
    const d = describe(e);
    const key = `${d.field}: ${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out.slice(0, 20);
}

function checker<T>(validate: ValidateFunction) {
  return (value: unknown): { ok: true; value: T } | { ok: false; errors: FieldError[] } =>
    validate(value) ? { ok: true, value: value as T } : { ok: false, errors: summarise(validate.errors) };
}

export const checkInstitution = checker<import("./schema.js").InstitutionInput>(ajv.compile(InstitutionInput));
export const checkLifeEvent = checker<import("./schema.js").LifeEventInput>(ajv.compile(LifeEventInput));
export const checkProcedure = checker<import("./schema.js").ProcedureInput>(ajv.compile(ProcedureInput));
