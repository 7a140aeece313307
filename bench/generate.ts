/**
 * A synthetic but realistic catalogue for the benchmarks: procedures whose names,
 * descriptions and keywords recombine the phrases of the demo seed files
 * (seed/catalogue/procedures/*.json), spread over ~40 institutions and the life
 * events of seed/catalogue/life-events.json. Deterministic for a given seed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { InstitutionInput, LifeEventInput, ProcedureInput } from "../src/domains/catalogue/schema.js";

export const ROOT = new URL("../", import.meta.url).pathname;
const SEED_DIR = join(ROOT, "seed");

export interface SeedData {
  institutions: InstitutionInput[];
  procedures: ProcedureInput[];
  lifeEvents: LifeEventInput[];
  states: { code: string; name: string; abbreviation: string }[];
}

interface CatalogueFile {
  institutions?: InstitutionInput[];
  procedures?: ProcedureInput[];
  lifeEvents?: LifeEventInput[];
}

const readJson = (path: string): CatalogueFile => JSON.parse(readFileSync(path, "utf8")) as CatalogueFile;

/** The demo seed files as they are now (other people keep adding to them). */
export function readSeed(): SeedData {
  const dir = join(SEED_DIR, "catalogue/procedures");
  const institutions: InstitutionInput[] = [];
  const procedures: ProcedureInput[] = [];
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const doc = readJson(join(dir, f));
    institutions.push(...(doc.institutions ?? []));
    procedures.push(...(doc.procedures ?? []));
  }
  const lifeEvents = readJson(join(SEED_DIR, "catalogue/life-events.json")).lifeEvents ?? [];
  const states = readFileSync(join(SEED_DIR, "geo/states.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [code = "", name = "", abbreviation = ""] = line.split(",");
      return { code, name, abbreviation };
    });
  if (!procedures.length)
    throw new Error("No demo procedures in seed/catalogue/procedures: nothing to build a vocabulary from.");
  return { institutions, procedures, lifeEvents, states };
}

