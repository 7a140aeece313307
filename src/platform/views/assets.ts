/**
 * Static assets: the design system's styles and scripts compiled once into
 * fingerprinted files under public/build, served with a one-year cache.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = new URL("../../../", import.meta.url).pathname;
export const BUILD_DIR = join(ROOT, "public/build");
const MANIFEST = join(BUILD_DIR, "manifest.json");
const SOURCES = [join(ROOT, "src/assets"), join(ROOT, "node_modules/govuk-frontend/package.json")];

type Manifest = Record<string, string>;
let manifest: Manifest | null = null;

function newestSourceMtime(): number {
  let newest = 0;
  const walk = (p: string) => {
    const s = statSync(p);
    if (s.isDirectory()) for (const f of readdirSync(p)) walk(join(p, f));
    else newest = Math.max(newest, s.mtimeMs);
  };
  for (const s of SOURCES) walk(s);
  return newest;
}

function fingerprint(name: string, content: Buffer | string): string {
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 12);
  const dot = name.lastIndexOf(".");
  return `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
}

/** Compiles styles and scripts. Uses sass and esbuild, which are only needed here. */
export async function buildAssets(): Promise<Manifest> {
  const sass = await import("sass");
  const esbuild = await import("esbuild");
  // Files are only added (names change with content) and the manifest is swapped in last,
  // so a process serving the previous build keeps working while this one runs.
  mkdirSync(BUILD_DIR, { recursive: true });
  const css = sass.compile(join(ROOT, "src/assets/app.scss"), {
    style: "compressed",
    quietDeps: true,
    silenceDeprecations: ["import"],
  }).css;
  const js = await esbuild.build({
    entryPoints: [join(ROOT, "src/assets/app.ts")],
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2020",
    write: false,
  });
  const out: Manifest = {};
  for (const [name, content] of [
    ["app.css", css],
    ["app.js", js.outputFiles[0]!.text],
  ] as const) {
    const file = fingerprint(name, content);
    writeFileSync(join(BUILD_DIR, file), content);
    out[name] = file;
  }
  // The design system's images (icons, favicons) keep their names under /static/govuk/.
  cpSync(join(ROOT, "node_modules/govuk-frontend/dist/govuk/assets"), join(BUILD_DIR, "govuk"), { recursive: true });
  cpSync(join(ROOT, "src/assets/favicon.svg"), join(BUILD_DIR, "favicon.svg"));
  const tmp = `${MANIFEST}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(out, null, 2));
  renameSync(tmp, MANIFEST);
  manifest = out;
  return out;
}

/** Builds the assets when they are missing or older than their sources. */
export async function ensureAssets(): Promise<Manifest> {
  if (existsSync(MANIFEST) && statSync(MANIFEST).mtimeMs >= newestSourceMtime()) {
    manifest = JSON.parse(readFileSync(MANIFEST, "utf8")) as Manifest;
    return manifest;
  }
  return buildAssets();
}

export function assetUrl(name: "app.css" | "app.js"): string {
  if (!manifest) throw new Error("Assets are not loaded: call ensureAssets() at start-up");
  return `/static/${manifest[name]}`;
}
