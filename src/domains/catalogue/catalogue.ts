/**
 * Use cases of the catalogue: import, search, read and export procedures,
 * institutions and life events. Plain async functions of (ctx, input).
 */
import { inTransaction, type Ctx } from "../../platform/context.js";
import { DomainError, type FieldIssue } from "../../platform/errors.js";
import { findMunicipalities } from "../geography/geography.js";
import * as q from "./queries.js";
import { IMPORT_FORMAT, type InstitutionInput, type LifeEventInput, type ProcedureInput } from "./schema.js";
import {
  applyCorrections,
  MAX_QUERY_LENGTH,
  normalize,
  parseQuery,
  prepareSynonyms,
  toStrictWebsearch,
  toWebsearch,
  tokenize,
  type SynonymGroups,
} from "./search.js";
import { checkInstitution, checkLifeEvent, checkProcedure } from "./validate.js";

export type { FacetCount, InstitutionRow, LifeEventRow, ProcedureRow, ProcedureSummary, SearchHit } from "./queries.js";

// ---------------------------------------------------------------- import

export interface ImportReport {
  written: boolean;
  institutions: { created: number; updated: number };
  lifeEvents: number;
  procedures: { created: number; updated: number };
  /** Records left out (with --partial) or that stopped the import. */
  errors: FieldIssue[];
  invalidRecords: number;
}

/** A record and where it came from, so errors can name the line. */
export interface SourcedRecord {
  value: unknown;
  line?: number | undefined;
}

export interface ImportInput {
  institutions?: SourcedRecord[];
  lifeEvents?: SourcedRecord[];
  procedures?: SourcedRecord[];
  partial?: boolean;
}

/** Reads a `ventanilla-catalogue/1` JSON document into sourced records. */
export function recordsFromJson(doc: unknown): ImportInput {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new DomainError("invalid", "The file must be a JSON object with a `format` field.");
  }
  const d = doc as Record<string, unknown>;
  if (d.format !== IMPORT_FORMAT) {
    throw new DomainError("invalid", `The file's "format" must be "${IMPORT_FORMAT}".`, [
      { field: "format", message: `must be "${IMPORT_FORMAT}"` },
    ]);
  }
  const known = new Set(["format", "institutions", "lifeEvents", "procedures"]);
  const unknown = Object.keys(d).filter((k) => !known.has(k));
  if (unknown.length) {
    throw new DomainError("invalid", `Unknown sections in the file: ${unknown.join(", ")}.`);
  }
  const section = (key: string): SourcedRecord[] | undefined => {
    const v = d[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v))
      throw new DomainError("invalid", `"${key}" must be a list.`, [{ field: key, message: "must be a list" }]);
    return v.map((value) => ({ value }));
  };
  return {
    institutions: section("institutions"),
    lifeEvents: section("lifeEvents"),
    procedures: section("procedures"),
  };
}

/**
 * Validates every record, then writes all of them in one transaction, or none when
 * any is invalid (with `partial`, writes the valid ones and lists the rest).
 * Re-importing the same records changes nothing (upsert by key).
 */
