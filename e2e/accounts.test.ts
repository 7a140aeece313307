/**
 * Citizen accounts in a real browser, each journey run twice: with JavaScript and without it
 * (every form is a plain HTML form). Every page a journey reaches is audited on the spot with
 * axe-core (WCAG 2.2 AA rules) and checked for horizontal scrolling at 320 px (WCAG 1.4.10);
 * those checks are soft, so one run reports every page that fails, not only the first.
 *
 * Without JavaScript, axe-core cannot run in the page itself: Chromium's "scripts disabled"
 * also stops the timers axe.run waits on, so page.evaluate never settles. There the page's
 * DOM (which, with no script, is exactly the HTML the server sent) is loaded into a second,
 * scripted page at the same URL, with the same Content-Security-Policy and the same
 * stylesheet, and with every script request refused so the enhancement script cannot change
 * it; axe runs on that copy. The 320 px check needs no timers and runs on the page itself.
 *
 * Cookies: the session cookie is `__Host-vt_session` (Secure). Chromium treats loopback
 * origins (http://127.0.0.1 as well as http://localhost) as potentially trustworthy and keeps
 * Secure cookies set over plain HTTP there, so the journeys use the server's own base URL,
 * http://127.0.0.1:port.
 */
import { readFile } from "node:fs/promises";
import type { Result } from "axe-core";
import type { Browser, BrowserContext, Page, Response } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accountPaths } from "../src/domains/accounts/paths.js";
import { freshCurp, freshEmail, GOOD_PASSWORD, lastMailTo, signedUpCitizen, totpCode } from "../test/browser-client.js";
import {
  formatViolations,
  horizontalOverflow,
  htmlLang,
  newContext,
  runAxe,
  stylesheetApplied,
  type E2eApp,
  useSession,
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

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const h1 = async (page: Page) => (await page.locator("h1").innerText()).trim();
const pathOf = (page: Page) => new URL(page.url()).pathname;
/** The value of a summary-list row on "Mi cuenta" or "Mis datos". */
const row = (page: Page, key: string) =>
  page
    .locator("main .govuk-summary-list__row")
    .filter({ has: page.locator("dt", { hasText: new RegExp(`^${key}$`) }) })
    .locator("dd");

/**
 * Clicks a form's submit button and waits for the page the server answers with, after any
 * redirect. Returns that page's status. Works whether or not the URL changes (a form posted
 * back to its own URL, re-rendered with its errors).
 */
async function submit(page: Page, button: string): Promise<number> {
  let status = 0;
  const onResponse = (r: Response) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400))
      status = r.status();
  };
  page.on("response", onResponse);
  try {
    const navigated = page.waitForEvent("framenavigated", { predicate: (f) => f === page.mainFrame() });
    await page.getByRole("button", { name: button, exact: true }).click();
    await navigated;
    await page.waitForLoadState("load");
  } finally {
    page.off("response", onResponse);
  }
  return status;
}

/** Follows a link by its accessible name and waits for the page it leads to (after any redirect). */
async function follow(page: Page, name: string, arrive: (u: URL) => boolean): Promise<void> {
  const arrived = page.waitForURL(arrive);
  await page.getByRole("link", { name, exact: true }).click();
  await arrived;
}

