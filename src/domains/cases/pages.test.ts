import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runOneJob } from "../../platform/jobs/queue.js";
import { JOBS } from "../../jobs.js";
import { openTestApp, type TestApp } from "../../../test/app.js";
import { BrowserClient, signedUpCitizen } from "../../../test/browser-client.js";
import { EXE_BYTES, liveProcedure, PDF_BYTES } from "../../../test/cases.js";
import { staffMember } from "../../../test/people.js";
import * as casework from "./casework.js";
import { casePaths } from "./paths.js";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => t?.close());

const es = casePaths("es");
const en = casePaths("en");
const location = (res: { headers: Record<string, unknown> }) => String(res.headers.location ?? "");

/** Goes from the procedure's start page to a sent application, as a person without JavaScript does. */
async function apply(client: BrowserClient, homoclave: string) {
  await client.get(es.start(homoclave));
  const started = await client.post(es.start(homoclave));
  expect(started.statusCode).toBe(303);
  const datos = location(started);
  expect(datos).toMatch(/\/pagina\/datos$/);
  const page = await client.get(datos);
  expect(page.statusCode).toBe(200);
  const curp =
    /name="curp"[^>]*value="([A-Z0-9]{18})"/.exec(page.body)?.[1] ??
    /value="([A-Z0-9]{18})"[^>]*name="curp"/.exec(page.body)?.[1];
  expect(curp).toBeTruthy();
  expect(page.body).toContain("Lo tomamos de tu cuenta");
  expect((await client.post(datos, { nombre: "Lucía", curp: curp!, telefono: "" })).statusCode).toBe(303);
  const motivo = datos.replace("datos", "motivo");
  expect(location(await client.post(motivo, { tipo: "trabajo" }))).toMatch(/\/pagina\/documentos$/);
  const docs = datos.replace("datos", "documentos");
  await client.get(docs);
  const uploaded = await client.postMultipart(docs, {}, [
    { field: "identificacion", name: "INE.pdf", bytes: PDF_BYTES },
  ]);
  expect(uploaded.statusCode).toBe(303);
  expect(location(uploaded)).toMatch(/\/revisar$/);
  const check = await client.get(location(uploaded));
  expect(check.statusCode).toBe(200);
  expect(check.body).toContain("INE.pdf");
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(check.body)![1]!;
  const submit = location(uploaded).replace(/revisar$/, "enviar");
  const sent = await client.post(submit, { idempotencyKey: key });
  expect(sent.statusCode).toBe(303);
  // A second click (or a retry after a timeout) lands on the same application.
  const again = await client.post(submit, { idempotencyKey: key });
  expect(location(again)).toBe(location(sent));
  return { caseUrl: location(sent).split("?")[0]!, docs };
}

