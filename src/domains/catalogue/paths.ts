/** The catalogue's public URLs, in Spanish and in English. */
import type { Lang } from "../../platform/views/i18n.js";

export function paths(lang: Lang) {
  const en = lang === "en";
  return {
    home: en ? "/en" : "/",
    search: en ? "/en/search" : "/buscar",
    procedure: (homoclave: string) => (en ? `/en/procedures/${homoclave}` : `/tramites/${homoclave}`),
    institutions: en ? "/en/institutions" : "/instituciones",
    institution: (acronym: string) => (en ? `/en/institutions/${acronym}` : `/instituciones/${acronym}`),
    lifeEvents: en ? "/en/life-events" : "/momentos-de-vida",
    lifeEvent: (slug: string) => (en ? `/en/life-events/${slug}` : `/momentos-de-vida/${slug}`),
  };
}

/** A URL with its query string, rebuilt for the other language. */
export function otherLanguageUrl(url: string, lang: Lang): string {
  const [path = "/", query] = url.split("?", 2);
  const pairs: [string, string][] = [
    ["/buscar", "/en/search"],
    ["/tramites/", "/en/procedures/"],
    ["/instituciones", "/en/institutions"],
    ["/momentos-de-vida", "/en/life-events"],
  ];
  let target = lang === "es" ? "/en" : "/";
  for (const [es, en] of pairs) {
    if (lang === "es" && path.startsWith(es)) target = en + path.slice(es.length);
    if (lang === "en" && path.startsWith(en)) target = es + path.slice(en.length);
  }
  return query ? `${target}?${query}` : target;
}
