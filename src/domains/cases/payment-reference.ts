/**
 * Payment references in the style of the federal "Esquema e5cinco", where every payment of a
 * fee carries a "clave de referencia" and a "cadena de la dependencia" that the bank captures.
 * We are not the SAT and these are not SAT-issued keys: the format below is our own, chosen so
 * that banks' systems (numeric fields, fixed width) and people typing it can both use it.
 *
 * Clave de referencia: 20 digits
 *   IIIFFFFFFFFFYYMMDDCC
 *   III        institution code, 3 digits ("006")
 *   FFFFFFFFF  folio number of the case, 9 digits, zero-padded
 *   YYMMDD     expiry date (years 2000–2099); a slip issued again gets a new reference
 *   CC         check digits, ISO 7064 MOD 97-10 over the 18 digits before them
 *
 * Cadena de la dependencia: 34 digits
 *   V III FFFFFFFFFF AAAAAAAAAA YYYYMMDD CC
 *   V          format version, "1"
 *   III        institution code
 *   F…         folio number, 10 digits
 *   A…         amount in centavos, 10 digits (up to $99,999,999.99)
 *   YYYYMMDD   expiry date
 *   CC         check digits, ISO 7064 MOD 97-10 over the 32 digits before them
 *
 * MOD 97-10 (the IBAN method): the check digits CC make the whole number ≡ 1 (mod 97). Because
 * 97 is prime and larger than any digit difference, every single-digit change and every swap of
 * two adjacent digits changes the remainder, so both are always detected.
 */
import { DomainError } from "../../platform/errors.js";

export interface PaymentReferenceInput {
  /** Three digits identifying the institution, e.g. "006". */
  institutionCode: string;
  /** The case's folio number, 1 to 999,999,999. */
  folioNumber: number;
  /** 1 to 9,999,999,999 centavos ($99,999,999.99). */
  amountCentavos: number;
  /** YYYY-MM-DD, years 2000–2099. */
  expiresOn: string;
}

export interface ReferenceFacts {
  institutionCode: string;
  folioNumber: number;
  expiresOn: string;
}

export interface ChainFacts extends ReferenceFacts {
  amountCentavos: number;
}

const MAX_FOLIO = 999_999_999;
const MAX_CENTAVOS = 9_999_999_999;
const CHAIN_VERSION = "1";

/** Remainder of a digit string modulo 97, digit by digit, so any length stays exact. */
function mod97(digits: string): number {
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return rest;
}

/** ISO 7064 MOD 97-10 check digits for `payload`, two digits. */
export function mod97CheckDigits(payload: string): string {
  return String(98 - mod97(payload + "00")).padStart(2, "0");
}

function hasValidCheck(digits: string): boolean {
  return mod97(digits) === 1;
}

function invalid(es: string, en: string): DomainError {
  return new DomainError("invalid", { es, en });
}

function isCalendarDate(iso: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}

function checkInput(input: PaymentReferenceInput): void {
  if (!/^\d{3}$/.test(input.institutionCode)) {
    throw invalid("La clave de la dependencia debe tener 3 dígitos.", "The institution code must be 3 digits.");
  }
  if (!Number.isInteger(input.folioNumber) || input.folioNumber < 1 || input.folioNumber > MAX_FOLIO) {
    throw invalid("El número de folio está fuera de rango.", "The folio number is out of range.");
  }
  if (!Number.isInteger(input.amountCentavos) || input.amountCentavos < 1 || input.amountCentavos > MAX_CENTAVOS) {
    throw invalid(
      "El importe debe estar entre $0.01 y $99,999,999.99.",
      "The amount must be between $0.01 and $99,999,999.99.",
    );
  }
  if (!isCalendarDate(input.expiresOn) || !input.expiresOn.startsWith("20")) {
    throw invalid("La fecha límite de pago no es válida.", "The payment deadline is not a valid date.");
  }
}

/** The clave de referencia and the cadena de la dependencia for one payment. */
export function paymentReference(input: PaymentReferenceInput): { reference: string; chain: string } {
  checkInput(input);
  const yyyymmdd = input.expiresOn.replaceAll("-", "");
  const refPayload = input.institutionCode + String(input.folioNumber).padStart(9, "0") + yyyymmdd.slice(2);
  const chainPayload =
    CHAIN_VERSION +
    input.institutionCode +
    String(input.folioNumber).padStart(10, "0") +
    String(input.amountCentavos).padStart(10, "0") +
    yyyymmdd;
  return {
    reference: refPayload + mod97CheckDigits(refPayload),
    chain: chainPayload + mod97CheckDigits(chainPayload),
  };
}

/** Removes the spaces and hyphens people and printed slips use to group digits. */
export function normalizeReference(input: string): string {
  return input.replace(/[\s-]+/g, "");
}

/** Groups of four digits, as printed on the slip: "0060 0001 2345 2604 3040". */
export function formatReference(reference: string): string {
  return normalizeReference(reference).replace(/(\d{4})(?=\d)/g, "$1 ");
}

export function isValidReference(input: string): boolean {
  const ref = normalizeReference(input);
  return (
    /^\d{20}$/.test(ref) &&
    hasValidCheck(ref) &&
    isCalendarDate(`20${ref.slice(12, 14)}-${ref.slice(14, 16)}-${ref.slice(16, 18)}`)
  );
}

/** The facts a valid reference carries, or null when it is not one of ours. */
export function parseReference(input: string): ReferenceFacts | null {
  const ref = normalizeReference(input);
  if (!isValidReference(ref)) return null;
  return {
    institutionCode: ref.slice(0, 3),
    folioNumber: Number(ref.slice(3, 12)),
    expiresOn: `20${ref.slice(12, 14)}-${ref.slice(14, 16)}-${ref.slice(16, 18)}`,
  };
}

export function isValidChain(input: string): boolean {
  return parseChain(input) !== null;
}

/** The facts a valid cadena de la dependencia carries, or null. */
export function parseChain(input: string): ChainFacts | null {
  const chain = normalizeReference(input);
  if (!/^\d{34}$/.test(chain) || chain[0] !== CHAIN_VERSION || !hasValidCheck(chain)) return null;
  const expiresOn = `${chain.slice(24, 28)}-${chain.slice(28, 30)}-${chain.slice(30, 32)}`;
  if (!isCalendarDate(expiresOn)) return null;
  return {
    institutionCode: chain.slice(1, 4),
    folioNumber: Number(chain.slice(4, 14)),
    amountCentavos: Number(chain.slice(14, 24)),
    expiresOn,
  };
}
