-- A durable job queue: work that runs after a request (notifications, deadline checks,
-- documents, housekeeping). Workers claim jobs with FOR UPDATE SKIP LOCKED.
create table jobs (
  id bigint generated always as identity primary key,
  name text not null,
  payload jsonb not null default '{}',
  state text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed')),
  run_at timestamptz not null default now(),
  attempts integer not null default 0,
  max_attempts integer not null default 5 check (max_attempts between 1 and 100),
  -- While running: when the claim lapses, so a crashed worker's job runs again.
  locked_until timestamptz,
  last_error text,
  -- At most one job ever per (name, unique_key): a schedule's period, an event's id. Enqueuing it again does nothing.
  unique_key text,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index jobs_ready on jobs (run_at, id) where state in ('queued', 'running');
create unique index jobs_unique on jobs (name, unique_key) where unique_key is not null;