describe.each([
  { js: true, name: "with JavaScript" },
  { js: false, name: "without JavaScript" },
])("account journeys $name", ({ js }) => {
  let context: BrowserContext;
  let page: Page;
  /** Without JavaScript: a scripted context where axe audits copies of the pages (see the top of the file). */
  let auditContext: BrowserContext | undefined;
  /** The response that gave the page its current document (after any redirect). */
  let lastDocument: Response | undefined;

  beforeEach(async () => {
    context = await newContext(browser, { javaScriptEnabled: js, baseURL: app.base, locale: "es-MX" });
    page = await context.newPage();
    lastDocument = undefined;
    page.on("response", (r) => {
      if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) lastDocument = r;
    });
    if (!js) auditContext = await newContext(browser, { baseURL: app.base, locale: "es-MX" });
  });
  afterEach(async () => {
    await auditContext?.close();
    auditContext = undefined;
    await context.close();
  });

  /** axe-core's violations on the page as it is now, with or without JavaScript. */
  async function axe(): Promise<Result[]> {
    if (js || !auditContext) return runAxe(page);
    const url = page.url().replace(/#.*$/, "");
    const html = await page.content();
    const csp = (await lastDocument?.allHeaders())?.["content-security-policy"];
    expect(csp, `${url}: the page's Content-Security-Policy`).toBeDefined();
    const copy = await auditContext.newPage();
    try {
      await copy.route("**/*", (route) =>
        route.request().resourceType() === "script" ? route.abort() : route.fallback(),
      );
      await copy.route(
        (u) => u.href === url,
        (route) =>
          route.fulfill({
            status: 200,
            contentType: "text/html; charset=utf-8",
            headers: { "content-security-policy": csp ?? "" },
            body: html,
          }),
      );
      await copy.goto(url);
      expect(await copy.locator("body.js-enabled").count(), "no script ran in the audited copy").toBe(0);
      expect(await stylesheetApplied(copy), "the audited copy has the site's stylesheet").toBe(true);
      return await runAxe(copy);
    } finally {
      await copy.close();
    }
  }

  /**
   * The page as it is now: axe-core finds no WCAG 2.2 AA violation, and at 320 px wide (with
   * the site's stylesheet applied) nothing scrolls sideways. Checks the page in place, so pages
   * that answer a POST (recovery codes, confirmations, forms with errors) are checked too.
   */
  async function audit(where: string, lang: "es" | "en" = "es"): Promise<void> {
    const label = `${where} (${js ? "JS on" : "JS off"}) ${pathOf(page)}`;
    expect.soft(await htmlLang(page), `${label}: <html lang>`).toBe(lang);
    // The enhancement script ran exactly when JavaScript is on.
    expect.soft(await page.locator("body.js-enabled").count(), `${label}: body.js-enabled`).toBe(js ? 1 : 0);
    const violations = await axe();
    expect
      .soft(
        violations.map((v) => `${v.id} (${v.impact ?? "?"})`),
        formatViolations(label, violations),
      )
      .toEqual([]);
    const size = page.viewportSize();
    await page.setViewportSize({ width: 320, height: 640 });
    try {
      expect
        .soft(await stylesheetApplied(page), `${label}: the site's stylesheet (/static/app.*.css) loaded`)
        .toBe(true);
      const o = await horizontalOverflow(page);
      expect.soft(o.viewport, `${label}: viewport width`).toBe(320);
      expect
        .soft(
          o.scrollWidth,
          `${label} is ${o.scrollWidth}px wide at 320px; elements past the edge:\n  ${o.culprits.join("\n  ")}`,
        )
        .toBeLessThanOrEqual(320);
    } finally {
      if (size) await page.setViewportSize(size);
    }
  }

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
    expect(await row(page, "Nombre").innerText()).toBe(NAME);
    expect(await row(page, "CURP").innerText()).toBe(curp);
    expect(await row(page, "Correo electrónico").innerText()).toContain("Confirmado");
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
    expect(await row(page, "Nombre").innerText()).toBe(NAME);
    expect(await row(page, "Correo electrónico").innerText()).toContain(email);
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
    expect(await row(page, "Segundo factor").innerText()).toContain("Aplicación de autenticación activa");
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
    expect(await row(page, "Nombre").innerText()).toBe(NAME);
    expect(await row(page, "Segundo factor").innerText()).toContain("Te quedan 10 códigos de recuperación.");
    await audit("my account, with a second factor");

    // A recovery code lets the person in once.
    await signOut();
    await page.goto(es.signIn);
    expect(await signIn(email, GOOD_PASSWORD)).toBe(200);
    expect(pathOf(page)).toBe(es.secondFactor);
    await field(page, "Código").fill(codes[0]!);
    expect(await submit(page, "Continuar")).toBe(200);
    expect(pathOf(page)).toBe(es.account);
    expect(await row(page, "Segundo factor").innerText()).toContain("Te quedan 9 códigos de recuperación.");
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
    expect(await row(page, "Nombre").innerText()).toBe(NAME);
  });

  it("downloads “Mis datos” as JSON with the CURP and the email", async () => {
    const { email, curp } = await citizen();
    await page.goto(es.signIn);
    expect(await signIn(email, GOOD_PASSWORD)).toBe(200);
    await follow(page, "Mis datos: ver y descargar todo lo que guardamos de ti", (u) => u.pathname === es.myData);
    expect(await h1(page)).toBe("Mis datos");
    expect(await row(page, "CURP").innerText()).toBe(curp);
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