export async function importCatalogue(ctx: Ctx, input: ImportInput): Promise<ImportReport> {
  const errors: FieldIssue[] = [];
  const bad = new Set<string>();
  const note = (section: string, index: number, line: number | undefined, issues: FieldIssue[]) => {
    bad.add(`${section}:${index}`);
    for (const i of issues)
      errors.push({ ...i, field: `${section}[${index + 1}].${i.field}`, record: index + 1, line });
  };

  const institutions: InstitutionInput[] = [];
  for (const [i, r] of (input.institutions ?? []).entries()) {
    const c = checkInstitution(r.value);
    if (c.ok) institutions.push(c.value);
    else note("institutions", i, r.line, c.errors);
  }
  const lifeEvents: LifeEventInput[] = [];
  for (const [i, r] of (input.lifeEvents ?? []).entries()) {
    const c = checkLifeEvent(r.value);
    if (c.ok) lifeEvents.push(c.value);
    else note("lifeEvents", i, r.line, c.errors);
  }
  const procedures: { index: number; line?: number | undefined; value: ProcedureInput }[] = [];
  const seen = new Map<string, number>();
  for (const [i, r] of (input.procedures ?? []).entries()) {
    const c = checkProcedure(r.value);
    if (!c.ok) {
      note("procedures", i, r.line, c.errors);
      continue;
    }
    const first = seen.get(c.value.homoclave);
    if (first !== undefined) {
      note("procedures", i, r.line, [
        { field: "homoclave", message: `${c.value.homoclave} appears twice in the file (also record ${first + 1})` },
      ]);
      continue;
    }
    seen.set(c.value.homoclave, i);
    procedures.push({ index: i, line: r.line, value: c.value });
  }

  // References: institutions, life events and municipalities must exist (in the database or in this file).
  const acronyms = [...new Set(procedures.map((p) => p.value.institution))];
  const knownInstitutions = await q.institutionIdsByAcronym(ctx.db, acronyms);
  for (const inst of institutions) knownInstitutions.set(inst.acronym, -1);
  const slugs = [...new Set(procedures.flatMap((p) => p.value.lifeEvents))];
  const knownEvents = new Set((await q.lifeEventIdsBySlug(ctx.db, slugs)).keys());
  for (const e of lifeEvents) knownEvents.add(e.slug);
  const municipalityCodes = [
    ...new Set([
      ...procedures.flatMap((p) => (p.value.channels.inPerson ?? []).flatMap((o) => o.municipalityCode ?? [])),
      ...institutions.flatMap((i) => (i.jurisdiction.level === "municipal" ? [i.jurisdiction.municipalityCode] : [])),
    ]),
  ];
  const knownMunicipalities = new Set((await findMunicipalities(ctx, municipalityCodes)).map((m) => m.code));
  const validProcedures = procedures.filter((p) => {
    const issues: FieldIssue[] = [];
    if (!knownInstitutions.has(p.value.institution)) {
      issues.push({ field: "institution", message: `no institution with acronym ${p.value.institution}` });
    }
    for (const slug of p.value.lifeEvents) {
      if (!knownEvents.has(slug)) issues.push({ field: "lifeEvents", message: `no life event "${slug}"` });
    }
    for (const [k, o] of (p.value.channels.inPerson ?? []).entries()) {
      if (o.municipalityCode && !knownMunicipalities.has(o.municipalityCode)) {
        issues.push({
          field: `channels.inPerson.${k}.municipalityCode`,
          message: `no municipality ${o.municipalityCode}`,
        });
      }
    }
    if (issues.length) note("procedures", p.index, p.line, issues);
    return issues.length === 0;
  });
  const validInstitutions = institutions.filter((inst, i) => {
    const j = inst.jurisdiction;
    if (j.level === "municipal" && !knownMunicipalities.has(j.municipalityCode)) {
      note("institutions", i, input.institutions?.[i]?.line, [
        { field: "jurisdiction.municipalityCode", message: `no municipality ${j.municipalityCode}` },
      ]);
      return false;
    }
    return true;
  });

  const report: ImportReport = {
    written: false,
    institutions: { created: 0, updated: 0 },
    lifeEvents: 0,
    procedures: { created: 0, updated: 0 },
    errors: errors.slice(0, 1000),
    invalidRecords: bad.size,
  };
  if (bad.size > 0 && !input.partial) return report;

  await inTransaction(ctx, async ({ db: tx }) => {
    const existing = await q.institutionIdsByAcronym(
      tx,
      validInstitutions.map((i) => i.acronym),
    );
    for (const inst of validInstitutions) {
      await q.upsertInstitution(tx, inst);
      if (existing.has(inst.acronym)) report.institutions.updated++;
      else report.institutions.created++;
    }
    for (const e of lifeEvents) await q.upsertLifeEvent(tx, e);
    report.lifeEvents = lifeEvents.length;
    const instIds = await q.institutionIdsByAcronym(tx, acronyms);
    const eventIds = await q.lifeEventIdsBySlug(tx, slugs);
    const writes = validProcedures.map((p) => ({
      record: p.value,
      institutionId: instIds.get(p.value.institution)!,
      lifeEventIds: p.value.lifeEvents.map((s) => eventIds.get(s)!),
      search: searchDocument(
        p.value,
        validInstitutions.find((i) => i.acronym === p.value.institution),
      ),
    }));
    report.procedures = await q.upsertProcedures(tx, writes);
    await q.rebuildLexicon(tx);
  });
  report.written = true;
  // The known words (search_lexicon) may have changed.
  forgetTokenAnalysis();
  ctx.log.info({ report: { ...report, errors: report.errors.length } }, "catalogue import");
  return report;
}

