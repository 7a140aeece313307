/**
 * The catalogue as linked data in CPSV-AP 3.2.0, the EU Core Public Service Vocabulary
 * Application Profile, so that other catalogues (and the EU's own tools) can harvest it.
 *
 * One function, `catalogueToQuads`, decides every triple; Turtle and JSON-LD are only two
 * spellings of the same quads, so the formats can never disagree.
 *
 * Choices that the profile leaves open, and why:
 * - Every resource has an IRI (no blank nodes). A procedure's parts (requirements, cost,
 *   channels...) are fragments of the procedure page, `/tramites/X#costo`, so they resolve to
 *   a page that shows them, and two exports of the same catalogue are equal quad for quad.
 * - SHACL `sh:class` checks look only at the exported data, so we state the type of everything
 *   we point at, including EU authority-table IRIs (country, currency, language).
 * - Codes the EU tables do not have (channel type, trámite/servicio, persona física/moral,
 *   sector) are concepts in small local vocabularies under `/vocabularios/`.
 * - Pure: no database, no clock, no network.
 */
import { DataFactory, Writer, type Literal, type NamedNode, type Quad, type Quad_Object } from "n3";
import type { Cost, InstitutionInput, LifeEventInput, ProcedureInput, Requirement } from "./schema.js";

const { namedNode, literal, quad } = DataFactory;

export interface CatalogueSnapshot {
  /** Public origin of the site, e.g. `https://www.ventanilla.gob.mx`, without a trailing slash. */
  baseUrl: string;
  institutions: InstitutionInput[];
  lifeEvents: LifeEventInput[];
  /** Only published procedures. `updatedAt` (ISO 8601) becomes `dct:modified`. */
  procedures: (ProcedureInput & { updatedAt?: string })[];
}

/** Namespaces used in the export, as Turtle prefixes and as the JSON-LD context. */
export const CPSV_PREFIXES = {
  cpsv: "http://purl.org/vocab/cpsv#",
  cv: "http://data.europa.eu/m8g/",
  dcat: "http://www.w3.org/ns/dcat#",
  dct: "http://purl.org/dc/terms/",
  eli: "http://data.europa.eu/eli/ontology#",
  foaf: "http://xmlns.com/foaf/0.1/",
  locn: "http://www.w3.org/ns/locn#",
  org: "http://www.w3.org/ns/org#",
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  skos: "http://www.w3.org/2004/02/skos/core#",
  time: "http://www.w3.org/2006/time#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
} as const;

type Prefix = keyof typeof CPSV_PREFIXES;
const ns =
  (prefix: Prefix) =>
  (local: string): NamedNode =>
    namedNode(CPSV_PREFIXES[prefix] + local);

const cpsv = ns("cpsv");
const cv = ns("cv");
const dcat = ns("dcat");
const dct = ns("dct");
const eli = ns("eli");
const foaf = ns("foaf");
const locn = ns("locn");
const org = ns("org");
const rdf = ns("rdf");
const skos = ns("skos");
const time = ns("time");
const xsd = ns("xsd");

/** EU Publications Office authority tables, the values CPSV-AP recommends. */
const MEXICO = namedNode("http://publications.europa.eu/resource/authority/country/MEX");
const MXN = namedNode("http://publications.europa.eu/resource/authority/currency/MXN");
const SPANISH = namedNode("http://publications.europa.eu/resource/authority/language/SPA");

/** Local controlled vocabularies: code → labels. */
interface Vocabulary {
  path: string;
  title: { es: string; en: string };
  concepts: Record<string, { es: string; en: string }>;
}

const CHANNEL_TYPES = {
  path: "tipo-de-canal",
  title: { es: "Tipos de canal de atención", en: "Channel types" },
  concepts: {
    "en-linea": { es: "En línea", en: "Online" },
    presencial: { es: "Presencial", en: "In person" },
    telefono: { es: "Por teléfono", en: "By phone" },
  },
} satisfies Vocabulary;

