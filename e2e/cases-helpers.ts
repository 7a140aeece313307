/**
 * Helpers for e2e/cases.test.ts: people made for a procedure's institution, signing in through
 * the real pages, answering the sample form (test/cases.ts) as a person does, reading the
 * summary lists of the case pages, opening the PDFs the pages link to, and running the job
 * queue in-process (the test app starts no worker).
 */
import { PDFParse } from "pdf-parse";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { JOBS } from "../src/jobs.js";
import { accountPaths } from "../src/domains/accounts/paths.js";
import { createStaffAccount } from "../src/domains/accounts/staff.js";
import { mexicoDate } from "../src/platform/business-days.js";
import type { Ctx } from "../src/platform/context.js";
import { runOneJob } from "../src/platform/jobs/queue.js";
import { freshEmail, GOOD_PASSWORD, totpCode } from "../test/browser-client.js";
import { PDF_BYTES } from "../test/cases.js";
import { field, h1, pathOf, submit, type Visit } from "./helpers.js";

const a = accountPaths("es");

/** What a person answers in the sample form when the answers themselves are not under test. */
export const ID_FILE = { name: "ine.pdf", mimeType: "application/pdf", buffer: PDF_BYTES };

/** Today in Mexico City, YYYY-MM-DD (the reconciliation file refuses payments dated later). */
export const todayIso = (ctx: Ctx) => mexicoDate(ctx.clock());

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The value cell of the summary-list row in `main` whose key is exactly `key` (the check page's
 * rows have a second `dd`, with the "Cambiar" link, so this reads the value cell only). With
 * `within`, only that summary list is read.
 */
export const valueOf = (page: Page, key: string, within = "main") =>
  page
    .locator(`${within} .govuk-summary-list__row`)
    .filter({ has: page.locator("dt", { hasText: new RegExp(`^\\s*${escape(key)}\\s*$`) }) })
    .locator("dd.govuk-summary-list__value");

/** The texts of the page's success banner, trimmed. */
export const banner = async (page: Page) =>
  (await page.locator("main .govuk-notification-banner--success").innerText()).replace(/\s+/g, " ").trim();

/** A staff member of `institution` with one role and a known password, no second factor yet. */
export async function newStaff(
  ctx: Ctx,
  institution: string,
  role: "caseworker" | "case-manager",
  name: { givenNames: string; surnames: string },
): Promise<string> {
  const email = freshEmail().replace("correo.example.mx", "gob.example.mx");
  await createStaffAccount(ctx, { email, ...name, roles: [{ institution, role }], password: GOOD_PASSWORD });
  return email;
}

/** Fills the sign-in form the page is on and sends it. */
export async function signIn(page: Page, email: string): Promise<number> {
  await field(page, "Correo electrónico").fill(email);
  await field(page, "Contraseña").fill(GOOD_PASSWORD);
  return submit(page, "Entrar");
}

/**
 * Signs a staff member in through the real pages: the sign-in form, the compulsory
 * authenticator set-up (a code computed from the key the page shows), the recovery codes.
 * Those pages are audited by e2e/editorial.test.ts; here they are passed through.
 */
export async function staffSignsIn(v: Visit, ctx: Ctx, email: string, who: string): Promise<void> {
  const { page } = v;
  expect((await page.goto(a.signIn))?.status()).toBe(200);
  expect(await signIn(page, email)).toBe(200);
  expect(pathOf(page), `${who}: staff without a second factor are sent to add one`).toBe(a.totpSetup);
  expect(await h1(page)).toBe("Agrega una aplicación de autenticación");
  const secret = (await page.locator("main code.vt-break").innerText()).trim();
  await field(page, "Código de 6 dígitos").fill(await totpCode(ctx, secret));
  expect(await submit(page, "Activar")).toBe(200);
  expect(await h1(page), `${who}: the second factor is on`).toBe("Segundo factor activado");
}

/**
 * From the first question page of the sample form to the case page: keeps the prefilled name
 * and CURP, answers "Trabajo" (so the conditional page stays hidden), uploads a PDF and sends.
 * Returns the case page's path and the folio. The journey that tests applying audits these pages.
 */
export async function answerAndSend(page: Page): Promise<{ casePath: string; folio: string }> {
  expect(await h1(page)).toBe("Tus datos");
  expect(await submit(page, "Guardar y continuar")).toBe(200);
  await field(page, "Trabajo").check();
  expect(await submit(page, "Guardar y continuar")).toBe(200);
  await field(page, "Identificación oficial").setInputFiles(ID_FILE);
  expect(await submit(page, "Guardar y continuar")).toBe(200);
  expect(pathOf(page)).toMatch(/\/revisar$/);
  expect(await submit(page, "Aceptar y enviar")).toBe(200);
  expect(new URL(page.url()).searchParams.get("enviado")).toBe("1");
  const folio = (await page.locator("main .govuk-panel--confirmation strong").innerText()).trim();
  return { casePath: pathOf(page), folio };
}

/** The text of a PDF, with runs of white space squeezed (pdf.js splits lines and words). */
export async function pdfText(bytes: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, " ");
  } finally {
    await parser.destroy();
  }
}

/**
 * Follows a link to a PDF as a person does and checks what the server sent: 200, a PDF, never
 * cached. Chromium shows a PDF sent inline in its own viewer (no download event, and the
 * response body the page sees is the viewer's), so the bytes are fetched again with the same
 * cookies to read the text. Goes back to the page the link was on.
 */
export async function opensPdf(v: Visit, linkName: string): Promise<{ text: string; bytes: Buffer }> {
  const { page } = v;
  const from = page.url();
  const link = page.getByRole("link", { name: linkName, exact: true });
  const href = await link.getAttribute("href");
  expect(href, `the link "${linkName}"`).toMatch(/\.pdf$/);
  const responded = page.waitForResponse(
    (r) => r.request().isNavigationRequest() && new URL(r.url()).pathname === href,
  );
  await link.click();
  const res = await responded;
  expect(res.status(), `${href}: status`).toBe(200);
  expect(res.headers()["content-type"], `${href}: content type`).toContain("application/pdf");
  expect(res.headers()["cache-control"], `${href}: cache-control`).toContain("no-store");
  const again = await v.context.request.get(href!);
  expect(again.status()).toBe(200);
  const bytes = await again.body();
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  await page.goto(from);
  return { text: await pdfText(bytes), bytes };
}

/** Runs the job queue in-process until nothing is ready; every job must succeed. */
export async function runJobs(ctx: Ctx): Promise<string[]> {
  const ran: string[] = [];
  for (let i = 0; i < 100; i++) {
    const job = await runOneJob(ctx, JOBS);
    if (!job) return ran;
    expect(job.outcome, `job ${job.name} #${job.id}`).toBe("done");
    ran.push(job.name);
  }
  throw new Error(`The job queue did not empty: ${ran.join(", ")}`);
}
