/** All SQL of the catalogue domain. Nothing else touches these tables. */
import { sql, type RawBuilder } from "kysely";
import type { Db } from "../../platform/db/index.js";
import type { InstitutionInput, LifeEventInput, LocalizedText, ProcedureInput, ProcedureStatus } from "./schema.js";

export interface InstitutionRow {
  id: number;
  acronym: string;
  name: LocalizedText;
  kind: InstitutionInput["kind"];
  sector: string;
  ramo: string | null;
  jurisdictionLevel: "federal" | "state" | "municipal";
  stateCode: string | null;
  municipalityCode: string | null;
  website: string | null;
  contact: NonNullable<InstitutionInput["contact"]>;
  demo: boolean;
  updatedAt: string;
  procedureCount: number;
}

export interface LifeEventRow {
  id: number;
  slug: string;
  name: LocalizedText;
  description: LocalizedText;
  sortOrder: number;
  procedureCount: number;
}

export interface ProcedureSummary {
  homoclave: string;
  kind: "tramite" | "servicio";
  citizenName: LocalizedText;
  officialName: LocalizedText;
  description: LocalizedText;
  institutionAcronym: string;
  institutionName: LocalizedText;
  isOnline: boolean;
  isFree: boolean;
  audience: string[];
  lastReviewed: string;
  updatedAt: string;
}

export interface ProcedureRow extends ProcedureSummary {
  id: number;
  status: ProcedureStatus;
  record: ProcedureInput;
  popularity: number;
}

const summaryColumns = sql`p.homoclave, p.kind, p.citizen_name as "citizenName", p.official_name as "officialName",
  p.description, i.acronym as "institutionAcronym", i.name as "institutionName", p.is_online as "isOnline",
  p.is_free as "isFree", p.audience, p.last_reviewed::text as "lastReviewed",
  to_char(p.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "updatedAt"`;

// ---------------------------------------------------------------- writes

export async function upsertInstitution(db: Db, r: InstitutionInput): Promise<number> {
  const j = r.jurisdiction;
  const res = await sql<{ id: number }>`insert into institutions
      (acronym, name, kind, sector, ramo, jurisdiction_level, state_code, municipality_code, website, contact, demo)
    values (${r.acronym}, ${JSON.stringify(r.name)}::jsonb, ${r.kind}, ${r.sector}, ${r.ramo ?? null}, ${j.level},
      ${j.level === "state" ? j.stateCode : j.level === "municipal" ? j.municipalityCode.slice(0, 2) : null},
      ${j.level === "municipal" ? j.municipalityCode : null}, ${r.website ?? null},
      ${JSON.stringify(r.contact ?? {})}::jsonb, ${r.demo ?? false})
    on conflict (acronym) do update set name = excluded.name, kind = excluded.kind, sector = excluded.sector,
      ramo = excluded.ramo, jurisdiction_level = excluded.jurisdiction_level, state_code = excluded.state_code,
      municipality_code = excluded.municipality_code, website = excluded.website, contact = excluded.contact,
      demo = excluded.demo, updated_at = now()
    returning id`.execute(db);
  return res.rows[0]!.id;
}

export async function upsertLifeEvent(db: Db, r: LifeEventInput): Promise<void> {
  await sql`insert into life_events (slug, name, description, sort_order, demo)
    values (${r.slug}, ${JSON.stringify(r.name)}::jsonb, ${JSON.stringify(r.description)}::jsonb, ${r.order ?? 0},
      ${r.demo ?? false})
    on conflict (slug) do update set name = excluded.name, description = excluded.description,
      sort_order = excluded.sort_order, demo = excluded.demo`.execute(db);
}

export async function institutionIdsByAcronym(db: Db, acronyms: string[]): Promise<Map<string, number>> {
  const r = await sql<{ id: number; acronym: string }>`select id, acronym from institutions
    where acronym = any(${acronyms}::text[])`.execute(db);
  return new Map(r.rows.map((x) => [x.acronym, x.id]));
}