const PROCEDURE_KINDS = {
  path: "tipo-de-tramite",
  title: { es: "Tipos de trámite", en: "Kinds of procedure" },
  concepts: {
    tramite: { es: "Trámite", en: "Procedure (a request or obligation)" },
    servicio: { es: "Servicio", en: "Service" },
  },
} satisfies Vocabulary;

const AUDIENCES = {
  path: "destinatarios",
  title: { es: "Destinatarios", en: "Audiences" },
  concepts: {
    "persona-fisica": { es: "Persona física", en: "Individual" },
    "persona-moral": { es: "Persona moral", en: "Legal entity (company or organisation)" },
  },
} satisfies Vocabulary;

/** Sectors come from the institutions' free text, so the concepts are made as they are met. */
const SECTORS: Vocabulary = {
  path: "sectores",
  title: { es: "Sectores de la Administración Pública", en: "Government sectors" },
  concepts: {},
};

const SILENCE_RULES = {
  afirmativa_ficta: {
    title: { es: "Afirmativa ficta", en: "Positive administrative silence" },
    description: {
      es: "Si la autoridad no responde dentro del plazo máximo de resolución, la solicitud se entiende aprobada.",
      en: "If the authority does not answer within the maximum resolution time, the application is deemed approved.",
    },
  },
  negativa_ficta: {
    title: { es: "Negativa ficta", en: "Negative administrative silence" },
    description: {
      es: "Si la autoridad no responde dentro del plazo máximo de resolución, la solicitud se entiende negada.",
      en: "If the authority does not answer within the maximum resolution time, the application is deemed refused.",
    },
  },
} as const;

/** Text per language, as in the schema; other languages than `es` may be missing or empty. */
type Texts = { es: string; [lang: string]: string };

/**
 * Collects quads without duplicates, grouped by subject in first-seen order, so that Turtle
 * comes out as one block per resource and the output is the same from run to run.
 */
class GraphBuilder {
  private readonly bySubject = new Map<string, Quad[]>();
  private readonly seen = new Set<string>();

