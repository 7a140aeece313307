-- Ventanilla as an OpenID Connect provider for institutions' systems: the registered
-- applications (clients), the signing keys (rotated, old ones published until retired),
-- a shared secret for the provider's cookies, and the provider's own short-lived records
-- (interactions, authorization codes, access tokens, grants, sessions) as JSON payloads.

create table oidc_clients (
  client_id text primary key,
  -- Compared with what the application presents (client_secret_basic/post needs the value).
  client_secret text not null,
  client_name text not null check (length(client_name) between 1 and 100),
  redirect_uris text[] not null check (cardinality(redirect_uris) between 1 and 10),
  created_by bigint references users (id) on delete set null,
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);

create table oidc_signing_keys (
  kid text primary key,
  -- Creation order: the highest not retired is the current key.
  seq bigint generated always as identity unique,
  -- The private JWK (RSA, RS256). The newest key not retired signs; every key not retired is published.
  jwk jsonb not null,
  created_at timestamptz not null default now(),
  retired_at timestamptz
);

-- Random values shared by every web process (the provider's cookie signing key).
create table oidc_secrets (
  name text primary key,
  value text not null,
  created_at timestamptz not null default now()
);

create table oidc_payloads (
  id text not null,
  type text not null,
  payload jsonb not null,
  grant_id text,
  uid text,
  user_code text,
  expires_at timestamptz,
  consumed_at timestamptz,
  primary key (id, type)
);
create index oidc_payloads_grant on oidc_payloads (grant_id) where grant_id is not null;
create index oidc_payloads_uid on oidc_payloads (uid) where uid is not null;
create index oidc_payloads_user_code on oidc_payloads (user_code) where user_code is not null;
create index oidc_payloads_expires on oidc_payloads (expires_at);
