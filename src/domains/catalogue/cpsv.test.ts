/**
 * The CPSV-AP export is checked against the standard's OFFICIAL SHACL shapes (a verbatim copy in
 * test/standards/), not against our own reading of it. The negative tests show the check can fail.
 */
import { DataFactory, Parser, type Quad } from "n3";
import { describe, expect, it } from "vitest";
import { jsonLdToQuads, lines, validate } from "../../../test/shacl.js";
import {
  CPSV_PREFIXES,
  catalogueToJsonLd,
  catalogueToQuads,
  catalogueToTurtle,
  type CatalogueSnapshot,
} from "./cpsv.js";
import { toGovernmentService } from "./schema-org.js";
import type { InstitutionInput, LifeEventInput, ProcedureInput } from "./schema.js";

const { namedNode } = DataFactory;
const BASE = "https://www.ventanilla.gob.mx";
const CV = CPSV_PREFIXES.cv;
const DCT = CPSV_PREFIXES.dct;
const RDF_TYPE = CPSV_PREFIXES.rdf + "type";

// ---------------------------------------------------------------------------------------------
// A small but realistic catalogue: a federal ministry, a deconcentrated body and a state
// government; every cost type, every channel type, bilingual and Spanish-only records.
// ---------------------------------------------------------------------------------------------

const institutions: InstitutionInput[] = [
  {
    acronym: "SRE",
    name: { es: "Secretaría de Relaciones Exteriores", en: "Ministry of Foreign Affairs" },
    kind: "ministry",
    sector: "Relaciones Exteriores",
    ramo: "05",
    jurisdiction: { level: "federal" },
    website: "https://www.gob.mx/sre",
    contact: {
      email: "atencion@sre.gob.mx",
      phone: "55 3686 5100",
      address: "Av. Juárez 20, Col. Centro, Cuauhtémoc, 06010 Ciudad de México",
    },
  },
  {
    acronym: "SAT",
    name: { es: "Servicio de Administración Tributaria", en: "Tax Administration Service" },
    kind: "deconcentrated_body",
    sector: "Hacienda y Crédito Público",
    ramo: "06",
    jurisdiction: { level: "federal" },
    website: "https://www.sat.gob.mx",
  },
  {
    acronym: "GEM",
    name: { es: "Gobierno del Estado de México" },
    kind: "state_government",
    sector: "Gobierno estatal",
    jurisdiction: { level: "state", stateCode: "15" },
  },
];

const lifeEvents: LifeEventInput[] = [
  {
    slug: "viajar-al-extranjero",
    name: { es: "Viajar al extranjero", en: "Travelling abroad" },
    description: {
      es: "Pasaporte, visas y trámites para salir del país o volver a él.",
      en: "Passport, visas and procedures for leaving or returning to Mexico.",
    },
    order: 20,
  },
  {
    slug: "tener-un-bebe",
    name: { es: "Tener un bebé", en: "Having a baby" },
    description: { es: "Registro de nacimiento, CURP y apoyos cuando llega un bebé." },
    order: 0,
  },
];

