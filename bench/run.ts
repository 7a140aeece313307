/**
 * All benchmarks, one after the other, each in its own process: search throughput
 * and latency, search relevance (bench/relevance.ts, when it exists), page weight,
 * sign-in and session costs, applications and the caseworker inbox.
 * Every section prints its own figures; nothing is asserted.
 *
 *   npm run bench
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const ROOT = new URL("../", import.meta.url).pathname;

interface Section {
  title: string;
  file: string;
}

const SECTIONS: Section[] = [
  { title: "Search throughput and latency (bench/search.ts)", file: "bench/search.ts" },
  { title: "Search relevance (bench/relevance.ts)", file: "bench/relevance.ts" },
  { title: "Page weight (bench/page-weight.ts)", file: "bench/page-weight.ts" },
  { title: "Sign-ins and sessions (bench/auth.ts)", file: "bench/auth.ts" },
  { title: "Applications and the caseworker inbox (bench/cases.ts)", file: "bench/cases.ts" },
];

function run(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", file], { cwd: ROOT, stdio: "inherit", env: process.env });
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  const outcomes: string[] = [];
  for (const s of SECTIONS) {
    console.log(`\n${"=".repeat(80)}\n${s.title}\n${"=".repeat(80)}`);
    if (!existsSync(join(ROOT, s.file))) {
      console.log(`(skipped: ${s.file} does not exist yet)`);
      outcomes.push(`${s.file}: skipped`);
      continue;
    }
    const t = performance.now();
    const code = await run(s.file);
    const took = `${((performance.now() - t) / 1000).toFixed(0)} s`;
    outcomes.push(`${s.file}: ${code === 0 ? "done" : `FAILED (exit ${code})`} in ${took}`);
  }
  console.log(
    `\n${"=".repeat(80)}\n${outcomes.join("\n")}\nAll benchmarks took ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  );
  if (outcomes.some((o) => o.includes("FAILED"))) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