const langsOf = (t: Record<string, string> | undefined, lang: string) => (t ? (t[lang] ?? "") : "");

/** The text the search index reads for a procedure, by weight. */
function searchDocument(p: ProcedureInput, institution?: InstitutionInput) {
  const es = (t: Record<string, string> | undefined) => langsOf(t, "es");
  const en = (t: Record<string, string> | undefined) => langsOf(t, "en");
  return {
    names: [es(p.citizenName), es(p.officialName)].join(" "),
    keywords: [...(p.keywords?.es ?? []), p.institution, institution ? es(institution.name) : ""].join(" "),
    body: [es(p.description), es(p.whenApplies), es(p.result)].join(" "),
    en: [
      en(p.citizenName),
      en(p.officialName),
      en(p.description),
      ...((p.keywords as Record<string, string[]> | undefined)?.en ?? []),
    ].join(" "),
  };
}

// ---------------------------------------------------------------- search

export interface SearchInput {
  q?: string | undefined;
  institutions?: string[];
  lifeEvents?: string[];
  kind?: "tramite" | "servicio" | undefined;
  audience?: "persona_fisica" | "persona_moral" | undefined;
  online?: boolean | undefined;
  free?: boolean | undefined;
  sort?: "relevance" | "name" | "updated" | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
  lang?: string;
  withFacets?: boolean;
}

export interface SearchResult {
  query: string;
  /** The query with typos corrected, when some word was unknown. */
  suggestion: string | null;
  hits: q.SearchHit[];
  total: number;
  page: number;
  pageSize: number;
  pages: number;
  facets: q.FacetCount[];
}

export const MAX_PAGE = 500;

let synonymCache: { at: number; db: unknown; groups: SynonymGroups } | null = null;
const SYNONYM_TTL_MS = 30_000;

/** Synonyms are data that staff edit; each process rereads them at most every 30 seconds. */
async function synonyms(ctx: Ctx): Promise<SynonymGroups> {
  const now = Date.now();
  if (synonymCache && synonymCache.db === ctx.db && now - synonymCache.at < SYNONYM_TTL_MS) return synonymCache.groups;
  const groups = prepareSynonyms(await q.listSynonymTerms(ctx.db));
  synonymCache = { at: now, db: ctx.db, groups };
  return groups;
}

export function forgetSynonyms(): void {
  synonymCache = null;
}

/**
 * Each word's stem and "did you mean" suggestion, remembered per process: people type the
 * same words over and over, and this saves a round trip per search. Forgotten when the
 * catalogue changes here, and after 30 seconds (for changes made by other processes).
 */
const tokenCache = new Map<string, { at: number; stem: string; suggestion: string | null }>();
let tokenCacheDb: unknown = null;
const TOKEN_CACHE_MAX = 20_000;

async function analyzeTokens(ctx: Ctx, tokens: string[]) {
  if (tokenCacheDb !== ctx.db) {
    tokenCache.clear();
    tokenCacheDb = ctx.db;
  }
  const now = Date.now();
  const stale = [...new Set(tokens)].filter((t) => {
    const hit = tokenCache.get(t);
    return !hit || now - hit.at >= SYNONYM_TTL_MS;
  });
  if (stale.length) {
    for (const r of await q.analyzeTokens(ctx.db, stale)) {
      tokenCache.delete(r.token);
      tokenCache.set(r.token, { at: now, stem: r.stem, suggestion: r.suggestion });
    }
    // Oldest first, as a Map keeps insertion order.
    for (const key of tokenCache.keys()) {
      if (tokenCache.size <= TOKEN_CACHE_MAX) break;
      tokenCache.delete(key);
    }
  }
  return tokens.map((token) => ({ token, ...tokenCache.get(token)! }));
}

