/**
 * People for use-case tests, made by the accounts domain's own use cases: a citizen with a
 * confirmed email and staff with roles, each with a real session resolved into a Viewer.
 */
import type { Ctx } from "../src/platform/context.js";
import { signUp, verifyEmail } from "../src/domains/accounts/accounts.js";
import { resolveSession, startSession, type Role, type Viewer } from "../src/domains/accounts/sessions.js";
import { createStaffAccount, verifyIdentity } from "../src/domains/accounts/staff.js";
import { freshCurp, freshEmail, GOOD_PASSWORD, lastMailTo } from "./browser-client.js";

const meta = { address: "127.0.0.1", userAgent: "test", lang: "es" as const };

async function viewerOf(ctx: Ctx, userId: number, staff: boolean): Promise<Viewer> {
  const { token } = await startSession(ctx, userId, meta);
  const viewer = await resolveSession(ctx, token);
  if (!viewer) throw new Error("session did not resolve");
  // Staff in these tests have passed their second factor (the accounts tests cover that step).
  return staff ? { ...viewer, totpEnabled: true, secondFactorDone: true } : viewer;
}

export async function citizen(ctx: Ctx, opts: { verified?: boolean; confirmed?: boolean } = {}): Promise<Viewer> {
  const email = freshEmail();
  await signUp(
    ctx,
    { curp: freshCurp(), email, password: GOOD_PASSWORD, givenNames: "Lucía", surnames: "Pérez Gómez" },
    meta,
  );
  if (opts.confirmed !== false) {
    const link = (await lastMailTo(ctx, email))!.link!;
    await verifyEmail(ctx, new URL(`http://x${link}`).searchParams.get("token")!, meta);
  }
  const viewer = await viewerOf(ctx, await userIdOf(ctx, email), false);
  return viewer;
}

export async function staffMember(ctx: Ctx, roles: { institution: string; role: Role }[]): Promise<Viewer> {
  const email = freshEmail();
  const { userId } = await createStaffAccount(ctx, { email, givenNames: "Sofía", surnames: "Servidora", roles });
  return viewerOf(ctx, userId, true);
}

async function userIdOf(ctx: Ctx, email: string): Promise<number> {
  const { sql } = await import("kysely");
  return (await sql<{ id: number }>`select id::int as id from users where email = ${email}`.execute(ctx.db)).rows[0]!
    .id;
}

export { verifyIdentity };