  add(subject: NamedNode, predicate: NamedNode, object: Quad_Object): void {
    const key = `${subject.value} ${predicate.value} ${termKey(object)}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const list = this.bySubject.get(subject.value);
    const q = quad(subject, predicate, object);
    if (list) list.push(q);
    else this.bySubject.set(subject.value, [q]);
  }

  type(subject: NamedNode, ...classes: NamedNode[]): void {
    for (const c of classes) this.add(subject, rdf("type"), c);
  }

  /** One language-tagged literal per non-empty language; CPSV-AP asks rdf:langString for all text. */
  texts(subject: NamedNode, predicate: NamedNode, text: Texts | undefined): void {
    for (const [lang, value] of languages(text)) this.add(subject, predicate, literal(value, lang));
  }

  string(subject: NamedNode, predicate: NamedNode, value: string): void {
    this.add(subject, predicate, literal(value));
  }

  quads(): Quad[] {
    return [...this.bySubject.values()].flat();
  }
}

function termKey(term: Quad_Object): string {
  if (term.termType !== "Literal") return `${term.termType}:${term.value}`;
  const lit: Literal = term;
  return `"${lit.value}"@${lit.language}^^${lit.datatype.value}`;
}

/**
 * Non-empty texts as [language tag, text]. Tags are lower-cased: BCP 47 tags are
 * case-insensitive, and RDF tools (JSON-LD processors included) disagree on case otherwise.
 */
function languages(text: Texts | undefined): [string, string][] {
  if (!text) return [];
  return Object.entries(text)
    .map(([lang, value]): [string, string] => [lang.toLowerCase(), value.trim()])
    .filter(([, value]) => value.length > 0);
}

/**
 * The canonical xsd:double form (`5.8E2`), which JSON-LD processors also produce: writing it
 * this way keeps the Turtle and JSON-LD exports identical quad for quad.
 */
function xsdDouble(n: number): Literal {
  const canonical = n.toExponential(15).replace(/(\d)0*e\+?/, "$1E");
  return literal(canonical, xsd("double"));
}

/** `dct:modified`: a date stays a date; anything else parseable becomes a UTC dateTime. */
function modifiedLiteral(value: string): Literal | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return literal(value, xsd("date"));
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : literal(date.toISOString(), xsd("dateTime"));
}

/** URL-safe code for a free-text label such as a sector name ("Relaciones Exteriores" → "relaciones-exteriores"). */
function slugify(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Builds the export for one snapshot; holds the base URL and the shared, typed reference IRIs. */
class CpsvExport {
  readonly g = new GraphBuilder();

  constructor(private readonly baseUrl: string) {}

  institutionIri(acronym: string): NamedNode {
    return namedNode(`${this.baseUrl}/instituciones/${encodeURIComponent(acronym)}`);
  }

  lifeEventIri(slug: string): NamedNode {
    return namedNode(`${this.baseUrl}/momentos-de-vida/${slug}`);
  }

  procedureIri(homoclave: string): NamedNode {
    return namedNode(`${this.baseUrl}/tramites/${homoclave}`);
  }

  /** Mexico, typed so that `sh:class dct:Location` holds within the export itself. */
  mexico(): NamedNode {
    this.g.type(MEXICO, dct("Location"));
    return MEXICO;
  }

  currency(): NamedNode {
    this.g.type(MXN, skos("Concept"));
    return MXN;
  }

  spanish(): NamedNode {
    this.g.type(SPANISH, dct("LinguisticSystem"));
    return SPANISH;
  }

  /** A concept of a local vocabulary, with its scheme; written once however often it is used. */
  concept(vocabulary: Vocabulary, code: string, label?: Texts): NamedNode {
    const scheme = namedNode(`${this.baseUrl}/vocabularios/${vocabulary.path}`);
    const concept = namedNode(`${scheme.value}/${code}`);
    this.g.type(scheme, skos("ConceptScheme"));
    this.g.texts(scheme, dct("title"), vocabulary.title);
    this.g.type(concept, skos("Concept"));
    this.g.texts(concept, skos("prefLabel"), label ?? vocabulary.concepts[code]);
    this.g.add(concept, skos("inScheme"), scheme);
    return concept;
  }

  /** A temporal entity that only carries the opening hours as text (the catalogue keeps them free-form). */
  openingHours(iri: NamedNode, hours: string): NamedNode {
    this.g.type(iri, time("TemporalEntity"));
    this.g.texts(iri, dct("description"), { es: hours });
    return iri;
  }

  institution(inst: InstitutionInput): void {
    const { g } = this;
    const s = this.institutionIri(inst.acronym);
    // org:Organization because channels and costs point at it with cv:ownedBy / cv:isDefinedBy,
    // whose shapes ask for that class; foaf:Agent (with its required name and identifier) so
    // the export still conforms for consumers who infer the superclasses.
    g.type(s, cv("PublicOrganisation"), org("Organization"), foaf("Agent"));
    g.string(s, dct("identifier"), inst.acronym);
    g.texts(s, skos("prefLabel"), inst.name);
    g.texts(s, dct("title"), inst.name);
    // All of the catalogue's authorities are Mexican; state and municipal ones have no entry in
    // the EU tables, so the country is the most precise spatial value we can state.
    g.add(s, dct("spatial"), this.mexico());
    if (inst.website) g.add(s, foaf("homepage"), namedNode(inst.website));
    const contact = inst.contact;
    if (contact?.email || contact?.phone) {
      const cp = namedNode(`${s.value}#contacto`);
      g.type(cp, cv("ContactPoint"));
      if (contact.email) g.string(cp, cv("email"), contact.email);
      if (contact.phone) g.string(cp, cv("telephone"), contact.phone);
      g.add(s, cv("contactPoint"), cp);
    }
    if (contact?.address) {
      const address = namedNode(`${s.value}#domicilio`);
      g.type(address, locn("Address"));
      g.texts(address, locn("fullAddress"), { es: contact.address });
      g.add(s, locn("address"), address);
    }
  }

  lifeEvent(event: LifeEventInput): void {
    const { g } = this;
    const s = this.lifeEventIri(event.slug);
    // Typed as cv:Event too: the Event shape (title, identifier) applies through the subclass,
    // and a SHACL engine sees subclass facts only when they are in the data.
    g.type(s, cv("LifeEvent"), cv("Event"));
    g.string(s, dct("identifier"), event.slug);
    g.texts(s, dct("title"), event.name);
    g.texts(s, dct("description"), event.description);
  }

  procedure(p: ProcedureInput & { updatedAt?: string }, lifeEventSlugs: Set<string>, inst: InstitutionInput): void {
    const { g } = this;
    const s = this.procedureIri(p.homoclave);
    const authority = this.institutionIri(inst.acronym);
    const part = (fragment: string) => namedNode(`${s.value}#${fragment}`);
    const partId = (fragment: string) => `${p.homoclave}#${fragment}`;

    g.type(s, cpsv("PublicService"));
    g.string(s, dct("identifier"), p.homoclave);
    g.texts(s, dct("title"), p.citizenName);
    // The legal name is kept as an alternative title where it differs from the plain-language one.
    for (const [lang, value] of languages(p.officialName)) {
      if (value !== p.citizenName[lang]?.trim()) g.add(s, dct("alternative"), literal(value, lang));
    }
    g.texts(s, dct("description"), p.description);
    g.add(s, cv("hasCompetentAuthority"), authority);
    g.add(s, dct("spatial"), this.mexico());
    // dct:language is the language the service is delivered in; translations of our texts
    // (e.g. English) do not make the procedure itself available in that language.
    g.add(s, dct("language"), this.spanish());
    g.add(s, cv("isClassifiedBy"), this.concept(PROCEDURE_KINDS, p.kind));
    for (const audience of p.audience) {
      g.add(s, dct("audience"), this.concept(AUDIENCES, audience.replace("_", "-")));
    }
    g.add(s, cv("thematicArea"), this.concept(SECTORS, slugify(inst.sector) || "otro", { es: inst.sector }));
    for (const [lang, words] of Object.entries(p.keywords ?? {})) {
      for (const word of words) {
        if (word.trim()) g.add(s, dcat("keyword"), literal(word.trim(), lang.toLowerCase()));
      }
    }
    if (p.maxResolutionDays !== null) {
      // The catalogue counts business days (días hábiles); xsd:duration has no such unit, so the
      // number is written as days. This approximates: the calendar time is about 7/5 as long.
      g.add(s, cv("processingTime"), literal(`P${p.maxResolutionDays}D`, xsd("duration")));
    }
    if (p.updatedAt) {
      const modified = modifiedLiteral(p.updatedAt);
      if (modified) g.add(s, dct("modified"), modified);
    }

    p.requirements.forEach((req, i) => {
      const evidence = part(`requisito-${i + 1}`);
      this.requirement(evidence, partId(`requisito-${i + 1}`), req);
      g.add(s, cpsv("hasInput"), evidence);
    });

    if (p.whenApplies) {
      const req = part("cuando-aplica");
      g.type(req, cv("Requirement"));
      g.string(req, dct("identifier"), partId("cuando-aplica"));
      g.texts(req, dct("title"), { es: "Cuándo aplica", en: "When it applies" });
      g.texts(req, dct("description"), p.whenApplies);
      g.add(s, cv("holdsRequirement"), req);
    }

    const cost = part("costo");
    this.cost(cost, partId("costo"), p.cost, authority);
    g.add(s, cv("hasCost"), cost);

    for (const channel of this.channels(p, part, partId, authority)) g.add(s, cv("hasChannel"), channel);

    const legal = p.legalBasis.map((basis, i) => {
      const resource = part(`fundamento-${i + 1}`);
      g.type(resource, eli("LegalResource"));
      g.texts(resource, dct("title"), { es: `${basis.law}, ${basis.article}` });
      if (basis.url) {
        g.type(namedNode(basis.url), foaf("Document"));
        g.add(resource, foaf("page"), namedNode(basis.url));
      }
      g.add(s, cv("hasLegalResource"), resource);
      return resource;
    });

    // The steps are the procedure the service follows: one cpsv:Rule whose description is the
    // numbered list, linked to the legal basis it implements.
    if (p.steps.length > 0) {
      const rule = part("pasos");
      g.type(rule, cpsv("Rule"));
      g.string(rule, dct("identifier"), partId("pasos"));
      g.texts(
        rule,
        dct("title"),
        p.kind === "servicio"
          ? { es: "Pasos para obtener el servicio", en: "Steps to obtain the service" }
          : { es: "Pasos para realizar el trámite", en: "Steps to complete the procedure" },
      );
      g.texts(rule, dct("description"), numberedSteps(p.steps));
      for (const resource of legal) g.add(rule, cpsv("implements"), resource);
      g.add(s, cpsv("follows"), rule);
    }

    if (p.silenceRule !== "none") {
      const rule = part("silencio-administrativo");
      const text = SILENCE_RULES[p.silenceRule];
      g.type(rule, cpsv("Rule"));
      g.string(rule, dct("identifier"), partId("silencio-administrativo"));
      g.texts(rule, dct("title"), text.title);
      g.texts(rule, dct("description"), text.description);
      g.add(s, cpsv("follows"), rule);
    }

    if (p.result) {
      const output = part("resultado");
      g.type(output, cv("Output"));
      g.string(output, dct("identifier"), partId("resultado"));
      g.texts(output, dct("title"), p.result);
      if (p.validity) {
        const validity: Texts = { es: `Vigencia: ${p.validity.es}` };
        if (p.validity.en) validity.en = `Validity: ${p.validity.en}`;
        g.texts(output, dct("description"), validity);
      }
      g.add(s, cpsv("produces"), output);
    }

    for (const slug of p.lifeEvents) {
      // A life event missing from the snapshot would be an untyped target (a SHACL violation).
      if (!lifeEventSlugs.has(slug)) continue;
      const event = this.lifeEventIri(slug);
      g.add(s, cv("isGroupedBy"), event);
      g.add(event, cv("hasRelatedService"), s);
    }
  }

  /** A requirement is evidence the applicant brings; the original/copies/upload flags become text. */
  requirement(evidence: NamedNode, identifier: string, req: Requirement): void {
    const { g } = this;
    g.type(evidence, cv("Evidence"));
    g.string(evidence, dct("identifier"), identifier);
    g.texts(evidence, dct("title"), req.name);
    // The conditions are written in the two site languages; notes in any other language as they are.
    const description: Texts = { es: joinSentences([requirementConditions(req, "es"), req.notes?.es]) };
    if (req.name.en?.trim() || req.notes?.en?.trim()) {
      description.en = joinSentences([requirementConditions(req, "en"), req.notes?.en]);
    }
    for (const [lang, note] of languages(req.notes)) description[lang] ??= note;
    g.texts(evidence, dct("description"), description);
  }

  cost(s: NamedNode, identifier: string, cost: Cost, authority: NamedNode): void {
    const { g } = this;
    g.type(s, cv("Cost"));
    g.string(s, dct("identifier"), identifier);
    g.add(s, cv("isDefinedBy"), authority);
    g.add(s, cv("currency"), this.currency());
    switch (cost.type) {
      case "free":
        // Stated as a zero cost rather than left out, so "free" and "unknown" stay distinct.
        g.add(s, cv("hasValue"), xsdDouble(0));
        g.texts(s, dct("description"), { es: "Gratuito", en: "Free of charge" });
        break;
      case "fixed":
        g.add(s, cv("hasValue"), xsdDouble(cost.amountMxn));
        g.texts(s, dct("description"), cost.paymentPlaces);
        break;
      case "formula": {
        // No single value: the formula and where to pay go in the description, one text per language.
        const description: Texts = { es: "" };
        for (const [lang, text] of languages(cost.description)) description[lang] = text;
        for (const [lang, places] of languages(cost.paymentPlaces)) {
          description[lang] = joinParagraphs([description[lang], places]);
        }
        g.texts(s, dct("description"), description);
        break;
      }
    }
  }

  channels(
    p: ProcedureInput,
    part: (fragment: string) => NamedNode,
    partId: (fragment: string) => string,
    authority: NamedNode,
  ): NamedNode[] {
    const { g } = this;
    const out: NamedNode[] = [];
    const service = this.procedureIri(p.homoclave);
    const channel = (fragment: string, type: keyof typeof CHANNEL_TYPES.concepts): NamedNode => {
      const c = part(fragment);
      g.type(c, cv("Channel"));
      g.string(c, dct("identifier"), partId(fragment));
      g.add(c, dct("type"), this.concept(CHANNEL_TYPES, type));
      g.add(c, cv("ownedBy"), authority);
      out.push(c);
      return c;
    };

    if (p.channels.online) {
      const c = channel("canal-en-linea", "en-linea");
      g.add(c, foaf("page"), namedNode(p.channels.online.url));
    }

    (p.channels.inPerson ?? []).forEach((office, i) => {
      const fragment = `canal-presencial-${i + 1}`;
      const c = channel(fragment, "presencial");
      // Office names, addresses and hours are kept in Spanish only in the catalogue.
      const phone = office.phone ? `Tel. ${office.phone}` : undefined;
      g.texts(c, dct("description"), { es: joinSentences([office.name, office.address, phone].map(sentence)) });
      g.add(c, cv("openingHours"), this.openingHours(part(`${fragment}-horario`), office.hours));
      // CPSV-AP gives a channel no address; the Core Location property carries the office's one.
      const address = part(`${fragment}-domicilio`);
      g.type(address, locn("Address"));
      g.texts(address, locn("fullAddress"), { es: office.address });
      g.add(c, locn("address"), address);
    });

    (p.channels.phone ?? []).forEach((line, i) => {
      const fragment = `canal-telefono-${i + 1}`;
      const c = channel(fragment, "telefono");
      g.texts(c, dct("description"), { es: `Teléfono ${line.number}`, en: `Telephone ${line.number}` });
      const hours = line.hours ? this.openingHours(part(`${fragment}-horario`), line.hours) : undefined;
      if (hours) g.add(c, cv("openingHours"), hours);
      // The number itself is structured data only on a contact point (cv:telephone).
      const cp = part(`contacto-telefono-${i + 1}`);
      g.type(cp, cv("ContactPoint"));
      g.string(cp, cv("telephone"), line.number);
      if (hours) g.add(cp, cv("openingHours"), hours);
      g.add(service, cv("contactPoint"), cp);
    });
    return out;
  }
}

