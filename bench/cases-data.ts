/**
 * Data for bench/cases.ts: citizens inserted straight into `users` (no argon2id per person), their
 * sessions and Viewers through the accounts domain, a filled draft per person through the cases
 * domain's own use cases, and the bulk load of a million applications for the caseworker inbox.
 *
 * Importing this module runs nothing.
 */
import { sql } from "kysely";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { curpCheckDigit } from "../src/domains/accounts/curp.js";
import { hashPassword } from "../src/domains/accounts/passwords.js";
import { resolveSession, startSession, type Viewer } from "../src/domains/accounts/sessions.js";
import { createStaffAccount } from "../src/domains/accounts/staff.js";
import { savePage, startApplication, uploadFile, draftOf } from "../src/domains/cases/applications.js";
import { importCatalogue } from "../src/domains/catalogue/catalogue.js";
import { installForm } from "../src/domains/forms/forms.js";
import type { Ctx } from "../src/platform/context.js";
import { PDF_BYTES, sampleDefinition, streamOf } from "../test/cases.js";
import { institution, procedure } from "../test/factories.js";

const LIFE_EVENTS = fileURLToPath(new URL("../seed/catalogue/life-events.json", import.meta.url));
const META = { address: "127.0.0.1", userAgent: "bench/cases" };

// ------------------------------------------------------------------ the catalogue

/**
 * The seed's life events (seed/catalogue/life-events.json), through the catalogue import: with
 * SEED_DEMO=never the database has none, and the test factories' procedures belong to one.
 */
export async function importLifeEvents(ctx: Ctx): Promise<void> {
  const doc = JSON.parse(readFileSync(LIFE_EVENTS, "utf8")) as { lifeEvents: unknown[] };
  const report = await importCatalogue(ctx, { lifeEvents: doc.lifeEvents.map((value) => ({ value })) });
  if (report.invalidRecords) throw new Error(`The life events did not import: ${JSON.stringify(report)}`);
}

// ------------------------------------------------------------------ concurrency