export async function lifeEventIdsBySlug(db: Db, slugs: string[]): Promise<Map<string, number>> {
  const r = await sql<{ id: number; slug: string }>`select id, slug from life_events
    where slug = any(${slugs}::text[])`.execute(db);
  return new Map(r.rows.map((x) => [x.slug, x.id]));
}

export interface ProcedureWrite {
  record: ProcedureInput;
  institutionId: number;
  lifeEventIds: number[];
  search: { names: string; keywords: string; body: string; en: string };
}

/** Inserts or updates procedures by homoclave, 500 per statement; returns how many were new. */
export async function upsertProcedures(db: Db, rows: ProcedureWrite[]): Promise<{ created: number; updated: number }> {
  let created = 0;
  for (let i = 0; i < rows.length; i += 500) created += await upsertChunk(db, rows.slice(i, i + 500));
  return { created, updated: rows.length - created };
}

async function upsertChunk(db: Db, rows: ProcedureWrite[]): Promise<number> {
  const data = rows.map(({ record: r, institutionId, search }) => ({
    homoclave: r.homoclave,
    institution_id: institutionId,
    kind: r.kind,
    status: r.status ?? "published",
    audience: r.audience,
    citizen_name: r.citizenName,
    official_name: r.officialName,
    description: r.description,
    record: r,
    is_online: Boolean(r.channels.online),
    is_free: r.cost.type === "free",
    max_resolution_days: r.maxResolutionDays,
    silence_rule: r.silenceRule,
    popularity: r.popularity ?? 0,
    last_reviewed: r.lastReviewed,
    demo: r.demo ?? false,
    search_names: search.names,
    search_keywords: search.keywords,
    search_body: search.body,
    search_en: search.en,
  }));
  const res = await sql<{ id: number; homoclave: string; inserted: boolean }>`insert into procedures
      (homoclave, institution_id, kind, status, audience, citizen_name, official_name, description, record, is_online,
       is_free, max_resolution_days, silence_rule, popularity, last_reviewed, demo,
       search_names, search_keywords, search_body, search_en)
    select r.homoclave, r.institution_id, r.kind, r.status, array(select jsonb_array_elements_text(r.audience)),
      r.citizen_name, r.official_name, r.description, r.record, r.is_online, r.is_free, r.max_resolution_days,
      r.silence_rule, r.popularity, r.last_reviewed, r.demo, r.search_names, r.search_keywords, r.search_body, r.search_en
    from jsonb_to_recordset(${JSON.stringify(data)}::jsonb) as r(homoclave text, institution_id bigint, kind text,
      status text, audience jsonb, citizen_name jsonb, official_name jsonb, description jsonb, record jsonb,
      is_online boolean, is_free boolean, max_resolution_days integer, silence_rule text, popularity integer,
      last_reviewed date, demo boolean, search_names text, search_keywords text, search_body text, search_en text)
    on conflict (homoclave) do update set institution_id = excluded.institution_id, kind = excluded.kind,
      status = excluded.status, audience = excluded.audience, citizen_name = excluded.citizen_name,
      official_name = excluded.official_name, description = excluded.description, record = excluded.record,
      is_online = excluded.is_online, is_free = excluded.is_free, max_resolution_days = excluded.max_resolution_days,
      silence_rule = excluded.silence_rule, popularity = excluded.popularity, last_reviewed = excluded.last_reviewed,
      demo = excluded.demo, search_names = excluded.search_names, search_keywords = excluded.search_keywords,
      search_body = excluded.search_body, search_en = excluded.search_en,
      updated_at = case when procedures.record is distinct from excluded.record then now() else procedures.updated_at end
    returning id, homoclave, (xmax = 0) as inserted`.execute(db);
  const idOf = new Map(res.rows.map((r) => [r.homoclave, r.id]));
  const links = rows.flatMap((w) => w.lifeEventIds.map((e) => [idOf.get(w.record.homoclave)!, e]));
  const ids = [...idOf.values()];
  await sql`delete from procedure_life_events where procedure_id = any(${ids}::bigint[])`.execute(db);
  if (links.length) {
    await sql`insert into procedure_life_events (procedure_id, life_event_id)
      select * from unnest(${links.map((l) => l[0])}::bigint[], ${links.map((l) => l[1])}::bigint[])
      on conflict do nothing`.execute(db);
  }
  return res.rows.filter((r) => r.inserted).length;
}

