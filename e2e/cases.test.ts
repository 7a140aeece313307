/**
 * Applying online and working the case in a real browser, each journey run twice: with
 * JavaScript and without it (every form is a plain HTML form, uploads included). A person
 * applies with what their account already knows filled in, pays with a bank reference that a
 * case-manager reconciles, answers an information request, and downloads the resolution that
 * anyone can verify; a caseworker takes, reviews and resolves the case in the back office.
 * Every page on the way is audited on the spot with axe-core (WCAG 2.2 AA rules) and checked
 * for horizontal scrolling at 320 px (WCAG 1.4.10); those checks are soft, so one run reports
 * every page that fails, not only the first.
 *
 * Setup that is not under test is made directly: the institution, its procedure with a live
 * form (test/cases.ts), the citizen with a confirmed email (signedUpCitizen) and the staff
 * accounts (createStaffAccount, with a known password). Everything after that goes through the
 * pages: sign-in (staff set up their authenticator with a code computed from the key the page
 * shows), the form, the case pages, the back office. The one thing a person cannot do through
 * the pages is run the worker: the resolution's PDF is rendered by running the job queue
 * in-process, as the worker would. The sign-in and authenticator pages are passed through, not
 * audited: e2e/accounts.test.ts and e2e/editorial.test.ts audit them.
 *
 * PDFs: Chromium shows a PDF sent inline in its own viewer, so following a link to one is checked
 * by the response the browser got (200, application/pdf, no-store) and the bytes are fetched
 * again with the browser's cookies to read the text (opensPdf in ./cases-helpers.ts).
 *
 * Without JavaScript, axe-core audits a scripted copy of each page (the same HTML, CSP and
 * stylesheet, with scripts refused): see Journey in ./helpers.ts, which e2e/accounts.test.ts and
 * e2e/editorial.test.ts use too, with the form and link helpers; the helpers of this file only
 * are in ./cases-helpers.ts.
 *
 * Cookies: the session cookie is `__Host-vt_session` (Secure); Chromium keeps Secure cookies
 * set over plain HTTP on loopback origins, so the journeys use the server's own base URL.
 */
import { readFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accountPaths } from "../src/domains/accounts/paths.js";
import { paths } from "../src/domains/catalogue/paths.js";
import { caseOfficePaths, casePaths } from "../src/domains/cases/paths.js";
import { signedUpCitizen } from "../test/browser-client.js";
import { liveProcedure, PDF_BYTES } from "../test/cases.js";
import {
  answerAndSend,
  banner,
  ID_FILE,
  newStaff,
  opensPdf,
  runJobs,
  signIn,
  staffSignsIn,
  todayIso,
  valueOf,
} from "./cases-helpers.js";
import { field, follow, h1, Journey, pathOf, submit, type E2eApp, useSession, WITH_AND_WITHOUT_JS } from "./helpers.js";

let app: E2eApp;
let browser: Browser;

useSession((s) => ({ app, browser } = s));

const a = accountPaths("es");
const c = casePaths("es");
const o = caseOfficePaths("es");
const p = paths("es");

/** The name and given names signedUpCitizen gives everyone. */
const NAME = "Lucía Pérez Gómez";
const GIVEN = "Lucía";
const PROCEDURE = { es: "Obtener una constancia de prueba", en: "Get a test certificate" };
const FOLIO = /^T[0-9A-F]{8}-\d{4}-\d{6}$/;
const CODE = /[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}/;

/** Each journey audits a dozen pages; without JavaScript each audit loads a copy of the page (see Journey). */
const SLOW = { timeout: 240_000 };

/** The citizen's account (made over app.inject: signing up is e2e/accounts.test.ts's subject). */
const citizen = () => signedUpCitizen(app.t.app, app.t.ctx);

