/**
 * Citizen accounts in a real browser, each journey run twice: with JavaScript and without it
 * (every form is a plain HTML form). Every page a journey reaches is audited on the spot with
 * axe-core (WCAG 2.2 AA rules) and checked for horizontal scrolling at 320 px (WCAG 1.4.10);
 * those checks are soft, so one run reports every page that fails, not only the first.
 *
 * Without JavaScript, axe-core audits a scripted copy of each page (the same HTML, CSP and
 * stylesheet, with scripts refused): see Journey in ./helpers.ts, which both this file and
 * e2e/editorial.test.ts use, with the form and link helpers.
 *
 * Cookies: the session cookie is `__Host-vt_session` (Secure). Chromium treats loopback
 * origins (http://127.0.0.1 as well as http://localhost) as potentially trustworthy and keeps
 * Secure cookies set over plain HTTP there, so the journeys use the server's own base URL,
 * http://127.0.0.1:port.
 */
import { readFile } from "node:fs/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accountPaths } from "../src/domains/accounts/paths.js";
import { freshCurp, freshEmail, GOOD_PASSWORD, lastMailTo, signedUpCitizen, totpCode } from "../test/browser-client.js";
import {
  field,
  follow,
  h1,
  Journey,
  pathOf,
  submit,
  summaryRow,
  type E2eApp,
  useSession,
  type Visit,
  WITH_AND_WITHOUT_JS,
} from "./helpers.js";

let app: E2eApp;
let browser: Browser;

useSession((s) => ({ app, browser } = s));

const es = accountPaths("es");
const en = accountPaths("en");
/** The name signedUpCitizen gives everyone. */
const NAME = "Lucía Pérez Gómez";
const NEW_PASSWORD = "guayaba cometa piano desierto";

/** A citizen with a confirmed email, made over app.inject: the journeys that do not test sign-up start here. */
const citizen = () => signedUpCitizen(app.t.app, app.t.ctx);

/** The newest mail to an address: its link (relative to PUBLIC_URL, so it opens on the test server). */
async function mailLink(email: string, subject: RegExp): Promise<string> {
  const mail = await lastMailTo(app.t.ctx, email);
  expect(mail?.subject).toMatch(subject);
  expect(mail?.link).toMatch(/^\/\S+\?token=/);
  return mail!.link!;
}

