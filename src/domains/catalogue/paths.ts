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

/** The back office, where staff maintain the catalogue. */
export function backOfficePaths(lang: Lang) {
  const base = lang === "en" ? "/en/manage" : "/gestion";
  const en = lang === "en";
  const procedure = (h: string) => `${base}/${en ? "procedures" : "tramites"}/${h}`;
  return {
    home: base,
    newProcedure: `${base}/${en ? "procedures/new" : "tramites/nuevo"}`,
    procedure,
    review: (h: string) => `${procedure(h)}/${en ? "review" : "revision"}`,
    publish: (h: string) => `${procedure(h)}/${en ? "publish" : "publicar"}`,
    sendBack: (h: string) => `${procedure(h)}/${en ? "send-back" : "devolver"}`,
    retire: (h: string) => `${procedure(h)}/${en ? "retire" : "retirar"}`,
    versions: (h: string) => `${procedure(h)}/${en ? "versions" : "versiones"}`,
    compare: (h: string) => `${procedure(h)}/${en ? "compare" : "comparar"}`,
    completeness: (acronym: string) =>
      `${base}/${en ? "institutions" : "instituciones"}/${acronym}/${en ? "completeness" : "completitud"}`,
    staff: (acronym: string) =>
      `${base}/${en ? "institutions" : "instituciones"}/${acronym}/${en ? "staff" : "personal"}`,
    importFile: `${base}/${en ? "import" : "importar"}`,
    verifyIdentity: `${base}/${en ? "verify-identity" : "verificar-identidad"}`,
    arcoRequests: `${base}/${en ? "data-requests" : "solicitudes-arco"}`,
    applications: `${base}/${en ? "applications" : "aplicaciones"}`,
    answerArco: (id: number | string) =>
      `${base}/${en ? "data-requests" : "solicitudes-arco"}/${id}/${en ? "answer" : "responder"}`,
  };
}

const SEGMENTS: [string, string][] = [
  ["tramites", "procedures"],
  ["nuevo", "new"],
  ["revision", "review"],
  ["versiones", "versions"],
  ["comparar", "compare"],
  ["instituciones", "institutions"],
  ["completitud", "completeness"],
  ["personal", "staff"],
  ["importar", "import"],
  ["verificar-identidad", "verify-identity"],
  ["solicitudes-arco", "data-requests"],
  ["aplicaciones", "applications"],
  ["responder", "answer"],
];

/** Other domains' back-office path segments, as [Spanish, English]. */
export function registerBackOfficeSegments(more: [string, string][]): void {
  SEGMENTS.push(...more);
}

/** The same back-office page in the other language, segment by segment. */
export function backOfficeAlternate(url: string, lang: Lang): string {
  const [path = "/", query] = url.split("?", 2);
  const parts = path.split("/").filter(Boolean);
  const rest = lang === "en" ? parts.slice(2) : parts.slice(1);
  const swapped = rest.map((seg) => {
    const pair = SEGMENTS.find(([es, en]) => (lang === "es" ? es : en) === seg);
    return pair ? (lang === "es" ? pair[1] : pair[0]) : seg;
  });
  const target = [lang === "es" ? "/en/manage" : "/gestion", ...swapped].join("/").replace("//", "/");
  return query ? `${target}?${query}` : target;
}