/** Runs fn over every item, `concurrency` at a time, in order of the items. */
export async function eachConcurrently<T>(
  items: T[],
  concurrency: number,
  fn: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

// ------------------------------------------------------------------ citizens who apply

/** A well-formed CURP (with its check digit) that differs for each i below 12,096. */
export function benchCurp(i: number): string {
  const mm = String(1 + (i % 12)).padStart(2, "0");
  const dd = String(1 + (Math.floor(i / 12) % 28)).padStart(2, "0");
  const homonym = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[Math.floor(i / 336) % 36]!;
  const first17 = `BAAA90${mm}${dd}HDFRRN${homonym}`;
  return `${first17}${curpCheckDigit(first17)}`;
}

const GIVEN = ["María", "José", "Guadalupe", "Juan", "Fernanda", "Luis", "Ximena", "Carlos", "Sofía", "Miguel"];
const SURNAMES = ["Hernández López", "García Martínez", "Pérez Sánchez", "Ramírez Cruz", "Flores Gómez", "Torres Díaz"];

/**
 * `n` citizens with a confirmed email and a well-formed CURP, in one INSERT: the columns `signUp`
 * writes (through the same `users` row), with one real argon2id hash shared by all of them instead of
 * one hash each (about 6 ms of CPU apiece; nobody signs in with a password here). Returns their ids.
 */
export async function insertCitizens(ctx: Ctx, n: number): Promise<number[]> {
  const hash = await hashPassword("banco de pruebas de trámites");
  const emails = Array.from({ length: n }, (_, i) => `solicitante.${i}@bench.ejemplo.mx`);
  const curps = Array.from({ length: n }, (_, i) => benchCurp(i));
  const given = Array.from({ length: n }, (_, i) => GIVEN[i % GIVEN.length]!);
  const surnames = Array.from({ length: n }, (_, i) => SURNAMES[i % SURNAMES.length]!);
  const r = await sql<{ id: number }>`insert into users
      (kind, email, email_verified_at, password_hash, curp, given_names, surnames, preferred_lang)
    select 'citizen', e, now(), ${hash}, c, g, s, 'es'
      from unnest(${emails}::text[], ${curps}::text[], ${given}::text[], ${surnames}::text[]) as t(e, c, g, s)
    returning id::int as id`.execute(ctx.db);
  return r.rows.map((x) => x.id).sort((a, b) => a - b);
}

/** A real session per user (startSession), resolved into the Viewer every use case gets (resolveSession). */
export async function viewerOf(ctx: Ctx, userId: number): Promise<Viewer> {
  const { token } = await startSession(ctx, userId, META);
  const viewer = await resolveSession(ctx, token);
  if (!viewer) throw new Error(`The session of user ${userId} did not resolve.`);
  return viewer;
}

/**
 * A draft filled in as a person does it, through the use cases the pages call: start (name and CURP
 * prefilled from the account), "datos", "motivo", one small PDF on "documentos" (streamed to storage,
 * fsynced), then "documentos" saved. Returns the draft id.
 */
export async function filledDraft(ctx: Ctx, viewer: Viewer, homoclave: string, i: number): Promise<string> {
  const draftId = await startApplication(ctx, viewer, homoclave);
  const curp = (await draftOf(ctx, viewer, draftId)).draft.answers.curp as string;
  const phone = `55 ${String(1000 + (i % 9000))} ${String(1000 + ((i * 7) % 9000))}`;
  await savePage(ctx, viewer, draftId, "datos", { nombre: GIVEN[i % GIVEN.length], curp, telefono: phone });
  await savePage(ctx, viewer, draftId, "motivo", { tipo: "trabajo" });
  await uploadFile(ctx, viewer, draftId, "documentos", "identificacion", {
    name: "ine frente.pdf",
    stream: streamOf(PDF_BYTES),
  });
  await savePage(ctx, viewer, draftId, "documentos", {});
  return draftId;
}

// ------------------------------------------------------------------ the million cases

export interface BulkOptions {
  cases: number;
  institutions: number;
  proceduresPerInstitution: number;
  caseworkersPerInstitution: number;
  /** Index (0-based) of the institution whose caseworker the bench times. */
  target: number;
}

export interface BulkResult {
  /** The acronym of the target institution, and its id. */
  institution: string;
  institutionId: number;
  /** The timed caseworker: a real staff account (createStaffAccount) with a resolved session. */
  caseworker: Viewer;
  applicants: number;
  /** Milliseconds per step. */
  times: { catalogueMs: number; peopleMs: number; rowsMs: number; indexMs: number; vacuumMs: number };
  /** Heap and index sizes of `applications` after the load (bytes). */
  heapBytes: number;
  indexBytes: number;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/**
 * Loads `cases` applications, spread evenly over `institutions` institutions (each with its
 * procedures, a live form each, and its caseworkers), submitted over the last two years:
 *
 * - status: a case submitted in the last 60 days is still open with probability 0.6, an older one
 *   with probability 0.055, so about 10 % are open; open ones are 40 % received, 40 % in review,
 *   12 % waiting for information (clock paused: no deadline) and 8 % awaiting payment (no deadline);
 *   closed ones are 77 % favourable, 20 % unfavourable and 3 % withdrawn;
 * - deadline: for received and in-review cases, today ± 60 days (uniform); for closed ones, 14–44
 *   days after submission;
 * - assignee: every case in review, waiting for information or closed, and 20 % of received ones,
 *   go to one of the institution's caseworkers (one of them the timed one);
 * - applicant: one of cases / 10 citizens (at least 1,000), answers and facts shaped like the form's.
 *
 * Institutions, procedures and forms go in through the real use cases (importCatalogue, installForm),
 * the timed caseworker through createStaffAccount; the other people and the applications through
 * plain SQL. The secondary indexes and unique constraints of `applications` are dropped during the
 * load and rebuilt from their own definitions; foreign-key triggers are off during it (session_replication_role = replica:
 * the rows are consistent by construction). Then VACUUM ANALYZE, as autovacuum would leave a table
 * that size. Case history (case_events), uploads and payments of these cases are not loaded: the inbox
 * does not read them.
 */
export async function bulkLoad(ctx: Ctx, client: pg.Client, o: BulkOptions): Promise<BulkResult> {
  const t0 = performance.now();
  const acronyms = Array.from({ length: o.institutions }, (_, i) => `BI${pad2(i + 1)}`);
  const institutions = acronyms.map((acronym, i) =>
    institution({ acronym, name: { es: `Institución de carga ${i + 1}`, en: `Load institution ${i + 1}` } }),
  );
  const procedures = acronyms.flatMap((acronym) =>
    Array.from({ length: o.proceduresPerInstitution }, () => procedure(acronym)),
  );
  const report = await importCatalogue(ctx, {
    institutions: institutions.map((value) => ({ value })),
    procedures: procedures.map((value) => ({ value })),
  });
  if (report.invalidRecords)
    throw new Error(`The bulk catalogue did not import: ${JSON.stringify(report.errors.slice(0, 3))}`);
  for (const p of procedures) await installForm(ctx, p.homoclave, sampleDefinition());
  const t1 = performance.now();

  // The timed caseworker, through the staff use case; staff in tests and benches have passed their
  // second factor (test/people.ts does the same).
  const target = acronyms[o.target]!;
  const { userId } = await createStaffAccount(ctx, {
    email: "caseworker@bench.gob.example.mx",
    givenNames: "Sofía",
    surnames: "Servidora Pública",
    roles: [{ institution: target, role: "caseworker" }],
  });
  const caseworker = { ...(await viewerOf(ctx, userId)), totpEnabled: true, secondFactorDone: true };

  const applicants = Math.max(1000, Math.floor(o.cases / 10));
  const q = (text: string, values?: unknown[]) => client.query(text, values);
  await q("set session_replication_role = replica");
  await q("set maintenance_work_mem = '256MB'");
  await q("set work_mem = '256MB'");
  await q(`create temp table bench_institutions as
    select i.id as institution_id, i.acronym, (substr(i.acronym, 3)::int - 1) as inst
    from institutions i where i.acronym ~ '^BI[0-9]{2}$'`);
  await q(`create temp table bench_procedures as
    select bi.inst, (row_number() over (partition by bi.inst order by p.id) - 1)::int as k,
      bi.institution_id, bi.acronym, p.id as procedure_id, f.id as form_id,
      (p.record->>'maxResolutionDays')::int as max_days, p.record->>'silenceRule' as silence_rule
    from bench_institutions bi join procedures p on p.institution_id = bi.institution_id
      join forms f on f.procedure_id = p.id and f.state = 'live'`);
  // Caseworkers: the timed one in slot 0 of the target institution, plain rows for the others.
  await q(
    `insert into users (kind, email, email_verified_at, password_hash, given_names, surnames, totp_enabled_at)
     select 'staff', 'cw.' || bi.inst || '.' || k || '@bench.gob.example.mx', now(), 'x', 'Servidor', 'Número ' || k, now()
     from bench_institutions bi, generate_series(0, $1::int - 1) k where not (bi.inst = $2 and k = 0)`,
    [o.caseworkersPerInstitution, o.target],
  );
  await q(
    `create temp table bench_staff as
     select bi.inst, substring(u.email from '^cw\\.[0-9]+\\.([0-9]+)@')::int as k, u.id as user_id, bi.institution_id
     from users u join bench_institutions bi on u.email like 'cw.' || bi.inst || '.%'
     union all select $1::int, 0, $2::bigint, (select institution_id from bench_institutions where inst = $1)`,
    [o.target, userId],
  );
  await q(
    `insert into memberships (user_id, institution_id, role)
    select user_id, institution_id, 'caseworker' from bench_staff where user_id <> $1 on conflict do nothing`,
    [userId],
  );
  // Applicants: well-formed CURPs that cannot collide with benchCurp's ("BAAA…").
  await q(
    `insert into users (kind, email, email_verified_at, password_hash, curp, given_names, surnames)
     select 'citizen', 'c' || g || '@carga.bench.ejemplo.mx', now(), 'x', 'CEEE' || lpad(g::text, 6, '0') || 'HDFRRN00',
       (array['María','José','Guadalupe','Juan','Fernanda','Luis','Ximena','Carlos','Sofía','Miguel'])[1 + g % 10],
       (array['Hernández López','García Martínez','Pérez Sánchez','Ramírez Cruz','Flores Gómez','Torres Díaz'])[1 + g % 6]
     from generate_series(1, $1::int) g`,
    [applicants],
  );
  await q(`create temp table bench_applicants as
    select (row_number() over (order by id) - 1)::int as n, id, given_names, curp
    from users where email like '%@carga.bench.ejemplo.mx'`);
  await q("create index on bench_applicants (n)");
  await q("analyze bench_institutions, bench_procedures, bench_staff, bench_applicants");
  const t2 = performance.now();

  const indexes = (
    await q(`select i.indexname as name, i.indexdef as def from pg_indexes i
      where i.schemaname = 'public' and i.tablename = 'applications'
        and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`)
  ).rows as { name: string; def: string }[];
  // The unique constraints other than the primary key (public_id, folio, user and key): nothing references
  // them, so they are dropped too and added back, which builds each index in one sorted pass.
  const constraints = (
    await q(`select conname as name, pg_get_constraintdef(oid) as def from pg_constraint
      where conrelid = 'applications'::regclass and contype = 'u'`)
  ).rows as { name: string; def: string }[];
  for (const i of indexes) await q(`drop index "${i.name}"`);
  for (const c of constraints) await q(`alter table applications drop constraint "${c.name}"`);

  await q("select setseed(0.2026)");
  await q(
    `insert into applications (public_id, folio, user_id, institution_id, procedure_id, form_id, idempotency_key,
       answers, facts, lang, status, submitted_at, clock_started_on, max_days, silence_rule, deadline, days_used,
       assigned_to, resolved_at, updated_at)
     with s as materialized (
       select g, g % $2::int as inst, (g / $2::int) % $3::int as k,
         now() - ($1::int - 1 - g) * (730.0 / $1::int) * interval '1 day' as submitted_at,
         ($1::int - 1 - g) * (730.0 / $1::int) as age, random() as r_open, random() as r_status, random() as r_deadline,
         random() as r_assign, (random() * 2147483647)::int as r_person, random() as r_lang
       from generate_series(0, $1::int - 1) g
     ), t as (
       select s.*, case
           when s.r_open < (case when s.age < 60 then 0.6 else 0.055 end) then
             case when s.r_status < 0.08 then 'awaiting_payment' when s.r_status < 0.20 then 'information_requested'
               when s.r_status < 0.60 then 'received' else 'in_review' end
           else case when s.r_status < 0.03 then 'withdrawn' when s.r_status < 0.23 then 'resolved_unfavourable'
               else 'resolved_favourable' end
         end as status
       from s
     )
     select gen_random_uuid(), p.acronym || '-' || extract(year from t.submitted_at)::int || '-' || lpad((t.g / $2::int + 1)::text, 6, '0'),
       a.id, p.institution_id, p.procedure_id, p.form_id, 'carga-' || t.g,
       jsonb_build_object('nombre', a.given_names, 'curp', a.curp, 'telefono', '55 ' || lpad((t.r_person % 100000000)::text, 8, '0'),
         'tipo', 'trabajo', 'identificacion', jsonb_build_object('uploadId', gen_random_uuid(), 'name', 'ine frente.pdf',
           'bytes', 150000 + t.r_person % 500000, 'contentType', 'application/pdf')),
       jsonb_build_object('givenNames', a.given_names, 'curp', a.curp, 'phone', '55 ' || lpad((t.r_person % 100000000)::text, 8, '0')),
       case when t.r_lang < 0.95 then 'es' else 'en' end, t.status, t.submitted_at,
       case when t.status = 'awaiting_payment' then null else (t.submitted_at at time zone 'America/Mexico_City')::date end,
       p.max_days, p.silence_rule,
       case
         when t.status in ('received', 'in_review') then current_date + (t.r_deadline * 120)::int - 60
         when t.status in ('awaiting_payment', 'information_requested') then null
         else (t.submitted_at at time zone 'America/Mexico_City')::date + 14 + (t.r_deadline * 30)::int
       end,
       case when t.status = 'information_requested' then 1 + (t.r_deadline * 5)::int else 0 end,
       case when t.status in ('awaiting_payment') or (t.status = 'received' and t.r_assign >= 0.2) then null
         else st.user_id end,
       case when t.status like 'resolved%' then least(now(), t.submitted_at + (3 + t.r_deadline * 40) * interval '1 day') end,
       t.submitted_at
     from t join bench_procedures p on p.inst = t.inst and p.k = t.k
       join bench_applicants a on a.n = t.r_person % $4::int
       join bench_staff st on st.inst = t.inst and st.k = (t.r_person / 7) % $5::int`,
    [o.cases, o.institutions, o.proceduresPerInstitution, applicants, o.caseworkersPerInstitution],
  );
  const t3 = performance.now();
  for (const c of constraints) await q(`alter table applications add constraint "${c.name}" ${c.def}`);
  for (const i of indexes) await q(i.def);
  const t4 = performance.now();
  await q("set session_replication_role = origin");
  await q("vacuum (analyze) applications");
  await q("analyze users, memberships, procedures, forms, institutions");
  const t5 = performance.now();

  const count = Number(
    (await q("select count(*) as n from applications where idempotency_key like 'carga-%'")).rows[0].n,
  );
  if (count !== o.cases) throw new Error(`Loaded ${count} applications instead of ${o.cases}.`);
  const sizes = (
    await q(`select pg_table_size('applications')::bigint as heap, pg_indexes_size('applications')::bigint as idx`)
  ).rows[0] as { heap: string; idx: string };
  const institutionId = caseworker.roles.find((r) => r.institution === target)!.institutionId;
  return {
    institution: target,
    institutionId,
    caseworker,
    applicants,
    times: { catalogueMs: t1 - t0, peopleMs: t2 - t1, rowsMs: t3 - t2, indexMs: t4 - t3, vacuumMs: t5 - t4 },
    heapBytes: Number(sizes.heap),
    indexBytes: Number(sizes.idx),
  };
}
