/**
 * The CURP (Clave Única de Registro de Población): 18 characters that encode the
 * name's initials, birth date, sex and state of birth, with a check digit. The rules
 * are RENAPO's; the SAT pattern in tdCFDI.xsd gives the shape.
 */

const STATES = new Set(
  (
    "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ YN ZS " +
    // Born abroad.
    "NE"
  ).split(" "),
);

/** Four-letter starts that RENAPO replaces because they spell inconvenient words. */
const BLOCKED_STARTS = new Set(
  (
    "BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE COJI COJO COLA CULO FALO FETO " +
    "GETA GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI KOJA KOJE KOJI KOJO KOLA KULO LILO " +
    "LOCA LOCO LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO MOKO MULA MULO NACA NACO PEDA PEDO PENE " +
    "PIPI PITO POPO PUTA PUTO QULO RATA ROBA ROBE ROBO RUIN SENO TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI WUEY"
  ).split(" "),
);

const SHAPE = /^[A-Z][AEIOUX][A-Z]{2}[0-9]{6}[HM][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z][0-9]$/;
const ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ";

export type CurpProblem = "length" | "format" | "blocked" | "date" | "sex" | "state" | "checksum";

export interface CurpFacts {
  birthDate: string;
  sex: "H" | "M";
  state: string;
}

export function curpCheckDigit(first17: string): number {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * (18 - i);
  return (10 - (sum % 10)) % 10;
}

/** Upper-cases and strips spaces, so "  hegg560427mvzrrl04 " reads as the CURP it is. */
export function normalizeCurp(input: string): string {
  return input.replace(/\s+/g, "").toUpperCase();
}

export function checkCurp(input: string): { ok: true; facts: CurpFacts } | { ok: false; problem: CurpProblem } {
  const curp = normalizeCurp(input);
  if (curp.length !== 18) return { ok: false, problem: "length" };
  // Sex and state first: their own messages say more than "wrong format".
  if (/^[A-Z]{4}[0-9]{6}/.test(curp) && !/^[HM]$/.test(curp[10]!)) return { ok: false, problem: "sex" };
  if (/^[A-Z]{4}[0-9]{6}[HM][A-Z]{2}/.test(curp) && !STATES.has(curp.slice(11, 13))) {
    return { ok: false, problem: "state" };
  }
  if (!SHAPE.test(curp)) return { ok: false, problem: "format" };
  if (BLOCKED_STARTS.has(curp.slice(0, 4))) return { ok: false, problem: "blocked" };
  // Position 17 is a digit for people born in the 1900s and a letter from 2000.
  const century = /[0-9]/.test(curp[16]!) ? 1900 : 2000;
  const year = century + Number(curp.slice(4, 6));
  const month = Number(curp.slice(6, 8));
  const day = Number(curp.slice(8, 10));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { ok: false, problem: "date" };
  }
  if (curpCheckDigit(curp.slice(0, 17)) !== Number(curp[17])) return { ok: false, problem: "checksum" };
  return {
    ok: true,
    facts: { birthDate: date.toISOString().slice(0, 10), sex: curp[10] as "H" | "M", state: curp.slice(11, 13) },
  };
}

export const CURP_MESSAGES: Record<CurpProblem, { es: string; en: string }> = {
  length: { es: "La CURP tiene 18 caracteres.", en: "A CURP has 18 characters." },
  format: {
    es: "La CURP no tiene la forma correcta: 4 letras, 6 números de la fecha de nacimiento, H o M, 2 letras del estado, 3 consonantes y 2 caracteres finales.",
    en: "The CURP does not have the right shape: 4 letters, 6 digits of the birth date, H or M, 2 letters for the state, 3 consonants and 2 final characters.",
  },
  blocked: {
    es: "Esa CURP no puede existir: sus primeras cuatro letras son de las que RENAPO reemplaza. Revisa tu CURP en tu acta o en gob.mx/curp.",
    en: "That CURP cannot exist: RENAPO replaces those first four letters. Check your CURP on your birth certificate or at gob.mx/curp.",
  },
  date: {
    es: "La fecha de nacimiento de la CURP (caracteres 5 a 10, AAMMDD) no es una fecha válida.",
    en: "The birth date in the CURP (characters 5 to 10, YYMMDD) is not a valid date.",
  },
  sex: { es: "El carácter 11 de la CURP debe ser H o M.", en: "Character 11 of the CURP must be H or M." },
  state: {
    es: "Los caracteres 12 y 13 de la CURP deben ser la clave de un estado (por ejemplo DF, JC o NL) o NE si naciste en el extranjero.",
    en: "Characters 12 and 13 of the CURP must be a state code (for example DF, JC or NL) or NE if you were born abroad.",
  },
  checksum: {
    es: "El último dígito de la CURP no coincide: revisa que la hayas escrito sin errores.",
    en: "The last digit of the CURP does not match: check that you typed it correctly.",
  },
};
