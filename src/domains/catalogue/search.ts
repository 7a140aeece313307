/**
 * Turning what a person typed into a query the database understands: normalised
 * words, synonym alternatives and typo corrections. Pure functions; the SQL that
 * runs the query lives in queries.ts.
 */

export const MAX_QUERY_LENGTH = 200;
const MAX_TOKENS = 24;

/** Lower case, no accents, no control characters: how the index sees text. */
export function normalize(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[\p{Cc}\p{Cf}]/gu, " ");
}

/** Words only: letters and digits. Quotes, operators, markup and emoji fall away here. */
export function tokenize(text: string): string[] {
  return (normalize(text).match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_TOKENS);
}

/** A phrase of the synonym list, as words and as stems (what the search index compares). */
export interface SynonymPhrase {
  words: string[];
  stems: string[];
}
export type SynonymGroups = SynonymPhrase[][];

/** Prepares synonym groups as stored (phrases, and their stems from the database) for matching. */
export function prepareSynonyms(groups: { terms: string[]; stems: string[] }[]): SynonymGroups {
  return groups.map((g) =>
    g.terms
      .map((term, i) => ({ words: tokenize(term), stems: (g.stems[i] ?? "").split(" ").filter(Boolean) }))
      .filter((p) => p.words.length > 0),
  );
}

function containsPhrase(tokens: string[], phrase: string[]): boolean {
  if (!phrase.length) return false;
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (tokens[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

export interface ParsedQuery {
  /** The words as typed (normalised). */
  tokens: string[];
  /** Phrases that mean the same as something in the query (from the synonym list). */
  alternatives: string[][];
}

/**
 * Finds synonym phrases in the query, by word or by stem ("jubilarme" meets "jubilar"),
 * and adds the other phrases of their group as alternatives.
 */
export function parseQuery(tokens: string[], stems: string[], synonyms: SynonymGroups): ParsedQuery {
  const alternatives: string[][] = [];
  // Unaccented Spanish stems split some families ("jubil" from jubilarme, "jubilacion" from
  // jubilación), so a one-word phrase also matches a query stem of 5+ letters that begins it.
  const begins = (p: SynonymPhrase) =>
    p.stems.length === 1 && stems.some((s) => s.length >= 5 && p.stems[0]!.startsWith(s));
  const has = (p: SynonymPhrase) => containsPhrase(tokens, p.words) || containsPhrase(stems, p.stems) || begins(p);
  const seen = new Set<string>(tokens);
  for (const group of synonyms) {
    if (!group.some(has)) continue;
    for (const phrase of group) {
      const key = phrase.words.join(" ");
      if (!seen.has(key) && !has(phrase)) {
        seen.add(key);
        alternatives.push(phrase.words);
      }
    }
  }
  return { tokens, alternatives };
}

/**
 * The text handed to websearch_to_tsquery: every word and alternative phrase joined
 * with OR, so a document matching more of them ranks higher. Only letters and digits
 * reach this point, so nothing the person typed can act as query syntax.
 */
export function toWebsearch(tokens: string[], alternatives: string[][]): string {
  const parts = [...tokens, ...alternatives.map((p) => (p.length > 1 ? `"${p.join(" ")}"` : p[0]!))];
  return parts.join(" or ");
}

/**
 * The narrow form: all the words together, or any alternative phrase. Tried first, because
 * a document with every word is what the person most likely wants, and few documents have
 * them all, so ranking stays cheap.
 */
export function toStrictWebsearch(tokens: string[], alternatives: string[][]): string {
  const parts = [tokens.join(" "), ...alternatives.map((p) => (p.length > 1 ? `"${p.join(" ")}"` : p[0]!))];
  return parts.filter(Boolean).join(" or ");
}

/** Replaces corrected words, for "did you mean". */
export function applyCorrections(tokens: string[], corrections: Map<string, string>): string[] {
  return tokens.map((t) => corrections.get(t) ?? t);
}
