/**
 * Passwords: argon2id hashes, and a policy that refuses short passwords and those that
 * appear in leaked-password lists or are easy to guess (zxcvbn-ts with its common and
 * Spanish dictionaries, which include the most used leaked passwords).
 */
import { hash, verify } from "@node-rs/argon2";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as spanish from "@zxcvbn-ts/language-es-es";

/** OWASP's recommended argon2id cost: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

let estimator: ZxcvbnFactory | undefined;
function strength(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...spanish.dictionary },
    graphs: common.adjacencyGraphs,
  });
  return estimator;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * Why a new password is refused, in words a person understands, or null when it is good.
 * `personal` are the person's own details (email, names, CURP), which must not make up the password.
 */
export function passwordProblem(password: string, personal: string[] = []): { es: string; en: string } | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return {
      es: `La contraseña debe tener al menos ${MIN_PASSWORD_LENGTH} caracteres. Una frase de varias palabras es fácil de recordar y difícil de adivinar.`,
      en: `The password must have at least ${MIN_PASSWORD_LENGTH} characters. A phrase of several words is easy to remember and hard to guess.`,
    };
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return {
      es: `La contraseña puede tener como máximo ${MAX_PASSWORD_LENGTH} caracteres.`,
      en: `The password can have at most ${MAX_PASSWORD_LENGTH} characters.`,
    };
  }
  const fold = (x: string) =>
    x
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
  const own = personal.flatMap((p) => fold(p).split(/[^a-z0-9]+/)).filter((w) => w.length >= 4);
  if (own.some((w) => fold(password).includes(w))) {
    return {
      es: "La contraseña no debe contener tu nombre, tu correo ni tu CURP: son fáciles de averiguar.",
      en: "The password must not contain your name, your email or your CURP: they are easy to find out.",
    };
  }
  const result = strength().check(password, own);
  // A leaked password, possibly with a few characters added ("password123").
  const leaked = result.sequence.some(
    (m) =>
      m.pattern === "dictionary" && m.dictionaryName.startsWith("passwords") && m.token.length >= 0.7 * password.length,
  );
  if (leaked) {
    return {
      es: "Esa contraseña aparece en listas de contraseñas filtradas en internet, así que otras personas podrían adivinarla. Elige otra.",
      en: "That password appears in lists of passwords leaked on the internet, so others could guess it. Choose another one.",
    };
  }
  if (result.score < 3) {
    return {
      es: "Esa contraseña es fácil de adivinar (por ejemplo, palabras comunes, fechas, tus datos o secuencias del teclado). Prueba con una frase de tres o cuatro palabras que no tengan relación.",
      en: "That password is easy to guess (for example common words, dates, your own details or keyboard sequences). Try a phrase of three or four unrelated words.",
    };
  }
  return null;
}
