/**
 * Demo content: real Mexican institutions, life events and federal procedures written
 * in the style of gob.mx (seed/catalogue), the state governments (from the INEGI
 * catalogue) and the synonym list. Loaded by code through the same import as any
 * file, never by migrations. Every record is marked demo.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Ctx } from "../../platform/context.js";
import { listStates } from "../geography/geography.js";
import {
  importCatalogue,
  recordsFromJson,
  replaceAllSynonyms,
  type ImportInput,
  type ImportReport,
} from "./catalogue.js";

const SEED = new URL("../../../seed/", import.meta.url).pathname;

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

export function demoFiles(): string[] {
  const dir = join(SEED, "catalogue/procedures");
  return [
    join(SEED, "catalogue/life-events.json"),
    ...readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => join(dir, f)),
  ];
}

export function demoSynonyms(): string[][] {
  const dir = join(SEED, "search");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .flatMap((f) => (readJson(join(dir, f)) as { terms: string[] }[]).map((g) => g.terms));
}

/** Title case for the INEGI state names. */
const titleCase = (s: string) =>
  s
    .toLowerCase()
    .replace(/(^|[\s-])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase())
    .replace(/ (De|Del|La|Las|Los|Y) /g, (m) => m.toLowerCase());

export async function loadDemoCatalogue(ctx: Ctx): Promise<ImportReport> {
  const input: Required<Pick<ImportInput, "institutions" | "lifeEvents" | "procedures">> = {
    institutions: [],
    lifeEvents: [],
    procedures: [],
  };
  for (const state of await listStates(ctx)) {
    const name = titleCase(state.name);
    input.institutions.push({
      value: {
        acronym: `GOB-${state.abbreviation.replace(/[^A-Z0-9]/gi, "").toUpperCase()}`,
        name: { es: `Gobierno del Estado de ${name}`, en: `Government of ${name}` },
        kind: "state_government",
        sector: "Gobierno estatal",
        jurisdiction: { level: "state", stateCode: state.code },
        demo: true,
      },
    });
  }
  for (const file of demoFiles()) {
    const part = recordsFromJson(readJson(file));
    input.institutions.push(...(part.institutions ?? []));
    input.lifeEvents.push(...(part.lifeEvents ?? []));
    input.procedures.push(...(part.procedures ?? []));
  }
  await replaceAllSynonyms(ctx, demoSynonyms());
  return importCatalogue(ctx, input);
}
