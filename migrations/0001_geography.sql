-- States and municipalities by their INEGI codes (Marco Geoestadístico).
create table states (
  code char(2) primary key check (code ~ '^[0-9]{2}$'),
  name text not null,
  abbreviation text not null,
  renapo_code char(2) not null
);

create table municipalities (
  code char(5) primary key check (code ~ '^[0-9]{5}$'),
  state_code char(2) not null references states (code),
  name text not null,
  population integer
);
create index municipalities_state on municipalities (state_code);