const passport: ProcedureInput & { updatedAt?: string } = {
  homoclave: "SRE-02-001",
  institution: "SRE",
  kind: "tramite",
  status: "published",
  audience: ["persona_fisica"],
  officialName: {
    es: "Expedición de pasaporte ordinario en territorio nacional",
    en: "Issuance of an ordinary passport in Mexico",
  },
  citizenName: { es: "Sacar tu pasaporte", en: "Get your passport" },
  description: {
    es: "El pasaporte mexicano es el documento de viaje que acredita tu identidad y nacionalidad en el extranjero.",
    en: "The Mexican passport is the travel document that proves your identity and nationality abroad.",
  },
  whenApplies: { es: "Cuando vas a viajar fuera de México.", en: "When you are going to travel outside Mexico." },
  result: { es: "Pasaporte ordinario", en: "Ordinary passport" },
  validity: { es: "3, 6 o 10 años", en: "3, 6 or 10 years" },
  requirements: [
    {
      name: { es: "Acta de nacimiento", en: "Birth certificate" },
      original: true,
      copies: 0,
      uploadable: false,
    },
    {
      name: { es: "Identificación oficial con fotografía", en: "Official photo ID" },
      original: true,
      copies: 1,
      uploadable: true,
      notes: { es: "Credencial para votar vigente.", en: "A valid voter card." },
    },
    {
      name: { es: "Comprobante de pago de derechos" },
      original: false,
      copies: 2,
      uploadable: false,
    },
  ],
  steps: [
    { es: "Agenda tu cita en línea.", en: "Book an appointment online." },
    { es: "Paga los derechos en el banco.", en: "Pay the fee at a bank." },
    { es: "Acude a la oficina con tus documentos.", en: "Go to the office with your documents." },
  ],
  cost: { type: "fixed", amountMxn: 1845, paymentPlaces: { es: "Bancos autorizados", en: "Authorised banks" } },
  maxResolutionDays: 0,
  silenceRule: "none",
  channels: {
    online: { url: "https://citas.sre.gob.mx" },
    inPerson: [
      {
        name: "Oficina de Pasaportes Tlatelolco",
        address: "Av. Ricardo Flores Magón 2, Tlatelolco, Cuauhtémoc, 06300 Ciudad de México",
        hours: "Lunes a viernes de 8:00 a 14:00",
        municipalityCode: "09015",
        phone: "55 3686 5100",
      },
    ],
    phone: [{ number: "800 801 0773", hours: "Lunes a viernes de 8:00 a 20:00" }],
  },
  legalBasis: [
    {
      law: "Ley Federal de Derechos",
      article: "Artículo 20",
      url: "https://www.diputados.gob.mx/LeyesBiblio/pdf/LFD.pdf",
    },
    { law: "Reglamento de Pasaportes y del Documento de Identidad y Viaje", article: "Artículo 9" },
  ],
  lifeEvents: ["viajar-al-extranjero"],
  keywords: { es: ["pasaporte", "viaje"], en: ["passport", "travel"] },
  lastReviewed: "2026-01-15",
  updatedAt: "2026-02-01T10:30:00.000Z",
};

const rfc: ProcedureInput & { updatedAt?: string } = {
  homoclave: "SAT-01-001",
  institution: "SAT",
  kind: "servicio",
  audience: ["persona_fisica", "persona_moral"],
  officialName: { es: "Inscripción en el RFC", en: "Registration in the RFC" },
  citizenName: { es: "Inscripción en el RFC", en: "Get your tax ID (RFC)" },
  description: {
    es: "Obtén tu Registro Federal de Contribuyentes para emitir facturas y pagar impuestos.",
    en: "Get your Federal Taxpayer Registry number to issue invoices and pay taxes.",
  },
  requirements: [{ name: { es: "CURP", en: "CURP" }, original: false, copies: 0, uploadable: false }],
  steps: [
    { es: "Captura tus datos en el portal." },
    { es: "Descarga tu constancia.", en: "Download your certificate." },
  ],
  cost: { type: "free" },
  maxResolutionDays: null,
  silenceRule: "none",
  channels: { online: { url: "https://www.sat.gob.mx/tramites/operacion/28753/obten-tu-rfc" } },
  legalBasis: [{ law: "Código Fiscal de la Federación", article: "Artículo 27" }],
  lifeEvents: [],
  lastReviewed: "2025-11-30",
  updatedAt: "2025-12-01",
};

