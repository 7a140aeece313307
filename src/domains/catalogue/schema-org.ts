/**
 * schema.org `GovernmentService` markup for a procedure page, the form search engines read.
 *
 * Unlike the CPSV-AP export (cpsv.ts), this is one page's JSON-LD in one language, and it uses
 * the conventional `"@context": "https://schema.org"`: consumers recognise that string and do
 * not need to fetch it. Embed it with `<` escaped (e.g. as `\u003c`) so text can never close
 * the `<script type="application/ld+json">` element.
 */
import type { Lang } from "../../platform/views/i18n.js";
import { paths } from "./paths.js";
import type { InstitutionInput, LocalizedText, ProcedureInput } from "./schema.js";

/** Text in the page's language, falling back to Spanish when missing or blank. */
function pick(text: LocalizedText, lang: Lang): string {
  const value = text[lang]?.trim();
  return value ? value : text.es;
}

const KIND_LABEL = {
  tramite: { es: "Trámite", en: "Procedure" },
  servicio: { es: "Servicio", en: "Service" },
} as const;

const AUDIENCE_LABEL = {
  persona_fisica: { es: "Personas físicas", en: "Individuals" },
  persona_moral: { es: "Personas morales", en: "Companies and organisations" },
} as const;

/** The language procedures are carried out in; translations of our texts do not change it. */
const SERVICE_LANGUAGE = "es";

export function toGovernmentService(
  p: ProcedureInput,
  institution: InstitutionInput,
  baseUrl: string,
  lang: Lang,
): object {
  const base = baseUrl.replace(/\/+$/, "");
  const t = (es: string, en: string) => (lang === "en" ? en : es);
  const url = base + paths(lang).procedure(p.homoclave);

  const channels: object[] = [];
  if (p.channels.online) {
    channels.push({
      "@type": "ServiceChannel",
      name: t("En línea", "Online"),
      serviceUrl: p.channels.online.url,
      availableLanguage: SERVICE_LANGUAGE,
    });
  }
  for (const office of p.channels.inPerson ?? []) {
    channels.push({
      "@type": "ServiceChannel",
      name: office.name,
      // Hours are free text in the catalogue, not the `Mo-Fr 09:00-15:00` syntax of
      // schema.org's openingHours, so they are given as a description.
      description: `${t("Horario", "Opening hours")}: ${office.hours}`,
      availableLanguage: SERVICE_LANGUAGE,
      serviceLocation: {
        "@type": "Place",
        name: office.name,
        address: { "@type": "PostalAddress", streetAddress: office.address, addressCountry: "MX" },
        ...(office.phone ? { telephone: office.phone } : {}),
      },
      ...(office.phone ? { servicePhone: { "@type": "ContactPoint", telephone: office.phone } } : {}),
    });
  }
  for (const line of p.channels.phone ?? []) {
    channels.push({
      "@type": "ServiceChannel",
      name: t("Por teléfono", "By phone"),
      availableLanguage: SERVICE_LANGUAGE,
      servicePhone: {
        "@type": "ContactPoint",
        telephone: line.number,
        ...(line.hours ? { description: `${t("Horario", "Opening hours")}: ${line.hours}` } : {}),
      },
    });
  }

  const offer = toOffer(p, lang);
  const legalBasis = p.legalBasis.map((b) => `${b.law}, ${b.article}`).join("; ");

  return {
    "@context": "https://schema.org",
    "@type": "GovernmentService",
    "@id": `${base}${paths("es").procedure(p.homoclave)}`,
    url,
    identifier: p.homoclave,
    name: pick(p.citizenName, lang),
    ...(pick(p.officialName, lang) !== pick(p.citizenName, lang) ? { alternateName: pick(p.officialName, lang) } : {}),
    description: pick(p.description, lang),
    serviceType: KIND_LABEL[p.kind][lang],
    provider: {
      "@type": "GovernmentOrganization",
      "@id": `${base}${paths("es").institution(institution.acronym)}`,
      name: pick(institution.name, lang),
      alternateName: institution.acronym,
      url: base + paths(lang).institution(institution.acronym),
      ...(institution.website ? { sameAs: institution.website } : {}),
    },
    areaServed: { "@type": "Country", name: t("México", "Mexico"), identifier: "MX" },
    audience: p.audience.map((a) => ({ "@type": "Audience", audienceType: AUDIENCE_LABEL[a][lang] })),
    ...(channels.length > 0 ? { availableChannel: channels } : {}),
    ...(offer ? { offers: offer } : {}),
    // The legal basis is what governs the service's use: the closest schema.org notion.
    termsOfService: legalBasis,
    ...(p.result ? { serviceOutput: { "@type": "Thing", name: pick(p.result, lang) } } : {}),
  };
}

/** The cost as an Offer in pesos; a formula has no single price, so only its explanation. */
function toOffer(p: ProcedureInput, lang: Lang): object | undefined {
  const cost = p.cost;
  switch (cost.type) {
    case "free":
      return { "@type": "Offer", price: 0, priceCurrency: "MXN" };
    case "fixed":
      return {
        "@type": "Offer",
        price: cost.amountMxn,
        priceCurrency: "MXN",
        ...(cost.paymentPlaces ? { description: pick(cost.paymentPlaces, lang) } : {}),
      };
    case "formula":
      return { "@type": "Offer", priceCurrency: "MXN", description: pick(cost.description, lang) };
  }
}