export async function replaceSynonyms(db: Db, groups: string[][]): Promise<void> {
  await sql`delete from search_synonyms`.execute(db);
  for (const terms of groups) await sql`insert into search_synonyms (terms) values (${terms}::text[])`.execute(db);
}

export async function addSynonymGroup(db: Db, terms: string[]): Promise<number> {
  const r = await sql<{
    id: number;
  }>`insert into search_synonyms (terms) values (${terms}::text[]) returning id`.execute(db);
  return r.rows[0]!.id;
}

export async function deleteSynonymGroup(db: Db, id: number): Promise<boolean> {
  const r = await sql`delete from search_synonyms where id = ${id}`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function listSynonyms(db: Db): Promise<{ id: number; terms: string[] }[]> {
  return (await sql<{ id: number; terms: string[] }>`select id, terms from search_synonyms order by id`.execute(db))
    .rows;
}

/** Rebuilds the list of known words from the published catalogue and the synonyms. */
export async function rebuildLexicon(db: Db): Promise<void> {
  await sql`delete from search_lexicon`.execute(db);
  await sql`insert into search_lexicon (word, frequency)
    select word, count(*)::int from (
      select regexp_split_to_table(lower(ventanilla_unaccent(search_names || ' ' || search_keywords || ' ' || search_body)),
        '[^a-z0-9]+') as word
      from procedures where status = 'published'
      union all
      select regexp_split_to_table(lower(ventanilla_unaccent(array_to_string(terms, ' '))), '[^a-z0-9]+')
      from search_synonyms
    ) w where length(word) >= 3 group by word`.execute(db);
}

export async function countInstitutions(db: Db): Promise<number> {
  return (await sql<{ n: number }>`select count(*)::int as n from institutions`.execute(db)).rows[0]!.n;
}

export async function countProcedures(db: Db): Promise<number> {
  return (await sql<{ n: number }>`select count(*)::int as n from procedures`.execute(db)).rows[0]!.n;
}

// ---------------------------------------------------------------- reads

export async function listInstitutions(db: Db): Promise<InstitutionRow[]> {
  return (await institutionQuery(db, sql`true`)).rows;
}

export async function getInstitution(db: Db, acronym: string): Promise<InstitutionRow | undefined> {
  return (await institutionQuery(db, sql`i.acronym = ${acronym}`)).rows[0];
}

function institutionQuery(db: Db, where: RawBuilder<unknown>) {
  return sql<InstitutionRow>`select i.id, i.acronym, i.name, i.kind, i.sector, i.ramo,
      i.jurisdiction_level as "jurisdictionLevel", i.state_code as "stateCode",
      i.municipality_code as "municipalityCode", i.website, i.contact, i.demo,
      to_char(i.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "updatedAt",
      (select count(*)::int from procedures p where p.institution_id = i.id and p.status = 'published')
        as "procedureCount"
    from institutions i where ${where} order by i.name ->> 'es'`.execute(db);
}

export async function listLifeEvents(db: Db): Promise<LifeEventRow[]> {
  return (await lifeEventQuery(db, sql`true`)).rows;
}

export async function getLifeEvent(db: Db, slug: string): Promise<LifeEventRow | undefined> {
  return (await lifeEventQuery(db, sql`e.slug = ${slug}`)).rows[0];
}

function lifeEventQuery(db: Db, where: RawBuilder<unknown>) {
  return sql<LifeEventRow>`select e.id, e.slug, e.name, e.description, e.sort_order as "sortOrder",
      (select count(*)::int from procedure_life_events pl join procedures p on p.id = pl.procedure_id
        where pl.life_event_id = e.id and p.status = 'published') as "procedureCount"
    from life_events e where ${where} order by e.sort_order, e.slug`.execute(db);
}

export async function getProcedure(db: Db, homoclave: string): Promise<ProcedureRow | undefined> {
  const r = await sql<ProcedureRow>`select p.id, p.status, p.record, p.popularity, ${summaryColumns}
    from procedures p join institutions i on i.id = p.institution_id
    where p.homoclave = ${homoclave}`.execute(db);
  return r.rows[0];
}

export async function mostUsed(db: Db, limit: number): Promise<ProcedureSummary[]> {
  return (
    await sql<ProcedureSummary>`select ${summaryColumns} from procedures p join institutions i on i.id = p.institution_id
      where p.status = 'published' order by p.popularity desc, p.homoclave limit ${limit}`.execute(db)
  ).rows;
}

export async function listByInstitution(db: Db, acronym: string): Promise<ProcedureSummary[]> {
  return (
    await sql<ProcedureSummary>`select ${summaryColumns} from procedures p join institutions i on i.id = p.institution_id
      where p.status = 'published' and i.acronym = ${acronym}
      order by p.popularity desc, p.homoclave limit 2000`.execute(db)
  ).rows;
}

export async function listByLifeEvent(db: Db, slug: string): Promise<ProcedureSummary[]> {
  return (
    await sql<ProcedureSummary>`select ${summaryColumns} from procedures p join institutions i on i.id = p.institution_id
      join procedure_life_events pl on pl.procedure_id = p.id join life_events e on e.id = pl.life_event_id
      where p.status = 'published' and e.slug = ${slug}
      order by i.acronym, p.popularity desc, p.homoclave limit 2000`.execute(db)
  ).rows;
}

/** Every published procedure with its full record, for exports, in homoclave order, by pages. */
export async function publishedRecords(
  db: Db,
  afterHomoclave: string,
  limit: number,
): Promise<{ record: ProcedureInput; updatedAt: string }[]> {
  return (
    await sql<{ record: ProcedureInput; updatedAt: string }>`select p.record,
      to_char(p.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "updatedAt"
      from procedures p where p.status = 'published' and p.homoclave > ${afterHomoclave}
      order by p.homoclave limit ${limit}`.execute(db)
  ).rows;
}

export async function institutionRecords(db: Db): Promise<InstitutionInput[]> {
  const rows = await listInstitutions(db);
  return rows.map(toInstitutionInput);
}

export function toInstitutionInput(i: InstitutionRow): InstitutionInput {
  return {
    acronym: i.acronym,
    name: i.name,
    kind: i.kind,
    sector: i.sector,
    ...(i.ramo ? { ramo: i.ramo } : {}),
    jurisdiction:
      i.jurisdictionLevel === "municipal"
        ? { level: "municipal", municipalityCode: i.municipalityCode! }
        : i.jurisdictionLevel === "state"
          ? { level: "state", stateCode: i.stateCode! }
          : { level: "federal" },
    ...(i.website ? { website: i.website } : {}),
    ...(Object.keys(i.contact).length ? { contact: i.contact } : {}),
  };
}

export async function lifeEventRecords(db: Db): Promise<LifeEventInput[]> {
  return (await listLifeEvents(db)).map((e) => ({ slug: e.slug, name: e.name, description: e.description }));
}

export async function sitemapEntries(db: Db): Promise<{ homoclave: string; updatedAt: string }[]> {
  return (
    await sql<{ homoclave: string; updatedAt: string }>`select homoclave,
      to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD') as "updatedAt"
      from procedures where status = 'published' order by homoclave`.execute(db)
  ).rows;
}

// ---------------------------------------------------------------- search

export interface SearchFilters {
  institutions: string[];
  lifeEvents: string[];
  kind?: "tramite" | "servicio" | undefined;
  audience?: "persona_fisica" | "persona_moral" | undefined;
  online?: boolean | undefined;
  free?: boolean | undefined;
}

export interface SearchSpec {
  /** websearch_to_tsquery text, or "" to browse everything. */
  websearch: string;
  /** The normalised words, for similarity on names. */
  plain: string;
  filters: SearchFilters;
  sort: "relevance" | "name" | "updated";
  lang: string;
  limit: number;
  offset: number;
}

export interface SearchHit extends ProcedureSummary {
  snippet: string | null;
  score: number;
}

export interface FacetCount {
  facet: "institution" | "kind" | "audience" | "online" | "free" | "lifeEvent";
  value: string;
  count: number;
}

/** The tsquery of a search: Spanish always; English too when the reader reads English. */
function tsquery(spec: SearchSpec) {
  return spec.lang === "en"
    ? sql`(websearch_to_tsquery('ventanilla_es', ${spec.websearch}) || websearch_to_tsquery('ventanilla_en', ${spec.websearch}))`
    : sql`websearch_to_tsquery('ventanilla_es', ${spec.websearch})`;
}

function whereClause(spec: SearchSpec) {
  const f = spec.filters;
  const parts: RawBuilder<unknown>[] = [sql`p.status = 'published'`];
  if (spec.websearch) parts.push(sql`p.search_vector @@ ${tsquery(spec)}`);
  if (f.institutions.length) parts.push(sql`i.acronym = any(${f.institutions}::text[])`);
  if (f.lifeEvents.length) {
    parts.push(sql`exists (select 1 from procedure_life_events pl join life_events e on e.id = pl.life_event_id
      where pl.procedure_id = p.id and e.slug = any(${f.lifeEvents}::text[]))`);
  }
  if (f.kind) parts.push(sql`p.kind = ${f.kind}`);
  if (f.audience) parts.push(sql`${f.audience} = any(p.audience)`);
  if (f.online !== undefined) parts.push(sql`p.is_online = ${f.online}`);
  if (f.free !== undefined) parts.push(sql`p.is_free = ${f.free}`);
  return sql.join(parts, sql` and `);
}

/**
 * Ranking reads every candidate's search document, so its cost grows with the number of
 * matches. Broad searches ("pensión" matches a quarter of a large catalogue) are ranked
 * within their most used matches only; the total still counts every match.
 */
export const RANKING_POOL = 400;
/** How many candidates beyond the page are reordered by name similarity. */
const RERANK_EXTRA = 40;

export async function search(db: Db, spec: SearchSpec): Promise<{ hits: SearchHit[]; total: number }> {
  const where = whereClause(spec);
  const query = tsquery(spec);
  // Two steps: the cheap text rank orders the pool, then the best of those are reordered with
  // trigram similarity to the names, which is dearer and only matters at the top.
  const rank = spec.websearch
    ? sql`(ts_rank('{0.05, 0.3, 0.6, 1.0}', p.search_vector, ${query}, 1) + 0.01 * ln(1 + p.popularity))`
    : sql`ln(1 + p.popularity)`;
  const similarity = spec.websearch ? sql`0.8 * word_similarity(${spec.plain}, p.search_names)` : sql`0`;
  const order =
    spec.sort === "name"
      ? sql`p.citizen_name ->> ${spec.lang} nulls last, p.citizen_name ->> 'es'`
      : spec.sort === "updated"
        ? sql`p.last_reviewed desc, p.homoclave`
        : sql`score desc, p.homoclave`;
  const snippet = spec.websearch
    ? sql`ts_headline(case when ${spec.lang} = 'es' then 'ventanilla_es' else 'ventanilla_en' end::regconfig,
        coalesce(p.description ->> ${spec.lang}, p.description ->> 'es'), ${query},
        'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=40, MinWords=20, MaxFragments=1')`
    : sql`null`;
  const pool =
    spec.sort === "relevance" ? sql`limit ${Math.max(RANKING_POOL, spec.offset + spec.limit + RERANK_EXTRA)}` : sql``;
  const window = spec.offset + spec.limit;
  const r = await sql<SearchHit & { total: number }>`with hits as (
      select p.id, p.popularity from procedures p join institutions i on i.id = p.institution_id where ${where}
    ),
    pool as (select id from hits order by popularity desc, id ${pool}),
    ranked as (
      select p.id, ${rank} as rank from pool join procedures p on p.id = pool.id
      order by rank desc, p.id limit ${spec.sort === "relevance" ? sql`${window + RERANK_EXTRA}` : sql`all`}
    ),
    matched as (
      select p.id, r.rank + ${similarity} as score
      from ranked r join procedures p on p.id = r.id
      order by ${order}
      limit ${spec.limit} offset ${spec.offset}
    )
    select ${summaryColumns}, m.score, (select count(*) from hits)::int as total, ${snippet} as snippet
    from matched m join procedures p on p.id = m.id join institutions i on i.id = p.institution_id
    order by ${spec.sort === "relevance" ? sql`m.score desc, p.homoclave` : order}`.execute(db);
  let total = r.rows[0]?.total ?? 0;
  if (!r.rows.length && spec.offset > 0) total = await countMatches(db, spec);
  return { hits: r.rows.map(({ total: _t, ...hit }) => hit), total: Number(total) };
}

async function countMatches(db: Db, spec: SearchSpec): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n
    from procedures p join institutions i on i.id = p.institution_id where ${whereClause(spec)}`.execute(db);
  return r.rows[0]!.n;
}

export async function facets(db: Db, spec: SearchSpec): Promise<FacetCount[]> {
  const where = whereClause(spec);
  const r = await sql<FacetCount>`with m as (
      select p.id, i.acronym, p.kind, p.audience, p.is_online, p.is_free
      from procedures p join institutions i on i.id = p.institution_id where ${where}
    )
    select 'institution' as facet, acronym as value, count(*)::int as count from m group by acronym
    union all select 'kind', kind, count(*)::int from m group by kind
    union all select 'audience', a, count(*)::int from m, unnest(m.audience) a group by a
    union all select 'online', is_online::text, count(*)::int from m group by is_online
    union all select 'free', is_free::text, count(*)::int from m group by is_free
    union all select 'lifeEvent', e.slug, count(*)::int from m
      join procedure_life_events pl on pl.procedure_id = m.id join life_events e on e.id = pl.life_event_id
      group by e.slug`.execute(db);
  return r.rows;
}

/**
 * Each word of a query with its stem (as the index sees it) and, for a word of five letters
 * or more that the catalogue does not know, the closest word it does know.
 */
export async function analyzeTokens(
  db: Db,
  tokens: string[],
): Promise<{ token: string; stem: string; suggestion: string | null }[]> {
  if (!tokens.length) return [];
  const r = await sql<{ token: string; stem: string; suggestion: string | null }>`select t.token,
      coalesce((ts_lexize('spanish_stem', t.token))[1], t.token) as stem,
      case when length(t.token) >= 5 and to_tsvector('ventanilla_es', t.token) <> ''::tsvector
        and not exists (select 1 from search_lexicon l where l.word = t.token)
      then (select l.word from search_lexicon l where l.word % t.token
        order by similarity(l.word, t.token) desc, l.frequency desc limit 1) end as suggestion
    from unnest(${tokens}::text[]) with ordinality as t(token, n) order by t.n`.execute(db);
  return r.rows;
}

export async function suggest(
  db: Db,
  prefixQuery: string,
  plain: string,
  lang: string,
  limit: number,
): Promise<{ homoclave: string; name: string }[]> {
  const r = await sql<{ homoclave: string; name: string }>`select p.homoclave,
      coalesce(p.citizen_name ->> ${lang}, p.citizen_name ->> 'es') as name
    from procedures p
    where p.status = 'published' and (p.search_vector @@ to_tsquery('ventanilla_es', ${prefixQuery})
      or ${plain} <% p.search_names)
    order by ts_rank('{0.05, 0.3, 0.6, 1.0}', p.search_vector, to_tsquery('ventanilla_es', ${prefixQuery}))
      + word_similarity(${plain}, p.search_names) + 0.01 * ln(1 + p.popularity) desc, p.homoclave
    limit ${limit}`.execute(db);
  return r.rows;
}

/** Synonym groups with the stems of each phrase, as the search index would write them. */
export async function listSynonymTerms(db: Db): Promise<{ terms: string[]; stems: string[] }[]> {
  return (
    await sql<{ terms: string[]; stems: string[] }>`select s.terms, array(
        select array_to_string(array(
            select coalesce((ts_lexize('spanish_stem', w.word))[1], w.word)
            from regexp_split_to_table(lower(ventanilla_unaccent(u.term)), '[^a-z0-9]+') with ordinality as w(word, k)
            where w.word <> '' order by w.k), ' ')
        from unnest(s.terms) with ordinality as u(term, n) order by u.n) as stems
      from search_synonyms s order by s.id`.execute(db)
  ).rows;
}

// ---------------------------------------------------------------- editorial workflow

export type VersionState = "draft" | "in_review" | "sent_back" | "published" | "discarded";

export interface VersionRow {
  id: number;
  homoclave: string;
  institutionId: number;
  institution: string;
  version: number | null;
  state: VersionState;
  record: ProcedureInput;
  createdBy: string | null;
  updatedBy: string | null;
  updatedAt: string;
  submittedBy: string | null;
  submittedAt: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewComment: string | null;
  publishedAt: string | null;
}

const ts = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`);
const personName = (column: string) =>
  sql.raw(`(select u.given_names || ' ' || u.surnames from users u where u.id = ${column})`);

