/**
 * The language switch: every page has the same page in the other language. Domains
 * register their Spanish and English path prefixes; the longest matching prefix wins.
 */
import type { Lang } from "./i18n.js";

const pairs: [es: string, en: string][] = [];

export function registerLanguagePairs(more: [string, string][]): void {
  pairs.push(...more);
  pairs.sort((a, b) => Math.max(b[0].length, b[1].length) - Math.max(a[0].length, a[1].length));
}

const under = (path: string, prefix: string) =>
  path === prefix || path.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`) || path.startsWith(`${prefix}.`);

/** A URL with its query string, rebuilt for the other language. */
export function otherLanguageUrl(url: string, lang: Lang): string {
  const [path = "/", query] = url.split("?", 2);
  let target = lang === "es" ? "/en" : "/";
  for (const [es, en] of pairs) {
    const [from, to] = lang === "es" ? [es, en] : [en, es];
    if (under(path, from)) {
      target = to + path.slice(from.length);
      break;
    }
  }
  return query ? `${target}?${query}` : target;
}