describe.each(WITH_AND_WITHOUT_JS)("case journeys $name", ({ js }) => {
  let journey: Journey;

  beforeEach(() => {
    journey = new Journey(browser, { js, baseURL: app.base, locale: "es-MX" });
  });
  afterEach(() => journey.close());

  it("a person applies with their account's details filled in, uploads a document and gets a folio", SLOW, async () => {
    const { homoclave, institution } = await liveProcedure(app.t.ctx);
    const { email, curp } = await citizen();
    const person = await journey.visit();
    const { page } = person;
    const audit = (where: string) => journey.audit(person, where);

    // The procedure page's start button leads a signed-out visitor to sign in, then back.
    expect((await page.goto(p.procedure(homoclave)))?.status()).toBe(200);
    expect(await h1(page)).toBe(PROCEDURE.es);
    const start = page.getByRole("button", { name: "Iniciar en línea" });
    expect(await start.getAttribute("href")).toBe(c.start(homoclave));
    await audit("procedure page with an online form");
    await start.click();
    await page.waitForURL((u) => u.pathname === a.signIn);
    expect(new URL(page.url()).searchParams.get("next")).toBe(c.start(homoclave));
    expect(await signIn(page, email)).toBe(200);
    expect(pathOf(page)).toBe(c.start(homoclave));
    expect(await h1(page)).toBe(PROCEDURE.es);
    expect(await page.locator("main").innerText()).toContain("Son 4 pasos");
    await audit("start page");

    // Page 1: the name and the CURP come from the account, and the page says so.
    expect(await submit(page, "Comenzar")).toBe(200);
    expect(pathOf(page)).toMatch(/^\/solicitudes\/[0-9a-f-]{36}\/pagina\/datos$/);
    const draftPath = pathOf(page).replace(/\/pagina\/datos$/, "");
    expect(await h1(page)).toBe("Tus datos");
    for (const [label, id, value] of [
      ["Nombre", "nombre", GIVEN],
      ["CURP", "curp", curp],
    ] as const) {
      const input = field(page, label);
      expect(await input.inputValue(), `${label} is filled in`).toBe(value);
      expect(await input.getAttribute("aria-describedby"), `${label} is described by its note`).toContain(
        `${id}-prefilled`,
      );
      expect((await page.locator(`#${id}-prefilled`).innerText()).trim()).toBe(
        "Lo tomamos de tu cuenta; puedes cambiarlo.",
      );
    }
    // The account has no phone: nothing to fill in, so no note.
    expect(await field(page, "Teléfono").inputValue()).toBe("");
    expect(await page.locator("#telefono-prefilled").count()).toBe(0);
    await audit("question page with prefilled answers");

    // Page 2: "Otro" opens the conditional page.
    expect(await submit(page, "Guardar y continuar")).toBe(200);
    expect(pathOf(page)).toBe(`${draftPath}/pagina/motivo`);
    expect(await h1(page)).toBe("¿Para qué la necesitas?");
    await audit("radio question page");
    await field(page, "Otro").check();
    expect(await submit(page, "Guardar y continuar")).toBe(200);

    // Page 3, shown only for "Otro"; "Atrás" leads to the page before.
    expect(pathOf(page)).toBe(`${draftPath}/pagina/detalle`);
    expect(await h1(page)).toBe("Explica el motivo");
    expect(await page.getByRole("link", { name: "Atrás", exact: true }).getAttribute("href")).toBe(
      `${draftPath}/pagina/motivo`,
    );
    await audit("conditional page");
    const reason = "Lo necesito para inscribirme en un curso de verano.";
    await field(page, "Explica el motivo").fill(reason);
    expect(await submit(page, "Guardar y continuar")).toBe(200);

    // Page 4: the document, as a plain file input.
    expect(pathOf(page)).toBe(`${draftPath}/pagina/documentos`);
    expect(await h1(page)).toBe("Identificación oficial");
    expect(await page.locator("main form").getAttribute("enctype")).toBe("multipart/form-data");
    await audit("upload page");
    await field(page, "Identificación oficial").setInputFiles(ID_FILE);
    expect(await submit(page, "Guardar y continuar")).toBe(200);

    // Check your answers, then send.
    expect(pathOf(page)).toBe(`${draftPath}/revisar`);
    expect(await h1(page)).toBe("Revisa tus respuestas antes de enviar");
    expect(await valueOf(page, "Nombre").innerText()).toBe(GIVEN);
    expect(await valueOf(page, "CURP").innerText()).toBe(curp);
    expect(await valueOf(page, "¿Para qué la necesitas?").innerText()).toBe("Otro");
    expect(await valueOf(page, "Explica el motivo").innerText()).toBe(reason);
    expect(await valueOf(page, "Identificación oficial").innerText()).toContain(ID_FILE.name);
    expect(await page.getByRole("link", { name: "Cambiar Explica el motivo", exact: true }).getAttribute("href")).toBe(
      `${draftPath}/pagina/detalle`,
    );
    expect(await page.locator("main").innerText()).toContain("Declaro que los datos son ciertos.");
    await audit("check your answers");
    expect(await submit(page, "Aceptar y enviar")).toBe(200);

    // The case page, with the confirmation panel and the folio.
    expect(pathOf(page)).toMatch(/^\/cuenta\/tramites\/[0-9a-f-]{36}$/);
    const casePath = pathOf(page);
    const panel = page.locator("main .govuk-panel--confirmation");
    expect((await panel.locator(".govuk-panel__title").innerText()).trim()).toBe("Enviamos tu solicitud");
    const folio = (await panel.locator("strong").innerText()).trim();
    expect(folio).toMatch(FOLIO);
    expect(folio.startsWith(`${institution}-`)).toBe(true);
    expect((await valueOf(page, "Estado").innerText()).trim()).toBe("Recibido");
    expect(await page.locator("main").innerText()).toContain("No tienes que hacer nada por ahora");
    expect(await valueOf(page, "Explica el motivo").innerText()).toBe(reason);
    await audit("case page just sent");

    // The uploaded document comes back as a download, byte for byte.
    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: ID_FILE.name, exact: true }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(ID_FILE.name);
    expect(Buffer.compare(await readFile(await download.path()), PDF_BYTES)).toBe(0);

    // The receipt names the folio.
    const receipt = await opensPdf(person, "Descargar el acuse (PDF)");
    expect(receipt.text).toContain(folio);

    // "Mis trámites" lists it, with its status; the draft is gone.
    await follow(page, "Mis trámites", (u) => u.pathname === c.mine);
    expect(await h1(page)).toBe("Mis trámites");
    const row = page.locator("main table tbody tr").filter({ hasText: folio });
    expect(await row.count()).toBe(1);
    expect(await row.locator("td").nth(1).innerText()).toBe(PROCEDURE.es);
    expect((await row.locator(".govuk-tag").innerText()).trim()).toBe("Recibido");
    expect(await row.getByRole("link", { name: folio, exact: true }).getAttribute("href")).toBe(casePath);
    expect(await page.getByRole("heading", { name: "Sin enviar" }).count()).toBe(0);
    await audit("my applications");
  });

  it("a person pays a fee with the bank reference and a case-manager reconciles the bank's file", SLOW, async () => {
    const { homoclave, institution } = await liveProcedure(app.t.ctx, { cost: { type: "fixed", amountMxn: 510 } });
    const { email } = await citizen();
    const managerEmail = await newStaff(app.t.ctx, institution, "case-manager", {
      givenNames: "Carmen",
      surnames: "Coordinadora Pagos",
    });

    // ---------------------------------------------------------------- the person applies and sees what to pay
    const person = await journey.visit();
    const pp = person.page;
    await pp.goto(a.signIn);
    expect(await signIn(pp, email)).toBe(200);
    expect((await pp.goto(p.procedure(homoclave)))?.status()).toBe(200);
    await pp.getByRole("button", { name: "Iniciar en línea" }).click();
    await pp.waitForURL((u) => u.pathname === c.start(homoclave));
    expect(await pp.locator("main .govuk-warning-text").innerText()).toContain("Este trámite tiene costo");
    await journey.audit(person, "start page of a procedure with a fee");
    expect(await submit(pp, "Comenzar")).toBe(200);
    const { casePath, folio } = await answerAndSend(pp);

    expect((await valueOf(pp, "Estado").innerText()).trim()).toBe("Esperando el pago");
    expect(await valueOf(pp, "Plazo para resolver").innerText()).toBe("Empieza a contar cuando se registre el pago.");
    const pay = pp.locator("main .govuk-inset-text");
    expect(await pay.getByRole("heading", { name: "Paga para continuar" }).count()).toBe(1);
    expect(await pay.innerText()).toContain("Importe: $510.00");
    const reference = (await pay.locator(".vt-reference").innerText()).trim();
    expect(reference).toMatch(/^\d{20}$/);
    await journey.audit(person, "case page awaiting payment");

    // The payment slip: a PDF with the reference and the folio.
    const slip = await opensPdf(person, "Descargar la hoja de ayuda para el pago (PDF)");
    expect(slip.text.replace(/\s/g, "")).toContain(reference);
    expect(slip.text).toContain(folio);
    expect(slip.text).toMatch(/510\.00/);

    // ---------------------------------------------------------------- the case-manager reconciles
    const manager = await journey.visit();
    const mp = manager.page;
    await staffSignsIn(manager, app.t.ctx, managerEmail, "case-manager");
    expect((await mp.goto(o.inbox))?.status()).toBe(200);
    expect(await h1(mp)).toBe(`Expedientes de ${institution}`);
    // Waiting for payment is an open status: the case is listed already.
    const listed = mp.locator("main table tbody tr").filter({ hasText: folio });
    expect((await listed.locator(".govuk-tag").first().innerText()).trim()).toBe("Esperando el pago");
    await journey.audit(manager, "inbox (case-manager)");

    await follow(mp, "Conciliar pagos con el archivo del banco", (u) => u.pathname === o.payments);
    expect(await h1(mp)).toBe("Conciliar pagos");
    await journey.audit(manager, "payments reconciliation");
    const csv = `referencia,importe,fecha_pago,banco,operacion\n${reference},510.00,${todayIso(app.t.ctx)},BANORTE,${Date.now() % 1e9}\n`;
    await field(mp, "Archivo de conciliación (CSV)").setInputFiles({
      name: "conciliacion.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    expect(await submit(mp, "Conciliar")).toBe(200);
    expect(pathOf(mp)).toBe(o.payments);
    expect(await banner(mp)).toContain(
      "1 línea leída: 1 pago registrado, 0 ya estaban pagados, 0 referencias desconocidas, 0 con importe distinto.",
    );
    const matched = mp.getByRole("table").filter({ hasText: "Folio" }).locator("tbody tr");
    expect(await matched.count()).toBe(1);
    expect(await matched.locator("td").allInnerTexts()).toEqual(["2", reference, folio]);
    await journey.audit(manager, "payments reconciled");

    // ---------------------------------------------------------------- the person sees the payment
    expect((await pp.goto(casePath))?.status()).toBe(200);
    expect((await valueOf(pp, "Estado").innerText()).trim()).toBe("Recibido");
    expect(await pp.locator("main ol.govuk-list").innerText()).toContain("Pago registrado");
    expect(await pp.getByRole("heading", { name: "Paga para continuar" }).count()).toBe(0);
    expect(await valueOf(pp, "Plazo para resolver").innerText()).toMatch(/quedan \d+ días hábiles/);
    await journey.audit(person, "case page after payment");
  });

  it(
    "a caseworker takes the case, asks for information, the person answers, and the resolution is verified",
    SLOW,
    async () => {
      const { homoclave, institution } = await liveProcedure(app.t.ctx);
      const { email } = await citizen();
      const workerEmail = await newStaff(app.t.ctx, institution, "caseworker", {
        givenNames: "Raúl",
        surnames: "Dictaminador Público",
      });
      const WORKER = "Raúl Dictaminador Público";

      const person = await journey.visit();
      const pp = person.page;
      await pp.goto(a.signIn);
      expect(await signIn(pp, email)).toBe(200);
      expect((await pp.goto(c.start(homoclave)))?.status()).toBe(200);
      expect(await submit(pp, "Comenzar")).toBe(200);
      const { casePath, folio } = await answerAndSend(pp);

      // ---------------------------------------------------------------- the inbox, and taking the case
      const worker = await journey.visit();
      const wp = worker.page;
      await staffSignsIn(worker, app.t.ctx, workerEmail, "caseworker");
      expect((await wp.goto(o.inbox))?.status()).toBe(200);
      expect(await h1(wp)).toBe(`Expedientes de ${institution}`);
      expect(await wp.getByRole("link", { name: "Conciliar pagos con el archivo del banco" }).count()).toBe(0);
      const row = wp.locator("main table tbody tr").filter({ hasText: folio });
      expect(await row.count()).toBe(1);
      expect(await row.innerText()).toContain(NAME);
      expect((await row.locator(".govuk-tag").first().innerText()).trim()).toBe("Recibido");
      expect((await row.locator("td").last().innerText()).trim()).toBe("Sin asignar");
      await journey.audit(worker, "inbox (caseworker)");

      await row.getByRole("link", { name: folio, exact: true }).click();
      await wp.waitForURL((u) => u.pathname.startsWith(`${o.inbox}/`));
      const officePath = pathOf(wp);
      expect(await h1(wp)).toBe(`Expediente ${folio}`);
      expect(await valueOf(wp, "Solicitante").innerText()).toContain(NAME);
      expect(await valueOf(wp, "Asignado a").innerText()).toBe("Sin asignar");
      expect(await wp.getByRole("link", { name: ID_FILE.name, exact: true }).count()).toBeGreaterThan(0);
      await journey.audit(worker, "case file, unassigned");

      expect(await submit(wp, "Tomar este expediente")).toBe(200);
      expect(pathOf(wp)).toBe(officePath);
      expect(await banner(wp)).toContain("Tomaste el expediente.");
      expect(await valueOf(wp, "Asignado a").innerText()).toBe(WORKER);
      expect(await wp.getByRole("button", { name: "Tomar este expediente" }).count()).toBe(0);
      await journey.audit(worker, "case file, taken");

      // "Asignados a mí" lists it.
      await follow(wp, "Expedientes", (u) => u.pathname === o.inbox);
      await field(wp, "Asignados a mí").check();
      expect(await submit(wp, "Aplicar filtros")).toBe(200);
      expect(new URL(wp.url()).searchParams.get("asignacion")).toBe("mine");
      expect(await field(wp, "Asignados a mí").isChecked()).toBe(true);
      expect(await wp.locator("#resultados").innerText()).toBe("1 expediente");
      const mine = wp.locator("main table tbody tr");
      expect(await mine.count()).toBe(1);
      expect((await mine.locator("td").last().innerText()).trim()).toBe(WORKER);
      await journey.audit(worker, "inbox, assigned to me");
      await mine.getByRole("link", { name: folio, exact: true }).click();
      await wp.waitForURL((u) => u.pathname === officePath);

      // ---------------------------------------------------------------- review and a request for information
      expect(await submit(wp, "Iniciar la revisión")).toBe(200);
      expect(await banner(wp)).toContain("El expediente está en revisión.");
      expect((await valueOf(wp, "Estado").innerText()).trim()).toBe("En revisión");
      await journey.audit(worker, "case file, in review");

      const question = "Sube también tu comprobante de domicilio, de no más de tres meses.";
      await field(wp, "Qué información o documento falta").fill(question);
      expect(await submit(wp, "Pedir información")).toBe(200);
      expect(await banner(wp)).toContain("Se pidió la información");
      expect((await valueOf(wp, "Estado").innerText()).trim()).toBe("Información solicitada");
      expect(await valueOf(wp, "Plazo legal").innerText()).toContain("Detenido");
      expect(await wp.locator("main .govuk-inset-text").first().innerText()).toContain(question);
      await journey.audit(worker, "case file, information requested");

      // ---------------------------------------------------------------- the person answers
      expect((await pp.goto(casePath))?.status()).toBe(200);
      expect((await valueOf(pp, "Estado").innerText()).trim()).toBe("Información solicitada");
      const request = pp.locator("main .govuk-inset-text");
      expect(await request.getByRole("heading", { name: "La institución necesita más información" }).count()).toBe(1);
      expect(await request.innerText()).toContain(question);
      expect(await valueOf(pp, "Plazo para resolver").innerText()).toBe(
        "En pausa hasta que respondas la solicitud de información.",
      );
      await journey.audit(person, "case page with an information request");
      const answer = "Mi comprobante es un recibo de luz de este mes; lo llevo a la oficina si hace falta.";
      await field(pp, "Tu respuesta").fill(answer);
      expect(await submit(pp, "Enviar respuesta")).toBe(200);
      expect(pathOf(pp)).toBe(casePath);
      expect((await valueOf(pp, "Estado").innerText()).trim()).toBe("En revisión");
      const history = await pp.locator("main ol.govuk-list").innerText();
      expect(history).toContain("Respondiste la solicitud de información");
      expect(history).toContain(answer);
      expect(await pp.getByRole("heading", { name: "La institución necesita más información" }).count()).toBe(0);
      await journey.audit(person, "case page after answering");

      // ---------------------------------------------------------------- the caseworker resolves
      expect((await wp.goto(officePath))?.status()).toBe(200);
      expect((await valueOf(wp, "Estado").innerText()).trim()).toBe("En revisión");
      expect(await wp.locator("main table").filter({ hasText: "Qué pasó" }).innerText()).toContain(answer);
      await field(wp, "A favor").check();
      const reasons = "Con fundamento en el artículo 17 de la Ley Federal de Procedimiento Administrativo: cumple.";
      await field(wp, "Fundamentos y motivos").fill(reasons);
      expect(await submit(wp, "Emitir la resolución")).toBe(200);
      expect(await banner(wp)).toContain("Se emitió la resolución");
      expect((await valueOf(wp, "Estado").innerText()).trim()).toBe("Resuelto a favor");
      expect(await valueOf(wp, "Firmó").innerText()).toBe(WORKER);
      const code = (await valueOf(wp, "Código de verificación").locator("code").innerText()).trim();
      expect(code).toMatch(CODE);
      expect(await valueOf(wp, "Código de verificación").innerText()).toContain("El documento PDF se está generando.");
      await journey.audit(worker, "case file, resolved");

      // The worker renders the PDF (and sends the mails).
      expect(await runJobs(app.t.ctx)).toContain("cases.render-resolution");

      // ---------------------------------------------------------------- the person gets the resolution
      expect((await pp.goto(casePath))?.status()).toBe(200);
      expect((await valueOf(pp, "Estado").innerText()).trim()).toBe("Resuelto a favor");
      const resolved = pp.locator("main .govuk-inset-text");
      expect(await resolved.getByRole("heading", { name: "Tu trámite tiene resolución" }).count()).toBe(1);
      expect(await resolved.innerText()).toContain("La resolución es favorable.");
      expect((await resolved.locator(".vt-reference").innerText()).trim()).toBe(code);
      await journey.audit(person, "case page with the resolution");
      const resolution = await opensPdf(person, "Descargar la resolución (PDF)");
      for (const text of [folio, code, WORKER])
        expect(resolution.text, `the resolution shows "${text}"`).toContain(text);

      // ---------------------------------------------------------------- anyone verifies the code
      const visitor = await journey.visit();
      const vp = visitor.page;
      expect((await vp.goto(c.verify))?.status()).toBe(200);
      expect(await h1(vp)).toBe("Verificar un documento");
      await journey.audit(visitor, "verification page");
      await field(vp, "Código de verificación").fill(code.toLowerCase());
      expect(await submit(vp, "Verificar")).toBe(200);
      expect(pathOf(vp)).toBe(c.verify);
      expect(new URL(vp.url()).searchParams.get("codigo")).toBe(code.toLowerCase());
      expect((await vp.locator("main .govuk-panel--confirmation .govuk-panel__title").innerText()).trim()).toBe(
        "El documento es auténtico",
      );
      expect(await valueOf(vp, "Folio").innerText()).toBe(folio);
      expect(await valueOf(vp, "Trámite").innerText()).toBe(PROCEDURE.es);
      expect(await valueOf(vp, "Sentido").innerText()).toBe("Favorable");
      expect(await valueOf(vp, "Firmó").innerText()).toBe(WORKER);
      await journey.audit(visitor, "verification, genuine document");
    },
  );
});
