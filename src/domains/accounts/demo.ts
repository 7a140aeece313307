/**
 * Demo staff accounts for a fresh install with the demo catalogue, so the back office
 * can be tried at once. Their passwords are random, shown once in the log and written
 * to DATA_DIR/demo-accounts.txt (readable only by the owner); they still have to add
 * an authenticator at first sign-in, as all staff do.
 */
import { randomInt } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Ctx } from "../../platform/context.js";
import { createStaffAccount } from "./staff.js";

const WORDS =
  "nopal tranvia sombrero lluvia guayaba cometa piano desierto volcan maguey colibri canoa jaguar cenote tianguis mezquite".split(
    " ",
  );

const passphrase = () =>
  Array.from({ length: 4 }, () => WORDS[randomInt(WORDS.length)]).join(" ") + ` ${randomInt(10, 99)}`;

export async function createDemoStaff(
  ctx: Ctx,
  institution: string,
  /** Institutions whose cases the demo caseworker and case manager work (demo forms live there). */
  caseInstitutions: string[] = [institution],
): Promise<{ email: string; password: string; role: string }[]> {
  const people = [
    {
      email: "admin@demo.ventanilla.localhost",
      givenNames: "Adriana",
      surnames: "Administradora",
      role: "institution-admin",
      platformAdmin: true,
    },
    { email: "editora@demo.ventanilla.localhost", givenNames: "Elena", surnames: "Editora", role: "editor" },
    { email: "revisor@demo.ventanilla.localhost", givenNames: "Rubén", surnames: "Revisor", role: "reviewer" },
    { email: "ventanilla@demo.ventanilla.localhost", givenNames: "Víctor", surnames: "Ventanilla", role: "caseworker" },
    {
      email: "coordinacion@demo.ventanilla.localhost",
      givenNames: "Carmen",
      surnames: "Coordinadora",
      role: "case-manager",
    },
  ] as const;
  const out: { email: string; password: string; role: string }[] = [];
  for (const p of people) {
    const password = passphrase();
    const institutions = p.role === "caseworker" || p.role === "case-manager" ? caseInstitutions : [institution];
    await createStaffAccount(ctx, {
      email: p.email,
      givenNames: p.givenNames,
      surnames: p.surnames,
      password,
      platformAdmin: "platformAdmin" in p ? p.platformAdmin : false,
      roles: institutions.map((i) => ({ institution: i, role: p.role })),
    });
    out.push({
      email: p.email,
      password,
      role: `${p.role} ${institutions.join(", ")}${"platformAdmin" in p ? " + platform admin" : ""}`,
    });
  }
  const text = out.map((a) => `${a.email}\t${a.password}\t${a.role}`).join("\n");
  mkdirSync(ctx.config.dataDir, { recursive: true });
  writeFileSync(join(ctx.config.dataDir, "demo-accounts.txt"), `${text}\n`, { mode: 0o600 });
  ctx.log.warn(
    { accounts: out },
    `demo staff accounts created (also in ${join(ctx.config.dataDir, "demo-accounts.txt")})`,
  );
  return out;
}
