-- Keep the search document in the row (compressed) instead of out-of-line storage:
-- every match check and rank reads it, and a separate TOAST fetch per row doubled the
-- buffers a broad search touched. Metadata only; rows written from now on use it.
alter table procedures alter column search_vector set storage main;
