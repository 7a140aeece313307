/**
 * Nothing acknowledged is lost when the server dies while applications are being sent. A real
 * server process (node --import tsx src/main.ts web, demo forms live) takes sign-ups, drafts with
 * uploaded documents, then a burst of concurrent "send" posts; it is killed with SIGKILL as soon as
 * the first few answers (303 to the case page) arrive. The next process must show:
 *   - every acknowledged application, with a folio, all its answers and every uploaded document,
 *     byte for byte;
 *   - every other draft either sent whole (same checks) or still a draft with its files: never an
 *     application without its documents, never a draft that is both sent and not;
 *   - no application twice (double clicks share an idempotency key), and a retry of an unanswered
 *     send with the same key gives the application that was made, or makes it now.
 *
 * On the embedded database (the process that holds the data is the one killed), or, when
 * DATABASE_URL is set (CI's second pass), on PostgreSQL in a database of its own.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freshCurp, freshEmail, GOOD_PASSWORD } from "./browser-client.js";
import { PDF_BYTES } from "./cases.js";
import { allMatches, HttpClient, type HttpResponse } from "./http-client.js";
import { adminUrl } from "./paths.js";

const root = new URL("..", import.meta.url).pathname;
// Node itself with tsx as a loader: one process, so SIGKILL reaches the server and not a wrapper.
const node = process.execPath;

/** Two drafts each (one per demo form: a person has one draft per form at a time). */
const PEOPLE = 10;
/** Drafts whose send is posted twice at once, as a double click does. */
const DOUBLE_CLICKS = 4;
/** The server is killed when this many sends have been answered. */
const KILL_AFTER = 6;
/**
 * Drafts sent (and answered) before the burst, whose answer the test then treats as lost on the way
 * to the browser: after the restart, the retry with the same key must find the application.
 */
const LOST_ANSWERS = 2;
const FORMS = ["SRE-01-001", "SEP-23-003"] as const;
const FOLIO = /^(SRE|SEP)-\d{4}-\d{6}$/;
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

// ------------------------------------------------------------------ server processes

interface Server {
  child: ChildProcess;
  base: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The newest verification link mailed to an address (mail goes to the log without MAIL_URL). */
  mailLink(to: string): Promise<string>;
  /** The last lines the process wrote, for failure messages. */
  output(): string;
}

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const clean of cleanups) await clean();
}, 60_000);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(dataDir: string, databaseUrl: string | undefined): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: base,
    DATA_DIR: dataDir,
    SEED_DEMO: "auto",
    JOBS_IN_WEB: "true",
    // info: the mail written to the log carries the verification links.
    LOG_LEVEL: "info",
  };
  delete env.DATABASE_URL;
  delete env.MAIL_URL;
  delete env.STORAGE_S3_BUCKET;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const child = spawn(node, ["--import", "tsx", "src/main.ts", "web"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const tail: string[] = [];
  const links = new Map<string, string>();
  const waiting: (() => void)[] = [];
  let pending = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      const entry = (() => {
        try {
          return JSON.parse(line) as { msg?: string; mail?: { to: string; body: string } };
        } catch {
          return undefined;
        }
      })();
      if (entry?.mail) {
        const link = /https?:\/\/\S+/.exec(entry.mail.body)?.[0];
        if (link) links.set(entry.mail.to.toLowerCase(), link.replace(/^https?:\/\/[^/]+/, ""));
        waiting.splice(0).forEach((wake) => wake());
      } else if (entry?.msg !== "request") {
        tail.push(line.slice(0, 2000));
        if (tail.length > 60) tail.shift();
      }
    }
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    tail.push(chunk.slice(0, 2000));
    if (tail.length > 60) tail.shift();
  });
  const output = () => tail.join("\n");

  let up = false;
  let gone = false;
  void exited.then(() => (gone = true));
  // A fresh embedded database is created and the demo catalogue loaded first: slow on a busy machine.
  const deadline = Date.now() + 240_000;
  while (!up && !gone && Date.now() < deadline) {
    try {
      up = (await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5_000) })).ok;
    } catch {
      // not listening yet
    }
    if (!up) await new Promise((r) => setTimeout(r, 250));
  }
  if (!up) {
    child.kill("SIGKILL");
    throw new Error(`the server did not start:\n${output()}`);
  }

  const mailLink = async (to: string) => {
    const until = Date.now() + 60_000;
    while (!links.has(to.toLowerCase())) {
      if (Date.now() > until || gone) throw new Error(`no mail to ${to}:\n${output()}`);
      await new Promise<void>((r) => {
        waiting.push(r);
        setTimeout(r, 1_000);
      });
    }
    return links.get(to.toLowerCase())!;
  };
  return { child, base, exited, mailLink, output };
}

