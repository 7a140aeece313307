-- The national catalogue of procedures: institutions, life events, procedures, search.
create extension if not exists unaccent;
create extension if not exists pg_trgm;

-- unaccent() is only STABLE (it reads a dictionary); pinning the dictionary makes it safe to index.
create function ventanilla_unaccent(text) returns text
  language sql immutable parallel safe strict
  as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- Spanish and English text search that ignores accents ("tramite" finds "trámite").
create text search configuration ventanilla_es (copy = pg_catalog.spanish);
alter text search configuration ventanilla_es
  alter mapping for hword, hword_part, word with public.unaccent, spanish_stem;
create text search configuration ventanilla_en (copy = pg_catalog.english);
alter text search configuration ventanilla_en
  alter mapping for hword, hword_part, word with public.unaccent, english_stem;

create table institutions (
  id bigint generated always as identity primary key,
  acronym text not null unique,
  name jsonb not null check (jsonb_typeof(name -> 'es') = 'string'),
  kind text not null check (kind in ('ministry', 'deconcentrated_body', 'decentralised_body', 'state_enterprise',
    'autonomous_body', 'state_government', 'municipal_government')),
  sector text not null,
  ramo text,
  jurisdiction_level text not null check (jurisdiction_level in ('federal', 'state', 'municipal')),
  state_code char(2) references states (code),
  municipality_code char(5) references municipalities (code),
  website text,
  contact jsonb not null default '{}',
  demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table life_events (
  id bigint generated always as identity primary key,
  slug text not null unique,
  name jsonb not null,
  description jsonb not null,
  sort_order integer not null default 0,
  demo boolean not null default false
);

create table procedures (
  id bigint generated always as identity primary key,
  homoclave text not null unique,
  institution_id bigint not null references institutions (id),
  kind text not null check (kind in ('tramite', 'servicio')),
  status text not null check (status in ('draft', 'published', 'retired')),
  audience text[] not null,
  citizen_name jsonb not null,
  official_name jsonb not null,
  description jsonb not null,
  -- The whole record as imported: the source for the procedure page and the exports.
  record jsonb not null,
  is_online boolean not null,
  is_free boolean not null,
  max_resolution_days integer,
  silence_rule text not null,
  popularity integer not null default 0,
  last_reviewed date not null,
  demo boolean not null default false,
  -- Search documents, written by the catalogue's queries.ts on every upsert.
  search_names text not null default '',
  search_keywords text not null default '',
  search_body text not null default '',
  search_en text not null default '',
  search_vector tsvector generated always as (
    setweight(to_tsvector('ventanilla_es'::regconfig, search_names), 'A') ||
    setweight(to_tsvector('ventanilla_es'::regconfig, search_keywords), 'B') ||
    setweight(to_tsvector('ventanilla_es'::regconfig, search_body), 'D') ||
    setweight(to_tsvector('ventanilla_en'::regconfig, search_en), 'C')
  ) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index procedures_search on procedures using gin (search_vector);
create index procedures_names_trgm on procedures using gin (search_names gin_trgm_ops);
create index procedures_institution on procedures (institution_id) where status = 'published';
create index procedures_popularity on procedures (popularity desc) where status = 'published';

create table procedure_life_events (
  procedure_id bigint not null references procedures (id) on delete cascade,
  life_event_id bigint not null references life_events (id) on delete cascade,
  primary key (procedure_id, life_event_id)
);
create index procedure_life_events_event on procedure_life_events (life_event_id);

-- Words people use for the same thing (INE = credencial para votar), editable as data.
create table search_synonyms (
  id bigint generated always as identity primary key,
  terms text[] not null check (cardinality(terms) >= 2),
  created_at timestamptz not null default now()
);

-- Every word of the published catalogue, to correct typos ("did you mean").
create table search_lexicon (
  word text primary key,
  frequency integer not null
);
create index search_lexicon_trgm on search_lexicon using gin (word gin_trgm_ops);

-- Bearer tokens for the write API (hashed; the token itself is shown once).
create table api_tokens (
  id bigint generated always as identity primary key,
  name text not null,
  token_hash text not null unique,
  institution_id bigint references institutions (id),
  scopes text[] not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