const versionColumns = sql`v.id::int as id, v.homoclave, v.institution_id::int as "institutionId", i.acronym as institution,
  v.version, v.state, v.record, ${personName("v.created_by")} as "createdBy", ${personName("v.updated_by")} as "updatedBy",
  ${ts("v.updated_at")} as "updatedAt", ${personName("v.submitted_by")} as "submittedBy", ${ts("v.submitted_at")} as "submittedAt",
  ${personName("v.reviewed_by")} as "reviewedBy", ${ts("v.reviewed_at")} as "reviewedAt", v.review_comment as "reviewComment",
  ${ts("v.published_at")} as "publishedAt"`;

export async function openDraft(db: Db, homoclave: string): Promise<VersionRow | undefined> {
  return (
    await sql<VersionRow>`select ${versionColumns} from procedure_versions v join institutions i on i.id = v.institution_id
      where v.homoclave = ${homoclave} and v.state in ('draft', 'in_review', 'sent_back')`.execute(db)
  ).rows[0];
}

export async function publishedVersions(db: Db, homoclave: string): Promise<VersionRow[]> {
  return (
    await sql<VersionRow>`select ${versionColumns} from procedure_versions v join institutions i on i.id = v.institution_id
      where v.homoclave = ${homoclave} and v.state = 'published' order by v.version desc`.execute(db)
  ).rows;
}

