/**
 * Languages: Spanish first, English available. Strings sit next to the markup that
 * uses them as `t("español", "English")`, so a page reads as one piece.
 */
export const LANGS = ["es", "en"] as const;
export type Lang = (typeof LANGS)[number];

export type T = (es: string, en: string) => string;
export const translator =
  (lang: Lang): T =>
  (es, en) =>
    lang === "en" ? en : es;

const LOCALE: Record<Lang, string> = { es: "es-MX", en: "en-GB" };

/** A multilingual field in the reader's language, falling back to Spanish. */
export function pick(text: { es: string; [k: string]: string } | undefined, lang: Lang): string {
  if (!text) return "";
  return text[lang] ?? text.es;
}

/** True when the text shown is not in the reader's language (so it gets its own lang attribute). */
export function isFallback(text: { es: string; [k: string]: string } | undefined, lang: Lang): boolean {
  return !!text && lang !== "es" && text[lang] === undefined;
}

export function formatMoney(amount: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALE[lang], { style: "currency", currency: "MXN" }).format(amount);
}

export function formatNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALE[lang]).format(n);
}

export function formatDate(isoDate: string, lang: Lang): string {
  const d = new Date(isoDate.length === 10 ? `${isoDate}T12:00:00Z` : isoDate);
  if (Number.isNaN(d.getTime())) return isoDate;
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: "long", timeZone: "America/Mexico_City" }).format(d);
}
