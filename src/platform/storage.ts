/**
 * Where uploaded files live: local disk under DATA_DIR/uploads, or an S3 (or S3-compatible)
 * bucket when STORAGE_S3_BUCKET is set. Both implementations share one inspection step:
 *
 * - the body is streamed, never held whole: bytes are counted as they pass and the upload
 *   stops the moment it goes over maxBytes, so a 2 GB file costs a few chunks, not 2 GB;
 * - the type is read from the first bytes (file-type), never from the name or the browser's
 *   word, so an .exe or a web page renamed to .pdf is refused;
 * - a refused file leaves nothing behind, and an accepted one is on disk (fsynced) or
 *   acknowledged by S3 before `put` resolves.
 *
 * Keys are chosen by callers (e.g. "cases/2026/4f2c…/id-document"); this module only makes
 * sure they cannot escape the storage root. The name a person sees is another matter:
 * see sanitizeFileName.
 */
import { createHash, randomUUID, type Hash } from "node:crypto";
import { mkdir, open, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createWriteStream } from "node:fs";
import { fileTypeFromBuffer } from "file-type";
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { Config } from "../config.js";
import { DomainError } from "./errors.js";

/** The kinds of file we accept anywhere. Domains map their own vocabularies onto these. */
export const FILE_KINDS = ["pdf", "jpg", "png"] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export const CONTENT_TYPES: Readonly<Record<FileKind, string>> = {
  pdf: "application/pdf",
  jpg: "image/jpeg",
  png: "image/png",
};

export interface PutOptions {
  maxBytes: number;
  allowedKinds: readonly FileKind[];
}

export interface StoredFile {
  bytes: number;
  sha256: string;
  kind: FileKind;
  contentType: string;
}

export interface Storage {
  /** Streams `body` into `key`, replacing what was there; refuses too large, empty or wrong-type files. */
  put(key: string, body: Readable, opts: PutOptions): Promise<StoredFile>;
  /** The stored bytes; DomainError "not_found" when there are none. */
  get(key: string): Promise<Readable>;
  /** Removes the file; removing a missing file is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

export type StorageSettings = Pick<
  Config,
  | "dataDir"
  | "STORAGE_S3_BUCKET"
  | "STORAGE_S3_ENDPOINT"
  | "STORAGE_S3_REGION"
  | "STORAGE_S3_ACCESS_KEY_ID"
  | "STORAGE_S3_SECRET_ACCESS_KEY"
  | "STORAGE_S3_FORCE_PATH_STYLE"
>;

export function openStorage(config: StorageSettings): Storage {
  if (!config.STORAGE_S3_BUCKET) return new LocalStorage(join(config.dataDir, "uploads"));
  const client = new S3Client({
    region: config.STORAGE_S3_REGION,
    endpoint: config.STORAGE_S3_ENDPOINT,
    forcePathStyle: config.STORAGE_S3_FORCE_PATH_STYLE,
    credentials:
      config.STORAGE_S3_ACCESS_KEY_ID && config.STORAGE_S3_SECRET_ACCESS_KEY
        ? { accessKeyId: config.STORAGE_S3_ACCESS_KEY_ID, secretAccessKey: config.STORAGE_S3_SECRET_ACCESS_KEY }
        : undefined,
    // The SDK's default CRC checksums on every request are not understood by all
    // S3-compatible servers; send them only where S3 requires them.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  return new S3Storage(client, config.STORAGE_S3_BUCKET);
}

// ---------------------------------------------------------------------------------------------
// Keys and names

const KEY = /^[a-z0-9_-]+(?:\/[a-z0-9_-]+)*$/;

/**
 * Only lower-case letters, digits, "_" and "-" in "/"-separated segments: no "..", no
 * absolute paths, no backslashes, no dots at all, so a key cannot leave the storage root
 * and cannot collide with the ".partial" folder.
 */
export function checkKey(key: string): string {
  if (key.length > 512 || !KEY.test(key)) {
    throw new DomainError("invalid", {
      es: "El nombre interno del archivo no es válido.",
      en: "The file's internal name is not valid.",
    });
  }
  return key;
}

const MAX_NAME = 120;
// Reserved on Windows, where many people will open the download.
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * The file name people see (and that downloads get): the last path segment, NFC, without
 * control or formatting characters (a right-to-left override can dress "exe.pdf" up as
 * "fdp.exe"), without characters Windows or macOS reserve, at most 120 characters with the
 * extension kept, and never empty.
 */
export function sanitizeFileName(name: string): string {
  const last = name.normalize("NFC").split(/[/\\]/).pop() ?? "";
  const clean = last
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, "")
    .replace(/[<>:"|?*]/g, "_")
    .replace(/\s+/gu, " ")
    .replace(/^[\s.]+|[\s.]+$/g, "");
  const ext = /.\.[\p{L}\p{N}]{1,10}$/u.test(clean) ? clean.slice(clean.lastIndexOf(".")) : "";
  let base = clean.slice(0, clean.length - ext.length);
  if (!base || WINDOWS_DEVICES.test(base)) base = base ? `${base}_` : "archivo";
  // Cut by code points so an accent or emoji is never split in half.
  const room = MAX_NAME - [...ext].length;
  return [...base].slice(0, room).join("").trimEnd() + ext;
}

// ---------------------------------------------------------------------------------------------
// Inspection: size, type, hash while streaming

// file-type's own sample size: every kind we accept is recognised within it.
const SNIFF_BYTES = 4100;

const KIND_BY_MIME: Readonly<Record<string, FileKind>> = {
  "application/pdf": "pdf",
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/apng": "png",
};

interface Tally {
  bytes: number;
  hash: Hash;
}

function formatSize(bytes: number, lang: "es" | "en"): string {
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / 1024 / 1024, "MB"] : [bytes / 1024, "KB"];
  return `${value.toLocaleString(lang === "es" ? "es-MX" : "en", { maximumFractionDigits: 1 })} ${unit}`;
}

function tooLarge(maxBytes: number): DomainError {
  return new DomainError("too_large", {
    es: `El archivo pesa más de ${formatSize(maxBytes, "es")}, el máximo permitido. Sube uno más ligero.`,
    en: `The file is larger than ${formatSize(maxBytes, "en")}, the most allowed. Upload a smaller one.`,
  });
}

function wrongKind(allowed: readonly FileKind[], found: string | undefined): DomainError {
  const names = allowed.map((k) => k.toUpperCase());
  const es = new Intl.ListFormat("es", { type: "disjunction" }).format(names);
  const en = new Intl.ListFormat("en", { type: "disjunction" }).format(names);
  return new DomainError("invalid", {
    es: `El contenido del archivo no es ${es}, diga lo que diga su nombre${found ? ` (parece ${found.toUpperCase()})` : ""}. Sube un archivo ${es}.`,
    en: `The file's content is not ${en}, whatever its name says${found ? ` (it looks like ${found.toUpperCase()})` : ""}. Upload a ${en} file.`,
  });
}

/** Passes the body on chunk by chunk, counting and hashing, and throws once it exceeds maxBytes. */
async function* measured(body: AsyncIterable<unknown>, maxBytes: number, tally: Tally): AsyncGenerator<Buffer> {
  // Throwing out of this loop returns the body's iterator, which destroys the body stream.
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array | string);
    tally.bytes += buf.length;
    if (tally.bytes > maxBytes) throw tooLarge(maxBytes);
    tally.hash.update(buf);
    yield buf;
  }
}

