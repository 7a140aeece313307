-- Doing procedures online: the forms institutions build, applications (cases) with their
-- folio, uploads, payments, information requests (prevención), resolutions and the case history.

-- A form belongs to a procedure; versions are numbered. At most one live and one draft at a time.
create table forms (
  id bigint generated always as identity primary key,
  procedure_id bigint not null references procedures (id),
  version integer not null,
  state text not null check (state in ('draft', 'live', 'retired')),
  definition jsonb not null,
  -- The published catalogue version of the procedure when this form went live.
  procedure_version integer,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_by bigint references users (id),
  published_at timestamptz,
  unique (procedure_id, version)
);
create unique index forms_one_live on forms (procedure_id) where state = 'live';
create unique index forms_one_draft on forms (procedure_id) where state = 'draft';

-- Answers being written, saved so the person can come back; removed when they expire.
create table application_drafts (
  id bigint generated always as identity primary key,
  public_id uuid not null unique,
  user_id bigint not null references users (id),
  form_id bigint not null references forms (id),
  answers jsonb not null default '{}',
  prefilled text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index application_drafts_user on application_drafts (user_id, updated_at desc);
create index application_drafts_expiry on application_drafts (expires_at);

-- Folios are numbered per institution and year without gaps visible to people: SRE-2026-000123.
create table folio_counters (
  institution_id bigint not null references institutions (id),
  year integer not null,
  last_number integer not null,
  primary key (institution_id, year)
);

create table applications (
  id bigint generated always as identity primary key,
  public_id uuid not null unique,
  folio text not null unique,
  user_id bigint not null references users (id),
  institution_id bigint not null references institutions (id),
  procedure_id bigint not null references procedures (id),
  form_id bigint not null references forms (id),
  -- The person's key for this submission: a second request with it returns the same application.
  idempotency_key text not null,
  answers jsonb not null,
  -- What the answers say about the person (by prefill source: phone, address, rfc…), offered next time.
  facts jsonb not null default '{}',
  lang text not null check (lang in ('es', 'en')),
  status text not null check (status in (
    'awaiting_payment', 'received', 'in_review', 'information_requested',
    'resolved_favourable', 'resolved_unfavourable', 'withdrawn')),
  submitted_at timestamptz not null,
  -- When the legal clock started (receipt, or payment when the procedure waits for it).
  clock_started_on date,
  max_days integer,
  silence_rule text not null,
  -- The resolution deadline; null while the clock is paused or has not started.
  deadline date,
  -- Business days already used when the clock was paused.
  days_used integer not null default 0,
  assigned_to bigint references users (id),
  resolved_at timestamptz,
  updated_at timestamptz not null default now(),
  -- Reminders already sent for the current deadline, so each goes once.
  reminded_for date,
  unique (user_id, idempotency_key)
);
create index applications_user on applications (user_id, submitted_at desc);
-- The caseworker inbox: open cases of an institution by deadline, and any status on demand.
create index applications_inbox on applications (institution_id, deadline, id) include (assigned_to)
  where status in ('awaiting_payment', 'received', 'in_review', 'information_requested');
create index applications_closed on applications (institution_id, deadline, id)
  where status in ('resolved_favourable', 'resolved_unfavourable', 'withdrawn');
create index applications_status on applications (institution_id, status, deadline, id);
create index applications_assignee on applications (assigned_to, deadline, id) where assigned_to is not null;
create index applications_deadline on applications (deadline) where deadline is not null;

-- Files: uploaded by the person while applying (draft, then application) or by staff as internal documents.
create table uploads (
  id bigint generated always as identity primary key,
  public_id uuid not null unique,
  storage_key text not null unique,
  name text not null,
  bytes bigint not null check (bytes > 0),
  content_type text not null,
  sha256 text not null,
  uploaded_by bigint not null references users (id),
  draft_id bigint references application_drafts (id) on delete set null,
  application_id bigint references applications (id),
  question_id text,
  -- Internal documents are seen by the institution's staff only.
  internal boolean not null default false,
  created_at timestamptz not null default now()
);
create index uploads_draft on uploads (draft_id) where draft_id is not null;
create index uploads_application on uploads (application_id) where application_id is not null;

-- What happened to a case, in order: the history the person and the staff read.
create table case_events (
  id bigint generated always as identity primary key,
  application_id bigint not null references applications (id),
  at timestamptz not null,
  actor_id bigint references users (id),
  kind text not null,
  from_status text,
  to_status text,
  body text,
  -- Internal notes are not shown to the person.
  visible_to_applicant boolean not null default true
);
create index case_events_application on case_events (application_id, id);

-- Prevención: the institution asks for more information; the legal clock stops until the answer.
create table information_requests (
  id bigint generated always as identity primary key,
  application_id bigint not null references applications (id),
  requested_by bigint not null references users (id),
  requested_at timestamptz not null,
  message text not null,
  respond_by date not null,
  answered_at timestamptz,
  answer text
);
create unique index information_requests_open on information_requests (application_id) where answered_at is null;

create table payments (
  id bigint generated always as identity primary key,
  application_id bigint not null unique references applications (id),
  reference text not null unique,
  chain text not null,
  amount_centavos bigint not null check (amount_centavos > 0),
  expires_on date not null,
  status text not null check (status in ('pending', 'paid')),
  paid_on date,
  bank text,
  operation text,
  reconciliation_id bigint
);

create table reconciliations (
  id bigint generated always as identity primary key,
  uploaded_by bigint not null references users (id),
  uploaded_at timestamptz not null,
  file_name text not null,
  sha256 text not null,
  lines integer not null,
  matched integer not null,
  already_paid integer not null,
  report jsonb not null
);

create table resolutions (
  id bigint generated always as identity primary key,
  application_id bigint not null unique references applications (id),
  outcome text not null check (outcome in ('favourable', 'unfavourable')),
  reasons text not null,
  signed_by bigint not null references users (id),
  signer_name text not null,
  resolved_at timestamptz not null,
  verification_code text not null unique,
  -- Filled by the job that renders the PDF.
  storage_key text
);

-- Days on which offices are closed beyond the law's list (published in the DOF), for all
-- institutions (institution_id null) or one.
create table non_working_days (
  day date not null,
  institution_id bigint references institutions (id),
  reason text not null
);
create unique index non_working_days_unique on non_working_days (day, coalesce(institution_id, 0));
