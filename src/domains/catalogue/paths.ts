/** The catalogue's public URLs, in Spanish and in English. */
import { registerLanguagePairs } from "../../platform/views/alternate.js";
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

registerLanguagePairs([
  ["/buscar", "/en/search"],
  ["/tramites/", "/en/procedures/"],
  ["/instituciones", "/en/institutions"],
  ["/momentos-de-vida", "/en/life-events"],
]);
