import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../../../test/app.js";
import { BrowserClient, signedInStaff, signedUpCitizen } from "../../../test/browser-client.js";
import { institution } from "../../../test/factories.js";
import { importCatalogue } from "./catalogue.js";

let t: TestApp;
let A: string; // the institution under test
let B: string; // another institution
beforeAll(async () => {
  t = await openTestApp();
  A = institution().acronym;
  B = institution().acronym;
  const report = await importCatalogue(t.ctx, {
    institutions: [{ value: institution({ acronym: A }) }, { value: institution({ acronym: B }) }],
  });
  expect(report.written).toBe(true);
});
afterAll(() => t.close());

let seq = 0;
const newKey = (acronym: string) => `${acronym}-09-${String(++seq).padStart(3, "0")}`;

/** Every field the catalogue needs, as the editor's form posts them. */
function completeForm(homoclave: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    homoclave,
    kind: "tramite",
    audience: "persona_fisica",
    "citizenName.es": "Pedir una constancia de residencia",
    "officialName.es": "Expedición de constancia de residencia",
    "description.es": "Te damos un papel que dice dónde vives. Sirve para la escuela y el banco.",
    "requirements.0.name.es": "Identificación oficial",
    "requirements.0.original": "on",
    "requirements.0.copies": "1",
    "steps.0.es": "Llena la solicitud en línea.",
    "steps.1.es": "Recoge tu constancia en la oficina.",
    "cost.type": "free",
    maxResolutionDays: "5",
    silenceRule: "afirmativa_ficta",
    requiredAssurance: "verificada",
    "channels.online.url": "https://www.gob.mx/constancia",
    "legalBasis.0.law": "Ley Orgánica Municipal",
    "legalBasis.0.article": "Artículo 12",
    lifeEvents: "identidad-y-documentos",
    "keywords.es": "constancia de domicilio, comprobante de residencia",
    action: "save",
    ...overrides,
  };
}

const draftState = async (homoclave: string) =>
  (
    await sql<{ state: string }>`select state from procedure_versions where homoclave = ${homoclave}
      and state in ('draft', 'in_review', 'sent_back')`.execute(t.ctx.db)
  ).rows[0]?.state ?? null;

const publicStatus = async (homoclave: string) =>
  (await sql<{ status: string }>`select status from procedures where homoclave = ${homoclave}`.execute(t.ctx.db))
    .rows[0]?.status ?? null;

