/**
 * The editorial workflow in a real browser, run twice: with JavaScript and without it (the
 * editor is a plain HTML form whose "add another row" buttons post it back to the server).
 * An editor drafts a procedure and sends it for review, a reviewer publishes it, and anyone
 * finds it from the home page's search box. Every page on the way is audited on the spot with
 * axe-core (WCAG 2.2 AA rules) and checked for horizontal scrolling at 320 px (WCAG 1.4.10);
 * those checks are soft, so one run reports every page that fails, not only the first.
 *
 * The staff accounts are made directly (createStaffAccount, with a known password) for an
 * institution this file imports itself; everything after that goes through the real pages:
 * sign-in, the compulsory authenticator set-up (a TOTP code computed from the key the page
 * shows), the back office and the public site.
 *
 * Without JavaScript, axe-core audits a scripted copy of each page (the same HTML, CSP and
 * stylesheet, with scripts refused): see Journey in ./helpers.ts, which both this file and
 * e2e/accounts.test.ts use, with the form and link helpers.
 *
 * Cookies: the session cookie is `__Host-vt_session` (Secure). Chromium treats loopback
 * origins (http://127.0.0.1 as well as http://localhost) as potentially trustworthy and keeps
 * Secure cookies set over plain HTTP there, so the journeys use the server's own base URL,
 * http://127.0.0.1:port (each journey below checks the cookie was kept).
 *
 * TOTP replay protection: a code's 30-second step can be used once per account. Each person
 * here sets up their own key and uses one code, once.
 */
import type { Browser, Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accountPaths } from "../src/domains/accounts/paths.js";
import { createStaffAccount } from "../src/domains/accounts/staff.js";
import * as catalogue from "../src/domains/catalogue/catalogue.js";
import { backOfficePaths, paths } from "../src/domains/catalogue/paths.js";
import { freshEmail, GOOD_PASSWORD, totpCode } from "../test/browser-client.js";
import { institution } from "../test/factories.js";
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

const a = accountPaths("es");
const b = backOfficePaths("es");
const bEn = backOfficePaths("en");
const p = paths("es");

/** A field by its name, for the editor's repeated rows whose labels repeat ("Documento", "Paso 1"...). */
const named = (page: Page, name: string) => page.locator(`[name="${name}"]`);
const notice = (page: Page) => page.locator("main .govuk-notification-banner--success");

/** Today's date as people in Mexico read it ("29 de noviembre de 2026"). */
const todayInMexico = () =>
  new Intl.DateTimeFormat("es-MX", { dateStyle: "long", timeZone: "America/Mexico_City" }).format(new Date());

/** What each run writes in the editor: different names, so the two runs never find each other's record. */
const RECORDS = {
  js: {
    citizenName: "Registrar un panal de abejas meliponas",
    officialName: "Registro de apiarios de abejas meliponas",
    description: "Anota tu panal de abejas sin aguijón en el registro. Así te avisamos de campañas de salud.",
    requirement: "Credencial para votar",
    steps: ["Llena el registro en línea.", "Recibe tu constancia por correo."],
    days: "7",
    url: "https://www.gob.mx/registro-meliponas",
    law: "Ley Federal de Sanidad Animal",
    article: "Artículo 21",
  },
  nojs: {
    citizenName: "Registrar un criadero de ajolotes",
    officialName: "Registro de criaderos de ajolotes",
    description: "Anota tu criadero de ajolotes en el registro. Así puedes vender crías con permiso.",
    requirement: "Comprobante de domicilio",
    steps: ["Llena el registro en línea.", "Espera la visita de revisión."],
    days: "12",
    url: "https://www.gob.mx/registro-ajolotes",
    law: "Ley General de Vida Silvestre",
    article: "Artículo 40",
  },
};

