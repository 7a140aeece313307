/**
 * The second factor: a TOTP authenticator app (RFC 6238, otplib) with ten single-use
 * recovery codes. Optional for citizens, required for staff. A code is accepted once:
 * the time step it belongs to is recorded, so a replayed code fails.
 */
import { createHash, randomBytes } from "node:crypto";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import { appendAudit } from "../../platform/audit.js";
import { inTransaction, type Ctx } from "../../platform/context.js";
import { DomainError, invalidFields } from "../../platform/errors.js";
import * as q from "./queries.js";
import { rotateSession, type Viewer } from "./sessions.js";
import type { RequestMeta } from "./accounts.js";

const RECOVERY_CODES = 10;
const codeHash = (code: string) => createHash("sha256").update(code.replace(/[\s-]/g, "").toLowerCase()).digest("hex");

const wrongCode = () =>
  invalidFields({
    code: {
      es: "El código no es correcto o ya se usó. Escribe los 6 dígitos que muestra ahora tu aplicación, o uno de tus códigos de recuperación.",
      en: "The code is not correct or was already used. Enter the 6 digits your app shows now, or one of your recovery codes.",
    },
  });

async function checkTotp(ctx: Ctx, userId: number, secret: string, code: string): Promise<boolean> {
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(ctx.clock().getTime() / 1000),
    // One step either way, for clocks a little off.
    epochTolerance: 30,
  });
  if (!result.valid || !("timeStep" in result)) return false;
  return q.claimTotpStep(ctx.db, userId, result.timeStep);
}

/** Starts (or restarts) setting up an authenticator: a new secret, shown as a QR code and as text. */
export async function beginTotpSetup(
  ctx: Ctx,
  viewer: Viewer,
): Promise<{ secret: string; uri: string; qrSvg: string }> {
  const user = await q.getUser(ctx.db, viewer.userId);
  if (!user) throw new DomainError("not_found", { es: "La cuenta no existe.", en: "The account does not exist." });
  if (user.totpEnabledAt) {
    throw new DomainError("conflict", {
      es: "Tu cuenta ya tiene una aplicación de autenticación.",
      en: "Your account already has an authenticator app.",
    });
  }
  const secret = user.totpSecret ?? generateSecret();
  if (!user.totpSecret) await q.setPendingTotpSecret(ctx.db, viewer.userId, secret);
  const uri = generateURI({ issuer: "Ventanilla", label: user.email, secret });
  const qrSvg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { secret, uri, qrSvg };
}

/** Confirms the authenticator with a first code; returns the recovery codes, shown once. */
export async function confirmTotpSetup(
  ctx: Ctx,
  viewer: Viewer,
  code: string,
  meta: RequestMeta,
): Promise<{ recoveryCodes: string[]; token: string }> {
  if (!/^\d{6}$/.test(code.trim())) throw wrongCode();
  return inTransaction(ctx, async (tx) => {
    const user = await q.getUser(tx.db, viewer.userId);
    if (!user?.totpSecret || user.totpEnabledAt) throw wrongCode();
    if (!(await checkTotp(tx, user.id, user.totpSecret, code.trim()))) throw wrongCode();
    await q.enableTotp(tx.db, user.id, tx.clock());
    const recoveryCodes = Array.from({ length: RECOVERY_CODES }, () => {
      const raw = randomBytes(5).toString("hex");
      return `${raw.slice(0, 5)}-${raw.slice(5)}`;
    });
    await q.replaceRecoveryCodes(tx.db, user.id, recoveryCodes.map(codeHash));
    await appendAudit(
      tx.db,
      { actorId: user.id, action: "account.totp_enabled", subject: `user:${user.id}`, address: meta.address },
      tx.clock(),
    );
    // A privilege change: the session gets a new token, already past the second factor.
    const token = await rotateSession(tx, viewer.sessionId, true);
    return { recoveryCodes, token };
  });
}

/**
 * The second step of signing in: a TOTP code or an unused recovery code. Returns the
 * session's new token (the cookie changes once the session is fully signed in).
 */
export async function completeSecondFactor(
  ctx: Ctx,
  session: { userId: number; sessionId: number },
  code: string,
  meta: RequestMeta,
): Promise<string> {
  const clean = code.trim();
  if (!/^(\d{6}|[0-9a-f]{5}-?[0-9a-f]{5})$/i.test(clean)) throw wrongCode();
  return inTransaction(ctx, async (tx) => {
    const user = await q.getUser(tx.db, session.userId);
    if (!user?.totpSecret || !user.totpEnabledAt) throw wrongCode();
    const viaTotp = /^\d{6}$/.test(clean) && (await checkTotp(tx, user.id, user.totpSecret, clean));
    const viaRecovery = !viaTotp && (await q.consumeRecoveryCode(tx.db, user.id, codeHash(clean), tx.clock()));
    if (!viaTotp && !viaRecovery) throw wrongCode();
    await appendAudit(
      tx.db,
      {
        actorId: user.id,
        action: "account.second_factor",
        subject: `user:${user.id}`,
        detail: { method: viaTotp ? "totp" : "recovery_code" },
        address: meta.address,
      },
      tx.clock(),
    );
    return rotateSession(tx, session.sessionId, true);
  });
}

/** Citizens may remove their authenticator (after proving they have it); staff may not. */
export async function disableTotp(ctx: Ctx, viewer: Viewer, code: string, meta: RequestMeta): Promise<void> {
  if (viewer.kind === "staff") {
    throw new DomainError("forbidden", {
      es: "El personal de las instituciones debe usar siempre un segundo factor.",
      en: "Institution staff must always use a second factor.",
    });
  }
  await inTransaction(ctx, async (tx) => {
    const user = await q.getUser(tx.db, viewer.userId);
    if (!user?.totpSecret || !user.totpEnabledAt) return;
    if (!(await checkTotp(tx, user.id, user.totpSecret, code.trim()))) throw wrongCode();
    await q.disableTotp(tx.db, user.id);
    await appendAudit(
      tx.db,
      { actorId: user.id, action: "account.totp_disabled", subject: `user:${user.id}`, address: meta.address },
      tx.clock(),
    );
  });
}

export function remainingRecoveryCodes(ctx: Ctx, userId: number): Promise<number> {
  return q.unusedRecoveryCodes(ctx.db, userId);
}
