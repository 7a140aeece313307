import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import QRCode from "qrcode";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../config.js";
import { DomainError } from "./errors.js";
import { LocalStorage, S3Storage, openStorage, sanitizeFileName, type FileKind, type Storage } from "./storage.js";

const MB = 1024 * 1024;
const PDF = Buffer.from("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00]),
  Buffer.alloc(200, 0x20),
  Buffer.from([0xff, 0xd9]),
]);
const EXE = Buffer.concat([
  Buffer.from("MZ\x90\x00\x03\x00\x00\x00"),
  Buffer.alloc(0x3c - 8),
  Buffer.from([0x80, 0, 0, 0]),
  Buffer.alloc(0x40),
  Buffer.from("PE\0\0"),
]);
const HTML = Buffer.from("<!doctype html><html><body><script>alert(1)</script></body></html>");
const ALL: FileKind[] = ["pdf", "jpg", "png"];
let PNG: Buffer;

/** A stream of `total` bytes in 64 KB chunks that starts with `head`, counting what it produced. */
function generated(head: Buffer, total: number): { stream: Readable; produced: () => number } {
  let produced = 0;
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  async function* gen() {
    produced += head.length;
    yield head;
    while (produced < total) {
      const piece = chunk.subarray(0, Math.min(chunk.length, total - produced));
      produced += piece.length;
      yield piece;
    }
  }
  return { stream: Readable.from(gen(), { objectMode: false }), produced: () => produced };
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

/** Every file under `dir`, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "ventanilla-storage-"));
  PNG = await QRCode.toBuffer("https://ventanilla.localhost", { type: "png" });
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** The refusals and round trips every implementation must honour. */
function contract(name: string, make: () => Promise<{ storage: Storage; leftovers: () => Promise<string[]> }>) {
  describe(`${name}: the storage contract`, () => {
    let storage: Storage;
    let leftovers: () => Promise<string[]>;
    beforeEach(async () => ({ storage, leftovers } = await make()));

    it("stores, reads back, tells existence and deletes", async () => {
      const stored = await storage.put("cases/2026/abc-1/id_doc", Readable.from([PDF]), {
        maxBytes: MB,
        allowedKinds: ALL,
      });
      expect(stored).toEqual({ bytes: PDF.length, sha256: sha(PDF), kind: "pdf", contentType: "application/pdf" });
      expect(await readAll(await storage.get("cases/2026/abc-1/id_doc"))).toEqual(PDF);
      expect(await storage.exists("cases/2026/abc-1/id_doc")).toBe(true);
      await storage.delete("cases/2026/abc-1/id_doc");
      expect(await storage.exists("cases/2026/abc-1/id_doc")).toBe(false);
      await storage.delete("cases/2026/abc-1/id_doc"); // twice is fine
    });

    it("recognises PNG and JPEG by content and replaces an existing key", async () => {
      expect((await storage.put("a/photo", Readable.from([JPEG]), { maxBytes: MB, allowedKinds: ALL })).kind).toBe(
        "jpg",
      );
      const png = await storage.put("a/photo", Readable.from([PNG]), { maxBytes: MB, allowedKinds: ["png"] });
      expect(png).toMatchObject({ kind: "png", contentType: "image/png", bytes: PNG.length });
      expect(await readAll(await storage.get("a/photo"))).toEqual(PNG);
    });

    it("says not_found for a missing file", async () => {
      expect((await refusal(storage.get("nothing/here"))).code).toBe("not_found");
      expect(await storage.exists("nothing/here")).toBe(false);
    });

    it("stops a 30 MB upload soon after it passes a 1 MB limit and keeps nothing", async () => {
      const { stream, produced } = generated(PDF, 30 * MB);
      const err = await refusal(storage.put("big/one", stream, { maxBytes: MB, allowedKinds: ALL }));
      expect(err.code).toBe("too_large");
      expect(err.localized.es).toMatch(/1 MB/);
      expect(err.localized.en).toMatch(/1 MB/);
      expect(produced()).toBeLessThan(3 * MB);
      expect(stream.destroyed).toBe(true);
      expect(await storage.exists("big/one")).toBe(false);
      expect(await leftovers()).toEqual([]);
    });

    it("accepts exactly maxBytes and refuses one byte more", async () => {
      const exact = generated(PDF, 200_000);
      expect((await storage.put("edge/exact", exact.stream, { maxBytes: 200_000, allowedKinds: ALL })).bytes).toBe(
        200_000,
      );
      const over = generated(PDF, 200_001);
      expect(
        (await refusal(storage.put("edge/over", over.stream, { maxBytes: 200_000, allowedKinds: ALL }))).code,
      ).toBe("too_large");
    });

    it("refuses a limit smaller than the sniffed head", async () => {
      const err = await refusal(storage.put("tiny/limit", Readable.from([PNG]), { maxBytes: 100, allowedKinds: ALL }));
      expect(err.code).toBe("too_large");
      expect(await leftovers()).toEqual([]);
    });

    it("refuses an empty file", async () => {
      const err = await refusal(storage.put("empty/one", Readable.from([]), { maxBytes: MB, allowedKinds: ALL }));
      expect(err.code).toBe("invalid");
      expect(err.localized).toEqual({ es: "El archivo está vacío.", en: "The file is empty." });
    });

    it.each([
      ["an executable", EXE, /EXE/],
      ["a web page", HTML, /PDF/],
    ])("refuses %s named .pdf, with a clear message, and keeps nothing", async (_, body, mention) => {
      const { stream, produced } = generated(body, 10 * MB);
      const err = await refusal(storage.put("upload/documento-pdf", stream, { maxBytes: 20 * MB, allowedKinds: ALL }));
      expect(err.code).toBe("invalid");
      expect(err.localized.es).toMatch(/no es PDF, JPG o PNG/);
      expect(err.localized.en).toMatch(/not PDF, JPG, or PNG/);
      expect(err.localized.en).toMatch(mention);
      expect(produced()).toBeLessThan(2 * MB);
      expect(stream.destroyed).toBe(true);
      expect(await leftovers()).toEqual([]);
    });

    it("refuses a real file of a kind this question does not take", async () => {
      const err = await refusal(
        storage.put("upload/photo", Readable.from([PDF]), { maxBytes: MB, allowedKinds: ["jpg", "png"] }),
      );
      expect(err.localized.es).toMatch(/no es JPG o PNG/);
      expect(err.localized.en).toMatch(/Upload a JPG or PNG file/);
    });

    it.each(["../etc/passwd", "/abs/path", "a/../b", "a\\b", "Upper", "a//b", "a/", "", "file.pdf", "a/./b", "ñ"])(
      "refuses the key %j before reading the body",
      async (key) => {
        const { stream, produced } = generated(PDF, 10 * MB);
        expect((await refusal(storage.put(key, stream, { maxBytes: MB, allowedKinds: ALL }))).code).toBe("invalid");
        expect(produced()).toBeLessThan(2 * MB);
        expect(stream.destroyed).toBe(true);
        expect((await refusal(storage.get(key))).code).toBe("invalid");
        await expect(storage.delete(key)).rejects.toBeInstanceOf(DomainError);
        await expect(storage.exists(key)).rejects.toBeInstanceOf(DomainError);
      },
    );
  });
}

// ---------------------------------------------------------------------------------------------

let localCount = 0;
contract("local disk", async () => {
  const root = join(scratch, `local-${++localCount}`);
  return { storage: new LocalStorage(root), leftovers: () => filesUnder(root) };
});

describe("local disk", () => {
  it("keeps files under DATA_DIR/uploads by default", async () => {
    const dataDir = join(scratch, "data");
    const storage = openStorage(loadConfig({ DATA_DIR: dataDir }));
    expect(storage).toBeInstanceOf(LocalStorage);
    await storage.put("x/y", Readable.from([PDF]), { maxBytes: MB, allowedKinds: ["pdf"] });
    expect(await readFile(join(dataDir, "uploads", "x", "y"))).toEqual(PDF);
  });

  it("clears partial files a crash left behind more than a day ago", async () => {
    const root = join(scratch, "sweep");
    await mkdir(join(root, ".partial"), { recursive: true });
    const old = join(root, ".partial", "old.part");
    const fresh = join(root, ".partial", "fresh.part");
    await writeFile(old, "x");
    await writeFile(fresh, "x");
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await utimes(old, twoDaysAgo, twoDaysAgo);
    await new LocalStorage(root).put("k", Readable.from([PDF]), { maxBytes: MB, allowedKinds: ["pdf"] });
    expect(await filesUnder(root)).toEqual(expect.arrayContaining([".partial/fresh.part", "k"]));
    expect(await filesUnder(root)).not.toContain(".partial/old.part");
  });

  it("stops the body when the disk fails", async () => {
    const blocker = join(scratch, "not-a-folder");
    await writeFile(blocker, "x");
    const { stream } = generated(PDF, 10 * MB);
    const err = await new LocalStorage(join(blocker, "uploads"))
      .put("k", stream, { maxBytes: 20 * MB, allowedKinds: ["pdf"] })
      .catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe("ENOTDIR");
    expect(stream.destroyed).toBe(true);
  });

  it("does not treat a folder as a file", async () => {
    const storage = new LocalStorage(join(scratch, "folders"));
    await storage.put("a/b", Readable.from([PDF]), { maxBytes: MB, allowedKinds: ["pdf"] });
    expect(await storage.exists("a")).toBe(false);
    expect((await refusal(storage.get("a"))).code).toBe("not_found");
    await storage.delete("a");
    expect(await storage.exists("a/b")).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// A few lines of S3: PutObject, multipart (create, part, complete, abort), Get, Head and Delete
// on path-style URLs, with no authentication. Enough to run the SDK's real requests.

interface FakeS3 {
  server: Server;
  url: string;
  objects: Map<string, { body: Buffer; type: string }>;
  uploads: Map<string, Map<number, Buffer>>;
  log: string[];
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function startFakeS3(): Promise<FakeS3> {
  const s3: FakeS3 = { server: undefined!, url: "", objects: new Map(), uploads: new Map(), log: [] };
  let nextId = 0;
  s3.server = createServer(async (req, res) => {
    const url = new URL(req.url!, "http://x");
    const key = decodeURIComponent(url.pathname);
    const q = url.searchParams;
    const data = await body(req);
    const xml = (status: number, text: string) =>
      res.writeHead(status, { "content-type": "application/xml" }).end(`<?xml version="1.0" encoding="UTF-8"?>${text}`);
    const op =
      req.method === "POST" && q.has("uploads")
        ? "create"
        : req.method === "PUT" && q.has("uploadId")
          ? "part"
          : req.method === "POST" && q.has("uploadId")
            ? "complete"
            : req.method === "DELETE" && q.has("uploadId")
              ? "abort"
              : req.method!.toLowerCase();
    s3.log.push(op);
    const object = s3.objects.get(key);
    if (op === "create") {
      const id = `u${++nextId}`;
      s3.uploads.set(id, new Map());
      return xml(
        200,
        `<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    if (op === "part") {
      s3.uploads.get(q.get("uploadId")!)!.set(Number(q.get("partNumber")), data);
      return res.writeHead(200, { etag: `"p${q.get("partNumber")}"` }).end();
    }
    if (op === "complete") {
      const parts = s3.uploads.get(q.get("uploadId")!)!;
      const ordered = [...parts.entries()].sort(([a], [b]) => a - b).map(([, b]) => b);
      s3.objects.set(key, { body: Buffer.concat(ordered), type: "multipart" });
      s3.uploads.delete(q.get("uploadId")!);
      return xml(200, `<CompleteMultipartUploadResult><Key>k</Key><ETag>"e"</ETag></CompleteMultipartUploadResult>`);
    }
    if (op === "abort") {
      s3.uploads.delete(q.get("uploadId")!);
      return res.writeHead(204).end();
    }
    if (op === "put") {
      s3.objects.set(key, { body: data, type: req.headers["content-type"] ?? "" });
      return res.writeHead(200, { etag: '"e"' }).end();
    }
    if (op === "delete") {
      s3.objects.delete(key);
      return res.writeHead(204).end();
    }
    if (!object) {
      if (op === "head") return res.writeHead(404).end();
      return xml(404, "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>");
    }
    res.writeHead(200, { "content-type": object.type, "content-length": object.body.length, etag: '"e"' });
    return res.end(op === "head" ? undefined : object.body);
  });
  await new Promise<void>((ok) => s3.server.listen(0, "127.0.0.1", ok));
  s3.url = `http://127.0.0.1:${(s3.server.address() as AddressInfo).port}`;
  return s3;
}

function s3Storage(s3: FakeS3): Storage {
  return openStorage(
    loadConfig({
      STORAGE_S3_BUCKET: "ventanilla-test",
      STORAGE_S3_ENDPOINT: s3.url,
      STORAGE_S3_FORCE_PATH_STYLE: "true",
      STORAGE_S3_ACCESS_KEY_ID: "test",
      STORAGE_S3_SECRET_ACCESS_KEY: "test-secret",
    }),
  );
}

describe("S3", () => {
  let s3: FakeS3;
  beforeAll(async () => (s3 = await startFakeS3()));
  afterAll(() => new Promise<void>((ok) => s3.server.close(() => ok())));
  beforeEach(() => {
    s3.objects.clear();
    s3.uploads.clear();
    s3.log.length = 0;
  });

  contract("S3 (in-test server)", async () => ({
    storage: s3Storage(s3),
    leftovers: async () => [...s3.objects.keys(), ...[...s3.uploads.keys()].map((id) => `upload ${id}`)],
  }));

  it("is chosen when STORAGE_S3_BUCKET is set", () => {
    expect(s3Storage(s3)).toBeInstanceOf(S3Storage);
  });

  it("sends a small file as one PutObject with its detected content type", async () => {
    await s3Storage(s3).put("cases/x/doc", Readable.from([PDF]), { maxBytes: MB, allowedKinds: ALL });
    expect(s3.log).toEqual(["put"]);
    expect(s3.objects.get("/ventanilla-test/cases/x/doc")).toEqual({ body: PDF, type: "application/pdf" });
  });

  it("streams a large file in parts", async () => {
    const { stream } = generated(PNG, 12 * MB);
    const stored = await s3Storage(s3).put("cases/x/scan", stream, { maxBytes: 20 * MB, allowedKinds: ["png"] });
    expect(stored.bytes).toBe(12 * MB);
    expect(s3.log.filter((op) => op === "part")).toHaveLength(3);
    expect(s3.log.at(-1)).toBe("complete");
    const saved = s3.objects.get("/ventanilla-test/cases/x/scan")!.body;
    expect(saved.length).toBe(12 * MB);
    expect(sha(saved)).toBe(stored.sha256);
  });

  it("aborts the multipart upload when the file passes the limit mid-way", async () => {
    const { stream, produced } = generated(PDF, 30 * MB);
    const err = await refusal(s3Storage(s3).put("cases/x/huge", stream, { maxBytes: 6 * MB, allowedKinds: ALL }));
    expect(err.code).toBe("too_large");
    expect(produced()).toBeLessThan(12 * MB);
    expect(s3.log).toContain("create");
    expect(s3.log).toContain("abort");
    expect(s3.log).not.toContain("complete");
    expect(s3.objects.size).toBe(0);
    expect(s3.uploads.size).toBe(0);
  });

  it("refuses a wrong type before any request", async () => {
    await refusal(s3Storage(s3).put("cases/x/evil", Readable.from([EXE]), { maxBytes: MB, allowedKinds: ALL }));
    expect(s3.log).toEqual([]);
  });
});

describe("S3 settings", () => {
  it("need the access key and its secret together", () => {
    expect(() => loadConfig({ STORAGE_S3_BUCKET: "b-1", STORAGE_S3_ACCESS_KEY_ID: "x" })).toThrow(ConfigError);
    expect(() => loadConfig({ STORAGE_S3_SECRET_ACCESS_KEY: "x" })).toThrow(/STORAGE_S3_ACCESS_KEY_ID/);
  });

  it("check the bucket name and endpoint", () => {
    expect(() => loadConfig({ STORAGE_S3_BUCKET: "Bad_Bucket" })).toThrow(/STORAGE_S3_BUCKET=/);
    expect(() => loadConfig({ STORAGE_S3_ENDPOINT: "s3.example.com" })).toThrow(/STORAGE_S3_ENDPOINT=/);
    expect(loadConfig({}).STORAGE_S3_REGION).toBe("us-east-1");
    expect(loadConfig({ STORAGE_S3_FORCE_PATH_STYLE: "1" }).STORAGE_S3_FORCE_PATH_STYLE).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

describe("sanitizeFileName", () => {
  it.each([
    ["C:\\Users\\ana\\Documentos\\acta.pdf", "acta.pdf"],
    ["/etc/passwd", "passwd"],
    ["../../secreto.pdf", "secreto.pdf"],
    ["acta\u0000de\u0007nacimiento.pdf", "actadenacimiento.pdf"],
    ["factura\u202Efdp.exe", "facturafdp.exe"],
    ['a<b>c:d"e|f?g*h.png', "a_b_c_d_e_f_g_h.png"],
    ["  espacios   de   más  .pdf  ", "espacios de más.pdf"],
    ["Ca\u0301rdenas.pdf", "C\u00e1rdenas.pdf"],
    ["", "archivo"],
    ["...", "archivo"],
    ["///", "archivo"],
    [".pdf", "pdf"],
    ["con.pdf", "con_.pdf"],
    ["NUL", "NUL_"],
    ["línea\nnueva.jpg", "líneanueva.jpg"],
  ])("%j → %j", (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it("is NFC", () => {
    expect(sanitizeFileName("Peña.pdf".normalize("NFD"))).toBe("Peña.pdf".normalize("NFC"));
  });

  it("keeps the extension when it cuts a long name to 120 characters", () => {
    const long = `${"ñ".repeat(300)}.pdf`;
    const out = sanitizeFileName(long);
    expect([...out]).toHaveLength(120);
    expect(out.endsWith("ñ.pdf")).toBe(true);
    const emoji = sanitizeFileName(`${"😀".repeat(200)}.jpeg`);
    expect([...emoji]).toHaveLength(120);
    expect(emoji.endsWith(".jpeg")).toBe(true);
    expect(/\p{Cs}/u.test(emoji)).toBe(false); // no half of an emoji left over
  });
});