function requirementConditions(req: Requirement, lang: "es" | "en"): string {
  const copies =
    req.copies === 0
      ? ""
      : lang === "es"
        ? `${req.copies} ${req.copies === 1 ? "copia" : "copias"}`
        : `${req.copies} ${req.copies === 1 ? "copy" : "copies"}`;
  const parts: string[] = [];
  if (req.original && copies) parts.push(lang === "es" ? `Original y ${copies}.` : `Original and ${copies}.`);
  else if (req.original) parts.push(lang === "es" ? "Presentar el original." : "Bring the original.");
  else if (copies) parts.push(`${copies[0]?.toUpperCase()}${copies.slice(1)}.`);
  if (req.uploadable) parts.push(lang === "es" ? "Se puede subir en línea." : "Can be uploaded online.");
  return parts.join(" ");
}

/** Ends a fragment with a full stop unless it already ends with punctuation. */
const sentence = (text: string | undefined) => (text && !/[.!?]$/.test(text.trim()) ? `${text.trim()}.` : text);

const joinSentences = (parts: (string | undefined)[]) =>
  parts
    .map((x) => x?.trim())
    .filter(Boolean)
    .join(" ");

const joinParagraphs = (parts: (string | undefined)[]) =>
  parts
    .map((x) => x?.trim())
    .filter(Boolean)
    .join("\n\n");