const birthRegistration: ProcedureInput = {
  homoclave: "GEM-RC-001",
  institution: "GEM",
  kind: "tramite",
  audience: ["persona_fisica"],
  officialName: { es: "Registro de nacimiento" },
  citizenName: { es: "Registrar a tu bebé" },
  description: { es: "Inscribe el nacimiento de tu hija o hijo en el Registro Civil del Estado de México." },
  requirements: [
    {
      name: { es: "Certificado de nacimiento" },
      original: true,
      copies: 0,
      uploadable: false,
      notes: { es: "Lo entrega el hospital." },
    },
  ],
  steps: [{ es: "Acude a la oficialía con los padres y el bebé." }],
  cost: { type: "free" },
  maxResolutionDays: null,
  silenceRule: "none",
  channels: {
    inPerson: [
      {
        name: "Oficialía 01 de Toluca",
        address: "Av. Independencia Ote. 1000, Toluca de Lerdo.",
        hours: "Lunes a viernes de 9:00 a 15:00",
      },
    ],
  },
  legalBasis: [{ law: "Código Civil del Estado de México", article: "Artículo 3.10" }],
  // "sin-documentos" is not in the snapshot: it must be left out, not exported untyped.
  lifeEvents: ["tener-un-bebe", "sin-documentos"],
  lastReviewed: "2025-10-01",
};

const vehicleImport: ProcedureInput = {
  homoclave: "SAT-05-020",
  institution: "SAT",
  kind: "tramite",
  audience: ["persona_fisica"],
  officialName: { es: "Permiso de importación temporal de vehículos", en: "Temporary vehicle import permit" },
  citizenName: { es: "Permiso para entrar a México con tu auto", en: "Permit to drive your car into Mexico" },
  description: {
    es: "Permiso para internar temporalmente un vehículo extranjero más allá de la franja fronteriza.",
    en: "Permit to bring a foreign vehicle temporarily beyond the border zone.",
  },
  requirements: [
    {
      name: { es: "Título de propiedad del vehículo", en: "Vehicle title" },
      original: true,
      copies: 1,
      uploadable: true,
    },
  ],
  // English only for the first step: the Rule's description must then be Spanish only.
  steps: [{ es: "Llena la solicitud.", en: "Fill in the application." }, { es: "Paga el depósito." }],
  cost: {
    type: "formula",
    description: {
      es: "Un cargo fijo más un depósito según el año del vehículo, que se devuelve al salir.",
      en: "A fixed charge plus a deposit depending on the vehicle's year, refunded on departure.",
    },
    paymentPlaces: { es: "Banjercito" },
  },
  maxResolutionDays: 20,
  silenceRule: "afirmativa_ficta",
  channels: { phone: [{ number: "55 5627 2728" }] },
  legalBasis: [{ law: "Ley Aduanera", article: "Artículo 106" }],
  lifeEvents: ["viajar-al-extranjero"],
  keywords: { es: ["auto", "frontera"] },
  lastReviewed: "2026-01-10",
};

const naturalisation: ProcedureInput = {
  homoclave: "SRE-05-003",
  institution: "SRE",
  kind: "tramite",
  audience: ["persona_fisica"],
  officialName: { es: "Carta de naturalización", en: "Naturalisation certificate" },
  citizenName: { es: "Obtener la nacionalidad mexicana", en: "Become a Mexican citizen" },
  description: {
    es: "Solicita la nacionalidad mexicana por naturalización si resides en México.",
    en: "Apply for Mexican nationality by naturalisation if you live in Mexico.",
  },
  requirements: [
    {
      name: { es: "Constancia de examen de historia y cultura", en: "History and culture exam certificate" },
      original: true,
      copies: 2,
      uploadable: false,
    },
  ],
  steps: [{ es: "Presenta tu solicitud.", en: "Submit your application." }],
  cost: { type: "fixed", amountMxn: 8997.5 },
  maxResolutionDays: 120,
  silenceRule: "negativa_ficta",
  validity: { es: "Permanente" },
  channels: {
    inPerson: [
      {
        name: "Dirección General de Asuntos Jurídicos",
        address: "Plaza Juárez 20, Centro, 06010 Ciudad de México",
        hours: "Lunes a viernes de 9:00 a 13:00",
      },
      {
        name: "Delegación Guadalajara",
        address: "Av. Providencia 2000, Guadalajara, Jalisco",
        hours: "Lunes a jueves de 9:00 a 14:00",
      },
    ],
  },
  legalBasis: [{ law: "Ley de Nacionalidad", article: "Artículos 19 a 21" }],
  lifeEvents: [],
  lastReviewed: "2025-09-01",
};