/** A fresh, empty PostgreSQL database (the server seeds it), dropped at the end. */
async function freshPostgres(url: string): Promise<string> {
  const name = `vt_durability_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: adminUrl(url) });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

// ------------------------------------------------------------------ people and drafts

interface Person {
  email: string;
  curp: string;
  client: HttpClient;
  drafts: Draft[];
}

interface Draft {
  /** Unique across the test: in street names, surfaces and file names. */
  no: number;
  person: Person;
  homoclave: (typeof FORMS)[number];
  id: string;
  key: string;
  /** File name → the bytes uploaded under it. */
  files: Map<string, Buffer>;
  street: string;
  surface: number;
}

function expectStatus(res: HttpResponse, status: number, what: string): void {
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status} ${res.location ?? ""}\n${res.body.slice(0, 3000)}`);
}

async function signIn(client: HttpClient, email: string): Promise<void> {
  const res = await client.submit("/cuenta/entrar", { email, password: GOOD_PASSWORD });
  expectStatus(res, 303, `sign-in of ${email}`);
}

async function signUp(server: Server): Promise<Person> {
  const client = new HttpClient(server.base);
  const email = freshEmail();
  const curp = freshCurp();
  const res = await client.submit("/cuenta/registro", {
    curp,
    email,
    password: GOOD_PASSWORD,
    givenNames: "Lucía",
    surnames: "Pérez Gómez",
  });
  expectStatus(res, 303, "sign-up");
  const link = await server.mailLink(email);
  const token = new URL(link, server.base).searchParams.get("token")!;
  expectStatus(await client.submit(link, { token }, "/cuenta/verificar"), 200, "email verification");
  await signIn(client, email);
  return { email, curp, client, drafts: [] };
}

/** A small real PDF, different for every file, so a download proves it is the right one. */
const pdfFor = (name: string) =>
  Buffer.concat([PDF_BYTES, Buffer.from(`% ${name} ${randomBytes(8).toString("hex")}\n`)]);

let drafts = 0;