/** Numbered steps per language, only for languages in which every step is written. */
function numberedSteps(steps: Texts[]): Texts {
  const out: Texts = { es: "" };
  const langs = new Set(steps.flatMap((step) => languages(step).map(([lang]) => lang)));
  for (const lang of langs) {
    const texts = steps.map((step) => languages(step).find(([l]) => l === lang)?.[1]);
    if (texts.every((t): t is string => t !== undefined)) {
      out[lang] = texts.map((t, i) => `${i + 1}. ${t}`).join("\n");
    }
  }
  return out;
}

/** The catalogue as CPSV-AP 3.2.0 quads: the one place where the mapping is decided. */
export function catalogueToQuads(s: CatalogueSnapshot): Quad[] {
  const baseUrl = s.baseUrl.replace(/\/+$/, "");
  const ex = new CpsvExport(baseUrl);
  const institutions = new Map(s.institutions.map((inst) => [inst.acronym, inst]));
  const lifeEventSlugs = new Set(s.lifeEvents.map((event) => event.slug));

  for (const inst of s.institutions) ex.institution(inst);
  for (const event of s.lifeEvents) ex.lifeEvent(event);
  for (const p of s.procedures) {
    const inst = institutions.get(p.institution);
    // The competent authority is mandatory in CPSV-AP; a snapshot without it is inconsistent
    // (the database enforces the reference), so fail loudly rather than export invalid data.
    if (!inst)
      throw new Error(`CPSV-AP export: procedure ${p.homoclave} refers to unknown institution ${p.institution}`);
    ex.procedure(p, lifeEventSlugs, inst);
  }
  return ex.g.quads();
}

