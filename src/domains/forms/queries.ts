/** All SQL of the forms domain. Nothing else touches the `forms` table. */
import { sql } from "kysely";
import type { Db } from "../../platform/db/index.js";
import type { FormDefinition } from "./definition.js";

export type FormState = "draft" | "live" | "retired";

export interface FormRow {
  id: number;
  procedureId: number;
  homoclave: string;
  institution: string;
  institutionId: number;
  version: number;
  state: FormState;
  definition: FormDefinition;
  updatedAt: string;
  publishedAt: string | null;
}

const columns = sql`f.id, f.procedure_id as "procedureId", p.homoclave, i.acronym as institution,
  i.id as "institutionId", f.version,
  f.state, f.definition, f.updated_at::text as "updatedAt", f.published_at::text as "publishedAt"`;
const from = sql`forms f join procedures p on p.id = f.procedure_id join institutions i on i.id = p.institution_id`;

export async function formById(db: Db, id: number): Promise<FormRow | undefined> {
  return (await sql<FormRow>`select ${columns} from ${from} where f.id = ${id}`.execute(db)).rows[0];
}

export async function formOfProcedure(db: Db, homoclave: string, state: FormState): Promise<FormRow | undefined> {
  const r = await sql<FormRow>`select ${columns} from ${from}
    where p.homoclave = ${homoclave} and f.state = ${state} order by f.version desc limit 1`.execute(db);
  return r.rows[0];
}

export async function formVersions(db: Db, homoclave: string): Promise<Omit<FormRow, "definition">[]> {
  const r = await sql<FormRow>`select f.id, f.procedure_id as "procedureId", p.homoclave, i.acronym as institution,
      i.id as "institutionId", f.version, f.state, f.updated_at::text as "updatedAt", f.published_at::text as "publishedAt"
    from ${from} where p.homoclave = ${homoclave} order by f.version desc`.execute(db);
  return r.rows;
}

export async function insertDraft(
  db: Db,
  procedureId: number,
  definition: FormDefinition,
  userId: number | null,
): Promise<number | null> {
  // Two people creating the draft at once: the second insert does nothing (one draft per procedure).
  const r = await sql<{ id: number }>`insert into forms (procedure_id, version, state, definition, created_by)
    values (${procedureId}, (select coalesce(max(version), 0) + 1 from forms where procedure_id = ${procedureId}),
      'draft', ${JSON.stringify(definition)}::jsonb, ${userId})
    on conflict do nothing
    returning id`.execute(db);
  return r.rows[0]?.id ?? null;
}

export async function updateDraft(db: Db, id: number, definition: FormDefinition): Promise<void> {
  await sql`update forms set definition = ${JSON.stringify(definition)}::jsonb, updated_at = now()
    where id = ${id} and state = 'draft'`.execute(db);
}

export async function retireLive(db: Db, procedureId: number): Promise<void> {
  await sql`update forms set state = 'retired', updated_at = now()
    where procedure_id = ${procedureId} and state = 'live'`.execute(db);
}

export async function makeLive(
  db: Db,
  id: number,
  userId: number | null,
  procedureVersion: number | null,
): Promise<void> {
  await sql`update forms set state = 'live', published_by = ${userId}, published_at = now(), updated_at = now(),
      procedure_version = ${procedureVersion}
    where id = ${id}`.execute(db);
}

export async function deleteDraft(db: Db, id: number): Promise<void> {
  await sql`delete from forms where id = ${id} and state = 'draft'
    and not exists (select 1 from application_drafts d where d.form_id = forms.id)`.execute(db);
}

/** The homoclaves of an institution's procedures with their forms' states, for the back office list. */
export async function formsOfInstitution(
  db: Db,
  institution: string,
): Promise<
  { homoclave: string; citizenName: { es: string; en?: string }; live: number | null; draft: number | null }[]
> {
  const r = await sql<{
    homoclave: string;
    citizenName: { es: string; en?: string };
    live: number | null;
    draft: number | null;
  }>`select p.homoclave, p.citizen_name as "citizenName",
      (select version from forms f where f.procedure_id = p.id and f.state = 'live') as live,
      (select version from forms f where f.procedure_id = p.id and f.state = 'draft') as draft
    from procedures p join institutions i on i.id = p.institution_id
    where i.acronym = ${institution} and p.status = 'published'
    order by p.homoclave`.execute(db);
  return r.rows;
}

export async function latestProcedureVersion(db: Db, procedureId: number): Promise<number | null> {
  const r = await sql<{ version: number | null }>`select max(v.version) as version
    from procedure_versions v join procedures p on p.homoclave = v.homoclave
    where p.id = ${procedureId} and v.state = 'published'`.execute(db);
  return r.rows[0]?.version ?? null;
}
