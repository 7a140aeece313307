/**
 * Sessions at the HTTP edge: the __Host- cookie, the signed-in viewer on every request,
 * and the guards pages use. Registered on the root server so every domain's routes see
 * `req.viewer`.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Ctx } from "../../platform/context.js";
import { DomainError } from "../../platform/errors.js";
import type { App } from "../../platform/http/server.js";
import type { Lang } from "../../platform/views/i18n.js";
import type { RequestMeta } from "./accounts.js";
import { accountPaths } from "./paths.js";
import { resolveSession, type Viewer } from "./sessions.js";

declare module "fastify" {
  interface FastifyRequest {
    viewer: Viewer | null;
    /** A session that still owes its second factor (only the second-factor page accepts it). */
    pendingSession: { userId: number; sessionId: number } | null;
  }
}

export const SESSION_COOKIE = "__Host-vt_session";

export function sessionSupport(app: App, ctx: Ctx): void {
  app.decorateRequest("viewer", null);
  app.decorateRequest("pendingSession", null);
  app.addHook("onRequest", async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (!token || req.url.startsWith("/static/")) return;
    const viewer = await resolveSession(ctx, token);
    if (!viewer) return;
    if (viewer.secondFactorDone) req.viewer = viewer;
    else req.pendingSession = { userId: viewer.userId, sessionId: viewer.sessionId };
  });
}

export function setSessionCookie(reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, { path: "/", httpOnly: true, secure: true, sameSite: "lax" });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: "/", httpOnly: true, secure: true, sameSite: "lax" });
}

export function requestMeta(req: FastifyRequest, lang: Lang): RequestMeta {
  return { address: req.ip, userAgent: String(req.headers["user-agent"] ?? ""), lang };
}

/** Only local paths may follow sign-in ("/cuenta", never "//evil.example" or "https://…"). */
export function safeNext(next: unknown): string | null {
  return typeof next === "string" && /^\/(?![/\\])[\x21-\x7e]{0,500}$/.test(next) ? next : null;
}

/** Sends a signed-out visitor to the sign-in page and back here afterwards. */
export function signInRedirect(req: FastifyRequest, reply: FastifyReply, lang: Lang) {
  const p = accountPaths(lang);
  if (req.pendingSession) return reply.redirect(`${p.secondFactor}?next=${encodeURIComponent(req.url)}`, 303);
  return reply.redirect(`${p.signIn}?next=${encodeURIComponent(req.url)}`, 303);
}

/** The viewer, or a 401 DomainError (for JSON routes and actions). */
export function requireViewer(req: FastifyRequest): Viewer {
  if (!req.viewer) {
    throw new DomainError("unauthorized", {
      es: "Necesitas entrar a tu cuenta para hacer esto.",
      en: "You need to sign in to do this.",
    });
  }
  return req.viewer;
}

/**
 * Wraps a back-office handler: signed-out visitors go to sign in, staff without an
 * authenticator go to add one, anyone else who is not staff is refused.
 */
export const staffOnly =
  (lang: Lang, handler: (req: FastifyRequest, reply: FastifyReply, viewer: Viewer) => Promise<unknown>) =>
  async (req: FastifyRequest, reply: FastifyReply) => {
    const v = req.viewer;
    if (!v) return signInRedirect(req, reply, lang);
    if (v.kind !== "staff") {
      throw new DomainError("forbidden", {
        es: "Esta sección es para el personal de las instituciones.",
        en: "This section is for institutions' staff.",
      });
    }
    if (!v.totpEnabled) return reply.redirect(accountPaths(lang).totpSetup, 303);
    return handler(req, reply, v);
  };

/** Refusal for accounts whose email is not confirmed yet: they cannot act until it is. */
export const unconfirmedEmail = () =>
  new DomainError("forbidden", {
    es: "Primero confirma tu correo con el enlace que te enviamos. Si no lo encuentras, pide otro en «Mi cuenta».",
    en: "First confirm your email with the link we sent you. If you cannot find it, ask for another in “My account”.",
  });