export async function insertDraft(
  db: Db,
  d: { homoclave: string; institutionId: number; record: unknown; userId: number; now: Date },
): Promise<number> {
  const at = d.now.toISOString();
  const r = await sql<{ id: number }>`insert into procedure_versions
      (homoclave, institution_id, state, record, created_by, created_at, updated_by, updated_at)
    values (${d.homoclave}, ${d.institutionId}, 'draft', ${JSON.stringify(d.record)}::jsonb, ${d.userId}, ${at}::timestamptz,
      ${d.userId}, ${at}::timestamptz)
    returning id::int as id`.execute(db);
  return r.rows[0]!.id;
}

export async function updateDraft(
  db: Db,
  id: number,
  d: { record: unknown; userId: number; now: Date },
): Promise<void> {
  await sql`update procedure_versions set record = ${JSON.stringify(d.record)}::jsonb, state = 'draft',
    updated_by = ${d.userId}, updated_at = ${d.now.toISOString()}::timestamptz where id = ${id}`.execute(db);
}

export async function markSubmitted(db: Db, id: number, userId: number, now: Date): Promise<void> {
  await sql`update procedure_versions set state = 'in_review', submitted_by = ${userId},
    submitted_at = ${now.toISOString()}::timestamptz, review_comment = null where id = ${id}`.execute(db);
}

