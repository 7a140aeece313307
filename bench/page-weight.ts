/**
 * Page weight: the bytes a real Chromium transfers (compressed bodies plus headers,
 * CDP Network.loadingFinished encodedDataLength) for a first visit with an empty
 * cache to the home page, a search results page and a procedure page, and for a
 * further page once the fingerprinted CSS and JS are cached. Budgets: 80 KB for a
 * first visit, 20 KB for a further page. Prints figures, asserts nothing.
 *
 *   npm run bench:weight
 *
 * The app runs in this process over an in-memory PGlite database prepared like a
 * fresh install (migrations, geography, the demo catalogue), on 127.0.0.1.
 */
import { chromium, type Browser, type CDPSession, type Page } from "playwright-core";
import { makeCtx } from "../src/platform/context.js";
import { openDatabase } from "../src/platform/db/index.js";
import { prepareDatabase } from "../src/prepare.js";
import { BENCH_DATA_DIR, benchConfig, runBench, silentLogger } from "./lib.js";

const FIRST_VISIT_BUDGET = 80 * 1024;
const FURTHER_PAGE_BUDGET = 20 * 1024;
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

interface Transfer {
  path: string;
  bytes: number;
  requests: { path: string; bytes: number; fromCache: boolean }[];
}

/** Navigates and adds up encodedDataLength of every request that finished until the network was idle. */
async function measure(page: Page, cdp: CDPSession, base: string, path: string): Promise<Transfer> {
  const urls = new Map<string, string>();
  const cached = new Set<string>();
  const requests: Transfer["requests"] = [];
  const onRequest = (e: { requestId: string; request: { url: string } }) => urls.set(e.requestId, e.request.url);
  const onCache = (e: { requestId: string }) => cached.add(e.requestId);
  const onFinished = (e: { requestId: string; encodedDataLength: number }) => {
    const url = new URL(urls.get(e.requestId) ?? base);
    requests.push({ path: url.pathname + url.search, bytes: e.encodedDataLength, fromCache: cached.has(e.requestId) });
  };
  cdp.on("Network.requestWillBeSent", onRequest);
  cdp.on("Network.requestServedFromCache", onCache);
  cdp.on("Network.loadingFinished", onFinished);
  try {
    const res = await page.goto(new URL(path, base).toString(), { waitUntil: "networkidle" });
    if (!res || res.status() !== 200) throw new Error(`GET ${path} answered ${res?.status() ?? "nothing"}`);
  } finally {
    cdp.off("Network.requestWillBeSent", onRequest);
    cdp.off("Network.requestServedFromCache", onCache);
    cdp.off("Network.loadingFinished", onFinished);
  }
  return { path, bytes: requests.reduce((sum, r) => sum + r.bytes, 0), requests };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const verdict = (bytes: number, budget: number) =>
  bytes <= budget ? "within budget" : `OVER budget by ${kb(bytes - budget)}`;
const detail = (t: Transfer) =>
  t.requests
    .map(
      (r) =>
        `${r.path.length > 48 ? `${r.path.slice(0, 45)}…` : r.path}${r.fromCache ? " (cache)" : ""} ${kb(r.bytes)}`,
    )
    .join(", ");

/** A first visit in a fresh browser context (empty cache), then a further page in the same context. */
async function visit(
  browser: Browser,
  base: string,
  first: string,
  then: string,
): Promise<{ first: Transfer; then: Transfer }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    const a = await measure(page, cdp, base, first);
    const b = await measure(page, cdp, base, then);
    await cdp.detach();
    return { first: a, then: b };
  } finally {
    await context.close();
  }
}

interface PageWeightRow {
  page: string;
  firstPath: string;
  firstBytes: number;
  furtherPath: string;
  furtherBytes: number;
}

async function pageWeight(): Promise<PageWeightRow[]> {
  // The demo catalogue, in PGlite: a fresh install.
  const config = benchConfig({ SEED_DEMO: "auto" });
  const database = await openDatabase({ dataDir: BENCH_DATA_DIR, inMemory: true });
  let browser: Browser | undefined;
  try {
    const ctx = makeCtx(config, database.db, silentLogger);
    await prepareDatabase(ctx);
    const { createApp } = await import("../src/app.js");
    const app = await createApp(ctx);
    try {
      const base = await app.listen({ host: "127.0.0.1", port: 0 });
      const res = await fetch(`${base}/api/v1/procedures?q=pasaporte`);
      const top = ((await res.json()) as { data: { homoclave: string }[] }).data[0];
      if (!top) throw new Error('The demo catalogue has no result for "pasaporte".');
      const procedure = `/tramites/${top.homoclave}`;
      const search = "/buscar?q=pasaporte";

      browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
        args: CHROMIUM_ARGS,
      });
      const plan: [name: string, first: string, then: string][] = [
        ["home", "/", search],
        ["search results", search, procedure],
        ["procedure", procedure, "/buscar?q=acta+de+nacimiento"],
      ];
      const rows: PageWeightRow[] = [];
      for (const [name, first, then] of plan) {
        const v = await visit(browser, base, first, then);
        console.log(
          `  first visit ${first}: ${kb(v.first.bytes)} in ${v.first.requests.length} requests [${detail(v.first)}]`,
        );
        console.log(`    then ${then}: ${kb(v.then.bytes)} in ${v.then.requests.length} requests [${detail(v.then)}]`);
        rows.push({
          page: name,
          firstPath: first,
          firstBytes: v.first.bytes,
          furtherPath: then,
          furtherBytes: v.then.bytes,
        });
      }
      return rows;
    } finally {
      await app.close();
    }
  } finally {
    await browser?.close();
    await database.close();
  }
}

async function main(): Promise<void> {
  console.log("Page weight: bytes Chromium transferred (encodedDataLength), demo catalogue on PGlite\n");
  const rows = await pageWeight();
  console.log("");
  console.log(
    "| first visit to    | transferred | budget 80 KB           | then (assets cached)            | transferred | budget 20 KB           |",
  );
  console.log(
    "| ----------------- | ----------: | ---------------------- | ------------------------------- | ----------: | ---------------------- |",
  );
  for (const r of rows) {
    console.log(
      `| ${r.page.padEnd(17)} | ${kb(r.firstBytes).padStart(11)} | ${verdict(r.firstBytes, FIRST_VISIT_BUDGET).padEnd(22)} ` +
        `| ${r.furtherPath.padEnd(31)} | ${kb(r.furtherBytes).padStart(11)} | ${verdict(r.furtherBytes, FURTHER_PAGE_BUDGET).padEnd(22)} |`,
    );
  }
}

runBench(main);