/** Fills a draft page by page as the server leads (its redirects), uploading a PDF for each document. */
async function fillDraft(person: Person, homoclave: Draft["homoclave"]): Promise<Draft> {
  const c = person.client;
  const no = ++drafts;
  const started = await c.submit(`/solicitudes/nueva/${homoclave}`, {});
  expectStatus(started, 303, `start ${homoclave}`);
  // To the draft (which leads on to its first page) or straight to the first page.
  const id = new RegExp(`^/solicitudes/(${UUID})(/pagina/[a-z_]+)?$`).exec(started.location ?? "")?.[1];
  if (!id) throw new Error(`start went to ${started.location}`);
  const d: Draft = {
    no,
    person,
    homoclave,
    id,
    key: "",
    files: new Map(),
    street: `Calle de la Durabilidad ${no}`,
    surface: 100 + no,
  };
  const answers: Record<string, Record<string, string>> = {
    nacionalidad: { es_mexicano: "no" },
    solicitante: {
      nombre: "Lucía",
      apellidos: "Pérez Gómez",
      curp: person.curp,
      correo: person.email,
      telefono: "55 1234 5678",
    },
    quien_compra: { comprador: "persona" },
    inmueble: {
      "ubicacion.street": d.street,
      "ubicacion.settlement": "Centro",
      "ubicacion.postalCode": "06000",
      "ubicacion.state": "09",
      "ubicacion.municipality": "09015",
      superficie: String(d.surface),
    },
  };
  let at = started.location!.endsWith(id) ? ((await c.get(started.location!)).location ?? "") : started.location!;
  for (let step = 0; step < 10 && !at.endsWith("/revisar"); step++) {
    const pageId = new RegExp(`^/solicitudes/${id}/pagina/([a-z_]+)$`).exec(at)?.[1];
    if (!pageId) throw new Error(`draft ${no} went to ${at}`);
    let res: HttpResponse;
    if (pageId === "documentos") {
      const page = await c.get(at);
      expectStatus(page, 200, "documents page");
      const questions = allMatches(page.body, /<input[^>]*\bname="([^"]+)"[^>]*\btype="file"/);
      if (!questions.length) throw new Error(`no file questions on ${at}`);
      const files = questions.map((field) => {
        const name = `d${no}-${field}.pdf`;
        const bytes = pdfFor(name);
        d.files.set(name, bytes);
        return { field, name, type: "application/pdf", bytes };
      });
      res = await c.postMultipart(at, {}, files);
    } else {
      const fields = answers[pageId];
      if (!fields) throw new Error(`draft ${no}: no answers for page ${pageId}`);
      res = await c.post(at, fields);
    }
    expectStatus(res, 303, `draft ${no} page ${pageId}`);
    at = res.location ?? "";
  }
  const check = await c.get(`/solicitudes/${id}/revisar`);
  expectStatus(check, 200, "check page");
  expect(check.body, `draft ${no} has answers missing`).not.toContain("govuk-error-summary");
  for (const name of d.files.keys()) expect(check.body).toContain(name);
  d.key = /name="idempotencyKey" value="([^"]+)"/.exec(check.body)![1]!;
  return d;
}

// ------------------------------------------------------------------ what the next process shows

interface Sent {
  publicId: string;
  folio: string;
  /** Upload public id → file name, from the case page. */
  documents: Map<string, string>;
  draft: Draft;
}

/**
 * Opens a case and checks it whole: folio, answers, and every document downloading with the bytes
 * that were uploaded. Returns the draft it came from (told by its documents' names).
 */
async function checkCase(client: HttpClient, person: Person, publicId: string): Promise<Sent> {
  const page = await client.get(`/cuenta/tramites/${publicId}`);
  expectStatus(page, 200, `case ${publicId}`);
  const folio = /<span class="govuk-caption-l">([^<]+)<\/span>/.exec(page.body)?.[1] ?? "";
  expect(folio, `folio of ${publicId}`).toMatch(FOLIO);
  const documents = new Map(
    [...page.body.matchAll(new RegExp(`<a [^>]*href="/documentos/(${UUID})"[^>]*>([^<]+)</a>`, "g"))].map(
      (m) => [m[1]!, m[2]!] as const,
    ),
  );
  const owners = new Set(
    [...documents.values()].map((name) => person.drafts.find((d) => d.files.has(name))).filter(Boolean),
  );
  // Never an application without its documents: each one comes from exactly one draft, with all its files.
  expect(owners.size, `documents of ${folio}: ${[...documents.values()].join(", ")}`).toBe(1);
  const draft = [...owners][0]!;
  expect([...documents.values()].sort(), `documents of ${folio}`).toEqual([...draft.files.keys()].sort());
  expect(folio.startsWith(draft.homoclave.slice(0, 3)), `${folio} is not a ${draft.homoclave} folio`).toBe(true);
  // Every answer is there.
  expect(page.body).toContain(person.curp);
  expect(page.body).toContain(person.email);
  if (draft.homoclave === "SRE-01-001") {
    expect(page.body).toContain(draft.street);
    expect(page.body).toContain("C.P. 06000");
    expect(page.body).toContain(`>${draft.surface}<`);
  }
  for (const [uploadId, name] of documents) {
    const file = await client.get(`/documentos/${uploadId}`);
    expectStatus(file, 200, `document ${name} of ${folio}`);
    expect(file.bytes.equals(draft.files.get(name)!), `bytes of ${name} (${folio})`).toBe(true);
  }
  return { publicId, folio, documents, draft };
}