/** mulberry32: a small, fast, seedable PRNG, so every run loads the same catalogue. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = InstitutionInput["kind"];
/** Real federal institutions, to complete ~40 issuers alongside the seed's and a few state governments. */
const FEDERAL: [acronym: string, es: string, en: string, kind: Kind, sector: string][] = [
  ["IMSS", "Instituto Mexicano del Seguro Social", "Mexican Social Security Institute", "decentralised_body", "Salud"],
  [
    "ISSSTE",
    "Instituto de Seguridad y Servicios Sociales de los Trabajadores del Estado",
    "Social Security Institute for State Workers",
    "decentralised_body",
    "Salud",
  ],
  [
    "SAT",
    "Servicio de Administración Tributaria",
    "Tax Administration Service",
    "deconcentrated_body",
    "Hacienda y Crédito Público",
  ],
  ["SHCP", "Secretaría de Hacienda y Crédito Público", "Ministry of Finance", "ministry", "Hacienda y Crédito Público"],
  [
    "SICT",
    "Secretaría de Infraestructura, Comunicaciones y Transportes",
    "Ministry of Infrastructure, Communications and Transport",
    "ministry",
    "Comunicaciones y Transportes",
  ],
  ["STPS", "Secretaría del Trabajo y Previsión Social", "Ministry of Labour", "ministry", "Trabajo y Previsión Social"],
  ["SE", "Secretaría de Economía", "Ministry of Economy", "ministry", "Economía"],
  ["SADER", "Secretaría de Agricultura y Desarrollo Rural", "Ministry of Agriculture", "ministry", "Agricultura"],
  [
    "SEMARNAT",
    "Secretaría de Medio Ambiente y Recursos Naturales",
    "Ministry of Environment",
    "ministry",
    "Medio Ambiente",
  ],
  ["CONAGUA", "Comisión Nacional del Agua", "National Water Commission", "deconcentrated_body", "Medio Ambiente"],
  [
    "INFONAVIT",
    "Instituto del Fondo Nacional de la Vivienda para los Trabajadores",
    "National Workers' Housing Fund",
    "decentralised_body",
    "Vivienda",
  ],
  ["FOVISSSTE", "Fondo de la Vivienda del ISSSTE", "ISSSTE Housing Fund", "deconcentrated_body", "Vivienda"],
  [
    "PROFECO",
    "Procuraduría Federal del Consumidor",
    "Federal Consumer Protection Agency",
    "decentralised_body",
    "Economía",
  ],
  [
    "CONDUSEF",
    "Comisión Nacional para la Protección y Defensa de los Usuarios de Servicios Financieros",
    "Financial Services Users Protection Commission",
    "decentralised_body",
    "Hacienda y Crédito Público",
  ],
  ["INM", "Instituto Nacional de Migración", "National Migration Institute", "deconcentrated_body", "Gobernación"],
  [
    "COFEPRIS",
    "Comisión Federal para la Protección contra Riesgos Sanitarios",
    "Federal Commission for Protection against Health Risks",
    "deconcentrated_body",
    "Salud",
  ],
  [
    "IMPI",
    "Instituto Mexicano de la Propiedad Industrial",
    "Mexican Institute of Industrial Property",
    "decentralised_body",
    "Economía",
  ],
  [
    "INDAUTOR",
    "Instituto Nacional del Derecho de Autor",
    "National Copyright Institute",
    "deconcentrated_body",
    "Cultura",
  ],
  ["SECTUR", "Secretaría de Turismo", "Ministry of Tourism", "ministry", "Turismo"],
  ["CULTURA", "Secretaría de Cultura", "Ministry of Culture", "ministry", "Cultura"],
  [
    "INAH",
    "Instituto Nacional de Antropología e Historia",
    "National Institute of Anthropology and History",
    "decentralised_body",
    "Cultura",
  ],
  [
    "SEDATU",
    "Secretaría de Desarrollo Agrario, Territorial y Urbano",
    "Ministry of Agrarian, Land and Urban Development",
    "ministry",
    "Desarrollo Agrario",
  ],
  ["RAN", "Registro Agrario Nacional", "National Agrarian Registry", "deconcentrated_body", "Desarrollo Agrario"],
  [
    "FGR",
    "Fiscalía General de la República",
    "Attorney General's Office",
    "autonomous_body",
    "Procuración de Justicia",
  ],
  ["SEMAR", "Secretaría de Marina", "Ministry of the Navy", "ministry", "Marina"],
  ["SENER", "Secretaría de Energía", "Ministry of Energy", "ministry", "Energía"],
  [
    "INAPAM",
    "Instituto Nacional de las Personas Adultas Mayores",
    "National Institute for Older Adults",
    "decentralised_body",
    "Bienestar",
  ],
  [
    "SNDIF",
    "Sistema Nacional para el Desarrollo Integral de la Familia",
    "National System for Family Development",
    "decentralised_body",
    "Salud",
  ],
  [
    "INEGI",
    "Instituto Nacional de Estadística y Geografía",
    "National Institute of Statistics and Geography",
    "autonomous_body",
    "Estadística",
  ],
  [
    "CONAPESCA",
    "Comisión Nacional de Acuacultura y Pesca",
    "National Aquaculture and Fisheries Commission",
    "deconcentrated_body",
    "Agricultura",
  ],
  [
    "SENASICA",
    "Servicio Nacional de Sanidad, Inocuidad y Calidad Agroalimentaria",
    "National Agrifood Health, Safety and Quality Service",
    "deconcentrated_body",
    "Agricultura",
  ],
  [
    "ANAM",
    "Agencia Nacional de Aduanas de México",
    "National Customs Agency of Mexico",
    "deconcentrated_body",
    "Hacienda y Crédito Público",
  ],
];
const STATE_GOVERNMENTS = ["JAL", "NL", "PUE", "VER", "GTO", "YUC", "CHIS", "OAX"];