async function takeHead(source: AsyncIterator<Buffer>, size: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < size) {
    const next = await source.next();
    if (next.done) break;
    parts.push(next.value);
    length += next.value.length;
  }
  return Buffer.concat(parts);
}

async function* prepend(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield head;
  // yield* hands a consumer's early stop (return) on to `rest`, and so to the body.
  yield* { [Symbol.asyncIterator]: () => rest };
}

interface Inspected {
  chunks: AsyncGenerator<Buffer>;
  kind: FileKind;
  result: () => StoredFile;
}

/**
 * Reads just enough of the body to know its type, then hands back the whole body as a
 * stream that keeps enforcing maxBytes. Refusals here happen before anything is written.
 */
async function inspect(body: Readable, opts: PutOptions): Promise<Inspected> {
  const tally: Tally = { bytes: 0, hash: createHash("sha256") };
  const source = measured(body, opts.maxBytes, tally);
  const head = await takeHead(source, SNIFF_BYTES);
  try {
    if (head.length === 0) throw new DomainError("invalid", { es: "El archivo está vacío.", en: "The file is empty." });
    const found = await fileTypeFromBuffer(head);
    const kind = found && KIND_BY_MIME[found.mime];
    if (!kind || !opts.allowedKinds.includes(kind)) throw wrongKind(opts.allowedKinds, found?.ext);
    const result = () => ({
      bytes: tally.bytes,
      sha256: tally.hash.digest("hex"),
      kind,
      contentType: CONTENT_TYPES[kind],
    });
    return { chunks: prepend(head, source), kind, result };
  } catch (err) {
    await source.return(undefined);
    throw err;
  }
}

