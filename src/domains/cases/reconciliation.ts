/**
 * The bank reconciliation file: one line per payment the banks received, which we match
 * against the payment references we issued (elsewhere; this module only reads the file).
 *
 *   referencia,importe,fecha_pago,banco,operacion
 *   00600001234526043040,1234.50,2026-04-12,BANORTE,884213
 *
 * Banks and spreadsheets send UTF-8 with a byte-order mark and CRLF line ends; both are read.
 * A broken line does not stop the file: every one is reported with its line number so the
 * operator can fix them all in one go. Only a file that is not this format at all is refused.
 */
import { parse } from "csv-parse/sync";
import { mexicoDate } from "../../platform/business-days.js";
import { DomainError } from "../../platform/errors.js";
import { isValidReference, normalizeReference } from "./payment-reference.js";

export const RECONCILIATION_COLUMNS = ["referencia", "importe", "fecha_pago", "banco", "operacion"] as const;

export interface ReconciliationLine {
  /** Line number in the file; the header is line 1. */
  line: number;
  reference: string;
  amountCentavos: number;
  /** YYYY-MM-DD. */
  paidOn: string;
  bank: string;
  operation: string;
}

export interface ReconciliationProblem {
  line: number;
  es: string;
  en: string;
}

export interface ReconciliationOptions {
  /** Most payment lines accepted (the header not counted). Default 100,000. */
  maxLines?: number;
  /** Today's date, YYYY-MM-DD, for refusing future payments; default: today in Mexico City. */
  today?: string;
}

type Row = { record: string[]; info: { lines: number } };
type Check = (value: string) => { es: string; en: string } | null;

const HEADER = RECONCILIATION_COLUMNS.join(",");
// NUL and other C0 controls never appear in a text CSV; U+FFFD means the bytes were not UTF-8.
const BINARY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;

function refuse(es: string, en: string, code: "invalid" | "too_large" = "invalid"): DomainError {
  return new DomainError(code, { es, en });
}

/** Quotes a value for a message, cut short so a runaway field cannot flood the report. */
function show(value: string): string {
  return `«${value.length > 40 ? `${value.slice(0, 40)}…` : value}»`;
}

function countLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return text.endsWith("\n") ? count : count + 1;
}

function checkFile(text: string, maxLines: number): string {
  const body = text.replace(/^\uFEFF/, "");
  if (BINARY.test(body)) {
    throw refuse(
      "El archivo no es texto CSV en UTF-8; guárdalo como «CSV UTF-8» e inténtalo de nuevo.",
      "The file is not CSV text in UTF-8; save it as “CSV UTF-8” and try again.",
    );
  }
  if (body.trim() === "") throw refuse("El archivo está vacío.", "The file is empty.");
  if (countLines(body.trimEnd()) - 1 > maxLines) {
    throw refuse(
      `El archivo tiene más de ${maxLines.toLocaleString("es-MX")} líneas; divídelo en archivos más pequeños.`,
      `The file has more than ${maxLines.toLocaleString("en")} lines; split it into smaller files.`,
      "too_large",
    );
  }
  return body;
}

const QUOTES = {
  es: "La línea no se puede leer: revisa las comillas.",
  en: "The line cannot be read: check its quotes.",
};

/**
 * No field of this format spans lines, so a line with an odd number of quotes is broken on its
 * own; blanking it first stops its open quote from swallowing the rest of the file.
 */