function forgetTokenAnalysis(): void {
  tokenCache.clear();
}

export async function searchProcedures(ctx: Ctx, input: SearchInput): Promise<SearchResult> {
  const text = (input.q ?? "").trim();
  if (text.length > MAX_QUERY_LENGTH) {
    throw new DomainError(
      "invalid",
      {
        es: `La búsqueda es demasiado larga: escribe como máximo ${MAX_QUERY_LENGTH} caracteres.`,
        en: `The search is too long: use at most ${MAX_QUERY_LENGTH} characters.`,
      },
      [{ field: "q", message: `at most ${MAX_QUERY_LENGTH} characters` }],
    );
  }
  const page = input.page ?? 1;
  const pageSize = input.pageSize ?? 20;
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) {
    throw new DomainError(
      "invalid",
      {
        es: `La página debe ser un número entero del 1 al ${MAX_PAGE}.`,
        en: `The page must be a whole number from 1 to ${MAX_PAGE}.`,
      },
      [{ field: "page", message: `from 1 to ${MAX_PAGE}` }],
    );
  }
  const groups = await synonyms(ctx);
  const tokens = tokenize(text);
  const analysis = await analyzeTokens(ctx, tokens);
  const parsed = parseQuery(
    tokens,
    analysis.map((a) => a.stem),
    groups,
  );
  const fixes = new Map(analysis.filter((a) => a.suggestion).map((a) => [a.token, a.suggestion!]));
  const corrected = applyCorrections(parsed.tokens, fixes);
  const alternatives = [...parsed.alternatives];
  if (fixes.size) {
    // The corrected words join the query as alternatives, with their own synonyms.
    const again = parseQuery(corrected, corrected, groups);
    for (const t of [...fixes.values()]) alternatives.push([t]);
    alternatives.push(...again.alternatives);
  }
  const spec: q.SearchSpec = {
    websearch: toStrictWebsearch(parsed.tokens, alternatives),
    plain: corrected.join(" "),
    filters: {
      institutions: input.institutions ?? [],
      lifeEvents: input.lifeEvents ?? [],
      kind: input.kind,
      audience: input.audience,
      online: input.online,
      free: input.free,
    },
    sort: input.sort ?? "relevance",
    lang: input.lang ?? "es",
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
  let found = await q.search(ctx.db, spec);
  if (found.total === 0 && parsed.tokens.length > 1) {
    // Nothing has every word: any of them will do, ranked by how many and where they appear.
    spec.websearch = toWebsearch(parsed.tokens, alternatives);
    found = await q.search(ctx.db, spec);
  }
  const { hits, total } = found;
  const facetCounts = input.withFacets ? await q.facets(ctx.db, spec) : [];
  return {
    query: text,
    suggestion: fixes.size ? corrected.join(" ") : null,
    hits,
    total,
    page,
    pageSize,
    pages: Math.max(1, Math.ceil(total / pageSize)),
    facets: facetCounts,
  };
}

/** Suggestions while typing: procedures whose words start with what was typed. */
export async function suggestProcedures(ctx: Ctx, text: string, lang: string, limit = 8) {
  if (text.length > MAX_QUERY_LENGTH) {
    throw new DomainError("invalid", {
      es: `La búsqueda es demasiado larga: escribe como máximo ${MAX_QUERY_LENGTH} caracteres.`,
      en: `The search is too long: use at most ${MAX_QUERY_LENGTH} characters.`,
    });
  }
  const tokens = tokenize(text);
  if (!tokens.length) return [];
  // Only letters and digits remain, so the words can be written into a tsquery safely.
  const prefix = tokens.map((t, i) => (i === tokens.length - 1 ? `${t}:*` : t)).join(" & ");
  return q.suggest(ctx.db, prefix, normalize(tokens.join(" ")), lang, limit);
}

// ---------------------------------------------------------------- reads