/** The person's applications and drafts, from "Mis trámites". */
async function mine(client: HttpClient): Promise<{ cases: string[]; drafts: string[] }> {
  const page = await client.get("/cuenta/tramites");
  expectStatus(page, 200, "my applications");
  return {
    cases: allMatches(page.body, new RegExp(`href="/cuenta/tramites/(${UUID})"`)),
    drafts: allMatches(page.body, new RegExp(`href="/solicitudes/(${UUID})"`)),
  };
}

const caseIdOf = (location: string | null) =>
  new RegExp(`^/cuenta/tramites/(${UUID})\\?enviado=1$`).exec(location ?? "")?.[1];

// ------------------------------------------------------------------ the scenario

const backends: { name: string; databaseUrl?: string }[] = process.env.DATABASE_URL
  ? [{ name: "PostgreSQL", databaseUrl: process.env.DATABASE_URL }]
  : [{ name: "embedded database" }];

for (const backend of backends) {
  describe(`applications survive a killed server (${backend.name})`, () => {
    it("keeps every acknowledged application whole, with its uploads, and makes none twice", async () => {
      const started = Date.now();
      const phase: Record<string, number> = {};
      const lap = (name: string) => (phase[name] = Math.round((Date.now() - started) / 100) / 10);
      const dataDir = mkdtempSync(join(tmpdir(), "ventanilla-app-durability-"));
      cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      const databaseUrl = backend.databaseUrl ? await freshPostgres(backend.databaseUrl) : undefined;

      // 1. A server with the demo forms live; people sign up, confirm their email and fill two drafts each.
      const first = await startServer(dataDir, databaseUrl);
      lap("started");
      const people = await Promise.all(Array.from({ length: PEOPLE }, () => signUp(first)));
      lap("signed up");
      await Promise.all(
        people.map(async (p) => {
          for (const form of FORMS) p.drafts.push(await fillDraft(p, form));
        }),
      );
      lap("drafts filled");
      const all = people.flatMap((p) => p.drafts);
      expect(all).toHaveLength(PEOPLE * FORMS.length);

      // 2. A couple of drafts are sent and their answers "lost" (the browser never saw them). Then every
      //    other draft is sent at once (some twice, as a double click does); the server is killed with
      //    SIGKILL as soon as the first answers arrive.
      const lost = new Map<Draft, string>();
      for (const d of all.slice(-LOST_ANSWERS)) {
        const res = await d.person.client.post(`/solicitudes/${d.id}/enviar`, { idempotencyKey: d.key });
        expectStatus(res, 303, `send of draft ${d.no}`);
        lost.set(d, caseIdOf(res.location)!);
      }
      const burst = all.slice(0, -LOST_ANSWERS);
      const sends = [...burst, ...burst.slice(0, DOUBLE_CLICKS)];
      let answered = 0;
      const kill = () => {
        if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill("SIGKILL");
      };
      const outcomes = await Promise.all(
        sends.map(async (d) => {
          try {
            const res = await d.person.client.post(`/solicitudes/${d.id}/enviar`, { idempotencyKey: d.key });
            if (res.status === 303 && ++answered >= KILL_AFTER) kill();
            return { d, res };
          } catch (error) {
            // The connection died with the process: no answer.
            return { d, error };
          }
        }),
      );
      kill();
      const death = await first.exited;
      lap("killed");
      expect(death.signal, first.output()).toBe("SIGKILL");

      // Whatever was answered before the kill is a 303 to the case: a send never fails otherwise.
      for (const o of outcomes) if (o.res) expectStatus(o.res, 303, `send of draft ${o.d.no}`);
      const acknowledged = new Map<Draft, string>();
      for (const o of outcomes) {
        if (!o.res) continue;
        const id = caseIdOf(o.res.location);
        expect(id, `send of draft ${o.d.no} went to ${o.res.location}`).toBeDefined();
        // A double click gives one application: both answers point at it.
        if (acknowledged.has(o.d)) expect(id).toBe(acknowledged.get(o.d));
        acknowledged.set(o.d, id!);
      }
      expect(outcomes.filter((o) => o.res).length).toBeGreaterThanOrEqual(KILL_AFTER);
      // The kill came while sends were still in flight, or this test proves little.
      expect(outcomes.filter((o) => !o.res).length, "sends in flight at the kill").toBeGreaterThan(0);

      // 3. The next process, on the same data.
      const second = await startServer(dataDir, databaseUrl);
      lap("restarted");
      const found = new Map<Draft, Sent>();
      const folios = new Set<string>();
      const stillDrafts = new Set<Draft>();
      await Promise.all(
        people.map(async (p) => {
          p.client = new HttpClient(second.base);
          await signIn(p.client, p.email);
          const listed = await mine(p.client);
          for (const publicId of listed.cases) {
            const sent = await checkCase(p.client, p, publicId);
            expect(found.has(sent.draft), `draft ${sent.draft.no} was sent twice`).toBe(false);
            expect(folios.has(sent.folio), `folio ${sent.folio} given twice`).toBe(false);
            found.set(sent.draft, sent);
            folios.add(sent.folio);
          }
          for (const d of p.drafts) {
            const sent = found.get(d);
            const kept = listed.drafts.includes(d.id);
            // Sent whole, or not at all: never both, never neither.
            expect(Boolean(sent) !== kept, `draft ${d.no}: sent=${Boolean(sent)} still a draft=${kept}`).toBe(true);
            if (acknowledged.has(d)) expect(sent?.publicId, `acknowledged draft ${d.no}`).toBe(acknowledged.get(d));
            if (lost.has(d)) expect(sent?.publicId, `draft ${d.no} sent before the kill`).toBe(lost.get(d));
            if (kept) {
              // A draft not sent keeps its answers and files, ready to send.
              const check = await p.client.get(`/solicitudes/${d.id}/revisar`);
              expectStatus(check, 200, `check page of kept draft ${d.no}`);
              expect(check.body).not.toContain("govuk-error-summary");
              for (const name of d.files.keys()) expect(check.body).toContain(name);
              stillDrafts.add(d);
            }
          }
        }),
      );
      lap("checked");
      const committedUnanswered = [...found.keys()].filter((d) => !acknowledged.has(d)).length;

      // 4. The people whose send got no answer try again with the same form (same key): each draft
      //    ends as exactly one application.
      await Promise.all(
        people.map(async (p) => {
          for (const d of p.drafts.filter((x) => !acknowledged.has(x))) {
            const res = await p.client.post(`/solicitudes/${d.id}/enviar`, { idempotencyKey: d.key });
            expectStatus(res, 303, `retry of draft ${d.no}`);
            const id = caseIdOf(res.location)!;
            if (found.has(d))
              expect(id, `retry of draft ${d.no} made another application`).toBe(found.get(d)!.publicId);
            else found.set(d, await checkCase(p.client, p, id));
          }
          const listed = await mine(p.client);
          expect(listed.drafts).toEqual([]);
          expect(listed.cases.sort()).toEqual(p.drafts.map((d) => found.get(d)!.publicId).sort());
        }),
      );
      const allFolios = [...found.values()].map((s) => s.folio);
      expect(new Set(allFolios).size).toBe(all.length);
      lap("retried");

      // A graceful stop after all that: finishes, closes the database, exits 0.
      second.child.kill("SIGTERM");
      expect((await second.exited).code, second.output()).toBe(0);
      lap("stopped");
      console.info(
        `[${backend.name}] ${all.length} drafts, ${sends.length} sends in the burst: ${acknowledged.size} drafts ` +
          `acknowledged, ${committedUnanswered} sent without an answer (${LOST_ANSWERS} of them before the burst), ` +
          `${stillDrafts.size} still drafts; seconds: ` +
          JSON.stringify(phase),
      );
    }, 420_000);
  });
}
