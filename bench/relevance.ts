/**
 * Relevance evaluation: the queries in bench/relevance/*.json (words people use, each with
 * the procedure they want) run through the real search over the demo catalogue.
 * Prints top-1 and top-3 accuracy and MRR (rank within the first 10), and the misses.
 *   npm run bench:relevance            (embedded PGlite)
 *   DATABASE_URL=postgres://… npm run bench:relevance
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { loadConfig } from "../src/config.js";
import { searchProcedures } from "../src/domains/catalogue/catalogue.js";
import { makeCtx } from "../src/platform/context.js";
import { openDatabase } from "../src/platform/db/index.js";
import { prepareDatabase } from "../src/prepare.js";

interface Case {
  q: string;
  expected: string;
}

const dir = new URL("./relevance/", import.meta.url).pathname;
const only = process.env.RELEVANCE_FILE;
const cases: (Case & { file: string })[] = readdirSync(dir)
  .filter((f) => f.endsWith(".json") && (!only || f === only))
  .sort()
  .flatMap((f) => (JSON.parse(readFileSync(join(dir, f), "utf8")) as Case[]).map((c) => ({ ...c, file: f })));

const config = loadConfig({ ...process.env, LOG_LEVEL: "silent", SEED_DEMO: "auto" });
const database = await openDatabase({
  databaseUrl: config.DATABASE_URL,
  dataDir: config.dataDir,
  inMemory: !config.DATABASE_URL,
});
const ctx = makeCtx(config, database.db, pino({ level: "silent" }));
if (config.DATABASE_URL) process.stdout.write("Using DATABASE_URL (it must hold the demo catalogue)\n");
await prepareDatabase(ctx);

let top1 = 0;
let top3 = 0;
let rr = 0;
const misses: string[] = [];
const started = performance.now();
for (const c of cases) {
  const result = await searchProcedures(ctx, { q: c.q, pageSize: 10 });
  const rank = result.hits.findIndex((h) => h.homoclave === c.expected) + 1;
  if (rank === 1) top1++;
  if (rank >= 1 && rank <= 3) top3++;
  if (rank >= 1) rr += 1 / rank;
  if (rank !== 1) {
    misses.push(
      `  ${rank ? `#${rank}` : "—"}  «${c.q}» → want ${c.expected}, got ${result.hits
        .slice(0, 3)
        .map((h) => h.homoclave)
        .join(", ")}${result.suggestion ? ` (did you mean «${result.suggestion}»)` : ""}`,
    );
  }
}
const ms = performance.now() - started;
const n = cases.length;
process.stdout.write(
  `\nRelevance (${n} queries from ${new Set(cases.map((c) => c.file)).size} files, ${database.kind})\n`,
);
process.stdout.write(
  `  top-1 accuracy  ${(top1 / n).toFixed(3)}\n  top-3 accuracy  ${(top3 / n).toFixed(3)}   (target ≥ 0.900)\n  MRR@10          ${(rr / n).toFixed(3)}\n`,
);
process.stdout.write(`  mean time per search ${(ms / n).toFixed(1)} ms (sequential, in-process)\n`);
if (misses.length) process.stdout.write(`\nNot first (${misses.length}):\n${misses.join("\n")}\n`);
await database.close();