const snapshot: CatalogueSnapshot = {
  baseUrl: BASE,
  institutions,
  lifeEvents,
  procedures: [passport, rfc, birthRegistration, vehicleImport, naturalisation],
};

const service = (homoclave: string) => `${BASE}/tramites/${homoclave}`;
const objects = (quads: Quad[], subject: string, predicate: string) =>
  quads.filter((q) => q.subject.value === subject && q.predicate.value === predicate).map((q) => q.object);

describe("CPSV-AP 3.2.0 export", () => {
  it("writes Turtle that parses and conforms to the official shapes", async () => {
    const turtle = await catalogueToTurtle(snapshot);
    expect(turtle).toContain("@prefix cpsv: <http://purl.org/vocab/cpsv#>.");
    const parsed = new Parser({ baseIRI: BASE }).parse(turtle);
    expect(lines(parsed)).toEqual(lines(catalogueToQuads(snapshot)));

    const { conforms, violations } = await validate(parsed);
    expect(violations, `SHACL violations:\n${violations.join("\n")}`).toEqual([]);
    expect(conforms).toBe(true);
  });

  it("writes JSON-LD with an inline context that gives the same quads and conforms", async () => {
    const doc = catalogueToJsonLd(snapshot) as { "@context": unknown; "@graph": unknown[] };
    // An object, never a URL: reading the document must not need the network.
    expect(typeof doc["@context"]).toBe("object");
    expect(JSON.stringify(doc["@context"])).not.toMatch(/"@(context|import)"/);
    expect(doc["@graph"].length).toBeGreaterThan(20);

    const quads = await jsonLdToQuads(doc);
    expect(lines(quads)).toEqual(lines(catalogueToQuads(snapshot)));
    const { violations } = await validate(quads);
    expect(violations, `SHACL violations:\n${violations.join("\n")}`).toEqual([]);
  });

  it("states the facts of a procedure: titles, cost, authority, time, channels", () => {
    const quads = catalogueToQuads(snapshot);
    const s = service("SRE-02-001");
    const titles = objects(quads, s, DCT + "title").map((o) => `${o.value}@${"language" in o ? o.language : ""}`);
    expect(titles.sort()).toEqual(["Get your passport@en", "Sacar tu pasaporte@es"]);
    expect(objects(quads, s, DCT + "alternative").map((o) => o.value)).toContain(
      "Expedición de pasaporte ordinario en territorio nacional",
    );
    expect(objects(quads, s, DCT + "identifier").map((o) => o.value)).toEqual(["SRE-02-001"]);
    expect(objects(quads, s, CV + "hasCompetentAuthority").map((o) => o.value)).toEqual([`${BASE}/instituciones/SRE`]);
    expect(objects(quads, s, CV + "processingTime").map((o) => o.value)).toEqual(["P0D"]);

    const [cost] = objects(quads, s, CV + "hasCost");
    expect(cost?.value).toBe(`${s}#costo`);
    const [value] = objects(quads, `${s}#costo`, CV + "hasValue");
    expect(value?.termType === "Literal" && value.datatype.value).toBe(CPSV_PREFIXES.xsd + "double");
    expect(Number(value?.value)).toBe(1845);
    expect(objects(quads, `${s}#costo`, CV + "currency").map((o) => o.value)).toEqual([
      "http://publications.europa.eu/resource/authority/currency/MXN",
    ]);

    // Three channels: online, one office, one phone line.
    expect(objects(quads, s, CV + "hasChannel")).toHaveLength(3);
    expect(objects(quads, `${s}#canal-presencial-1-horario`, DCT + "description").map((o) => o.value)).toEqual([
      "Lunes a viernes de 8:00 a 14:00",
    ]);
    // The authority is described as a public organisation in Mexico.
    const sre = `${BASE}/instituciones/SRE`;
    expect(objects(quads, sre, RDF_TYPE).map((o) => o.value)).toContain(CV + "PublicOrganisation");
    expect(objects(quads, sre, DCT + "spatial").map((o) => o.value)).toEqual([
      "http://publications.europa.eu/resource/authority/country/MEX",
    ]);
    // Life events point both ways.
    expect(objects(quads, s, CV + "isGroupedBy").map((o) => o.value)).toEqual([
      `${BASE}/momentos-de-vida/viajar-al-extranjero`,
    ]);
  });

  it("handles free, formula and Spanish-only records", () => {
    const quads = catalogueToQuads(snapshot);
    // Free: a zero cost, not a missing one.
    expect(objects(quads, `${service("SAT-01-001")}#costo`, CV + "hasValue").map((o) => Number(o.value))).toEqual([0]);
    // No legal maximum time: no processing time.
    expect(objects(quads, service("SAT-01-001"), CV + "processingTime")).toEqual([]);
    // Formula: no value, but the explanation in both languages.
    const formula = `${service("SAT-05-020")}#costo`;
    expect(objects(quads, formula, CV + "hasValue")).toEqual([]);
    expect(objects(quads, formula, DCT + "description").map((o) => ("language" in o ? o.language : ""))).toEqual([
      "es",
      "en",
    ]);
    expect(objects(quads, service("SAT-05-020"), CV + "processingTime").map((o) => o.value)).toEqual(["P20D"]);
    // Steps: only Spanish is complete, so the rule is described in Spanish only.
    const steps = objects(quads, `${service("SAT-05-020")}#pasos`, DCT + "description");
    expect(steps.map((o) => o.value)).toEqual(["1. Llena la solicitud.\n2. Paga el depósito."]);
    // Spanish-only record: its own texts stay Spanish only (fixed labels such as "Free of
    // charge" are ours, and come in both languages).
    const gem = service("GEM-RC-001");
    const ownTexts = [
      ...objects(quads, gem, DCT + "title"),
      ...objects(quads, gem, DCT + "description"),
      ...objects(quads, `${gem}#requisito-1`, DCT + "title"),
      ...objects(quads, `${gem}#requisito-1`, DCT + "description"),
    ];
    expect(ownTexts).toHaveLength(4);
    expect(new Set(ownTexts.map((o) => ("language" in o ? o.language : "")))).toEqual(new Set(["es"]));
    // A life event missing from the snapshot is skipped.
    expect(objects(quads, gem, CV + "isGroupedBy").map((o) => o.value)).toEqual([
      `${BASE}/momentos-de-vida/tener-un-bebe`,
    ]);
  });

  it("is deterministic and refuses a procedure whose institution is missing", async () => {
    expect(await catalogueToTurtle(snapshot)).toBe(await catalogueToTurtle({ ...snapshot, baseUrl: `${BASE}/` }));
    expect(() => catalogueToQuads({ ...snapshot, institutions: institutions.slice(1) })).toThrow(
      /unknown institution SRE/,
    );
  });

  it("reports a violation when a required fact is removed (the check can fail)", async () => {
    const s = service("SAT-01-001");
    const withoutAuthority = catalogueToQuads(snapshot).filter(
      (q) => !(q.subject.value === s && q.predicate.value === CV + "hasCompetentAuthority"),
    );
    const result = await validate(withoutAuthority);
    expect(result.conforms).toBe(false);
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]).toContain(`${s} ${CV}hasCompetentAuthority`);
    expect(result.violations[0]).toContain("sh:MinCountConstraintComponent");
  });

  it("reports a violation when a text loses its language tag", async () => {
    const s = service("SAT-01-001");
    const plain = catalogueToQuads(snapshot).map((q) =>
      q.subject.value === s && q.predicate.value === DCT + "title" && q.object.termType === "Literal"
        ? DataFactory.quad(q.subject, q.predicate, DataFactory.literal(q.object.value))
        : q,
    );
    const result = await validate(plain);
    expect(result.conforms).toBe(false);
    // Two titles (es, en), each now a plain xsd:string.
    expect(result.violations).toHaveLength(2);
    expect(result.violations.every((v) => v.includes("sh:DatatypeConstraintComponent"))).toBe(true);
  });

  it("reports a violation when a pointed-to IRI is not typed in the data", async () => {
    // The pitfall the export guards against: sh:class sees only the data graph.
    const mexico = namedNode("http://publications.europa.eu/resource/authority/country/MEX");
    const untyped = catalogueToQuads(snapshot).filter((q) => !q.subject.equals(mexico));
    const result = await validate(untyped);
    expect(result.conforms).toBe(false);
    expect(result.violations.every((v) => v.includes("sh:ClassConstraintComponent"))).toBe(true);
    // Three institutions and five procedures point at Mexico.
    expect(result.violations).toHaveLength(8);
  });
});