/** The catalogue as Turtle, with readable prefixes. */
export function catalogueToTurtle(s: CatalogueSnapshot): Promise<string> {
  const writer = new Writer({ prefixes: { ...CPSV_PREFIXES } });
  writer.addQuads(catalogueToQuads(s));
  return new Promise((resolve, reject) => {
    writer.end((error: Error | null, result: string) => (error ? reject(error) : resolve(result)));
  });
}

type JsonLdValue =
  { "@id": string } | { "@value": string; "@language": string } | { "@value": string; "@type": string };

/** Shortens a vocabulary IRI with a context prefix (`cv:hasCost`); other IRIs stay whole. */
function compact(iri: string): string {
  for (const [prefix, namespace] of Object.entries(CPSV_PREFIXES)) {
    if (iri.startsWith(namespace) && iri.length > namespace.length) return `${prefix}:${iri.slice(namespace.length)}`;
  }
  return iri;
}

/**
 * The catalogue as JSON-LD: an inline context (prefixes only, so no context is ever fetched at
 * run time) and a flat `@graph` of nodes, written straight from the quads.
 */
export function catalogueToJsonLd(s: CatalogueSnapshot): object {
  const nodes = new Map<string, Record<string, string | string[] | (JsonLdValue | string)[]>>();
  const rdfType = CPSV_PREFIXES.rdf + "type";
  for (const q of catalogueToQuads(s)) {
    let node = nodes.get(q.subject.value);
    if (!node) {
      node = { "@id": q.subject.value };
      nodes.set(q.subject.value, node);
    }
    if (q.predicate.value === rdfType) {
      const types = (node["@type"] ??= []) as string[];
      types.push(compact(q.object.value));
      continue;
    }
    const key = compact(q.predicate.value);
    const values = (node[key] ??= []) as (JsonLdValue | string)[];
    const o = q.object;
    if (o.termType === "NamedNode") values.push({ "@id": o.value });
    else if (o.termType === "Literal" && o.language) values.push({ "@value": o.value, "@language": o.language });
    else if (o.termType === "Literal" && o.datatype.value === CPSV_PREFIXES.xsd + "string") values.push(o.value);
    else if (o.termType === "Literal") values.push({ "@value": o.value, "@type": compact(o.datatype.value) });
    else throw new Error(`CPSV-AP export: unexpected ${o.termType} object`);
  }
  return { "@context": { ...CPSV_PREFIXES }, "@graph": [...nodes.values()] };
}