/** ~`count` institutions: the seed's own, then real federal ones, then a few state governments. */
export function benchInstitutions(seed: SeedData, count = 40): InstitutionInput[] {
  const out: InstitutionInput[] = [];
  const seen = new Set<string>();
  const add = (i: InstitutionInput) => {
    if (seen.has(i.acronym) || out.length >= count) return;
    seen.add(i.acronym);
    out.push({ ...i, demo: false });
  };
  for (const i of seed.institutions) add(i);
  const federalSlots = count - STATE_GOVERNMENTS.length;
  for (const [acronym, es, en, kind, sector] of FEDERAL) {
    if (out.length >= federalSlots) break;
    add({
      acronym,
      name: { es, en },
      kind,
      sector,
      jurisdiction: { level: "federal" },
      website: `https://www.gob.mx/${acronym.toLowerCase()}`,
    });
  }
  for (const abbreviation of STATE_GOVERNMENTS) {
    const state = seed.states.find((s) => s.abbreviation === abbreviation);
    if (!state) continue;
    const name = state.name;
    add({
      acronym: `GOB-${abbreviation}`,
      name: { es: `Gobierno del Estado de ${name}`, en: `Government of ${name}` },
      kind: "state_government",
      sector: "Gobierno estatal",
      jurisdiction: { level: "state", stateCode: state.code },
    });
  }
  return out;
}

/** Qualifiers that real catalogues add to the same procedure in its variants. */
const QUALIFIERS = [
  "por primera vez",
  "en el extranjero",
  "para menores de edad",
  "para personas adultas mayores",
  "en línea",
  "de forma presencial",
  "para personas morales",
  "por reposición",
  "por cambio de domicilio",
  "para trabajadores del campo",
  "en zonas rurales",
  "para personas con discapacidad",
  "con cita",
  "sin cita",
  "para empresas",
  "para estudiantes",
];

const splitFirst = (s: string): [string, string] => {
  const i = s.indexOf(" ");
  return i < 0 ? [s, ""] : [s.slice(0, i), s.slice(i + 1)];
};
const sentences = (s: string | undefined) => (s ? s.split(/(?<=[.;])\s+/).filter((x) => x.length > 10) : []);
const cap = (s: string, max: number) => (s.length <= max ? s : s.slice(0, s.lastIndexOf(" ", max - 1)));

/** What one seed procedure contributes to the vocabulary. */
interface Source {
  record: ProcedureInput;
  actions: string;
  object: string;
  officialHead: string;
  officialRest: string;
  sentences: string[];
  keywords: string[];
}

export interface Generator {
  institutions: InstitutionInput[];
  /** The next procedure (homoclaves are unique within one generator). */
  next(): ProcedureInput;
}