describe.each(WITH_AND_WITHOUT_JS)("account journeys $name", ({ js }) => {
  let journey: Journey;
  let visit: Visit;
  let context: BrowserContext;
  let page: Page;

  beforeEach(async () => {
    journey = new Journey(browser, { js, baseURL: app.base, locale: "es-MX" });
    visit = await journey.visit();
    ({ context, page } = visit);
  });
  afterEach(() => journey.close());

  /** Audits the page as it is now, in place (see Journey.audit in ./helpers.ts). */
  const audit = (where: string, lang: "es" | "en" = "es") => journey.audit(visit, where, lang);

  /** Signs in on the sign-in page the browser is on. */
  async function signIn(email: string, password: string): Promise<number> {
    await field(page, "Correo electrónico").fill(email);
    await field(page, "Contraseña").fill(password);
    return submit(page, "Entrar");
  }

  /** From "Mi cuenta", signs out; the browser lands on the home page. */
  async function signOut(): Promise<void> {
    expect(await submit(page, "Salir")).toBe(200);
    expect(pathOf(page)).toBe("/");
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "__Host-vt_session")).toBeUndefined();
  }

  it("signs up, confirms the email from the link in the mail, and signs in", async () => {
    const email = freshEmail();
    const curp = freshCurp();
    const res = await page.goto(es.signUp);
    expect(res?.status()).toBe(200);
    expect(await h1(page)).toBe("Crea tu cuenta");
    await audit("sign-up form");

    await field(page, "CURP").fill(curp);
    await field(page, "Nombre o nombres").fill("Lucía");
    await field(page, "Apellidos").fill("Pérez Gómez");
    await field(page, "Correo electrónico").fill(email);
    await field(page, "Contraseña").fill(GOOD_PASSWORD);
    expect(await submit(page, "Crear cuenta")).toBe(200);
    expect(pathOf(page)).toBe(es.signUpDone);
    expect(await h1(page)).toBe("Revisa tu correo");
    expect(await page.locator("main").innerText()).toContain("Te enviamos un correo con un enlace");
    await audit("check your email (sign-up)");

    // Opening the link shows a button; only pressing it uses the link up.
    const link = await mailLink(email, /Confirma tu correo/);
    expect(link.startsWith(`${es.verify}?`)).toBe(true);
    expect((await page.goto(link))?.status()).toBe(200);
    expect(await h1(page)).toBe("Confirma tu correo");
    await audit("confirm your email");
    expect(await submit(page, "Confirmar mi correo")).toBe(200);
    expect(await h1(page)).toBe("Tu correo quedó confirmado");
    await audit("email confirmed");

    // "Ir a mi cuenta" asks a signed-out visitor to sign in first, and comes back.
    await follow(page, "Ir a mi cuenta", (u) => u.pathname === es.signIn);
    expect(new URL(page.url()).searchParams.get("next")).toBe(es.account);
    expect(await signIn(email, GOOD_PASSWORD)).toBe(200);
    expect(pathOf(page)).toBe(es.account);
    expect(await summaryRow(page, "Nombre").innerText()).toBe(NAME);
    expect(await summaryRow(page, "CURP").innerText()).toBe(curp);
    expect(await summaryRow(page, "Correo electrónico").innerText()).toContain("Confirmado");
  });

  it("signs in without a second factor and sees “Mi cuenta” with the person's name", async () => {
    const { email } = await citizen();
    await page.goto("/");
    // The header's "Mi cuenta" link leads a signed-out visitor to the sign-in page.
    await page.locator("header").getByRole("link", { name: "Mi cuenta" }).click();
    await page.waitForURL((u) => u.pathname === es.signIn);
    expect(await h1(page)).toBe("Entra a tu cuenta");
    await audit("sign in");

    expect(await signIn(email, GOOD_PASSWORD)).toBe(200);
    expect(pathOf(page)).toBe(es.account);
    expect(await h1(page)).toBe("Mi cuenta");
    expect(await summaryRow(page, "Nombre").innerText()).toBe(NAME);
    expect(await summaryRow(page, "Correo electrónico").innerText()).toContain(email);
    await audit("my account");
    const cookie = (await context.cookies()).find((c) => c.name === "__Host-vt_session");
    expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: "Lax", path: "/" });

    await signOut();
    expect((await page.goto(es.account))?.url()).toContain(`${es.signIn}?next=`);
  });

  it("sets up an authenticator, then signs in with a code from it, and with a recovery code", async () => {
    const { email } = await citizen();
    await page.goto(es.signIn);
    expect(await signIn(email, GOOD_PASSWORD)).toBe(200);
    await follow(page, "Agrega una aplicación de autenticación", (u) => u.pathname === es.totpSetup);
    expect(await page.locator("main svg").count()).toBeGreaterThan(0);
    await audit("authenticator setup");

    const secret = (await page.locator("code.vt-break").innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    // A wrong code shows the form again with its error.
    await field(page, "Código de 6 dígitos").fill("000000");
    expect(await submit(page, "Activar")).toBe(400);
    expect(await page.locator(".govuk-error-summary a[href='#code']").count()).toBe(1);
    await audit("authenticator setup, wrong code");
    expect((await page.locator("code.vt-break").innerText()).trim()).toBe(secret);

    const setupCode = await totpCode(app.t.ctx, secret);
    await field(page, "Código de 6 dígitos").fill(setupCode);
    expect(await submit(page, "Activar")).toBe(200);
    expect(await h1(page)).toBe("Segundo factor activado");
    const codes = await page.locator("ul.vt-codes code").allInnerTexts();
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(/^[0-9a-f]{5}-[0-9a-f]{5}$/);
    await audit("recovery codes");

    await follow(page, "Ir a mi cuenta", (u) => u.pathname === es.account);
    expect(await summaryRow(page, "Segundo factor").innerText()).toContain("Aplicación de autenticación activa");
    await signOut();

    // Signing in again asks for the second factor; nothing else opens before it.
    expect((await page.goto(es.signIn))?.status()).toBe(200);
    expect(await signIn(email, GOOD_PASSWORD)).toBe(200);
    expect(pathOf(page)).toBe(es.secondFactor);
    expect(await h1(page)).toBe("Escribe tu código de verificación");
    await audit("second factor");
    expect((await page.goto(es.account))?.url()).toContain(`${es.secondFactor}?next=`);

    // The code used at setup belongs to a time step already used: a replay, refused.
    await field(page, "Código").fill(setupCode);
    expect(await submit(page, "Continuar")).toBe(400);
    expect(await page.locator(".govuk-error-summary").innerText()).toContain("El código no es correcto");
    await audit("second factor, replayed code");

    // The code of the next 30-second step: unused, and within the server's one step of tolerance.
    await field(page, "Código").fill(await totpCode(app.t.ctx, secret, 30));
    expect(await submit(page, "Continuar")).toBe(200);
    expect(pathOf(page)).toBe(es.account);
    expect(await summaryRow(page, "Nombre").innerText()).toBe(NAME);
    expect(await summaryRow(page, "Segundo factor").innerText()).toContain("Te quedan 10 códigos de recuperación.");
    await audit("my account, with a second factor");

    // A recovery code lets the person in once.
    await signOut();
    await page.goto(es.signIn);
    expect(await signIn(email, GOOD_PASSWORD)).toBe(200);
    expect(pathOf(page)).toBe(es.secondFactor);
    await field(page, "Código").fill(codes[0]!);
    expect(await submit(page, "Continuar")).toBe(200);
    expect(pathOf(page)).toBe(es.account);
    expect(await summaryRow(page, "Segundo factor").innerText()).toContain("Te quedan 9 códigos de recuperación.");
  });

  it("recovers an account by email and signs in with the new password", async () => {
    const { email } = await citizen();
    await page.goto(es.signIn);
    await follow(page, "Olvidé mi contraseña", (u) => u.pathname === es.recover);
    expect(await h1(page)).toBe("Recupera tu cuenta");
    await audit("recover");

    await field(page, "Correo electrónico").fill(email);
    expect(await submit(page, "Enviar enlace")).toBe(200);
    expect(await h1(page)).toBe("Revisa tu correo");
    expect(await page.locator("main").innerText()).toContain("Si hay una cuenta con ese correo");
    await audit("check your email (recovery)");

    const link = await mailLink(email, /contraseña/i);
    expect(link.startsWith(`${es.reset}?`)).toBe(true);
    expect((await page.goto(link))?.status()).toBe(200);
    expect(await h1(page)).toBe("Elige una nueva contraseña");
    await audit("new password");
    await field(page, "Nueva contraseña").fill(NEW_PASSWORD);
    expect(await submit(page, "Guardar contraseña")).toBe(200);
    expect(await h1(page)).toBe("Tu contraseña cambió");
    await audit("password changed");

    await follow(page, "Entra con tu nueva contraseña", (u) => u.pathname === es.signIn);
    // The old password no longer works.
    expect(await signIn(email, GOOD_PASSWORD)).toBe(401);
    expect(await page.locator(".govuk-error-summary").innerText()).toContain(
      "El correo o la contraseña no son correctos.",
    );
    await audit("sign in, wrong password");
    expect(await signIn(email, NEW_PASSWORD)).toBe(200);
    expect(pathOf(page)).toBe(es.account);
    expect(await summaryRow(page, "Nombre").innerText()).toBe(NAME);
  });

  it("downloads “Mis datos” as JSON with the CURP and the email", async () => {
    const { email, curp } = await citizen();
    await page.goto(es.signIn);
    expect(await signIn(email, GOOD_PASSWORD)).toBe(200);
    await follow(page, "Mis datos: ver y descargar todo lo que guardamos de ti", (u) => u.pathname === es.myData);
    expect(await h1(page)).toBe("Mis datos");
    expect(await summaryRow(page, "CURP").innerText()).toBe(curp);
    await audit("my data");

    // The link is a plain download (download attribute, attachment response): no script needed.
    const link = page.getByRole("link", { name: "Descargar mis datos (JSON)", exact: true });
    expect(await link.getAttribute("href")).toBe(es.myDataJson);
    const downloading = page.waitForEvent("download");
    await link.click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("mis-datos-ventanilla.json");
    const data = JSON.parse(await readFile(await download.path(), "utf8")) as {
      account: { curp: string; email: string; givenNames: string; surnames: string };
    };
    expect(data.account).toMatchObject({ curp, email, givenNames: "Lucía", surnames: "Pérez Gómez" });
    expect(pathOf(page)).toBe(es.myData);

    // The same URL fetched with the browser's cookies: JSON, an attachment, never cached.
    const res = await context.request.get(es.myDataJson, { maxRedirects: 0 });
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("application/json");
    expect(res.headers()["content-disposition"]).toContain("attachment");
    expect(res.headers()["cache-control"]).toBe("no-store");
    expect(((await res.json()) as typeof data).account.curp).toBe(curp);
    // Signed out, the same URL sends the visitor to sign in instead.
    await context.clearCookies();
    const anonymous = await context.request.get(es.myDataJson, { maxRedirects: 0 });
    expect(anonymous.status()).toBe(303);
    expect(anonymous.headers()["location"]).toContain(es.signIn);
  });

  it("shows the error summary, linked to the field, for a bad CURP", async () => {
    const email = freshEmail();
    await page.goto(es.signUp);
    // A CURP whose last digit (the check digit) is wrong.
    await field(page, "CURP").fill("PEGL890909MJCRMS09");
    await field(page, "Nombre o nombres").fill("Ana");
    await field(page, "Apellidos").fill("Ruiz");
    await field(page, "Correo electrónico").fill(email);
    await field(page, "Contraseña").fill(GOOD_PASSWORD);
    expect(await submit(page, "Crear cuenta")).toBe(400);
    expect(pathOf(page)).toBe(es.signUp);
    expect(await page.title()).toContain("Crea tu cuenta");

    const summary = page.locator(".govuk-error-summary");
    expect(await summary.getByRole("heading", { name: "Hay un problema" }).count()).toBe(1);
    const toField = summary.getByRole("link", { name: /último dígito/ });
    expect(await toField.getAttribute("href")).toBe("#curp");
    // The field shows the same message, tied to the input for screen readers; the values stay.
    const input = page.locator("input#curp");
    expect(await input.getAttribute("aria-describedby")).toContain("curp-error");
    expect(await page.locator("#curp-error").innerText()).toMatch(/último dígito/);
    expect(await input.inputValue()).toBe("PEGL890909MJCRMS09");
    expect(await field(page, "Correo electrónico").inputValue()).toBe(email);
    expect(await field(page, "Contraseña").inputValue()).toBe("");
    if (js) {
      // GOV.UK Frontend's error summary takes the focus when the page loads.
      expect(await page.evaluate(() => document.activeElement?.classList.contains("govuk-error-summary"))).toBe(true);
    }
    await audit("sign-up form with an error");

    await toField.click();
    if (js) {
      // The script moves the focus to the input itself.
      await page.waitForFunction(() => document.activeElement?.id === "curp");
    } else {
      await page.waitForURL((u) => u.hash === "#curp");
    }
    expect(await input.isVisible()).toBe(true);
    expect(await input.evaluate((el) => el.getBoundingClientRect().top >= 0)).toBe(true);
  });

  it.each([
    { name: "sign in", url: en.signIn, title: "Sign in to your account" },
    { name: "sign up", url: en.signUp, title: "Create your account" },
    { name: "recover", url: en.recover, title: "Recover your account" },
  ])("shows the English $name page", async ({ name, url, title }) => {
    const res = await page.goto(url);
    expect(res?.status()).toBe(200);
    expect(await h1(page)).toBe(title);
    await audit(`${name} (English)`, "en");
  });

  it("shows the English sign-up form with an error", async () => {
    await page.goto(en.signUp);
    await field(page, "CURP").fill("PEGL890909MJCRMS09");
    await field(page, "Given name or names").fill("Ana");
    await field(page, "Surnames").fill("Ruiz");
    await field(page, "Email address").fill(freshEmail());
    await field(page, "Password").fill(GOOD_PASSWORD);
    expect(await submit(page, "Create account")).toBe(400);
    const summary = page.locator(".govuk-error-summary");
    expect(await summary.getByRole("heading", { name: "There is a problem" }).count()).toBe(1);
    expect(await summary.getByRole("link", { name: /last digit of the CURP/ }).getAttribute("href")).toBe("#curp");
    await audit("sign-up form with an error (English)", "en");
  });
});