export async function getPublishedProcedure(ctx: Ctx, homoclave: string): Promise<q.ProcedureRow> {
  const p = await q.getProcedure(ctx.db, homoclave.toUpperCase());
  if (!p || p.status !== "published")
    throw new DomainError("not_found", {
      es: `No hay ningún trámite con la homoclave ${homoclave}.`,
      en: `There is no procedure with the key ${homoclave}.`,
    });
  return p;
}

export async function getInstitution(ctx: Ctx, acronym: string): Promise<q.InstitutionRow> {
  const i = await q.getInstitution(ctx.db, acronym.toUpperCase());
  if (!i)
    throw new DomainError("not_found", {
      es: `No hay ninguna institución ${acronym}.`,
      en: `There is no institution ${acronym}.`,
    });
  return i;
}

export async function getLifeEvent(ctx: Ctx, slug: string): Promise<q.LifeEventRow> {
  const e = await q.getLifeEvent(ctx.db, slug);
  if (!e)
    throw new DomainError("not_found", {
      es: `No existe el momento de vida «${slug}».`,
      en: `There is no life event "${slug}".`,
    });
  return e;
}

export const listInstitutions = (ctx: Ctx) => q.listInstitutions(ctx.db);
export const proceduresOfInstitution = (ctx: Ctx, acronym: string) => q.listByInstitution(ctx.db, acronym);
export const proceduresOfLifeEvent = (ctx: Ctx, slug: string) => q.listByLifeEvent(ctx.db, slug);
export const listLifeEvents = (ctx: Ctx) => q.listLifeEvents(ctx.db);
export const mostUsedProcedures = (ctx: Ctx, limit = 8) => q.mostUsed(ctx.db, limit);
export const sitemapEntries = (ctx: Ctx) => q.sitemapEntries(ctx.db);
export const countProcedures = (ctx: Ctx) => q.countProcedures(ctx.db);
export const toInstitutionInput = q.toInstitutionInput;

/** The whole published catalogue as records, for the CPSV-AP and other exports. */
export async function catalogueSnapshot(ctx: Ctx) {
  const procedures: (ProcedureInput & { updatedAt?: string })[] = [];
  let after = "";
  for (;;) {
    const page = await q.publishedRecords(ctx.db, after, 1000);
    if (!page.length) break;
    for (const r of page) procedures.push({ ...r.record, updatedAt: r.updatedAt });
    after = page.at(-1)!.record.homoclave;
  }
  return {
    baseUrl: ctx.config.PUBLIC_URL,
    institutions: await q.institutionRecords(ctx.db),
    lifeEvents: await q.lifeEventRecords(ctx.db),
    procedures,
  };
}

// ---------------------------------------------------------------- synonyms

export const listSynonyms = (ctx: Ctx) => q.listSynonyms(ctx.db);

export async function addSynonyms(ctx: Ctx, terms: string[]): Promise<number> {
  const clean = [...new Set(terms.map((t) => normalize(t).replace(/\s+/g, " ").trim()).filter(Boolean))];
  if (clean.length < 2) throw new DomainError("invalid", "A synonym group needs at least two different terms.");
  const id = await ctx.db.transaction().execute(async (tx) => {
    const newId = await q.addSynonymGroup(tx, clean);
    await q.rebuildLexicon(tx);
    return newId;
  });
  forgetSynonyms();
  return id;
}

export async function removeSynonyms(ctx: Ctx, id: number): Promise<void> {
  if (!(await q.deleteSynonymGroup(ctx.db, id))) throw new DomainError("not_found", `There is no synonym group ${id}.`);
  forgetSynonyms();
}

export async function replaceAllSynonyms(ctx: Ctx, groups: string[][]): Promise<void> {
  const clean = groups
    .map((g) => [...new Set(g.map((t) => normalize(t).replace(/\s+/g, " ").trim()).filter(Boolean))])
    .filter((g) => g.length >= 2);
  await ctx.db.transaction().execute(async (tx) => {
    await q.replaceSynonyms(tx, clean);
    await q.rebuildLexicon(tx);
  });
  forgetSynonyms();
}

export async function isEmpty(ctx: Ctx): Promise<boolean> {
  return (await q.countInstitutions(ctx.db)) === 0;
}
