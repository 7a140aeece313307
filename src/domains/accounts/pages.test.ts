import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BrowserClient,
  freshCurp,
  freshEmail,
  GOOD_PASSWORD,
  lastMailTo,
  signedUpCitizen,
  totpCode,
} from "../../../test/browser-client.js";
import { openTestApp, type TestApp } from "../../../test/app.js";
import { verifyAuditChain } from "../../platform/audit.js";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

const userCount = async () =>
  (await sql<{ n: number }>`select count(*)::int as n from users`.execute(t.ctx.db)).rows[0]!.n;
const tokenOf = (link: string) => new URL(`http://x${link}`).searchParams.get("token")!;
const withClock = async <T>(at: Date, fn: () => Promise<T>): Promise<T> => {
  const real = t.ctx.clock;
  t.ctx.clock = () => at;
  try {
    return await fn();
  } finally {
    t.ctx.clock = real;
  }
};

describe("sign up and email verification", () => {
  it("creates a citizen, sends a one-time link, and confirms the email only by POST", async () => {
    const c = new BrowserClient(t.app);
    const email = freshEmail();
    const form = await c.get("/cuenta/registro");
    expect(form.statusCode).toBe(200);
    expect(form.headers["cache-control"]).toBe("no-store");
    const res = await c.post("/cuenta/registro", {
      curp: freshCurp().toLowerCase(),
      email,
      password: GOOD_PASSWORD,
      givenNames: "Lucía",
      surnames: "Pérez Gómez",
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/cuenta/revisa-tu-correo");
    const mail = await lastMailTo(t.ctx, email);
    expect(mail?.subject).toMatch(/Confirma tu correo/);
    expect(mail?.link).toMatch(/^\/cuenta\/verificar\?token=/);
    // Opening the link does not use it up (mail scanners open links); the button does.
    await c.get(mail!.link!);
    await c.get(mail!.link!);
    const confirm = await c.post("/cuenta/verificar", { token: tokenOf(mail!.link!) });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain("Tu correo quedó confirmado");
    const row = (
      await sql<{ v: string | null }>`select email_verified_at::text as v from users where email = ${email}`.execute(
        t.ctx.db,
      )
    ).rows[0]!;
    expect(row.v).not.toBeNull();
    // A used link is refused.
    const again = await c.post("/cuenta/verificar", { token: tokenOf(mail!.link!) });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain("ya se usó o caducó");
  });

  it("refuses each bad field with its own message, in the page's language, and stores nothing", async () => {
    const before = await userCount();
    const c = new BrowserClient(t.app);
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ curp: "PEGL890909MJCRMS09" }, "curp", /último dígito/],
      [{ curp: "PEGL891313MJCRMS06" }, "curp", /fecha de nacimiento/],
      [{ curp: "PEGL890909MQQRMS02" }, "curp", /clave de un estado/],
      [{ curp: "BACA890909MJCRMS05" }, "curp", /RENAPO reemplaza|forma correcta/],
      [{ curp: "<script>alert(1)</script>" }, "curp", /18 caracteres/],
      [{ email: "no-es-un-correo" }, "email", /correo electrónico válido/],
      [{ email: `${"a".repeat(300)}@x.mx` }, "email", /correo electrónico válido/],
      [{ password: "corta" }, "password", /al menos 10/],
      [{ password: "password123" }, "password", /filtradas/],
      [{ givenNames: "" }, "givenNames", /nombre/],
      [{ surnames: "x".repeat(5000) }, "surnames", /apellidos/],
      [{ givenNames: "Robert'); DROP TABLE users;--" }, "givenNames", /nombre/],
    ];
    for (const [override, fieldName, message] of cases) {
      const fields = {
        curp: freshCurp(),
        email: freshEmail(),
        password: GOOD_PASSWORD,
        givenNames: "Ana",
        surnames: "Ruiz",
        ...override,
      };
      const res = await c.submit("/cuenta/registro", fields);
      expect(res.statusCode, JSON.stringify(override)).toBe(400);
      expect(res.body).toContain("govuk-error-summary");
      expect(res.body).toContain(`href="#${fieldName}"`);
      expect(res.body).toMatch(message);
      expect(res.body).not.toContain("<script>alert(1)</script>");
    }
    const en = await c.submit("/en/account/sign-up", {
      curp: "PEGL890909MJCRMS09",
      email: freshEmail(),
      password: GOOD_PASSWORD,
      givenNames: "Ana",
      surnames: "Ruiz",
    });
    expect(en.statusCode).toBe(400);
    expect(en.body).toContain("The last digit of the CURP does not match");
    expect(await userCount()).toBe(before);
  });

  it("answers the same for an email that already has an account, and tells its owner instead", async () => {
    const { email } = await signedUpCitizen(t.app, t.ctx);
    const before = await userCount();
    const c = new BrowserClient(t.app);
    const res = await c.submit("/cuenta/registro", {
      curp: freshCurp(),
      email: email.toUpperCase(),
      password: GOOD_PASSWORD,
      givenNames: "Otra",
      surnames: "Persona",
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/cuenta/revisa-tu-correo");
    expect(await userCount()).toBe(before);
    expect((await lastMailTo(t.ctx, email))?.subject).toMatch(/Ya tienes una cuenta/);
  });
});

describe("forms are protected against cross-site posts", () => {
  it("refuses a post without a token, with a forged token, or with another visitor's token", async () => {
    const before = await userCount();
    const fields = {
      curp: freshCurp(),
      email: freshEmail(),
      password: GOOD_PASSWORD,
      givenNames: "Ana",
      surnames: "Ruiz",
    };
    const stranger = new BrowserClient(t.app);
    const none = await stranger.post("/cuenta/registro", { ...fields, _csrf: "" });
    expect(none.statusCode).toBe(403);
    expect(none.body).toContain("Este formulario caducó o no vino de este sitio");
    await stranger.get("/cuenta/registro");
    const forged = await stranger.post("/cuenta/registro", { ...fields, _csrf: "forged-token-123" });
    expect(forged.statusCode).toBe(403);
    const other = new BrowserClient(t.app);
    await other.get("/cuenta/registro");
    const attacker = new BrowserClient(t.app);
    await attacker.get("/cuenta/entrar");
    const crossed = await attacker.post("/cuenta/registro", { ...fields, _csrf: other.csrf });
    expect(crossed.statusCode).toBe(403);
    expect(await userCount()).toBe(before);
  });
});

describe("sign in", () => {
  it("gives the same message for an unknown email and a wrong password, and sets a strict rotated cookie", async () => {
    const { email } = await signedUpCitizen(t.app, t.ctx);
    const c = new BrowserClient(t.app, "198.51.100.7");
    const unknown = await c.submit("/cuenta/entrar", { email: freshEmail(), password: GOOD_PASSWORD });
    const wrong = await c.submit("/cuenta/entrar", { email, password: "otra contraseña cualquiera" });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    const message = (b: string) =>
      /<p class="govuk-body">([^<]+)<\/p>/.exec(b.slice(b.indexOf("govuk-error-summary")))?.[1];
    expect(message(unknown.body)).toBe("El correo o la contraseña no son correctos.");
    expect(message(wrong.body)).toBe(message(unknown.body));

    const ok = await c.submit("/cuenta/entrar", { email, password: GOOD_PASSWORD });
    expect(ok.statusCode).toBe(303);
    const cookie = (
      ok.cookies as {
        name: string;
        path?: string;
        secure?: boolean;
        httpOnly?: boolean;
        sameSite?: string;
        domain?: string;
      }[]
    ).find((x) => x.name === "__Host-vt_session");
    expect(cookie).toMatchObject({ path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
    expect(cookie?.domain).toBeUndefined();
    const first = c.cookies.get("__Host-vt_session");
    await c.submit("/cuenta/entrar?next=/cuenta", {}, "/cuenta/salir");
    await c.submit("/cuenta/entrar", { email, password: GOOD_PASSWORD });
    expect(c.cookies.get("__Host-vt_session")).not.toBe(first);
    const account = await c.get("/cuenta");
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain("Lucía Pérez Gómez");
  });

  it("throttles an email from one address without locking its owner out elsewhere, and lets go after 15 minutes", async () => {
    const { email } = await signedUpCitizen(t.app, t.ctx);
    const attacker = new BrowserClient(t.app, "192.0.2.66");
    const start = new Date();
    for (let i = 0; i < 5; i++) {
      const r = await attacker.submit("/cuenta/entrar", { email, password: `intento equivocado ${i}` });
      expect(r.statusCode).toBe(401);
    }
    const locked = await attacker.submit("/cuenta/entrar", { email, password: GOOD_PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain("Demasiados intentos fallidos");
    // The owner, elsewhere, is not locked out.
    const owner = new BrowserClient(t.app, "203.0.113.200");
    expect((await owner.submit("/cuenta/entrar", { email, password: GOOD_PASSWORD })).statusCode).toBe(303);
    // Sixteen minutes later the address may try again.
    const later = await withClock(new Date(start.getTime() + 16 * 60_000), () =>
      attacker.submit("/cuenta/entrar", { email, password: GOOD_PASSWORD }),
    );
    expect(later.statusCode).toBe(303);
  });

  it("locks an account attacked from many addresses, except where its owner signs in, until a reset", async () => {
    const { email, client: owner } = await signedUpCitizen(t.app, t.ctx, { address: "203.0.113.31" });
    await owner.post("/cuenta/salir");
    for (let i = 0; i < 20; i++) {
      const bot = new BrowserClient(t.app, `198.51.100.${100 + i}`);
      expect((await bot.submit("/cuenta/entrar", { email, password: `adivinanza número ${i}` })).statusCode).toBe(401);
    }
    const stranger = new BrowserClient(t.app, "198.51.100.250");
    const locked = await stranger.submit("/cuenta/entrar", { email, password: GOOD_PASSWORD });
    expect(locked.statusCode).toBe(429);
    // The owner's usual address still works.
    expect((await owner.submit("/cuenta/entrar", { email, password: GOOD_PASSWORD })).statusCode).toBe(303);
    // A reset by email lifts the lock everywhere.
    await stranger.submit("/cuenta/recuperar", { email });
    const mail = await lastMailTo(t.ctx, email);
    await stranger.submit(
      mail!.link!,
      { token: tokenOf(mail!.link!), password: "guayaba cometa piano desierto" },
      "/cuenta/nueva-contrasena",
    );
    expect(
      (await stranger.submit("/cuenta/entrar", { email, password: "guayaba cometa piano desierto" })).statusCode,
    ).toBe(303);
  });

  it("only follows local paths after sign-in", async () => {
    const { email } = await signedUpCitizen(t.app, t.ctx);
    const c = new BrowserClient(t.app, "203.0.113.77");
    for (const next of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
      const r = await c.submit(
        `/cuenta/entrar?next=${encodeURIComponent(next)}`,
        { email, password: GOOD_PASSWORD },
        `/cuenta/entrar?next=${encodeURIComponent(next)}`,
      );
      expect(r.headers.location).toBe("/cuenta");
      await c.post("/cuenta/salir");
    }
  });
});

describe("sessions", () => {
  it("treats a tampered or unknown cookie as signed out", async () => {
    const { client } = await signedUpCitizen(t.app, t.ctx);
    const token = client.cookies.get("__Host-vt_session")!;
    client.cookies.set("__Host-vt_session", `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`);
    const res = await client.get("/cuenta");
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/cuenta/entrar?next=%2Fcuenta");
    client.cookies.set("__Host-vt_session", "' or 1=1 --");
    expect((await client.get("/cuenta")).statusCode).toBe(303);
  });

  it("ends after the idle timeout and after the absolute timeout", async () => {
    const { client } = await signedUpCitizen(t.app, t.ctx);
    const now = Date.now();
    // Active every 20 minutes: still signed in after an hour...
    for (const minutes of [20, 40, 60]) {
      const r = await withClock(new Date(now + minutes * 60_000), () => client.get("/cuenta"));
      expect(r.statusCode, `${minutes} min`).toBe(200);
    }
    // ...but not after 31 idle minutes.
    const idle = await withClock(new Date(now + 91 * 60_000 + 1000), () => client.get("/cuenta"));
    expect(idle.statusCode).toBe(303);

    const other = await signedUpCitizen(t.app, t.ctx);
    let last: number | undefined;
    for (let minutes = 25; minutes <= 13 * 60; minutes += 25) {
      last = (await withClock(new Date(now + minutes * 60_000), () => other.client.get("/cuenta"))).statusCode;
      if (last !== 200) {
        expect(minutes).toBeGreaterThan(12 * 60);
        break;
      }
    }
    expect(last).toBe(303);
  });

  it("lists sessions, ends one, refuses another person's session id, and signs out everywhere", async () => {
    const a = await signedUpCitizen(t.app, t.ctx);
    const second = new BrowserClient(t.app, "203.0.113.99");
    await second.submit("/cuenta/entrar", { email: a.email, password: GOOD_PASSWORD });
    const b = await signedUpCitizen(t.app, t.ctx);
    const bSession = (
      await sql<{
        id: number;
      }>`select id::int as id from sessions where user_id = ${b.userId} and revoked_at is null`.execute(t.ctx.db)
    ).rows[0]!.id;

    const list = await a.client.get("/cuenta/sesiones");
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain("203.0.113.99");
    expect(list.body).toContain("Esta sesión");

    const foreign = await a.client.post(`/cuenta/sesiones/${bSession}/cerrar`);
    expect(foreign.statusCode).toBe(404);
    expect((await b.client.get("/cuenta")).statusCode).toBe(200);

    const secondId = (
      await sql<{
        id: number;
      }>`select id::int as id from sessions where user_id = ${a.userId} and address = '203.0.113.99' and revoked_at is null`.execute(
        t.ctx.db,
      )
    ).rows[0]!.id;
    await a.client.get("/cuenta/sesiones");
    expect((await a.client.post(`/cuenta/sesiones/${secondId}/cerrar`)).statusCode).toBe(303);
    expect((await second.get("/cuenta")).statusCode).toBe(303);

    await a.client.get("/cuenta/sesiones");
    expect((await a.client.post("/cuenta/salir-de-todo")).statusCode).toBe(303);
    expect((await a.client.get("/cuenta")).statusCode).toBe(303);
  });
});

describe("second factor", () => {
  it("sets up TOTP, then asks for a code at sign-in, refuses a replayed code, and takes a recovery code once", async () => {
    const { client, email, userId } = await signedUpCitizen(t.app, t.ctx, { address: "203.0.113.150" });
    const setup = await client.get("/cuenta/autenticador");
    expect(setup.statusCode).toBe(200);
    expect(setup.body).toContain("<svg");
    const secret = /<code class="vt-break">([A-Z2-7]+)<\/code>/.exec(setup.body)![1]!;
    const bad = await client.post("/cuenta/autenticador", { code: "000000" });
    expect(bad.statusCode).toBe(400);
    const ok = await client.post("/cuenta/autenticador", { code: await totpCode(t.ctx, secret) });
    expect(ok.statusCode).toBe(200);
    const codes = [...ok.body.matchAll(/<code>([0-9a-f]{5}-[0-9a-f]{5})<\/code>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);

    const c = new BrowserClient(t.app, "203.0.113.151");
    const step1 = await c.submit("/cuenta/entrar", { email, password: GOOD_PASSWORD });
    expect(step1.headers.location).toBe("/cuenta/segundo-factor");
    // Half signed in: nothing else is open yet.
    expect((await c.get("/cuenta")).headers.location).toBe("/cuenta/segundo-factor?next=%2Fcuenta");
    const wrong = await c.submit("/cuenta/segundo-factor", { code: "123456" });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain("El código no es correcto");
    // The code used at setup belongs to the same time step: a replay.
    const replay = await c.submit("/cuenta/segundo-factor", { code: await totpCode(t.ctx, secret) });
    expect(replay.statusCode).toBe(400);
    const recovery = await c.submit("/cuenta/segundo-factor", { code: codes[0]! });
    expect(recovery.statusCode).toBe(303);
    expect((await c.get("/cuenta")).statusCode).toBe(200);

    const d = new BrowserClient(t.app, "203.0.113.152");
    await d.submit("/cuenta/entrar", { email, password: GOOD_PASSWORD });
    expect((await d.submit("/cuenta/segundo-factor", { code: codes[0]! })).statusCode).toBe(400);
    const next = await withClock(new Date(Date.now() + 30_000), async () =>
      d.submit("/cuenta/segundo-factor", { code: await totpCode(t.ctx, secret) }),
    );
    expect(next.statusCode).toBe(303);
    const history = await d.get("/cuenta/historial");
    expect(history.body).toContain("Diste tu segundo factor");
    expect(userId).toBeGreaterThan(0);
  });
});

describe("recovery", () => {
  it("sends a link only to real accounts, answers the same either way, and the link works once", async () => {
    const { client, email } = await signedUpCitizen(t.app, t.ctx);
    const c = new BrowserClient(t.app, "203.0.113.160");
    const unknown = await c.submit("/cuenta/recuperar", { email: freshEmail() });
    const known = await c.submit("/cuenta/recuperar", { email });
    expect(unknown.statusCode).toBe(200);
    expect(known.statusCode).toBe(200);
    expect(unknown.body).toContain("Si hay una cuenta con ese correo");
    expect(known.body).toContain("Si hay una cuenta con ese correo");
    const mail = await lastMailTo(t.ctx, email);
    expect(mail?.link).toMatch(/^\/cuenta\/nueva-contrasena\?token=/);
    const weak = await c.submit(
      mail!.link!,
      { token: tokenOf(mail!.link!), password: "123456789" },
      "/cuenta/nueva-contrasena",
    );
    expect(weak.statusCode).toBe(400);
    const done = await c.submit(
      mail!.link!,
      { token: tokenOf(mail!.link!), password: "guayaba cometa piano desierto" },
      "/cuenta/nueva-contrasena",
    );
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain("Tu contraseña cambió");
    expect((await client.get("/cuenta")).statusCode).toBe(303);
    const replay = await c.submit(
      mail!.link!,
      { token: tokenOf(mail!.link!), password: "otra frase larga distinta" },
      "/cuenta/nueva-contrasena",
    );
    expect(replay.statusCode).toBe(400);
    expect((await c.submit("/cuenta/entrar", { email, password: "guayaba cometa piano desierto" })).statusCode).toBe(
      303,
    );
  });

  it("refuses an expired link", async () => {
    const { email } = await signedUpCitizen(t.app, t.ctx);
    const c = new BrowserClient(t.app);
    await c.submit("/cuenta/recuperar", { email });
    const mail = await lastMailTo(t.ctx, email);
    const late = await withClock(new Date(Date.now() + 61 * 60_000), () =>
      c.submit(
        mail!.link!,
        { token: tokenOf(mail!.link!), password: "guayaba cometa piano desierto" },
        "/cuenta/nueva-contrasena",
      ),
    );
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain("caducó");
  });
});

describe("my data", () => {
  it("shows and downloads everything held about the person, and records the export", async () => {
    const { client, curp, email, userId } = await signedUpCitizen(t.app, t.ctx);
    const page = await client.get("/cuenta/mis-datos");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(curp);
    const json = await client.get("/cuenta/mis-datos.json");
    expect(json.headers["content-disposition"]).toContain("attachment");
    const data = JSON.parse(json.body);
    expect(data.account).toMatchObject({ curp, email, assuranceLevel: "basica" });
    expect(data.securityEvents.map((e: { action: string }) => e.action)).toContain("account.sign_in");
    expect(data.securityEvents.map((e: { action: string }) => e.action)).toContain("data.export");
    const exports = await sql<{ n: number }>`select count(*)::int as n from audit_log
      where action = 'data.export' and subject = ${`user:${userId}`}`.execute(t.ctx.db);
    expect(exports.rows[0]!.n).toBe(2);
  });

  it("is not there for a signed-out visitor", async () => {
    const c = new BrowserClient(t.app);
    const res = await c.get("/cuenta/mis-datos.json");
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/cuenta\/entrar\?next=/);
  });
});

describe("the security audit log", () => {
  it("chains every entry, refuses changes, and shows tampering", async () => {
    await signedUpCitizen(t.app, t.ctx);
    const before = await verifyAuditChain(t.ctx.db);
    expect(before.ok).toBe(true);
    await expect(sql`update audit_log set action = 'x' where id = 1`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where id = 1`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    // Someone with the database owner's rights goes around the trigger: the chain shows it.
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(t.ctx.db);
    await sql`update audit_log set address = '10.0.0.1' where id = 2`.execute(t.ctx.db);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(t.ctx.db);
    expect(await verifyAuditChain(t.ctx.db)).toEqual({ ok: false, brokenAt: 2 });
  });
});

describe("ARCO rights", () => {
  it("corrects names directly, records a request with its folio and due date, and the officer answers it", async () => {
    const { client, email, userId } = await signedUpCitizen(t.app, t.ctx);
    await client.get("/cuenta/mis-datos");
    const badName = await client.post("/cuenta/mis-datos/corregir", {
      givenNames: "<b>x</b>",
      surnames: "Pérez",
      preferredLang: "es",
    });
    expect(badName.statusCode).toBe(400);
    expect(badName.body).toContain("Escribe tu nombre con letras.");
    const fixed = await client.post("/cuenta/mis-datos/corregir", {
      givenNames: "Lucía Fernanda",
      surnames: "Pérez Gómez",
      preferredLang: "en",
    });
    expect(fixed.statusCode).toBe(303);
    expect((await client.get("/cuenta")).body).toContain("Lucía Fernanda Pérez Gómez");

    await client.get("/cuenta/mis-datos");
    const short = await client.post("/cuenta/mis-datos/solicitud", { right: "cancellation", details: "borrar" });
    expect(short.statusCode).toBe(400);
    const unknownRight = await client.post("/cuenta/mis-datos/solicitud", {
      right: "delete-everything",
      details: "Quiero que borren todo lo mío.",
    });
    expect(unknownRight.statusCode).toBe(400);
    const filed = await client.post("/cuenta/mis-datos/solicitud", {
      right: "opposition",
      details: "No quiero recibir encuestas de satisfacción.",
    });
    expect(filed.statusCode).toBe(303);
    const folio = /aviso=(ARCO-[\w-]+)/.exec(filed.headers.location as string)![1]!;
    const mail = await lastMailTo(t.ctx, email);
    expect(mail?.body).toContain(folio);
    const row = (
      await sql<{ due: string; received: string }>`select due_on::text as due, received_at::date::text as received
      from arco_requests where folio = ${folio}`.execute(t.ctx.db)
    ).rows[0]!;
    expect(row.due > row.received).toBe(true);

    // Citizens and staff who are not the data protection officer cannot see or answer requests.
    await client.get("/cuenta");
    expect((await client.get("/gestion/solicitudes-arco")).statusCode).toBe(403);
    const { signedInStaff } = await import("../../../test/browser-client.js");
    const editor = await signedInStaff(t.app, t.ctx, [{ institution: "SRE", role: "editor" }]);
    expect((await editor.client.get("/gestion/solicitudes-arco")).statusCode).toBe(403);
    const id = (
      await sql<{ id: number }>`select id::int as id from arco_requests where folio = ${folio}`.execute(t.ctx.db)
    ).rows[0]!.id;
    await editor.client.get("/gestion");
    expect(
      (
        await editor.client.post(`/gestion/solicitudes-arco/${id}/responder`, {
          status: "denied",
          answer: "No procede porque sí.",
        })
      ).statusCode,
    ).toBe(403);

    const officer = await signedInStaff(t.app, t.ctx, [], { platformAdmin: true });
    const list = await officer.client.get("/gestion/solicitudes-arco");
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(folio);
    const answered = await officer.client.post(`/gestion/solicitudes-arco/${id}/responder`, {
      status: "granted",
      answer: "Dejamos de usar tus datos para encuestas desde hoy.",
    });
    expect(answered.statusCode).toBe(303);
    const again = await officer.client.post(`/gestion/solicitudes-arco/${id}/responder`, {
      status: "denied",
      answer: "Otra respuesta distinta.",
    });
    expect(again.statusCode).toBe(409);
    const data = JSON.parse((await client.get("/cuenta/mis-datos.json")).body);
    expect(data.dataRequests[0]).toMatchObject({ folio, status: "granted" });
    const audit = await sql<{
      action: string;
    }>`select action from audit_log where subject = ${`user:${userId}`} and action like 'arco.%' order by id`.execute(
      t.ctx.db,
    );
    expect(audit.rows.map((r) => r.action)).toEqual(["arco.request", "arco.answer"]);
  });
});

describe("registering applications for Sign in with Ventanilla", () => {
  it("lets a platform admin register one and see its secret once; refuses others and bad addresses", async () => {
    const { signedInStaff } = await import("../../../test/browser-client.js");
    const admin = await signedInStaff(t.app, t.ctx, [], { platformAdmin: true });
    const page = await admin.client.get("/gestion/aplicaciones");
    expect(page.statusCode).toBe(200);
    const bad = await admin.client.post("/gestion/aplicaciones", {
      name: "Trámites SRE",
      redirectUris: "http://evil.example/cb",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("esta no sirve: http://evil.example/cb");
    const ok = await admin.client.post("/gestion/aplicaciones", {
      name: "Trámites SRE",
      redirectUris: "https://tramites.sre.gob.mx/oidc/callback\nhttps://tramites.sre.gob.mx/otra",
    });
    expect(ok.statusCode).toBe(200);
    const secret = /client_secret: <code>([A-Za-z0-9_-]+)<\/code>/.exec(ok.body)?.[1];
    expect(secret).toBeDefined();
    const list = await admin.client.get("/gestion/aplicaciones");
    expect(list.body).toContain("Trámites SRE");
    expect(list.body).not.toContain(secret!);

    const editor = await signedInStaff(t.app, t.ctx, [{ institution: "SRE", role: "institution-admin" }]);
    expect((await editor.client.get("/gestion/aplicaciones")).statusCode).toBe(403);
    await editor.client.get("/gestion");
    expect(
      (await editor.client.post("/gestion/aplicaciones", { name: "Intrusa", redirectUris: "https://x.gob.mx/cb" }))
        .statusCode,
    ).toBe(403);
    const citizen = await signedUpCitizen(t.app, t.ctx);
    expect((await citizen.client.get("/gestion/aplicaciones")).statusCode).toBe(403);
    const clients = await sql<{
      n: number;
    }>`select count(*)::int as n from oidc_clients where client_name = 'Intrusa'`.execute(t.ctx.db);
    expect(clients.rows[0]!.n).toBe(0);
  });
});

describe("housekeeping", () => {
  it("removes sessions ended a month ago, old attempts and spent links, and keeps the rest", async () => {
    const { purgeStaleAccountData } = await import("./accounts.js");
    const { client, userId } = await signedUpCitizen(t.app, t.ctx);
    await sql`insert into sessions (token_hash, user_id, created_at, last_seen_at, expires_at, revoked_at)
      values ('old-session-hash', ${userId}, now() - interval '60 days', now() - interval '60 days',
        now() - interval '59 days', now() - interval '59 days')`.execute(t.ctx.db);
    await sql`insert into sign_in_attempts (at, email_key, address, succeeded, reason)
      values (now() - interval '100 days', 'k', '192.0.2.1', false, 'wrong_password')`.execute(t.ctx.db);
    const removed = await purgeStaleAccountData(t.ctx);
    expect(removed).toBeGreaterThanOrEqual(2);
    const left = await sql`select 1 from sessions where token_hash = 'old-session-hash'`.execute(t.ctx.db);
    expect(left.rows).toHaveLength(0);
    expect((await client.get("/cuenta")).statusCode).toBe(200);
  });
});

describe("an account with an unconfirmed email", () => {
  it("can sign in and see its account, but cannot act until the email is confirmed", async () => {
    const c = new BrowserClient(t.app, "203.0.113.222");
    const email = freshEmail();
    await c.submit("/cuenta/registro", {
      curp: freshCurp(),
      email,
      password: GOOD_PASSWORD,
      givenNames: "Sin",
      surnames: "Confirmar",
    });
    expect((await c.submit("/cuenta/entrar", { email, password: GOOD_PASSWORD })).statusCode).toBe(303);
    const account = await c.get("/cuenta");
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain("Confirma tu correo con el enlace que te enviamos");
    await c.get("/cuenta/mis-datos");
    const request = await c.post("/cuenta/mis-datos/solicitud", {
      right: "access",
      details: "Quiero saber qué datos tienen.",
    });
    expect(request.statusCode).toBe(403);
    expect(request.body).toContain("Primero confirma tu correo");
    const n = await sql<{ n: number }>`select count(*)::int as n from arco_requests a join users u on u.id = a.user_id
      where u.email = ${email}`.execute(t.ctx.db);
    expect(n.rows[0]!.n).toBe(0);
  });
});
