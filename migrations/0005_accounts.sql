-- People's accounts (citizens and staff), their sessions, one-time links, sign-in attempts,
-- second factors, staff roles, identity checks, the outgoing mail and the security audit log.

create table users (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('citizen', 'staff')),
  email text not null,
  email_verified_at timestamptz,
  password_hash text not null,
  curp text unique check (curp ~ '^[A-Z][AEIOUX][A-Z]{2}[0-9]{6}[HM][A-Z]{5}[0-9A-Z][0-9]$'),
  given_names text not null,
  surnames text not null,
  preferred_lang text not null default 'es' check (preferred_lang in ('es', 'en')),
  is_platform_admin boolean not null default false,
  totp_secret text,
  totp_enabled_at timestamptz,
  -- The last TOTP time step accepted, so a code cannot be used twice.
  totp_last_step bigint,
  cancellation_requested_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_email on users (lower(email));

-- Identity confirmed by an officer who checked a document: who, when and how.
create table identity_verifications (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  verified_by bigint not null references users (id),
  method text not null,
  document_reference text not null,
  verified_at timestamptz not null default now()
);
create index identity_verifications_user on identity_verifications (user_id);

create table sessions (
  id bigint generated always as identity primary key,
  token_hash text not null unique,
  user_id bigint not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  second_factor_at timestamptz,
  address text not null default '',
  user_agent text not null default '',
  revoked_at timestamptz
);
create index sessions_user on sessions (user_id) where revoked_at is null;

-- One-time links sent by email (verify the address, reset the password). Only the hash is kept.
create table account_links (
  token_hash text primary key,
  user_id bigint not null references users (id) on delete cascade,
  purpose text not null check (purpose in ('verify_email', 'reset_password')),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index account_links_user on account_links (user_id, purpose);

create table sign_in_attempts (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  -- sha256 of the lower-cased email typed, so unknown emails are throttled too without being stored.
  email_key text not null,
  user_id bigint references users (id) on delete cascade,
  address text not null,
  succeeded boolean not null,
  reason text not null
);
create index sign_in_attempts_email on sign_in_attempts (email_key, at);
create index sign_in_attempts_address on sign_in_attempts (address, at);
create index sign_in_attempts_user on sign_in_attempts (user_id, at);

create table recovery_codes (
  user_id bigint not null references users (id) on delete cascade,
  code_hash text not null,
  used_at timestamptz,
  primary key (user_id, code_hash)
);

create table memberships (
  user_id bigint not null references users (id) on delete cascade,
  institution_id bigint not null references institutions (id),
  role text not null check (role in ('editor', 'reviewer', 'caseworker', 'case-manager', 'institution-admin')),
  granted_by bigint references users (id),
  granted_at timestamptz not null default now(),
  primary key (user_id, institution_id, role)
);

-- Mail is written here in the same transaction as the change that sends it, then delivered.
create table outbox_mail (
  id bigint generated always as identity primary key,
  created_at timestamptz not null default now(),
  recipient text not null,
  subject text not null,
  body text not null,
  delivered_at timestamptz,
  attempts integer not null default 0
);
create index outbox_mail_pending on outbox_mail (id) where delivered_at is null;

-- Append-only and hash-chained: each row's hash covers its content and the previous row's hash.
create table audit_log (
  id bigint primary key,
  at timestamptz not null,
  actor_id bigint,
  action text not null,
  subject text not null,
  detail jsonb not null,
  address text not null,
  prev_hash text not null,
  hash text not null unique
);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;

create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();