export async function markSentBack(db: Db, id: number, userId: number, comment: string, now: Date): Promise<void> {
  await sql`update procedure_versions set state = 'sent_back', reviewed_by = ${userId},
    reviewed_at = ${now.toISOString()}::timestamptz, review_comment = ${comment} where id = ${id}`.execute(db);
}

export async function markDiscarded(db: Db, id: number, userId: number, now: Date): Promise<void> {
  await sql`update procedure_versions set state = 'discarded', updated_by = ${userId},
    updated_at = ${now.toISOString()}::timestamptz where id = ${id}`.execute(db);
}

export async function nextVersion(db: Db, homoclave: string): Promise<number> {
  return (
    await sql<{ n: number }>`select coalesce(max(version), 0)::int + 1 as n from procedure_versions
      where homoclave = ${homoclave}`.execute(db)
  ).rows[0]!.n;
}

/** Records a published version: the draft row itself when there is one, or a new row (imports, retirements, the first baseline). */
export async function recordPublished(
  db: Db,
  p: {
    draftId?: number;
    homoclave: string;
    institutionId: number;
    version: number;
    record: unknown;
    userId: number | null;
    comment: string | null;
    now: Date;
  },
): Promise<void> {
  const at = p.now.toISOString();
  if (p.draftId !== undefined) {
    await sql`update procedure_versions set state = 'published', version = ${p.version},
      record = ${JSON.stringify(p.record)}::jsonb, reviewed_by = ${p.userId}, reviewed_at = ${at}::timestamptz,
      review_comment = ${p.comment}, published_at = ${at}::timestamptz where id = ${p.draftId}`.execute(db);
    return;
  }
  await sql`insert into procedure_versions (homoclave, institution_id, version, state, record, created_by, created_at,
      updated_by, updated_at, reviewed_by, reviewed_at, review_comment, published_at)
    values (${p.homoclave}, ${p.institutionId}, ${p.version}, 'published', ${JSON.stringify(p.record)}::jsonb, ${p.userId},
      ${at}::timestamptz, ${p.userId}, ${at}::timestamptz, ${p.userId}, ${at}::timestamptz, ${p.comment}, ${at}::timestamptz)`.execute(
    db,
  );
}