describe("applying online through the pages", () => {
  it("links the procedure page to the live form and asks signed-out visitors to sign in", async () => {
    const { homoclave } = await liveProcedure(t.ctx);
    const page = await new BrowserClient(t.app).get(`/tramites/${homoclave}`);
    expect(page.body).toContain(`href="${es.start(homoclave)}"`);
    const res = await new BrowserClient(t.app).get(es.start(homoclave));
    expect(res.statusCode).toBe(303);
    expect(location(res)).toContain("/cuenta/entrar?next=");
  });

  it("takes a person from start to folio, with an upload, a receipt and the document back", async () => {
    const { homoclave } = await liveProcedure(t.ctx);
    const { client } = await signedUpCitizen(t.app, t.ctx);
    const { caseUrl } = await apply(client, homoclave);
    const casePage = await client.get(`${caseUrl}?enviado=1`);
    expect(casePage.statusCode).toBe(200);
    expect(casePage.body).toContain("Enviamos tu solicitud");
    expect(casePage.body).toMatch(/T[0-9A-F]{8}-\d{4}-\d{6}/);
    const receipt = await client.get(`${caseUrl}/acuse.pdf`);
    expect(receipt.statusCode).toBe(200);
    expect(receipt.headers["content-type"]).toContain("application/pdf");
    expect(receipt.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    const docLink = /href="(\/documentos\/[0-9a-f-]{36})"/.exec(casePage.body)![1]!;
    const doc = await client.get(docLink);
    expect(doc.statusCode).toBe(200);
    expect(Buffer.compare(doc.rawPayload, PDF_BYTES)).toBe(0);
    expect((await client.get(`${caseUrl}/hoja-de-pago.pdf`)).statusCode).toBe(404);

    // Another person gets 404 for every one of these.
    const { client: other } = await signedUpCitizen(t.app, t.ctx);
    for (const url of [caseUrl, `${caseUrl}/acuse.pdf`, `${caseUrl}/resolucion.pdf`, docLink])
      expect((await other.get(url)).statusCode, url).toBe(404);
    await other.get(casePaths("es").mine);
    expect((await other.post(`${caseUrl}/retirar`)).statusCode).toBe(404);
    expect((await other.post(`${caseUrl}/responder`, { answer: "x" })).statusCode).toBe(404);
    expect((await client.get(caseUrl)).body).not.toContain("Retirado");
  });

  it("answers bad input with the page and its errors, in the page's language", async () => {
    const { homoclave } = await liveProcedure(t.ctx);
    const { client } = await signedUpCitizen(t.app, t.ctx);
    await client.get(es.start(homoclave));
    const draftUrl = location(await client.post(es.start(homoclave)));
    const draftId = draftUrl.split("/")[2]!;
    await client.get(es.page(draftId, "datos"));
    const bad = await client.post(es.page(draftId, "datos"), { nombre: "", curp: "ABC", telefono: "12" });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("govuk-error-summary");
    expect(bad.body).toContain('href="#curp"');
    expect(bad.body).toContain('value="ABC"');
    await client.get(en.page(draftId, "datos"));
    const badEn = await client.post(en.page(draftId, "datos"), { nombre: "", curp: "ABC" });
    expect(badEn.statusCode).toBe(400);
    expect(badEn.body).toContain("There is a problem");
    // A file that lies about its type, and a multipart post without the token first.
    await client.get(es.page(draftId, "documentos"));
    const exe = await client.postMultipart(es.page(draftId, "documentos"), {}, [
      { field: "identificacion", name: "ine.pdf", bytes: EXE_BYTES, type: "application/pdf" },
    ]);
    expect(exe.statusCode).toBe(400);
    expect(exe.body).toContain("govuk-error-message");
    const forged = await client.postMultipart(es.page(draftId, "documentos"), { _csrf: "forged" }, [
      { field: "identificacion", name: "ine.pdf", bytes: PDF_BYTES },
    ]);
    expect(forged.statusCode).toBe(403);
    const noToken = await client.post(es.page(draftId, "motivo"), { _csrf: "", tipo: "trabajo" });
    expect(noToken.statusCode).toBe(403);
    for (const url of [
      es.page(draftId, "x".repeat(180)),
      es.page("not-a-draft", "datos"),
      es.check("../../etc"),
      es.case("1 or 1=1"),
    ])
      expect((await client.get(url)).statusCode, url).toBe(404);
    const submitNoKey = await client.post(es.submit(draftId), { idempotencyKey: "" });
    expect(submitNoKey.statusCode).toBe(400);
  });

  it("confirms a genuine resolution on the public page and refuses made-up codes", async () => {
    const { homoclave, institution } = await liveProcedure(t.ctx);
    const { client } = await signedUpCitizen(t.app, t.ctx);
    const { caseUrl } = await apply(client, homoclave);
    const publicId = caseUrl.split("/").pop()!;
    const manager = await staffMember(t.ctx, [{ institution, role: "case-manager" }]);
    await casework.startReview(t.ctx, manager, publicId);
    await casework.resolveCase(t.ctx, manager, publicId, { outcome: "favourable", reasons: "Cumple." });
    while (await runOneJob(t.ctx, JOBS as never)) {
      /* render the PDF and the mail */
    }
    const page = await client.get(caseUrl);
    const code = /([A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4})/.exec(page.body)![1]!;
    const pdf = await client.get(`${caseUrl}/resolucion.pdf`);
    expect(pdf.statusCode).toBe(200);
    const visitor = new BrowserClient(t.app);
    const ok = await visitor.get(es.verifyCode(code));
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain("El documento es auténtico");
    expect((await visitor.get(`${es.verify}?codigo=${code.toLowerCase()}`)).statusCode).toBe(200);
    expect((await visitor.get(es.verifyCode("AAAA-BBBB-CCCC-DDDD"))).statusCode).toBe(404);
    const bad = await visitor.get(`${es.verify}?codigo=${encodeURIComponent("<script>".repeat(100))}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toContain("<script>");
    expect((await visitor.get(en.verifyCode(code))).body).toContain("The document is genuine");
    // The same check for machines, and the live form for other front ends.
    const api = await t.app.inject({ url: `/api/v1/resolutions/${code}` });
    expect(api.statusCode).toBe(200);
    expect(api.json()).toMatchObject({ verificationCode: code, outcome: "favourable", homoclave });
    expect((await t.app.inject({ url: "/api/v1/resolutions/AAAA-BBBB-CCCC-DDDD" })).statusCode).toBe(404);
    expect((await t.app.inject({ url: "/api/v1/resolutions/' or 1=1" })).statusCode).toBe(400);
    const form = await t.app.inject({ url: `/api/v1/procedures/${homoclave}/form` });
    expect(form.statusCode).toBe(200);
    expect(form.json().definition.format).toBe("ventanilla-form/1");
    expect((await t.app.inject({ url: "/api/v1/procedures/XX-99-999/form" })).statusCode).toBe(404);
  });
});