export function procedureGenerator(seed: SeedData, institutions: InstitutionInput[], randomSeed = 20260601): Generator {
  const random = prng(randomSeed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const chance = (p: number) => random() < p;
  const knownEvents = new Set(seed.lifeEvents.map((e) => e.slug));
  const sources: Source[] = seed.procedures.map((p) => {
    const [actions, object] = splitFirst(p.citizenName.es);
    const [officialHead, officialRest] = splitFirst(p.officialName.es);
    return {
      record: p,
      actions,
      object,
      officialHead,
      officialRest,
      sentences: sentences(p.description.es),
      keywords: p.keywords?.es ?? [],
    };
  });
  const allSentences = sources.flatMap((s) => s.sentences);
  const allKeywords = sources.flatMap((s) => s.keywords);
  const whenApplies = seed.procedures.flatMap((p) => (p.whenApplies ? [p.whenApplies] : []));
  const results = seed.procedures.flatMap((p) => (p.result ? [p.result] : []));
  const byAcronym = new Map(institutions.map((i) => [i.acronym, i]));
  const stateNames = seed.states.map((s) => s.name);
  const counters = new Map<string, number>();

  const next = (): ProcedureInput => {
    const base = pick(sources);
    const other = pick(sources);
    const inst =
      chance(0.5) && byAcronym.has(base.record.institution)
        ? byAcronym.get(base.record.institution)!
        : pick(institutions);
    const n = (counters.get(inst.acronym) ?? 0) + 1;
    counters.set(inst.acronym, n);
    const homoclave = `${inst.acronym}-${String((n % 9) + 1).padStart(2, "0")}-${String(n).padStart(5, "0")}`;

    const qualifier = chance(0.35)
      ? ` ${pick(QUALIFIERS)}`
      : chance(0.25)
        ? ` en ${inst.jurisdiction.level === "state" ? inst.name.es.replace("Gobierno del Estado de ", "") : pick(stateNames)}`
        : "";
    const citizen = `${(chance(0.6) ? base : other).actions} ${(chance(0.7) ? base : other).object}${qualifier}`;
    const official = `${(chance(0.6) ? base : other).officialHead} ${(chance(0.7) ? base : other).officialRest}${qualifier}`;
    const description = [
      ...(base.sentences.length && chance(0.8) ? [pick(base.sentences)] : [pick(allSentences)]),
      ...Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
        chance(0.5) && base.sentences.length ? pick(base.sentences) : pick(allSentences),
      ),
    ];
    const keywords = [
      ...new Set([
        ...base.keywords.filter(() => chance(0.6)),
        ...Array.from({ length: Math.floor(random() * 3) }, () => pick(allKeywords)),
      ]),
    ];
    const events = [
      ...new Set([...base.record.lifeEvents, ...(chance(0.2) ? other.record.lifeEvents.slice(0, 1) : [])]),
    ].filter((e) => knownEvents.has(e));
    const online = chance(0.15) ? !base.record.channels.online : Boolean(base.record.channels.online);
    const channels: ProcedureInput["channels"] = { ...base.record.channels };
    if (online)
      channels.online = base.record.channels.online ?? {
        url: `https://www.gob.mx/tramites/${homoclave.toLowerCase()}`,
      };
    else if (base.record.channels.inPerson?.length) delete channels.online;
    const day = Math.floor(random() * 900);
    const lastReviewed = new Date(Date.UTC(2024, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);

    return {
      ...base.record,
      homoclave,
      institution: inst.acronym,
      status: "published",
      kind: chance(0.9) ? base.record.kind : base.record.kind === "tramite" ? "servicio" : "tramite",
      citizenName: { ...base.record.citizenName, es: cap(citizen, 200) },
      officialName: { ...base.record.officialName, es: cap(official, 500) },
      description: { ...base.record.description, es: cap(description.join(" "), 4000) },
      ...(chance(0.7) ? {} : { whenApplies: pick(whenApplies) }),
      ...(chance(0.7) ? {} : { result: pick(results) }),
      channels,
      lifeEvents: events,
      keywords: { ...base.record.keywords, es: keywords.length ? keywords : base.keywords.slice(0, 1) },
      // Long-tailed popularity, like yearly requests: most procedures are rare, a few are huge.
      popularity: Math.floor(10 ** (random() * 6.3)) - 1,
      lastReviewed,
      demo: false,
    };
  };
  return { institutions, next };
}

const inLang = (t: Record<string, string> | undefined, lang: string) => (t ? (t[lang] ?? "") : "");

/**
 * The search documents of a procedure: the same text catalogue.ts's searchDocument()
 * gives upsertProcedures (names, keywords with the institution, body, English).
 */
export function searchDocument(p: ProcedureInput, institution: InstitutionInput | undefined) {
  const es = (t: Record<string, string> | undefined) => inLang(t, "es");
  const en = (t: Record<string, string> | undefined) => inLang(t, "en");
  return {
    names: [es(p.citizenName), es(p.officialName)].join(" "),
    keywords: [...(p.keywords?.es ?? []), p.institution, institution ? es(institution.name) : ""].join(" "),
    body: [es(p.description), es(p.whenApplies), es(p.result)].join(" "),
    en: [en(p.citizenName), en(p.officialName), en(p.description), ...(p.keywords?.en ?? [])].join(" "),
  };
}