function checkPut(key: string, body: Readable, opts: PutOptions): void {
  try {
    checkKey(key);
    if (!Number.isSafeInteger(opts.maxBytes) || opts.maxBytes < 1 || opts.allowedKinds.length === 0) {
      throw new DomainError("invalid", "put needs a positive maxBytes and at least one allowed kind.");
    }
  } catch (err) {
    // The caller handed the body over; a refused body must not hold its request open.
    body.destroy();
    throw err;
  }
}

function notFound(): DomainError {
  return new DomainError("not_found", { es: "El archivo no existe.", en: "The file does not exist." });
}

function errorCode(err: unknown): string | undefined {
  return (err as { code?: string } | null)?.code;
}

// ---------------------------------------------------------------------------------------------
// Local disk

const PARTIAL = ".partial";
const DAY_MS = 24 * 60 * 60 * 1000;

/** Flushes a directory's entries (a rename or a new file name) to disk. */
async function syncDir(path: string): Promise<void> {
  const dir = await open(path, "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

export class LocalStorage implements Storage {
  private swept = false;
  constructor(readonly root: string) {}

  private path(key: string): string {
    return join(this.root, ...checkKey(key).split("/"));
  }

  async put(key: string, body: Readable, opts: PutOptions): Promise<StoredFile> {
    checkPut(key, body, opts);
    const target = this.path(key);
    const inspected = await inspect(body, opts);
    // Written under a name no key can have, then renamed: readers see all of the file or none.
    const partial = join(this.root, PARTIAL, `${randomUUID()}.part`);
    try {
      await this.sweep();
      await pipeline(inspected.chunks, createWriteStream(partial, { flags: "wx", mode: 0o640 }));
      await syncFile(partial);
      await this.moveInto(partial, target);
    } catch (err) {
      // Stops the client's upload too when the failure was ours (disk full, no permission).
      body.destroy();
      await rm(partial, { force: true });
      throw err;
    }
    return inspected.result();
  }

  /** Renames into place and syncs every directory whose entries changed, so the file survives a crash. */
  private async moveInto(partial: string, target: string): Promise<void> {
    const firstCreated = await mkdir(dirname(target), { recursive: true });
    await rename(partial, target);
    let dir = dirname(target);
    await syncDir(dir);
    // mkdir made firstCreated and everything below it: each new folder is an entry in its parent.
    while (firstCreated && dir !== dirname(firstCreated)) {
      dir = dirname(dir);
      await syncDir(dir);
    }
  }

  /** Partial files older than a day are what a crash mid-upload left behind. */
  private async sweep(): Promise<void> {
    const folder = join(this.root, PARTIAL);
    await mkdir(folder, { recursive: true });
    if (this.swept) return;
    this.swept = true;
    for (const name of await readdir(folder)) {
      const path = join(folder, name);
      const info = await stat(path).catch(() => null);
      if (info && Date.now() - info.mtimeMs > DAY_MS) await rm(path, { force: true });
    }
  }

  async get(key: string): Promise<Readable> {
    const path = this.path(key);
    try {
      const file = await open(path, "r");
      if (!(await file.stat()).isFile()) {
        await file.close();
        throw notFound();
      }
      return file.createReadStream();
    } catch (err) {
      if (["ENOENT", "ENOTDIR", "EISDIR"].includes(errorCode(err) ?? "")) throw notFound();
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.path(key));
    } catch (err) {
      if (!["ENOENT", "ENOTDIR", "EISDIR"].includes(errorCode(err) ?? "")) throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    const info = await stat(this.path(key)).catch(() => null);
    return info?.isFile() ?? false;
  }
}

async function syncFile(path: string): Promise<void> {
  // fsync flushes the file (its inode), whichever descriptor asks.
  const file = await open(path, "r+");
  try {
    await file.sync();
  } finally {
    await file.close();
  }
}

// ---------------------------------------------------------------------------------------------
// S3 and S3-compatible servers

function isMissing(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}

export class S3Storage implements Storage {
  constructor(
    readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async put(key: string, body: Readable, opts: PutOptions): Promise<StoredFile> {
    checkPut(key, body, opts);
    // The type is known before the first request, so a refused file never reaches the bucket.
    const inspected = await inspect(body, opts);
    const stream = Readable.from(inspected.chunks, { objectMode: false });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: stream, ContentType: CONTENT_TYPES[inspected.kind] },
      // A file over maxBytes fails mid-stream: S3 only creates the object when the upload
      // completes, and the incomplete multipart upload is aborted, so nothing is left.
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (err) {
      stream.destroy();
      body.destroy();
      throw err;
    }
    return inspected.result();
  }

  async get(key: string): Promise<Readable> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
      // In Node the SDK's body is an http.IncomingMessage, a Readable.
      return out.Body as Readable;
    } catch (err) {
      if (isMissing(err)) throw notFound();
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 deletes are idempotent: deleting a missing key succeeds.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }
}