function closeQuotes(body: string, problems: ReconciliationProblem[]): string {
  return body
    .split(/\r?\n/)
    .map((text, i) => {
      if ((text.match(/"/g)?.length ?? 0) % 2 === 0) return text;
      problems.push({ line: i + 1, ...QUOTES });
      return "";
    })
    .join("\n");
}

function readRows(body: string, problems: ReconciliationProblem[]): Row[] {
  return parse(closeQuotes(body, problems), {
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    skip_records_with_error: true,
    // A quote inside a field spoils one record, not the file: report it and read on.
    on_skip: (err) => {
      problems.push({ line: Number(err?.lines ?? 0), ...QUOTES });
      return undefined;
    },
  }) as unknown as Row[];
}

function checkHeader(rows: Row[]): void {
  const first = rows[0];
  const header = first?.record.map((h) => h.toLowerCase()).join(",");
  if (header !== HEADER) {
    throw refuse(`La primera línea debe ser el encabezado: ${HEADER}`, `The first line must be the header: ${HEADER}`);
  }
}

const checkReference: Check = (v) =>
  isValidReference(v)
    ? null
    : {
        es: `La referencia ${show(v)} no es válida: no tiene 20 dígitos o su dígito verificador no coincide.`,
        en: `The reference ${show(v)} is not valid: it is not 20 digits or its check digits do not match.`,
      };

const checkAmount: Check = (v) =>
  /^\d{1,8}\.\d{2}$/.test(v) && toCentavos(v) > 0
    ? null
    : {
        es: `El importe ${show(v)} no es válido: escribe pesos con dos decimales y sin comas, por ejemplo 1234.50.`,
        en: `The amount ${show(v)} is not valid: write pesos with two decimals and no commas, e.g. 1234.50.`,
      };

function checkDate(today: string): Check {
  return (v) => {
    const d = new Date(`${v}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
      return {
        es: `La fecha de pago ${show(v)} no es válida: usa el formato AAAA-MM-DD.`,
        en: `The payment date ${show(v)} is not valid: use the format YYYY-MM-DD.`,
      };
    }
    if (v > today) {
      return { es: `La fecha de pago ${v} es posterior a hoy.`, en: `The payment date ${v} is later than today.` };
    }
    return null;
  };
}

/** A free-text column that must be present and not absurdly long; `es` and `en` name it, e.g. "el banco". */
function required(es: string, en: string, max: number): Check {
  const Es = es[0]!.toUpperCase() + es.slice(1);
  return (v) =>
    v === ""
      ? { es: `Falta ${es}.`, en: `The ${en} is missing.` }
      : v.length > max
        ? { es: `${Es} tiene más de ${max} caracteres.`, en: `The ${en} is longer than ${max} characters.` }
        : null;
}

function toCentavos(amount: string): number {
  const [pesos, cents] = amount.split(".");
  return Number(pesos) * 100 + Number(cents);
}

function toLine({ record, info }: Row): ReconciliationLine {
  const [reference, amount, paidOn, bank, operation] = record as [string, string, string, string, string];
  return {
    line: info.lines,
    reference: normalizeReference(reference),
    amountCentavos: toCentavos(amount),
    paidOn,
    bank,
    operation,
  };
}

function checkRow(row: Row, today: string): ReconciliationProblem[] {
  const line = row.info.lines;
  if (row.record.length !== RECONCILIATION_COLUMNS.length) {
    return [
      {
        line,
        es: `La línea tiene ${row.record.length} columnas; se esperan ${RECONCILIATION_COLUMNS.length} (${HEADER}).`,
        en: `The line has ${row.record.length} columns; ${RECONCILIATION_COLUMNS.length} are expected (${HEADER}).`,
      },
    ];
  }
  const checks: Check[] = [
    (v) => checkReference(normalizeReference(v)),
    checkAmount,
    checkDate(today),
    required("el banco", "bank", 80),
    required("el número de operación", "operation number", 64),
  ];
  return checks.flatMap((check, i) => {
    const problem = check(row.record[i]!);
    return problem ? [{ line, ...problem }] : [];
  });
}

/**
 * Reads a reconciliation file. Throws DomainError for a file that cannot be this format
 * (empty, binary, no header, too many lines); returns the good lines and every problem otherwise.
 */
export function parseReconciliation(
  text: string,
  options: ReconciliationOptions = {},
): { lines: ReconciliationLine[]; problems: ReconciliationProblem[] } {
  const body = checkFile(text, options.maxLines ?? 100_000);
  const today = options.today ?? mexicoDate(new Date());
  const problems: ReconciliationProblem[] = [];
  const rows = readRows(body, problems);
  checkHeader(rows);
  const lines: ReconciliationLine[] = [];
  // An operation number is unique within its bank, so the pair is the key.
  const seen = new Map<string, number>();
  for (const row of rows.slice(1)) {
    const found = checkRow(row, today);
    if (found.length) {
      problems.push(...found);
      continue;
    }
    const paid = toLine(row);
    const key = `${paid.bank.toUpperCase()}\u0000${paid.operation}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        line: paid.line,
        es: `La operación ${show(paid.operation)} de ${show(paid.bank)} ya aparece en la línea ${first}.`,
        en: `Operation ${show(paid.operation)} of ${show(paid.bank)} already appears on line ${first}.`,
      });
      continue;
    }
    seen.set(key, paid.line);
    lines.push(paid);
  }
  problems.sort((a, b) => a.line - b.line);
  return { lines, problems };
}
