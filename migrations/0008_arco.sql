-- ARCO rights (access, rectification, cancellation, opposition) under Mexican data
-- protection law: every request is recorded with the date its answer is due.
create table arco_requests (
  id bigint generated always as identity primary key,
  folio text not null unique,
  user_id bigint not null references users (id) on delete cascade,
  arco_right text not null check (arco_right in ('access', 'rectification', 'cancellation', 'opposition')),
  details text not null,
  status text not null default 'received' check (status in ('received', 'granted', 'partially_granted', 'denied')),
  received_at timestamptz not null,
  due_on date not null,
  answered_at timestamptz,
  answered_by bigint references users (id),
  answer text
);
create index arco_requests_open on arco_requests (due_on) where status = 'received';
create index arco_requests_user on arco_requests (user_id);
