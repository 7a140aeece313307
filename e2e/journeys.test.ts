/**
 * What people do on the portal, in a real browser, each journey run twice:
 * with JavaScript and without it (every page must work with plain HTML forms and links).
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  countInLabel,
  HUGE_QUERY,
  htmlLang,
  newContext,
  procedureApi,
  resultTotal,
  UNKNOWN_HOMOCLAVE,
  type Discovered,
  type E2eApp,
  useSession,
  WITH_AND_WITHOUT_JS,
} from "./helpers.js";

let app: E2eApp;
let browser: Browser;
let found: Discovered;

useSession((s) => ({ app, browser, found } = s));

const searchBox = (page: Page, lang: "es" | "en" = "es") =>
  page.getByLabel(lang === "es" ? "¿Qué trámite necesitas?" : "Which procedure do you need?");
const results = (page: Page) => page.locator("main li.vt-result");

/** Types a query in the page's search box and submits it (with the button or the Enter key). */
async function search(page: Page, q: string, submit: "button" | "enter" = "button") {
  await searchBox(page).fill(q);
  const arrived = page.waitForURL((u) => u.pathname === "/buscar" && u.searchParams.get("q") === q);
  if (submit === "enter") await searchBox(page).press("Enter");
  else await page.locator("form[role=search]").getByRole("button", { name: "Buscar", exact: true }).click();
  await arrived;
}