describe("schema.org GovernmentService", () => {
  const sre = institutions[0]!;

  it("describes a procedure page in English with prices, provider and channels", () => {
    const json = toGovernmentService(passport, sre, BASE, "en") as Record<string, unknown>;
    expect(json).toMatchObject({
      "@context": "https://schema.org",
      "@type": "GovernmentService",
      identifier: "SRE-02-001",
      name: "Get your passport",
      url: `${BASE}/en/procedures/SRE-02-001`,
      serviceType: "Procedure",
      provider: { "@type": "GovernmentOrganization", name: "Ministry of Foreign Affairs", alternateName: "SRE" },
      areaServed: { "@type": "Country", identifier: "MX" },
      offers: { "@type": "Offer", price: 1845, priceCurrency: "MXN" },
    });
    const channels = json.availableChannel as Record<string, unknown>[];
    expect(channels).toHaveLength(3);
    expect(channels[0]).toMatchObject({ serviceUrl: "https://citas.sre.gob.mx", availableLanguage: "es" });
    expect(channels[1]).toMatchObject({
      serviceLocation: { "@type": "Place", address: { "@type": "PostalAddress", addressCountry: "MX" } },
      servicePhone: { telephone: "55 3686 5100" },
    });
    expect(channels[2]).toMatchObject({ servicePhone: { "@type": "ContactPoint", telephone: "800 801 0773" } });
    expect(JSON.stringify(json)).toContain("Ley Federal de Derechos, Artículo 20");
  });

  it("falls back to Spanish and explains a formula cost without a price", () => {
    const sat = institutions[1]!;
    const json = toGovernmentService(
      { ...vehicleImport, citizenName: { es: "Permiso para entrar a México con tu auto" } },
      sat,
      BASE,
      "en",
    ) as Record<string, unknown>;
    expect(json.name).toBe("Permiso para entrar a México con tu auto");
    expect(json.offers).toEqual({
      "@type": "Offer",
      priceCurrency: "MXN",
      description: "A fixed charge plus a deposit depending on the vehicle's year, refunded on departure.",
    });
    const es = toGovernmentService(rfc, sat, BASE, "es") as Record<string, unknown>;
    expect(es.url).toBe(`${BASE}/tramites/SAT-01-001`);
    expect(es.offers).toEqual({ "@type": "Offer", price: 0, priceCurrency: "MXN" });
    expect(es.serviceType).toBe("Servicio");
    expect(es).not.toHaveProperty("alternateName");
  });
});
