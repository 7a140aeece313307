-- API tokens are looked up by hash on every write request.
create index api_tokens_active on api_tokens (token_hash) where revoked_at is null;