describe.each(WITH_AND_WITHOUT_JS)("journeys $name", ({ js }) => {
  let context: BrowserContext;
  let page: Page;

  beforeEach(async () => {
    context = await newContext(browser, { javaScriptEnabled: js, baseURL: app.base, locale: "es-MX" });
    page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
  });

  it("searches from the home page and lands on a list of results", async () => {
    const res = await page.goto("/");
    expect(res?.status()).toBe(200);
    const enhanced = await page.locator("body.js-enabled").count();
    await search(page, "pasaporte");
    expect(await page.locator("h1").innerText()).toContain("pasaporte");
    expect(await resultTotal(page)).toBeGreaterThan(0);
    expect(await results(page).count()).toBeGreaterThan(0);
    expect(await searchBox(page).inputValue()).toBe("pasaporte");
    // Our own two passport records are among the results.
    const total = await resultTotal(page);
    expect(total).toBeGreaterThanOrEqual(2);
    // The enhancement script (app.js) ran exactly when JavaScript is on.
    expect(enhanced, "body.js-enabled set by /static/app.*.js").toBe(js ? 1 : 0);
  });

  it("narrows the results with a facet and keeps it in the URL", async () => {
    await page.goto("/buscar?q=pasaporte");
    const before = await resultTotal(page);
    const online = page.getByRole("checkbox", { name: /^En línea/ });
    const label = await page.locator("label[for=f-online]").innerText();
    const expected = countInLabel(label);
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(before);
    expect(await online.isChecked()).toBe(false);
    await online.check();
    const arrived = page.waitForURL((u) => u.searchParams.get("online") === "true");
    await page.getByRole("button", { name: "Aplicar filtros" }).click();
    await arrived;
    const url = new URL(page.url());
    expect(url.pathname).toBe("/buscar");
    expect(url.searchParams.get("q")).toBe("pasaporte");
    expect(url.searchParams.get("online")).toBe("true");
    const after = await resultTotal(page);
    expect(after).toBe(expected);
    expect(after).toBeLessThan(before);
    expect(await page.getByRole("checkbox", { name: /^En línea/ }).isChecked()).toBe(true);
    // Every result shown is an online one.
    const shown = await results(page).count();
    expect(shown).toBeGreaterThan(0);
    expect(
      await results(page)
        .filter({ has: page.locator(".govuk-tag--green", { hasText: "En línea" }) })
        .count(),
    ).toBe(shown);
  });

  it("opens a procedure from the results", async () => {
    await page.goto("/buscar?q=pasaporte");
    const link = results(page).first().locator("h2 a");
    const name = (await link.innerText()).trim();
    const arrived = page.waitForURL((u) => u.pathname.startsWith("/tramites/"));
    await link.click();
    await arrived;
    const homoclave = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]!);
    expect(await page.locator("h1").innerText()).toBe(name);
    const summary = page.locator("main dl.govuk-summary-list");
    expect(await summary.count()).toBe(1);
    expect(await summary.locator(".govuk-summary-list__row", { hasText: "Homoclave" }).locator("dd").innerText()).toBe(
      homoclave,
    );
    expect(await page.getByRole("heading", { level: 2, name: "Requisitos" }).count()).toBe(1);
    const record = await procedureApi(app.base, homoclave);
    if (record.requirements.length) {
      const table = page.getByRole("table", { name: "Documentos que necesitas" });
      expect(await table.count()).toBe(1);
      expect(await table.locator("tbody tr").count()).toBe(record.requirements.length);
      expect(await table.locator("thead th").allInnerTexts()).toEqual(["Documento", "Original", "Copias", "En línea"]);
    } else {
      expect(await page.getByText("No se piden documentos.").count()).toBe(1);
    }
  });

  it("shows a procedure with its requirements table (fixture record)", async () => {
    const h = app.fixture.onlineHomoclave;
    const res = await page.goto(`/tramites/${h}`);
    expect(res?.status()).toBe(200);
    expect(await page.locator("h1").innerText()).toBe("Tramitar un pasaporte de prueba en línea");
    const table = page.getByRole("table", { name: "Documentos que necesitas" });
    expect(await table.locator("tbody tr").count()).toBe(2);
    expect(await table.locator("tbody tr").first().innerText()).toContain("Acta de nacimiento");
    // The start button is a link styled (and announced) as a button.
    const start = page.getByRole("button", { name: "Iniciar en línea" });
    expect(await start.getAttribute("href")).toBe("https://www.gob.mx/pasaporte-prueba");
    expect(await page.locator("main dl.govuk-summary-list").innerText()).toContain("Gratuito");
  });

  it("switches a procedure page to English and back", async () => {
    const h = found.homoclave;
    await page.goto(`/tramites/${h}`);
    expect(await htmlLang(page)).toBe("es");
    const toEnglish = page.locator("header").getByRole("link", { name: "English" });
    const arrivedEn = page.waitForURL((u) => u.pathname === `/en/procedures/${h}`);
    await toEnglish.click();
    await arrivedEn;
    expect(await htmlLang(page)).toBe("en");
    expect(await page.getByRole("heading", { level: 2, name: "Summary" }).count()).toBe(1);
    expect(await page.locator("link[rel=canonical]").getAttribute("href")).toMatch(new RegExp(`/en/procedures/${h}$`));
    const arrivedEs = page.waitForURL((u) => u.pathname === `/tramites/${h}`);
    await page.locator("header").getByRole("link", { name: "Español" }).click();
    await arrivedEs;
    expect(await htmlLang(page)).toBe("es");
    expect(await page.getByRole("heading", { level: 2, name: "Resumen" }).count()).toBe(1);
  });

  it("switches a filtered results page to English, keeping the query and filters", async () => {
    await page.goto("/buscar?q=pasaporte&online=true");
    const spanishTotal = await resultTotal(page);
    const arrived = page.waitForURL((u) => u.pathname === "/en/search");
    await page.locator("header").getByRole("link", { name: "English" }).click();
    await arrived;
    const url = new URL(page.url());
    expect(url.searchParams.get("q")).toBe("pasaporte");
    expect(url.searchParams.get("online")).toBe("true");
    expect(await htmlLang(page)).toBe("en");
    expect(await page.getByRole("checkbox", { name: /^Online/ }).isChecked()).toBe(true);
    expect(await page.locator("main [role=status]").first().innerText()).toMatch(/\d+ results?/);
    expect(await resultTotal(page)).toBeGreaterThan(0);
    expect(spanishTotal).toBeGreaterThan(0);
    const back = page.waitForURL((u) => u.pathname === "/buscar");
    await page.locator("header").getByRole("link", { name: "Español" }).click();
    await back;
    expect(new URL(page.url()).search).toBe("?q=pasaporte&online=true");
    expect(await htmlLang(page)).toBe("es");
  });

  it('suggests "¿Quisiste decir…?" for a misspelling and still lists results', async () => {
    await page.goto("/");
    await search(page, "pasaprote", "enter");
    const didYouMean = page.locator("main p", { hasText: "¿Quisiste decir" });
    expect(await didYouMean.count()).toBe(1);
    const suggestion = didYouMean.getByRole("link");
    expect((await suggestion.innerText()).trim()).toBe("pasaporte");
    expect(await resultTotal(page)).toBeGreaterThan(0);
    expect(await results(page).count()).toBeGreaterThan(0);
    const arrived = page.waitForURL((u) => u.searchParams.get("q") === "pasaporte");
    await suggestion.click();
    await arrived;
    expect(await page.locator("main p", { hasText: "¿Quisiste decir" }).count()).toBe(0);
    expect(await resultTotal(page)).toBeGreaterThan(0);
  });

  it("explains what to do when nothing is found", async () => {
    await page.goto("/");
    await search(page, "qxzwvkjh");
    expect(await page.locator("main [role=status]").innerText()).toBe("No encontramos trámites con esas palabras.");
    expect(await results(page).count()).toBe(0);
    const help = page.locator("main .govuk-inset-text");
    expect(await help.innerText()).toContain("revisar cómo lo escribiste");
    expect(await help.getByRole("link", { name: "buscar por momento de vida" }).getAttribute("href")).toBe(
      "/momentos-de-vida",
    );
    expect(await help.getByRole("link", { name: "por institución" }).getAttribute("href")).toBe("/instituciones");
    expect(await searchBox(page).inputValue()).toBe("qxzwvkjh");
  });

  it("shows a proper 404 page with a search box for an unknown procedure", async () => {
    const res = await page.goto(`/tramites/${UNKNOWN_HOMOCLAVE}`);
    expect(res?.status()).toBe(404);
    expect(res?.headers()["content-type"]).toContain("text/html");
    expect(await htmlLang(page)).toBe("es");
    expect(await page.locator("h1").innerText()).toBe("No encontramos esta página");
    expect(await page.title()).toContain("No encontramos esta página");
    expect(await page.locator("main").innerText()).toContain(UNKNOWN_HOMOCLAVE);
    expect(await page.getByRole("link", { name: "Ir a la página de inicio" }).getAttribute("href")).toBe("/");
    // The search box on the error page works.
    await search(page, "pasaporte");
    expect(await resultTotal(page)).toBeGreaterThan(0);
  });

  it("shows the 404 page in English under /en", async () => {
    const res = await page.goto(`/en/procedures/${UNKNOWN_HOMOCLAVE}`);
    expect(res?.status()).toBe(404);
    expect(await htmlLang(page)).toBe("en");
    expect(await page.locator("h1").innerText()).toBe("Page not found");
    expect(await searchBox(page, "en").count()).toBe(1);
  });

  it("answers a 10,000-character query with a clear 400 page, not a crash", async () => {
    const res = await page.goto(`/buscar?q=${encodeURIComponent(HUGE_QUERY)}`);
    expect(res?.status()).toBe(400);
    expect(res?.headers()["content-type"]).toContain("text/html");
    expect(await page.locator("h1").innerText()).toBe("Hay un problema con tu solicitud");
    const main = await page.locator("main").innerText();
    expect(main).toContain("La búsqueda es demasiado larga: escribe como máximo 200 caracteres.");
    expect(main).not.toMatch(/error|stack|undefined|exception/i);
    expect(await searchBox(page).count()).toBe(1);
    expect(await searchBox(page).inputValue()).toBe("");
    const en = await page.goto(`/en/search?q=${encodeURIComponent(HUGE_QUERY)}`);
    expect(en?.status()).toBe(400);
    expect(await page.locator("main").innerText()).toContain("The search is too long: use at most 200 characters.");
  });

  it("lists a life event's procedures", async () => {
    const event = found.lifeEvent;
    await page.goto("/momentos-de-vida");
    expect(await page.locator("h1").innerText()).toBe("Momentos de vida");
    const arrived = page.waitForURL((u) => u.pathname === `/momentos-de-vida/${event.slug}`);
    await page.locator("main").getByRole("link", { name: event.name.es, exact: true }).click();
    await arrived;
    expect(await page.locator("h1").innerText()).toBe(event.name.es);
    expect(await results(page).count()).toBe(event.procedureCount);
    // The fixture's life event lists the fixture's procedures.
    await page.goto("/momentos-de-vida/viajar-al-extranjero");
    const links = await results(page)
      .locator("a")
      .evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(links).toContain(`/tramites/${app.fixture.onlineHomoclave}`);
    expect(links).toContain(`/tramites/${app.fixture.inPersonHomoclave}`);
  });

  it("lists an institution's procedures", async () => {
    const inst = found.institution;
    await page.goto("/instituciones");
    const row = page.locator("main table tbody tr", { has: page.locator(`a[href="/instituciones/${inst.acronym}"]`) });
    expect(await row.count()).toBe(1);
    const count = Number((await row.locator("td").nth(2).innerText()).replace(/\D/g, ""));
    expect(count).toBe(inst.procedureCount);
    const arrived = page.waitForURL((u) => u.pathname === `/instituciones/${inst.acronym}`);
    await row.getByRole("link").click();
    await arrived;
    expect(await page.locator("h1").innerText()).toBe(inst.name.es);
    expect(await page.getByRole("heading", { level: 2, name: `Trámites y servicios (${count})` }).count()).toBe(1);
    expect(await results(page).count()).toBe(count);
    expect(count).toBeGreaterThan(0);
  });
});