describe("the editorial workflow", () => {
  it("an editor drafts, a reviewer publishes, the procedure shows in search; changes make versions that can be compared", async () => {
    const editor = await signedInStaff(t.app, t.ctx, [{ institution: A, role: "editor" }]);
    const reviewer = await signedInStaff(t.app, t.ctx, [{ institution: A, role: "reviewer" }]);
    const key = newKey(A);

    // An incomplete draft can be saved; submitting it lists what is missing.
    const partial = await editor.client.submit("/gestion/tramites/nuevo", {
      institution: A,
      homoclave: key,
      "citizenName.es": "Pedir una constancia",
      action: "save",
    });
    expect(partial.statusCode).toBe(303);
    expect(partial.headers.location).toBe(`/gestion/tramites/${key}?aviso=guardado`);
    const open = await editor.client.get(`/gestion/tramites/${key}`);
    expect(open.body).toContain("Falta para enviar a revisión");
    const refused = await editor.client.post(`/gestion/tramites/${key}`, {
      "citizenName.es": "Pedir una constancia",
      action: "submit",
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#description.es"');
    expect(await draftState(key)).toBe("draft");

    // "Add another step" shows a new empty row without JavaScript.
    const more = await editor.client.post(`/gestion/tramites/${key}`, { ...completeForm(key), action: "add-steps" });
    expect(more.statusCode).toBe(200);
    expect(more.body).toContain('name="steps.2.es"');

    const submitted = await editor.client.post(`/gestion/tramites/${key}`, { ...completeForm(key), action: "submit" });
    expect(submitted.statusCode).toBe(303);
    expect(await draftState(key)).toBe("in_review");
    // Editors cannot publish.
    await editor.client.get(`/gestion/tramites/${key}/revision`);
    expect((await editor.client.post(`/gestion/tramites/${key}/publicar`)).statusCode).toBe(403);
    expect(await publicStatus(key)).toBeNull();

    const review = await reviewer.client.get(`/gestion/tramites/${key}/revision`);
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain("vt-diff__line--added");
    expect(review.body).toContain("Legibilidad (Fernández-Huerta)");
    const published = await reviewer.client.post(`/gestion/tramites/${key}/publicar`);
    expect(published.statusCode).toBe(303);
    expect(await publicStatus(key)).toBe("published");
    const page = await new BrowserClient(t.app).get(`/tramites/${key}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Pedir una constancia de residencia");
    expect(page.body).toContain("Cuenta con identidad verificada");
    const today = new Intl.DateTimeFormat("es-MX", { dateStyle: "long", timeZone: "America/Mexico_City" }).format(
      new Date(),
    );
    expect(page.body).toContain(today);
    const search = await t.app.inject({
      method: "GET",
      url: `/api/v1/procedures?q=${encodeURIComponent("constancia de residencia")}&institution=${A}`,
    });
    expect(JSON.parse(search.body).data.map((d: { homoclave: string }) => d.homoclave)).toContain(key);

    // A change, published: version 2, and the comparison shows it.
    await editor.client.get(`/gestion/tramites/${key}`);
    await editor.client.post(`/gestion/tramites/${key}`, {
      ...completeForm(key, { "cost.type": "fixed", "cost.amountMxn": "150" }),
      action: "submit",
    });
    await reviewer.client.get(`/gestion/tramites/${key}/revision`);
    await reviewer.client.post(`/gestion/tramites/${key}/publicar`);
    const versions = await reviewer.client.get(`/gestion/tramites/${key}/versiones`);
    expect(versions.statusCode).toBe(200);
    const compare = await reviewer.client.get(`/gestion/tramites/${key}/comparar?de=1&a=2`);
    expect(compare.statusCode).toBe(200);
    expect(compare.body).toMatch(/<del[^>]*>.*Costo: gratuito/s);
    expect(compare.body).toMatch(/<ins[^>]*>.*Costo: \$150 MXN/s);
    expect((await reviewer.client.get(`/gestion/tramites/${key}/comparar?de=1&a=99`)).statusCode).toBe(404);
    expect((await reviewer.client.get(`/gestion/tramites/${key}/comparar?de=x&a=1'`)).statusCode).toBe(400);

    // Retiring takes it off the portal and keeps the history.
    await reviewer.client.get(`/gestion/tramites/${key}/revision`);
    expect((await reviewer.client.post(`/gestion/tramites/${key}/retirar`, { comment: "" })).statusCode).toBe(400);
    expect(
      (await reviewer.client.post(`/gestion/tramites/${key}/retirar`, { comment: "Se fusionó con otro trámite." }))
        .statusCode,
    ).toBe(303);
    expect((await new BrowserClient(t.app).get(`/tramites/${key}`)).statusCode).toBe(404);
    const count = await sql<{
      n: number;
    }>`select count(*)::int as n from procedure_versions where homoclave = ${key} and state = 'published'`.execute(
      t.ctx.db,
    );
    expect(count.rows[0]!.n).toBe(3);
  });

  it("a reviewer sends a draft back with a comment the editor then sees", async () => {
    const editor = await signedInStaff(t.app, t.ctx, [{ institution: A, role: "editor" }]);
    const reviewer = await signedInStaff(t.app, t.ctx, [{ institution: A, role: "reviewer" }]);
    const key = newKey(A);
    await editor.client.submit("/gestion/tramites/nuevo", { ...completeForm(key), institution: A, action: "submit" });
    await reviewer.client.get(`/gestion/tramites/${key}/revision`);
    expect((await reviewer.client.post(`/gestion/tramites/${key}/devolver`, { comment: "x" })).statusCode).toBe(400);
    expect(
      (await reviewer.client.post(`/gestion/tramites/${key}/devolver`, { comment: "Explica mejor los requisitos." }))
        .statusCode,
    ).toBe(303);
    expect(await draftState(key)).toBe("sent_back");
    const back = await editor.client.get(`/gestion/tramites/${key}`);
    expect(back.body).toContain("Explica mejor los requisitos.");
  });

  it("refuses malformed and hostile form input with a message per field, and saves nothing", async () => {
    const editor = await signedInStaff(t.app, t.ctx, [{ institution: A, role: "editor" }]);
    const key = newKey(A);
    await editor.client.get("/gestion/tramites/nuevo");
    const bad = await editor.client.post("/gestion/tramites/nuevo", {
      ...completeForm(key),
      institution: A,
      "citizenName.es": "x".repeat(10_000),
      "channels.online.url": "javascript:alert(1)",
      "__proto__.polluted": "yes",
      "requirements.999.name.es": "ignored row",
      "constructor.prototype.x": "1",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("Es demasiado largo: como máximo 200 caracteres.");
    expect(bad.body).toContain("empiece con https://");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await draftState(key)).toBeNull();
    const badKey = await editor.client.post("/gestion/tramites/nuevo", {
      ...completeForm("'; drop table procedures;--"),
      institution: A,
    });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.body).toContain("homoclave");
    // Someone else's institution, named in the form.
    const other = await editor.client.post("/gestion/tramites/nuevo", { ...completeForm(newKey(B)), institution: B });
    expect(other.statusCode).toBe(403);
  });
});

describe("who may use the back office", () => {
  it("refuses signed-out visitors, citizens, other institutions' staff and wrong roles, and changes nothing", async () => {
    const editor = await signedInStaff(t.app, t.ctx, [{ institution: A, role: "editor" }]);
    const key = newKey(A);
    await editor.client.submit("/gestion/tramites/nuevo", { ...completeForm(key), institution: A, action: "submit" });
    expect(await draftState(key)).toBe("in_review");

    const visitor = new BrowserClient(t.app);
    const citizen = (await signedUpCitizen(t.app, t.ctx)).client;
    const otherReviewer = (
      await signedInStaff(t.app, t.ctx, [
        { institution: B, role: "reviewer" },
        { institution: B, role: "institution-admin" },
      ])
    ).client;
    const caseworker = (await signedInStaff(t.app, t.ctx, [{ institution: A, role: "caseworker" }])).client;

    const routes: { method: "GET" | "POST"; url: string; body?: Record<string, string> }[] = [
      { method: "GET", url: "/gestion" },
      { method: "GET", url: "/gestion/tramites/nuevo" },
      { method: "GET", url: `/gestion/tramites/${key}` },
      {
        method: "POST",
        url: `/gestion/tramites/${key}`,
        body: { ...completeForm(key), "citizenName.es": "Cambiado por otro" },
      },
      { method: "GET", url: `/gestion/tramites/${key}/revision` },
      { method: "POST", url: `/gestion/tramites/${key}/publicar` },
      { method: "POST", url: `/gestion/tramites/${key}/devolver`, body: { comment: "no autorizado" } },
      { method: "POST", url: `/gestion/tramites/${key}/retirar`, body: { comment: "no autorizado" } },
      { method: "GET", url: `/gestion/tramites/${key}/versiones` },
      { method: "GET", url: `/gestion/instituciones/${A}/completitud` },
      { method: "GET", url: `/gestion/instituciones/${A}/personal` },
      {
        method: "POST",
        url: `/gestion/instituciones/${A}/personal`,
        body: { email: "intruso@gob.example.mx", givenNames: "Intruso", surnames: "Uno", role: "reviewer" },
      },
      { method: "GET", url: "/gestion/importar" },
      { method: "GET", url: "/gestion/verificar-identidad" },
    ];
    const expected = {
      citizen: () => [403],
      other: (url: string) =>
        url.includes(`/tramites/${key}`)
          ? [404]
          : url === "/gestion" || url === "/gestion/tramites/nuevo" || url === "/gestion/importar"
            ? [200, 403]
            : [403],
      caseworker: (url: string) => (url === "/gestion" || url === "/gestion/verificar-identidad" ? [200] : [403, 404]),
    };
    for (const r of routes) {
      const send = async (c: BrowserClient) => {
        await c.get("/cuenta/entrar"); // a page with a form, for a fresh CSRF token
        return r.method === "GET" ? c.get(r.url) : c.post(r.url, r.body ?? {});
      };
      const anon = await send(visitor);
      expect(anon.statusCode, `visitor ${r.method} ${r.url}`).toBe(303);
      expect(anon.headers.location, r.url).toMatch(/^\/cuenta\/entrar\?next=/);
      expect(expected.citizen(), `citizen ${r.method} ${r.url}`).toContain((await send(citizen)).statusCode);
      expect(expected.other(r.url), `other institution ${r.method} ${r.url}`).toContain(
        (await send(otherReviewer)).statusCode,
      );
      expect(expected.caseworker(r.url), `wrong role ${r.method} ${r.url}`).toContain(
        (await send(caseworker)).statusCode,
      );
    }
    expect(await draftState(key)).toBe("in_review");
    expect(await publicStatus(key)).toBeNull();
    const intruder = await sql`select 1 from users where email = 'intruso@gob.example.mx'`.execute(t.ctx.db);
    expect(intruder.rows).toHaveLength(0);
  });

  it("sends staff without an authenticator to add one before anything else", async () => {
    const { createStaffAccount } = await import("../accounts/staff.js");
    const email = `nuevo.${seq++}@gob.example.mx`;
    await createStaffAccount(t.ctx, {
      email,
      givenNames: "Nuevo",
      surnames: "Servidor",
      roles: [{ institution: A, role: "editor" }],
      password: "nopal tranvía sombrero lluvia",
    });
    const c = new BrowserClient(t.app);
    const res = await c.submit("/cuenta/entrar", { email, password: "nopal tranvía sombrero lluvia" });
    expect(res.headers.location).toBe("/cuenta/autenticador");
    expect((await c.get("/gestion")).headers.location).toBe("/cuenta/autenticador");
  });
});

describe("staff and identity", () => {
  it("an institution admin invites an editor, who gets a link; removing the role takes effect at once", async () => {
    const admin = await signedInStaff(t.app, t.ctx, [{ institution: A, role: "institution-admin" }]);
    const email = `invitada.${seq++}@gob.example.mx`;
    await admin.client.get(`/gestion/instituciones/${A}/personal`);
    const bad = await admin.client.post(`/gestion/instituciones/${A}/personal`, {
      email: "no-es-correo",
      givenNames: "A",
      surnames: "B",
      role: "superuser",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("Elige un rol de la lista.");
    const ok = await admin.client.post(`/gestion/instituciones/${A}/personal`, {
      email,
      givenNames: "Ana",
      surnames: "Invitada",
      role: "editor",
    });
    expect(ok.statusCode).toBe(303);
    const mail = await sql<{ body: string }>`select body from outbox_mail where recipient = ${email}`.execute(t.ctx.db);
    expect(mail.rows[0]?.body).toMatch(/\/cuenta\/nueva-contrasena\?token=/);
    const list = await admin.client.get(`/gestion/instituciones/${A}/personal`);
    expect(list.body).toContain(email);
    const user = (await sql<{ id: number }>`select id::int as id from users where email = ${email}`.execute(t.ctx.db))
      .rows[0]!;
    expect((await admin.client.post(`/gestion/instituciones/${A}/personal/${user.id}/editor/quitar`)).statusCode).toBe(
      303,
    );
    const roles = await sql`select 1 from memberships where user_id = ${user.id}`.execute(t.ctx.db);
    expect(roles.rows).toHaveLength(0);
    const audit = await sql<{
      action: string;
    }>`select action from audit_log where subject = ${`user:${user.id}`} order by id`.execute(t.ctx.db);
    expect(audit.rows.map((r) => r.action)).toEqual(["role.grant", "role.revoke"]);
  });

  it("a caseworker confirms a citizen's identity, who then has the 'verificada' level", async () => {
    const officer = await signedInStaff(t.app, t.ctx, [{ institution: A, role: "caseworker" }]);
    const citizen = await signedUpCitizen(t.app, t.ctx);
    await officer.client.get("/gestion/verificar-identidad");
    const bad = await officer.client.post("/gestion/verificar-identidad", {
      curp: "PEGL890909MJCRMS09",
      method: "ine",
      documentReference: "123",
    });
    expect(bad.statusCode).toBe(400);
    const unknown = await officer.client.post("/gestion/verificar-identidad", {
      curp: "HEGG560427MVZRRL04",
      method: "ine",
      documentReference: "IDMEX123",
    });
    expect(unknown.statusCode).toBe(404);
    const ok = await officer.client.post("/gestion/verificar-identidad", {
      curp: citizen.curp,
      method: "ine",
      documentReference: "IDMEX1234567",
    });
    expect(ok.statusCode).toBe(200);
    const data = JSON.parse((await citizen.client.get("/cuenta/mis-datos.json")).body);
    expect(data.account.assuranceLevel).toBe("verificada");
    expect(data.identityVerifications[0]).toMatchObject({ method: "ine", verifiedBy: "Ramón Servidor Público" });
  });
});

describe("import as a staff action", () => {
  const multipart = (csrf: string, filename: string, content: string, type: string) => {
    const boundary = "----vt" + Math.random().toString(16).slice(2);
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n${content}\r\n--${boundary}--\r\n`;
    return { body, type: `multipart/form-data; boundary=${boundary}` };
  };
  const upload = async (
    c: BrowserClient,
    filename: string,
    content: string,
    type = "application/json",
    csrf?: string,
  ) => {
    await c.get("/gestion/importar");
    const m = multipart(csrf ?? c.csrf, filename, content, type);
    return t.app.inject({
      method: "POST",
      url: "/gestion/importar",
      payload: m.body,
      headers: { "content-type": m.type, cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
  };

  it("imports a reviewer's own institution's procedures, keeps versions, and refuses others' or broken files", async () => {
    const reviewer = await signedInStaff(t.app, t.ctx, [{ institution: A, role: "reviewer" }]);
    const { procedure } = await import("../../../test/factories.js");
    const mine = procedure(A);
    const ok = await upload(
      reviewer.client,
      "tramites.json",
      JSON.stringify({ format: "ventanilla-catalogue/1", procedures: [mine] }),
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain("1 nuevos, 0 actualizados");
    const versions = await sql<{
      n: number;
    }>`select count(*)::int as n from procedure_versions where homoclave = ${mine.homoclave}`.execute(t.ctx.db);
    expect(versions.rows[0]!.n).toBe(1);

    const theirs = procedure(B);
    const forbidden = await upload(
      reviewer.client,
      "tramites.json",
      JSON.stringify({ format: "ventanilla-catalogue/1", procedures: [theirs] }),
    );
    expect(forbidden.statusCode).toBe(403);
    expect(await publicStatus(theirs.homoclave)).toBeNull();

    const broken = await upload(reviewer.client, "tramites.json", "{ not json");
    expect(broken.statusCode).toBe(400);
    expect(broken.body).toContain("no es un JSON válido");
    const invalid = await upload(
      reviewer.client,
      "tramites.json",
      JSON.stringify({ format: "ventanilla-catalogue/1", procedures: [{ ...procedure(A), kind: "otro" }] }),
    );
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain("no se guardó nada");
    const noToken = await upload(
      reviewer.client,
      "tramites.json",
      JSON.stringify({ format: "ventanilla-catalogue/1", procedures: [procedure(A)] }),
      "application/json",
      "forged",
    );
    expect(noToken.statusCode).toBe(403);
  });
});
