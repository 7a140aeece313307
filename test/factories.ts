/** Valid records to start from; each test changes what it is about. Keys are fresh so tests never collide. */
import { randomBytes } from "node:crypto";
import type { InstitutionInput, ProcedureInput } from "../src/domains/catalogue/schema.js";

export const freshAcronym = () => `T${randomBytes(4).toString("hex").toUpperCase()}`;

export function institution(overrides: Partial<InstitutionInput> = {}): InstitutionInput {
  return {
    acronym: freshAcronym(),
    name: { es: "Instituto de Pruebas", en: "Testing Institute" },
    kind: "decentralised_body",
    sector: "Pruebas",
    jurisdiction: { level: "federal" },
    website: "https://www.gob.mx/pruebas",
    ...overrides,
  };
}

let counter = 0;
export function procedure(institutionAcronym: string, overrides: Partial<ProcedureInput> = {}): ProcedureInput {
  counter++;
  return {
    homoclave: `${institutionAcronym}-01-${String(counter).padStart(3, "0")}`,
    institution: institutionAcronym,
    kind: "tramite",
    status: "published",
    audience: ["persona_fisica"],
    officialName: { es: "Expedición de constancia de prueba", en: "Issue of a test certificate" },
    citizenName: { es: "Obtener una constancia de prueba", en: "Get a test certificate" },
    description: { es: "Constancia que acredita una prueba.", en: "A certificate that proves a test." },
    requirements: [{ name: { es: "Identificación oficial" }, original: true, copies: 1, uploadable: true }],
    steps: [{ es: "Llena la solicitud." }, { es: "Recoge tu constancia." }],
    cost: { type: "free" },
    maxResolutionDays: 10,
    silenceRule: "negativa_ficta",
    channels: { online: { url: "https://www.gob.mx/tramite" } },
    legalBasis: [{ law: "Ley Federal de Procedimiento Administrativo", article: "Artículo 17" }],
    lifeEvents: ["identidad-y-documentos"],
    keywords: { es: ["constancia"] },
    lastReviewed: "2026-06-01",
    ...overrides,
  };
}
