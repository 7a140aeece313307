import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ctx } from "../../platform/context.js";
import { DomainError } from "../../platform/errors.js";
import { openTestCtx, type TestDb } from "../../../test/db.js";
import { institution, procedure } from "../../../test/factories.js";
import { staffMember } from "../../../test/people.js";
import type { Viewer } from "../accounts/sessions.js";
import { getPublishedProcedure, importCatalogue } from "../catalogue/catalogue.js";
import { FORM_FORMAT, type FormDefinition } from "./definition.js";
import * as forms from "./forms.js";

let db: TestDb;
let ctx: Ctx;
let A: string;
let H: string;
let editor: Viewer;
let reviewer: Viewer;
let outsider: Viewer;
beforeAll(async () => {
  ({ db, ctx } = await openTestCtx());
  A = institution().acronym;
  const p = procedure(A);
  H = p.homoclave;
  const report = await importCatalogue(ctx, {
    institutions: [{ value: institution({ acronym: A }) }],
    procedures: [{ value: p }],
  });
  expect(report.written).toBe(true);
  editor = await staffMember(ctx, [{ institution: A, role: "editor" }]);
  reviewer = await staffMember(ctx, [{ institution: A, role: "reviewer" }]);
  outsider = await staffMember(ctx, [{ institution: "IMPI", role: "institution-admin" }]);
});
afterAll(async () => db?.drop());

const code = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: unknown) => (e instanceof DomainError ? e.code : String(e)),
  );
const states = async () =>
  (
    await sql<{ version: number; state: string }>`select f.version, f.state from forms f
      join procedures p on p.id = f.procedure_id where p.homoclave = ${H} order by f.version`.execute(ctx.db)
  ).rows.map((r) => `${r.version}:${r.state}`);

describe("online forms", () => {
  it("starts a form from a seeded procedure: who applies, one upload per requirement sent online, a declaration", async () => {
    const impi = await getPublishedProcedure(ctx, "IMPI-00-001");
    const uploads = impi.record.requirements.filter((r) => r.uploadable);
    expect(uploads.length).toBeGreaterThan(1);
    const def = forms.starterDefinition(impi);
    expect(forms.checkDefinition(def)).toBe(def);
    expect(def.pages.map((p) => p.id)).toEqual(["solicitante", "documentos"]);
    expect(def.pages[0]!.questions.map((q) => q.prefill)).toEqual(["givenNames", "surnames", "curp", "email", "phone"]);
    const files = def.pages[1]!.questions;
    expect(files.map((q) => q.label.es)).toEqual(uploads.map((r) => r.name.es));
    expect(files.every((q) => q.type === "file" && q.file!.kinds.length === 3)).toBe(true);
    expect(def.declaration?.es).toContain("Declaro");

    // Staff of the institution open it as a draft; others do not find it.
    const imStaff = await staffMember(ctx, [{ institution: "IMPI", role: "editor" }]);
    const draft = await forms.openFormDraft(ctx, imStaff, "IMPI-00-001");
    expect(draft).toMatchObject({ version: 1, state: "draft", institution: "IMPI" });
    expect(draft.definition).toEqual(def);
    expect(await code(forms.openFormDraft(ctx, editor, "IMPI-00-001"))).toBe("not_found");
    expect(await code(forms.formForStaff(ctx, editor, draft.id))).toBe("not_found");
    expect((await forms.formsOfInstitution(ctx, "IMPI")).find((f) => f.homoclave === "IMPI-00-001")).toMatchObject({
      live: null,
      draft: 1,
    });
  });

  it("keeps one draft and one live version at a time; publishing retires the old live version", async () => {
    const first = await forms.openFormDraft(ctx, editor, H);
    expect((await forms.openFormDraft(ctx, editor, H)).id).toBe(first.id);
    expect(await states()).toEqual(["1:draft"]);

    // Only reviewers publish, and only what is valid is saved.
    expect(await code(forms.publishForm(ctx, editor, first.id))).toBe("forbidden");
    expect(await code(forms.publishForm(ctx, outsider, first.id))).toBe("not_found");
    const broken = structuredClone(first.definition);
    broken.pages.push({ id: "fin", kind: "exit", title: { es: "Fin" }, questions: [] });
    expect(await code(forms.saveFormDraft(ctx, editor, first.id, broken))).toBe("invalid");
    expect(await code(forms.saveFormDraft(ctx, editor, first.id, { format: FORM_FORMAT }))).toBe("invalid");
    expect((await forms.formById(ctx, first.id))!.definition).toEqual(first.definition);
    await forms.publishForm(ctx, reviewer, first.id);
    expect(await states()).toEqual(["1:live"]);
    expect((await forms.liveForm(ctx, H))!.id).toBe(first.id);
    expect(await code(forms.saveFormDraft(ctx, editor, first.id, first.definition))).toBe("conflict");

    // The next draft starts from the live version.
    const second = await forms.openFormDraft(ctx, editor, H);
    expect(second.version).toBe(2);
    expect(second.definition).toEqual(first.definition);
    const changed: FormDefinition = structuredClone(second.definition);
    changed.pages[0]!.title = { es: "Quién lo pide", en: "Who is applying" };
    await forms.saveFormDraft(ctx, editor, second.id, changed);
    expect(await states()).toEqual(["1:live", "2:draft"]);
    expect((await forms.liveForm(ctx, H))!.definition).toEqual(first.definition);
    await forms.publishForm(ctx, reviewer, second.id);
    expect(await states()).toEqual(["1:retired", "2:live"]);
    expect((await forms.liveForm(ctx, H))!.definition.pages[0]!.title.es).toBe("Quién lo pide");
    expect((await forms.formVersions(ctx, H)).map((v) => v.version)).toEqual([2, 1]);

    // A draft can be dropped; the live version stays.
    const third = await forms.openFormDraft(ctx, editor, H);
    await forms.discardFormDraft(ctx, editor, third.id);
    expect(await states()).toEqual(["1:retired", "2:live"]);
    expect((await forms.formsOfInstitution(ctx, A))[0]).toMatchObject({ homoclave: H, live: 2, draft: null });
  });

  it("imports a definition into the draft only when it is valid JSON and a valid form", async () => {
    const live = (await forms.liveForm(ctx, H))!;
    expect(await code(forms.importFormDefinition(ctx, editor, H, "{nope"))).toBe("invalid");
    expect(await code(forms.importFormDefinition(ctx, editor, H, JSON.stringify({ format: "x" })))).toBe("invalid");
    expect(await states()).toEqual(["1:retired", "2:live"]);
    const id = await forms.importFormDefinition(ctx, editor, H, JSON.stringify(live.definition));
    expect((await forms.formById(ctx, id))!).toMatchObject({ state: "draft", version: 3, definition: live.definition });
  });
});
