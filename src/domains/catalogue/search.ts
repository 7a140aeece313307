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

export type SynonymGroups = string[][][];

/** Prepares synonym groups (as stored: phrases) for matching: each phrase becomes its tokens. */
export function prepareSynonyms(groups: string[][]): SynonymGroups {
  return groups.map((g) => g.map((phrase) => tokenize(phrase)).filter((t) => t.length > 0));
}

function containsPhrase(tokens: string[], phrase: string[]): boolean {
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

export function parseQuery(text: string, synonyms: SynonymGroups): ParsedQuery {
  const tokens = tokenize(text);
  const alternatives: string[][] = [];
  const seen = new Set<string>([...tokens]);
  for (const group of synonyms) {
    if (!group.some((phrase) => containsPhrase(tokens, phrase))) continue;
    for (const phrase of group) {
      const key = phrase.join(" ");
      if (!seen.has(key) && !containsPhrase(tokens, phrase)) {
        seen.add(key);
        alternatives.push(phrase);
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

/** Replaces corrected words, for "did you mean". */
export function applyCorrections(tokens: string[], corrections: Map<string, string>): string[] {
  return tokens.map((t) => corrections.get(t) ?? t);
}
