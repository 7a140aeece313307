/** Checks every file under seed/catalogue against the import schemas: `npx tsx scripts/check-seed.ts`. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkInstitution, checkLifeEvent, checkProcedure } from "../src/domains/catalogue/validate.js";

const dir = "seed/catalogue";
const files = [
  ...readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => join(dir, f)),
  ...readdirSync(join(dir, "procedures"))
    .filter((f) => f.endsWith(".json"))
    .map((f) => join(dir, "procedures", f)),
];
let problems = 0;
const homoclaves = new Map<string, string>();
const counts = { institutions: 0, lifeEvents: 0, procedures: 0 };
for (const file of files) {
  const doc = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown[]>;
  const sections = [
    ["institutions", checkInstitution],
    ["lifeEvents", checkLifeEvent],
    ["procedures", checkProcedure],
  ] as const;
  for (const [key, check] of sections) {
    for (const [i, record] of (doc[key] ?? []).entries()) {
      counts[key]++;
      const r = check(record);
      if (!r.ok) {
        problems++;
        console.log(`${file} ${key}[${i}]: ${r.errors.map((e) => `${e.field} ${e.message}`).join("; ")}`);
      }
      if (key === "procedures") {
        const h = (record as { homoclave: string }).homoclave;
        if (homoclaves.has(h)) {
          problems++;
          console.log(`${file}: duplicate homoclave ${h} (also in ${homoclaves.get(h)})`);
        }
        homoclaves.set(h, file);
      }
    }
  }
}
console.log(JSON.stringify(counts), problems ? `${problems} problems` : "all valid");
process.exitCode = problems ? 1 : 0;
