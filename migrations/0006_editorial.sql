-- The editorial workflow of the catalogue: drafts written by editors, reviewed and
-- published by reviewers. Every published version is kept.

create table procedure_versions (
  id bigint generated always as identity primary key,
  homoclave text not null,
  institution_id bigint not null references institutions (id),
  -- 1, 2, 3… for published versions; null while a draft.
  version integer,
  state text not null check (state in ('draft', 'in_review', 'sent_back', 'published', 'discarded')),
  record jsonb not null,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_by bigint references users (id),
  updated_at timestamptz not null default now(),
  submitted_by bigint references users (id),
  submitted_at timestamptz,
  reviewed_by bigint references users (id),
  reviewed_at timestamptz,
  review_comment text,
  published_at timestamptz,
  unique (homoclave, version)
);
-- At most one open draft per procedure.
create unique index procedure_versions_open on procedure_versions (homoclave)
  where state in ('draft', 'in_review', 'sent_back');
create index procedure_versions_institution on procedure_versions (institution_id, state);