describe.each(WITH_AND_WITHOUT_JS)("editorial journey $name", ({ js }) => {
  let journey: Journey;

  beforeEach(() => {
    journey = new Journey(browser, { js, baseURL: app.base, locale: "es-MX" });
  });
  afterEach(() => journey.close());

  /**
   * Signs a staff member in through the real pages: the sign-in form, then (staff must have a
   * second factor) the authenticator set-up with a code from the key on the page, then the
   * recovery codes. The first person of a run audits those pages.
   */
  async function staffSignsIn(v: Visit, email: string, who: string, auditPages: boolean): Promise<void> {
    const { page } = v;
    expect((await page.goto(a.signIn))?.status()).toBe(200);
    if (auditPages) await journey.audit(v, `sign in (${who})`);
    await field(page, "Correo electrónico").fill(email);
    await field(page, "Contraseña").fill(GOOD_PASSWORD);
    expect(await submit(page, "Entrar")).toBe(200);
    expect(pathOf(page), `${who}: staff without a second factor are sent to add one`).toBe(a.totpSetup);
    const cookie = (await v.context.cookies()).find((c) => c.name === "__Host-vt_session");
    expect(cookie, `${who}: the Secure session cookie is kept on ${app.base}`).toMatchObject({ secure: true });
    // Until the second factor is set up, the back office sends staff back here.
    expect((await page.goto(b.home))?.url()).toContain(a.totpSetup);
    expect(await h1(page)).toBe("Agrega una aplicación de autenticación");
    if (auditPages) await journey.audit(v, `authenticator setup (${who})`);

    const secret = (await page.locator("main code.vt-break").innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await field(page, "Código de 6 dígitos").fill(await totpCode(app.t.ctx, secret));
    expect(await submit(page, "Activar")).toBe(200);
    expect(await h1(page)).toBe("Segundo factor activado");
    const codes = await page.locator("ul.vt-codes code").allInnerTexts();
    expect(codes).toHaveLength(10);
    if (auditPages) await journey.audit(v, `recovery codes (${who})`);
  }

  it(
    "an editor drafts a procedure and sends it for review, a reviewer publishes it, and anyone finds it",
    { timeout: 240_000 },
    async () => {
      const data = js ? RECORDS.js : RECORDS.nojs;

      // ---------------------------------------------------------------- 1. the institution and its staff
      const inst = institution({ name: { es: "Instituto de Pruebas Editoriales", en: "Editorial Testing Institute" } });
      const imported = await catalogue.importCatalogue(app.t.ctx, { institutions: [{ value: inst }] });
      expect(imported.written, JSON.stringify(imported.errors)).toBe(true);
      const acronym = inst.acronym;
      const homoclave = `${acronym}-09-001`;
      const lifeEvent = (await catalogue.listLifeEvents(app.t.ctx)).find((e) => e.slug === "identidad-y-documentos");
      expect(lifeEvent, "the life event identidad-y-documentos exists").toBeDefined();
      const staff = async (role: "editor" | "reviewer") => {
        const email = freshEmail().replace("correo.example.mx", "gob.example.mx");
        await createStaffAccount(app.t.ctx, {
          email,
          givenNames: role === "editor" ? "Elena" : "Rubén",
          surnames: role === "editor" ? "Editora Pública" : "Revisor Público",
          roles: [{ institution: acronym, role }],
          password: GOOD_PASSWORD,
        });
        return email;
      };
      const editorEmail = await staff("editor");
      const reviewerEmail = await staff("reviewer");

      // ---------------------------------------------------------------- 2. the editor drafts and submits
      const editor = await journey.visit();
      const ep = editor.page;
      await staffSignsIn(editor, editorEmail, "editor", true);

      expect((await ep.goto(b.home))?.status()).toBe(200);
      expect(await h1(ep)).toBe("Gestión del catálogo");
      expect(await ep.locator("main").innerText()).toContain(`${acronym} (editor)`);
      await journey.audit(editor, "back office home (editor)");

      await follow(ep, "Crear un trámite nuevo", (u) => u.pathname === b.newProcedure);
      expect(await h1(ep)).toBe("Nuevo trámite");
      // The only institution the editor works for goes in a hidden field.
      expect(await ep.locator(`input[type=hidden][name=institution]`).getAttribute("value")).toBe(acronym);
      await journey.audit(editor, "new procedure editor");

      await field(ep, "Homoclave").fill(homoclave);
      await field(ep, "Trámite (una obligación o un permiso)").check();
      await field(ep, "Personas (persona física)").check();
      await field(ep, "Nombre en palabras de la gente").fill(data.citizenName);
      await field(ep, "Nombre oficial").fill(data.officialName);
      await field(ep, "Descripción").fill(data.description);
      await named(ep, "requirements.0.name.es").fill(data.requirement);
      await field(ep, "Se pide el original").check();
      await named(ep, "requirements.0.copies").fill("1");
      await named(ep, "steps.0.es").fill(data.steps[0]!);
      expect(await named(ep, "steps.1.es").count(), "one step row to start with").toBe(0);

      // "Añadir otro paso" posts the form and the server shows it again, filled in, with a new empty row.
      expect(await submit(ep, "Añadir otro paso")).toBe(200);
      expect(pathOf(ep)).toBe(b.newProcedure);
      expect(await named(ep, "steps.1.es").count(), "a second step row").toBe(1);
      expect(await named(ep, "steps.1.es").inputValue()).toBe("");
      expect(await named(ep, "steps.0.es").inputValue()).toBe(data.steps[0]);
      expect(await field(ep, "Homoclave").inputValue()).toBe(homoclave);
      expect(await field(ep, "Nombre en palabras de la gente").inputValue()).toBe(data.citizenName);
      expect(await named(ep, "requirements.0.name.es").inputValue()).toBe(data.requirement);
      expect(await field(ep, "Se pide el original").isChecked()).toBe(true);
      expect(await field(ep, "Trámite (una obligación o un permiso)").isChecked()).toBe(true);
      expect(await ep.getByRole("group", { name: "Paso 2", exact: true }).count()).toBe(1);
      await journey.audit(editor, "editor with a second step row");

      await named(ep, "steps.1.es").fill(data.steps[1]!);
      await field(ep, "Es gratuito").check();
      await field(ep, "Plazo máximo de respuesta, en días hábiles").fill(data.days);
      await field(ep, "Afirmativa ficta: se entiende que sí").check();
      await field(ep, "Dirección para hacerlo en línea (si se puede)").fill(data.url);
      await field(ep, "Ley o reglamento").fill(data.law);
      await field(ep, "Artículo").fill(data.article);
      await field(ep, lifeEvent!.name.es).check();

      expect(await submit(ep, "Guardar y enviar a revisión")).toBe(200);
      expect(pathOf(ep)).toBe(b.procedure(homoclave));
      expect(new URL(ep.url()).searchParams.get("aviso")).toBe("enviado");
      expect((await notice(ep).innerText()).trim()).toContain("Enviado a revisión.");
      expect(await h1(ep)).toBe(`Editar ${homoclave}`);
      expect(await ep.locator("main").innerText()).toContain("Este borrador está en revisión.");
      await journey.audit(editor, "editor after sending for review");

      // The editor page in English (5).
      expect((await ep.goto(bEn.newProcedure))?.status()).toBe(200);
      expect(await h1(ep)).toBe("New procedure");
      expect(await ep.getByRole("button", { name: "Save and send for review", exact: true }).count()).toBe(1);
      await journey.audit(editor, "new procedure editor (English)", "en");

      // ---------------------------------------------------------------- 3. the reviewer publishes
      const reviewer = await journey.visit();
      const rp = reviewer.page;
      await staffSignsIn(reviewer, reviewerEmail, "reviewer", false);

      expect((await rp.goto(b.home))?.status()).toBe(200);
      const listed = rp.locator("main table tbody tr").filter({ hasText: homoclave });
      expect(await listed.count()).toBe(1);
      expect(await listed.innerText()).toContain(data.citizenName);
      expect((await listed.locator(".govuk-tag").innerText()).trim()).toBe("En revisión");
      await journey.audit(reviewer, "back office home (reviewer)");

      // A procedure in review links to its review page.
      const arrived = rp.waitForURL((u) => u.pathname === b.review(homoclave));
      await listed.getByRole("link", { name: homoclave, exact: true }).click();
      await arrived;
      expect(await h1(rp)).toBe(`Revisión ${homoclave}`);
      // Never published: every line of the record is new.
      const added = rp.locator("main .vt-diff ins.vt-diff__line--added");
      expect(await added.count()).toBeGreaterThan(0);
      const diff = await rp.locator("main .vt-diff").innerText();
      for (const text of [data.citizenName, data.officialName, data.requirement, data.steps[1]!, data.law])
        expect(diff, `the differences show "${text}"`).toContain(text);
      expect(await rp.locator("main .vt-diff del").count()).toBe(0);
      expect(await rp.locator("main aside.vt-help").innerText()).toContain("Legibilidad (Fernández-Huerta)");
      await journey.audit(reviewer, "review page");

      expect(await submit(rp, "Publicar")).toBe(200);
      expect(pathOf(rp)).toBe(b.procedure(homoclave));
      expect(new URL(rp.url()).searchParams.get("aviso")).toBe("publicado");
      expect((await notice(rp).innerText()).trim()).toContain("Publicado: ya aparece en el portal y en la búsqueda.");
      await journey.audit(reviewer, "editor after publishing");

      // The versions and completeness pages (5).
      expect((await rp.goto(b.versions(homoclave)))?.status()).toBe(200);
      expect(await h1(rp)).toBe(`Versiones de ${homoclave}`);
      const versions = rp.locator("main table tbody tr");
      expect(await versions.count()).toBe(1);
      expect(await versions.first().locator("td").first().innerText()).toBe("1");
      expect(await versions.first().innerText()).toContain("Rubén Revisor Público");
      await journey.audit(reviewer, "versions");

      expect((await rp.goto(b.completeness(acronym)))?.status()).toBe(200);
      expect(await h1(rp)).toBe(`Completitud del catálogo de ${acronym}`);
      expect(await rp.locator("main table tbody tr").filter({ hasText: homoclave }).count()).toBe(1);
      await journey.audit(reviewer, "completeness");

      // ---------------------------------------------------------------- 4. anyone finds it
      const visitor = await journey.visit();
      const vp = visitor.page;
      expect((await vp.goto(p.home))?.status()).toBe(200);
      expect((await visitor.context.cookies()).find((c) => c.name === "__Host-vt_session")).toBeUndefined();
      await journey.audit(visitor, "home");
      await vp.getByLabel("¿Qué trámite necesitas?").fill(data.citizenName);
      const searched = vp.waitForURL((u) => u.pathname === p.search && u.searchParams.get("q") === data.citizenName);
      await vp.locator("form[role=search]").getByRole("button", { name: "Buscar", exact: true }).click();
      await searched;
      const hit = vp.locator("main li.vt-result").getByRole("link", { name: data.citizenName, exact: true });
      expect(await hit.count(), `"${data.citizenName}" is among the results`).toBe(1);
      await journey.audit(visitor, "search results");

      const atProcedure = vp.waitForURL((u) => u.pathname === p.procedure(homoclave));
      await hit.click();
      await atProcedure;
      expect(await h1(vp)).toBe(data.citizenName);
      const main = vp.locator("main");
      expect(await main.innerText()).toContain(data.description);
      expect(await summaryRow(vp, "Nombre oficial").innerText()).toBe(data.officialName);
      expect(await summaryRow(vp, "Homoclave").innerText()).toBe(homoclave);
      expect(await summaryRow(vp, "Quién puede hacerlo").innerText()).toBe("Personas físicas");
      expect(await summaryRow(vp, "Costo").innerText()).toBe("Gratuito");
      expect(await summaryRow(vp, "Tiempo máximo de respuesta").innerText()).toContain(`${data.days} días hábiles`);
      expect(await summaryRow(vp, "Tiempo máximo de respuesta").innerText()).toContain("afirmativa ficta");
      expect(await summaryRow(vp, "Última revisión").innerText()).toBe(todayInMexico());
      const requirements = vp.getByRole("table", { name: "Documentos que necesitas" });
      expect(await requirements.locator("tbody tr").count()).toBe(1);
      expect(await requirements.locator("tbody tr td").allInnerTexts()).toEqual([data.requirement, "Sí", "1", "No"]);
      expect(await main.locator("ol.govuk-list--number li").allInnerTexts()).toEqual(data.steps);
      expect(await vp.getByRole("button", { name: "Iniciar en línea" }).getAttribute("href")).toBe(data.url);
      expect(await main.innerText()).toContain(`${data.law}, ${data.article}`);
      expect(await main.getByRole("link", { name: lifeEvent!.name.es, exact: true }).getAttribute("href")).toBe(
        p.lifeEvent("identidad-y-documentos"),
      );
      await journey.audit(visitor, "published procedure");
    },
  );
});
