/**
 * Plain-language help for editors: the Fernández-Huerta readability score for Spanish
 * (206.84 − 0.60·P − 1.02·F, with P syllables and F sentences per 100 words), sentences
 * that are too long, and bureaucratic words with a plainer alternative.
 */

const VOWELS = new Set([..."aeiouáéíóúü"]);
const STRONG = new Set([..."aeoáéó"]);
const ACCENTED_WEAK = new Set([..."íú"]);

/** Syllables of a Spanish word: vowel groups, split where two strong vowels meet or a weak vowel carries the accent. */
export function syllables(word: string): number {
  const w = word.toLowerCase();
  let count = 0;
  let prev = "";
  for (const ch of w) {
    if (!VOWELS.has(ch)) {
      prev = "";
      continue;
    }
    if (!prev) count++;
    else if ((STRONG.has(prev) && STRONG.has(ch)) || ACCENTED_WEAK.has(prev) || ACCENTED_WEAK.has(ch)) count++;
    prev = ch;
  }
  return Math.max(1, count);
}

const WORD = /[\p{L}\p{N}]+/gu;

export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?;:])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

export const LONG_SENTENCE_WORDS = 30;

/** Words and phrases of administrative Spanish, with what to write instead. */
export const JARGON: [phrase: string, instead: string][] = [
  ["coadyuvar", "ayudar"],
  ["de conformidad con", "según"],
  ["en términos de", "según"],
  ["en su caso", "si aplica"],
  ["a efecto de", "para"],
  ["con el objeto de", "para"],
  ["previo a", "antes de"],
  ["posterior a", "después de"],
  ["fehaciente", "que lo demuestre"],
  ["requisitar", "llenar"],
  ["allegarse", "conseguir"],
  ["ulterior", "siguiente"],
  ["el suscrito", "yo"],
  ["en virtud de", "porque"],
  ["dar cumplimiento", "cumplir"],
  ["toda vez que", "porque"],
  ["en el supuesto de que", "si"],
  ["otorgamiento", "entrega"],
  ["acreditar", "demostrar"],
  ["inherente", "propio"],
  ["subsecuente", "siguiente"],
  ["solicitante", "tú (o la persona que lo pide)"],
  ["mediante", "con"],
];

export interface ReadabilityReport {
  words: number;
  sentences: number;
  /** Fernández-Huerta; null when there is too little text to judge. */
  score: number | null;
  band: "muy-dificil" | "dificil" | "algo-dificil" | "normal" | "algo-facil" | "facil" | "muy-facil" | null;
  longSentences: string[];
  jargon: { phrase: string; instead: string }[];
}

function band(score: number): NonNullable<ReadabilityReport["band"]> {
  if (score < 30) return "muy-dificil";
  if (score < 50) return "dificil";
  if (score < 60) return "algo-dificil";
  if (score < 70) return "normal";
  if (score < 80) return "algo-facil";
  if (score < 90) return "facil";
  return "muy-facil";
}

export function readability(text: string): ReadabilityReport {
  const words = text.match(WORD) ?? [];
  const sentences = sentencesOf(text);
  const syl = words.reduce((n, w) => n + syllables(w), 0);
  const enough = words.length >= 10 && sentences.length >= 1;
  const score = enough
    ? Math.round(
        (206.84 - 0.6 * ((syl / words.length) * 100) - 1.02 * ((sentences.length / words.length) * 100)) * 10,
      ) / 10
    : null;
  const lower = ` ${text.toLowerCase().replace(/\s+/g, " ")} `;
  return {
    words: words.length,
    sentences: sentences.length,
    score,
    band: score === null ? null : band(score),
    longSentences: sentences.filter((s) => (s.match(WORD)?.length ?? 0) > LONG_SENTENCE_WORDS),
    jargon: JARGON.filter(([phrase]) => new RegExp(`[^\\p{L}]${phrase}[^\\p{L}]`, "u").test(lower)).map(
      ([phrase, instead]) => ({ phrase, instead }),
    ),
  };
}
