/**
 * Server-side sessions. The cookie holds 32 random bytes; the database keeps only their
 * hash, so any web process can serve any request and a stolen database row is not a key.
 * A session ends after SESSION_IDLE_MINUTES without use or SESSION_MAX_HOURS after sign-in.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Ctx } from "../../platform/context.js";
import * as q from "./queries.js";

export const ROLES = ["editor", "reviewer", "caseworker", "case-manager", "institution-admin"] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in person, as every domain's policies see them. */
export interface Viewer {
  userId: number;
  sessionId: number;
  kind: q.UserKind;
  email: string;
  name: string;
  lang: "es" | "en";
  emailVerified: boolean;
  assurance: "basica" | "verificada";
  /** True once this session passed the second factor (or the account has none). */
  secondFactorDone: boolean;
  totpEnabled: boolean;
  isPlatformAdmin: boolean;
  roles: { institution: string; institutionId: number; role: Role }[];
}

/** How often last_seen_at is written: at most once a minute per session. */
const TOUCH_EVERY_MS = 60_000;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
export const newToken = () => randomBytes(32).toString("base64url");

export async function startSession(
  ctx: Ctx,
  userId: number,
  meta: { address: string; userAgent: string },
): Promise<{ token: string; sessionId: number }> {
  const now = ctx.clock();
  const token = newToken();
  const sessionId = await q.insertSession(ctx.db, {
    hash: hashToken(token),
    userId,
    now,
    expiresAt: new Date(now.getTime() + ctx.config.SESSION_MAX_HOURS * 3600_000),
    address: meta.address.slice(0, 100),
    userAgent: meta.userAgent.slice(0, 300),
  });
  return { token, sessionId };
}

/** The viewer for a session cookie, or null when it is unknown, revoked, idle too long or too old. */
export async function resolveSession(ctx: Ctx, token: string | undefined): Promise<Viewer | null> {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const found = await q.findActiveSessionWithUser(ctx.db, hashToken(token));
  if (!found) return null;
  const { session, user } = found;
  const now = ctx.clock();
  const idleFor = now.getTime() - Date.parse(session.lastSeenAt);
  if (now.getTime() >= Date.parse(session.expiresAt) || idleFor >= ctx.config.SESSION_IDLE_MINUTES * 60_000) {
    await q.revokeSession(ctx.db, session.id, session.userId, now);
    return null;
  }
  if (idleFor >= TOUCH_EVERY_MS) await q.touchSession(ctx.db, session.id, now);
  return viewerFor(ctx, session, user);
}

async function viewerFor(ctx: Ctx, session: q.SessionRow, user: q.UserRow): Promise<Viewer> {
  const memberships = user.kind === "staff" ? await q.membershipsOf(ctx.db, user.id) : [];
  return {
    userId: user.id,
    sessionId: session.id,
    kind: user.kind,
    email: user.email,
    name: `${user.givenNames} ${user.surnames}`,
    lang: user.preferredLang,
    emailVerified: user.emailVerifiedAt !== null,
    assurance: user.verifiedIdentity ? "verificada" : "basica",
    secondFactorDone: session.secondFactorAt !== null || user.totpEnabledAt === null,
    totpEnabled: user.totpEnabledAt !== null,
    isPlatformAdmin: user.isPlatformAdmin,
    roles: memberships.map((m) => ({
      institution: m.institution,
      institutionId: m.institutionId,
      role: m.role as Role,
    })),
  };
}

/** A new token for the same session: after the second factor and whenever privileges change. */
export async function rotateSession(ctx: Ctx, sessionId: number, secondFactorDone: boolean): Promise<string> {
  const token = newToken();
  await q.rotateSession(ctx.db, sessionId, hashToken(token), secondFactorDone ? ctx.clock() : null);
  return token;
}

export function listSessions(ctx: Ctx, userId: number): Promise<q.SessionRow[]> {
  return q.listActiveSessions(ctx.db, userId, ctx.clock());
}

/** Staff may act only with a second factor set up and given in this session. */
export const staffReady = (v: Viewer): boolean => v.kind === "staff" && v.totpEnabled && v.secondFactorDone;

/** True when the viewer holds one of the roles at the institution. */
export const hasRole = (v: Viewer, institution: string, ...roles: Role[]): boolean =>
  v.roles.some((r) => r.institution === institution && roles.includes(r.role));