export interface WorkItem {
  homoclave: string;
  institution: string;
  name: string;
  status: string | null;
  draftState: VersionState | null;
  updatedAt: string;
}

/** The procedures of some institutions with the state of their open draft, newest change first. */
export async function workList(db: Db, institutions: string[]): Promise<WorkItem[]> {
  if (!institutions.length) return [];
  return (
    await sql<WorkItem>`select coalesce(p.homoclave, d.homoclave) as homoclave, i.acronym as institution,
        coalesce(d.record -> 'citizenName' ->> 'es', p.citizen_name ->> 'es', coalesce(p.homoclave, d.homoclave)) as name,
        p.status, d.state as "draftState", ${ts("greatest(p.updated_at, d.updated_at)")} as "updatedAt"
      from procedures p
      full join (select * from procedure_versions where state in ('draft', 'in_review', 'sent_back')) d
        on d.homoclave = p.homoclave
      join institutions i on i.id = coalesce(p.institution_id, d.institution_id)
      where i.acronym = any(${institutions}::text[])
      order by (d.state = 'in_review') desc nulls last, greatest(p.updated_at, d.updated_at) desc, 1
      limit 5000`.execute(db)
  ).rows;
}

export async function procedureInstitution(
  db: Db,
  homoclave: string,
): Promise<{ id: number; acronym: string } | undefined> {
  return (
    await sql<{ id: number; acronym: string }>`select i.id::int as id, i.acronym from procedures p
      join institutions i on i.id = p.institution_id where p.homoclave = ${homoclave}`.execute(db)
  ).rows[0];
}

/** Every record of an institution, published or drafted, for completeness. */
export async function institutionWorkRecords(
  db: Db,
  institutionId: number,
): Promise<{ homoclave: string; record: ProcedureInput; draft: boolean }[]> {
  return (
    await sql<{
      homoclave: string;
      record: ProcedureInput;
      draft: boolean;
    }>`select coalesce(d.homoclave, p.homoclave) as homoclave,
        coalesce(d.record, p.record) as record, d.id is not null as draft
      from (select * from procedures where institution_id = ${institutionId} and status <> 'retired') p
      full join (select * from procedure_versions where institution_id = ${institutionId}
        and state in ('draft', 'in_review', 'sent_back')) d on d.homoclave = p.homoclave
      order by 1`.execute(db)
  ).rows;
}
