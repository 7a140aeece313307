/**
 * A form-posting client over real HTTP (fetch) that behaves like a browser without JavaScript:
 * it keeps cookies, follows nothing by itself (redirects are for the test to read), and posts forms,
 * urlencoded or multipart, with the CSRF token of the last page it saw. The counterpart of
 * BrowserClient (test/browser-client.ts) for a server in another process.
 */
import { randomBytes } from "node:crypto";

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The Location header, when there is one (redirects are not followed). */
  location: string | null;
  body: string;
  bytes: Buffer;
}

export interface UploadPart {
  field: string;
  name: string;
  type: string;
  bytes: Buffer;
}

export class HttpClient {
  readonly cookies = new Map<string, string>();
  csrf = "";

  constructor(
    /** http://127.0.0.1:port */
    readonly base: string,
    readonly timeoutMs = 60_000,
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";").map((s) => s.trim());
      const eq = pair.indexOf("=");
      if (eq < 1) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired = attributes.some((a) => {
        const [k = "", v = ""] = a.split("=");
        if (k.toLowerCase() === "max-age") return Number(v) <= 0;
        if (k.toLowerCase() === "expires") return new Date(v).getTime() < Date.now();
        return false;
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(
    method: string,
    path: string,
    init: { body?: string | Uint8Array<ArrayBuffer>; headers?: Record<string, string> } = {},
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size) headers.cookie = this.cookieHeader();
    const res = await fetch(new URL(path, this.base), {
      method,
      headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      redirect: "manual",
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    this.remember(res.headers);
    const body = /^text\/|json/.test(res.headers.get("content-type") ?? "") ? bytes.toString("utf8") : "";
    const token = /name="_csrf" value="([^"]+)"/.exec(body);
    if (token) this.csrf = token[1]!;
    return { status: res.status, headers: res.headers, location: res.headers.get("location"), body, bytes };
  }

  get(path: string): Promise<HttpResponse> {
    return this.request("GET", path);
  }

  /** Posts a urlencoded form with the current CSRF token (unless the fields give their own _csrf). */
  post(path: string, fields: Record<string, string> = {}): Promise<HttpResponse> {
    return this.request("POST", path, {
      body: new URLSearchParams({ _csrf: this.csrf, ...fields }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  }

  /**
   * Posts a multipart form as a browser does, in order: `_csrf` first (streamed routes read it before
   * any file), then the fields, then the files.
   */
  postMultipart(path: string, fields: Record<string, string>, files: UploadPart[]): Promise<HttpResponse> {
    const boundary = `----ventanilla${randomBytes(12).toString("hex")}`;
    const chunks: Buffer[] = [];
    const head = (disposition: string, type?: string) =>
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ""}\r\n`,
      );
    for (const [name, value] of Object.entries({ _csrf: this.csrf, ...fields })) {
      chunks.push(head(`name="${name}"`), Buffer.from(value), Buffer.from("\r\n"));
    }
    for (const f of files) {
      chunks.push(head(`name="${f.field}"; filename="${f.name}"`, f.type), f.bytes, Buffer.from("\r\n"));
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    return this.request("POST", path, {
      // A copy on a plain ArrayBuffer: what fetch's BodyInit takes.
      body: new Uint8Array(Buffer.concat(chunks)),
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    });
  }

  /** Opens a page for its form's token, then posts the form. */
  async submit(
    pageUrl: string,
    fields: Record<string, string>,
    action = pageUrl.split("?")[0]!,
  ): Promise<HttpResponse> {
    await this.get(pageUrl);
    return this.post(action, fields);
  }
}

/** Every distinct match of a regular expression's first group, in page order. */
export function allMatches(html: string, pattern: RegExp): string[] {
  const flags = pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`;
  return [...new Set([...html.matchAll(new RegExp(pattern.source, flags))].map((m) => m[1]!))];
}
