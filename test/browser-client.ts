/**
 * A small form-posting client over app.inject that behaves like a browser without
 * JavaScript: it keeps cookies, and posts forms with the CSRF token of the last page.
 */
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { LightMyRequestResponse } from "fastify";
import { generate } from "otplib";
import type { Ctx } from "../src/platform/context.js";
import type { App } from "../src/platform/http/server.js";

export class BrowserClient {
  cookies = new Map<string, string>();
  csrf = "";
  last: LightMyRequestResponse | undefined;

  constructor(
    private app: App,
    public address = "203.0.113.10",
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(res: LightMyRequestResponse): void {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.value === "" || (c.expires && c.expires.getTime() < Date.now()) || c.maxAge === 0;
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (token) this.csrf = token[1]!;
    this.last = res;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: "GET",
      url,
      headers: { cookie: this.cookieHeader() },
      remoteAddress: this.address,
    });
    this.remember(res);
    return res;
  }

  /** Posts a form with the current CSRF token (unless the fields give their own _csrf). */
  async post(url: string, fields: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams({ _csrf: this.csrf, ...fields }).toString();
    const res = await this.app.inject({
      method: "POST",
      url,
      payload: body,
      headers: { cookie: this.cookieHeader(), "content-type": "application/x-www-form-urlencoded" },
      remoteAddress: this.address,
    });
    this.remember(res);
    return res;
  }

  /**
   * Posts a multipart form as a browser does: `_csrf` first (unless `fields` gives its own), then
   * the fields, then the files.
   */
  async postMultipart(
    url: string,
    fields: Record<string, string | string[]>,
    files: { field: string; name: string; bytes: Buffer; type?: string }[] = [],
  ): Promise<LightMyRequestResponse> {
    const boundary = `----vt${randomBytes(8).toString("hex")}`;
    const chunks: Buffer[] = [];
    const part = (headers: string, body: Buffer) =>
      chunks.push(Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), body, Buffer.from("\r\n"));
    const all: [string, string][] = [];
    if (!("_csrf" in fields)) all.push(["_csrf", this.csrf]);
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) all.push([k, one]);
    for (const [k, v] of all) part(`Content-Disposition: form-data; name="${k}"`, Buffer.from(v));
    for (const f of files)
      part(
        `Content-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type ?? "application/octet-stream"}`,
        f.bytes,
      );
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    const res = await this.app.inject({
      method: "POST",
      url,
      payload: Buffer.concat(chunks),
      headers: { cookie: this.cookieHeader(), "content-type": `multipart/form-data; boundary=${boundary}` },
      remoteAddress: this.address,
    });
    this.remember(res);
    return res;
  }

  /** Opens a page for its form's token, then posts the form. */
  async submit(
    pageUrl: string,
    fields: Record<string, string>,
    action = pageUrl.split("?")[0]!,
  ): Promise<LightMyRequestResponse> {
    await this.get(pageUrl);
    return this.post(action, fields);
  }
}

/** A CURP that passes every check, different each time. */
export function freshCurp(): string {
  const letters = "BCDFGHJKLMNPQRSTVWXZ";
  const pick = (n: number) => Array.from(randomBytes(n), (b) => letters[b % letters.length]).join("");
  const first = `${pick(1)}A${pick(2)}`;
  const day = String(1 + (randomBytes(1)[0]! % 28)).padStart(2, "0");
  const body = `${first}8${randomBytes(1)[0]! % 10}05${day}HDF${pick(3)}0`;
  const alphabet = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ";
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += alphabet.indexOf(body[i]!) * (18 - i);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

export const freshEmail = () => `persona.${randomBytes(5).toString("hex")}@correo.example.mx`;
export const GOOD_PASSWORD = "nopal tranvía sombrero lluvia";

/** The newest mail to an address, and the first link in it. */
export async function lastMailTo(
  ctx: Ctx,
  to: string,
): Promise<{ subject: string; body: string; link: string | null } | undefined> {
  const row = (
    await sql<{
      subject: string;
      body: string;
    }>`select subject, body from outbox_mail where lower(recipient) = lower(${to})
      order by id desc limit 1`.execute(ctx.db)
  ).rows[0];
  if (!row) return undefined;
  const link = /https?:\/\/\S+/.exec(row.body)?.[0] ?? null;
  return { ...row, link: link ? link.replace(/^https?:\/\/[^/]+/, "") : null };
}

/** Signs up and confirms the email: a citizen ready to use the site, signed in. */
export async function signedUpCitizen(
  app: App,
  ctx: Ctx,
  opts: { address?: string } = {},
): Promise<{ client: BrowserClient; email: string; curp: string; userId: number }> {
  const client = new BrowserClient(app, opts.address);
  const email = freshEmail();
  const curp = freshCurp();
  const res = await client.submit("/cuenta/registro", {
    curp,
    email,
    password: GOOD_PASSWORD,
    givenNames: "Lucía",
    surnames: "Pérez Gómez",
  });
  if (res.statusCode !== 303) throw new Error(`sign-up failed: ${res.statusCode} ${res.body.slice(0, 500)}`);
  const mail = await lastMailTo(ctx, email);
  await client.submit(
    mail!.link!,
    { token: new URL(`http://x${mail!.link}`).searchParams.get("token")! },
    "/cuenta/verificar",
  );
  const signIn = await client.submit("/cuenta/entrar", { email, password: GOOD_PASSWORD });
  if (signIn.statusCode !== 303) throw new Error(`sign-in failed: ${signIn.statusCode}`);
  const id = (await sql<{ id: number }>`select id::int as id from users where email = ${email}`.execute(ctx.db))
    .rows[0]!.id;
  return { client, email, curp, userId: id };
}

/** The current TOTP code for a secret, at the ctx's clock. */
export function totpCode(ctx: Ctx, secret: string, offsetSeconds = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(ctx.clock().getTime() / 1000) + offsetSeconds });
}

/**
 * A staff member with the given roles, signed in with a second factor set up: ready to use the back office.
 * Each call makes a new person.
 */
export async function signedInStaff(
  app: App,
  ctx: Ctx,
  roles: { institution: string; role: "editor" | "reviewer" | "caseworker" | "case-manager" | "institution-admin" }[],
  opts: { platformAdmin?: boolean } = {},
): Promise<{ client: BrowserClient; userId: number; email: string }> {
  const { createStaffAccount } = await import("../src/domains/accounts/staff.js");
  const email = freshEmail().replace("correo.example.mx", "gob.example.mx");
  const { userId } = await createStaffAccount(ctx, {
    email,
    givenNames: "Ramón",
    surnames: "Servidor Público",
    roles,
    password: GOOD_PASSWORD,
    platformAdmin: opts.platformAdmin ?? false,
  });
  const client = new BrowserClient(app, `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`);
  const res = await client.submit("/cuenta/entrar", { email, password: GOOD_PASSWORD });
  if (res.headers.location !== "/cuenta/autenticador") throw new Error(`staff sign-in went to ${res.headers.location}`);
  const setup = await client.get("/cuenta/autenticador");
  const secret = /<code class="vt-break">([A-Z2-7]+)<\/code>/.exec(setup.body)![1]!;
  const done = await client.post("/cuenta/autenticador", { code: await totpCode(ctx, secret) });
  if (done.statusCode !== 200) throw new Error(`TOTP setup failed: ${done.statusCode}`);
  return { client, userId, email };
}
