/**
 * People's accounts: sign-up with CURP and email, email verification, sign-in with
 * throttling and an optional (for staff, required) second factor, recovery, and the
 * person's own view of what is held about them. Messages never tell whether an email
 * has an account.
 */
import { createHash, randomBytes } from "node:crypto";
import { appendAudit, auditEntries } from "../../platform/audit.js";
import { inTransaction, type Ctx } from "../../platform/context.js";
import { DomainError, invalidFields } from "../../platform/errors.js";
import { queueMail } from "../../platform/mail.js";
import { checkCurp, CURP_MESSAGES, normalizeCurp } from "./curp.js";
import { hashPassword, MAX_PASSWORD_LENGTH, passwordProblem, verifyPassword } from "./passwords.js";
import { accountPaths } from "./paths.js";
import * as q from "./queries.js";
import { hashToken, listSessions, newToken, startSession } from "./sessions.js";

export interface RequestMeta {
  address: string;
  userAgent: string;
  lang: "es" | "en";
}

export interface SignUpInput {
  curp: string;
  email: string;
  password: string;
  givenNames: string;
  surnames: string;
}

const VERIFY_LINK_HOURS = 48;
const RESET_LINK_MINUTES = 60;
/** Sign-in throttling: failures allowed per email and address, per address, and per account from addresses it has not used. */
export const THROTTLE = { windowMinutes: 15, perPair: 5, perAddress: 30, perAccount: 20 } as const;

const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]{1,190}\.[A-Za-z]{2,63}$/;
const NAME = /^[\p{L}\p{M}][\p{L}\p{M}' .-]{0,99}$/u;

export function normalizeEmail(email: string): string {
  return email.trim();
}

const emailKey = (email: string) => createHash("sha256").update(email.trim().toLowerCase()).digest("hex");

function checkEmail(email: string): { es: string; en: string } | null {
  return email.length <= 254 && EMAIL.test(email)
    ? null
    : {
        es: "Escribe un correo electrónico válido, como nombre@ejemplo.mx.",
        en: "Enter a valid email address, like name@example.mx.",
      };
}

function checkName(value: string, which: "given" | "surnames"): { es: string; en: string } | null {
  if (NAME.test(value.trim())) return null;
  return which === "given"
    ? {
        es: "Escribe tu nombre o nombres con letras (hasta 100 caracteres).",
        en: "Enter your given name or names in letters (up to 100 characters).",
      }
    : {
        es: "Escribe tus apellidos con letras (hasta 100 caracteres).",
        en: "Enter your surnames in letters (up to 100 characters).",
      };
}

async function sendLink(
  ctx: Ctx,
  user: { id: number; email: string },
  purpose: q.LinkPurpose,
  lang: "es" | "en",
): Promise<void> {
  const now = ctx.clock();
  const token = newToken();
  const minutes = purpose === "verify_email" ? VERIFY_LINK_HOURS * 60 : RESET_LINK_MINUTES;
  await q.insertLink(ctx.db, {
    hash: hashToken(token),
    userId: user.id,
    purpose,
    createdAt: now,
    expiresAt: new Date(now.getTime() + minutes * 60_000),
  });
  const p = accountPaths(lang);
  const url = `${ctx.config.PUBLIC_URL}${purpose === "verify_email" ? p.verify : p.reset}?token=${token}`;
  const en = lang === "en";
  await queueMail(ctx.db, {
    to: user.email,
    subject:
      purpose === "verify_email"
        ? en
          ? "Confirm your email for Ventanilla"
          : "Confirma tu correo para Ventanilla"
        : en
          ? "Choose a new Ventanilla password"
          : "Elige una nueva contraseña de Ventanilla",
    body:
      purpose === "verify_email"
        ? en
          ? `Open this link to confirm that this address is yours (valid for ${VERIFY_LINK_HOURS} hours):\n\n${url}\n\nIf you did not create an account, ignore this message.`
          : `Abre este enlace para confirmar que este correo es tuyo (vale ${VERIFY_LINK_HOURS} horas):\n\n${url}\n\nSi no creaste una cuenta, ignora este mensaje.`
        : en
          ? `Open this link to choose a new password (valid for ${RESET_LINK_MINUTES} minutes, once):\n\n${url}\n\nIf you did not ask for this, ignore this message: your password stays the same.`
          : `Abre este enlace para elegir una nueva contraseña (vale ${RESET_LINK_MINUTES} minutos, una sola vez):\n\n${url}\n\nSi no lo pediste, ignora este mensaje: tu contraseña no cambia.`,
  });
}

/**
 * Creates a citizen account and sends the verification link. When the email or CURP is
 * already registered, the answer is the same and the mail explains instead, so the form
 * cannot be used to find out who has an account.
 */
export async function signUp(ctx: Ctx, input: SignUpInput, meta: RequestMeta): Promise<void> {
  const curp = normalizeCurp(input.curp);
  const email = normalizeEmail(input.email);
  const problems: Record<string, { es: string; en: string }> = {};
  const curpCheck = checkCurp(curp);
  if (!curpCheck.ok) problems.curp = CURP_MESSAGES[curpCheck.problem];
  const emailProblem = checkEmail(email);
  if (emailProblem) problems.email = emailProblem;
  const given = checkName(input.givenNames, "given");
  if (given) problems.givenNames = given;
  const surnames = checkName(input.surnames, "surnames");
  if (surnames) problems.surnames = surnames;
  const pw = passwordProblem(input.password, [email, input.givenNames, input.surnames, curp]);
  if (pw) problems.password = pw;
  if (Object.keys(problems).length) throw invalidFields(problems);

  const passwordHash = await hashPassword(input.password);
  await inTransaction(ctx, async (tx) => {
    const byEmail = await q.findUserByEmail(tx.db, email);
    const byCurp = byEmail ? undefined : await q.findUserByCurp(tx.db, curp);
    const en = meta.lang === "en";
    if (byEmail) {
      await queueMail(tx.db, {
        to: byEmail.email,
        subject: en ? "You already have a Ventanilla account" : "Ya tienes una cuenta de Ventanilla",
        body: en
          ? `Someone tried to create an account with this address, which already has one. If it was you, sign in or recover your password at ${ctx.config.PUBLIC_URL}${accountPaths("en").recover}.`
          : `Alguien intentó crear una cuenta con este correo, que ya tiene una. Si fuiste tú, entra o recupera tu contraseña en ${ctx.config.PUBLIC_URL}${accountPaths("es").recover}.`,
      });
      return;
    }
    if (byCurp) {
      await queueMail(tx.db, {
        to: email,
        subject: en ? "That CURP already has an account" : "Esa CURP ya tiene una cuenta",
        body: en
          ? "The CURP you entered already belongs to a Ventanilla account with another email address. If it is yours, recover access from that address; if you cannot, ask for help at any Ventanilla service desk with an identity document."
          : "La CURP que escribiste ya pertenece a una cuenta de Ventanilla con otro correo. Si es tuya, recupera el acceso desde ese correo; si no puedes, pide ayuda en cualquier módulo de atención con una identificación.",
      });
      return;
    }
    const id = await q.insertUser(tx.db, {
      kind: "citizen",
      email,
      passwordHash,
      curp,
      givenNames: input.givenNames.trim(),
      surnames: input.surnames.trim(),
      preferredLang: meta.lang,
    });
    await sendLink(tx, { id, email }, "verify_email", meta.lang);
    await appendAudit(
      tx.db,
      { actorId: id, action: "account.sign_up", subject: `user:${id}`, address: meta.address },
      tx.clock(),
    );
  });
}

const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

function badLink(purpose: q.LinkPurpose): DomainError {
  return new DomainError(
    "invalid",
    purpose === "verify_email"
      ? {
          es: "El enlace de verificación no es válido, ya se usó o caducó. Entra a tu cuenta para pedir uno nuevo.",
          en: "The verification link is not valid, was already used or has expired. Sign in to ask for a new one.",
        }
      : {
          es: "El enlace para cambiar la contraseña no es válido, ya se usó o caducó. Pide uno nuevo.",
          en: "The password link is not valid, was already used or has expired. Ask for a new one.",
        },
  );
}

export async function verifyEmail(ctx: Ctx, token: string, meta: RequestMeta): Promise<void> {
  if (!LINK_TOKEN.test(token)) throw badLink("verify_email");
  await inTransaction(ctx, async (tx) => {
    const userId = await q.consumeLink(tx.db, hashToken(token), "verify_email", tx.clock());
    if (!userId) throw badLink("verify_email");
    await q.setEmailVerified(tx.db, userId, tx.clock());
    await appendAudit(
      tx.db,
      { actorId: userId, action: "account.email_verified", subject: `user:${userId}`, address: meta.address },
      tx.clock(),
    );
  });
}

export async function resendVerification(ctx: Ctx, userId: number, meta: RequestMeta): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const user = await q.getUser(tx.db, userId);
    if (!user || user.emailVerifiedAt) return;
    await sendLink(tx, user, "verify_email", meta.lang);
  });
}

const wrongCredentials = () =>
  new DomainError("unauthorized", {
    es: "El correo o la contraseña no son correctos.",
    en: "The email or the password is not correct.",
  });

// A real hash of a random password: unknown emails cost the same time as wrong passwords.
let decoyHash: Promise<string> | undefined;

export interface SignInResult {
  token: string;
  sessionId: number;
  userId: number;
  /** The account has an authenticator: the session is not usable until the code is given. */
  needsSecondFactor: boolean;
  /** Staff without an authenticator: they must add one before anything else. */
  mustAddSecondFactor: boolean;
}

export async function signIn(
  ctx: Ctx,
  input: { email: string; password: string },
  meta: RequestMeta,
): Promise<SignInResult> {
  const email = normalizeEmail(input.email);
  if (!email || !input.password || email.length > 254 || input.password.length > MAX_PASSWORD_LENGTH) {
    throw wrongCredentials();
  }
  const key = emailKey(email);
  const now = ctx.clock();
  const since = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000);
  const failures = await q.recentFailures(ctx.db, key, meta.address, since);
  // Many failures for one account from many addresses (a botnet) lock it everywhere except where
  // its owner has signed in before, so the lock cannot keep the owner out; a reset by email lifts it too.
  const accountLocked = failures.account >= THROTTLE.perAccount && !failures.knownAddress;
  if (failures.address >= THROTTLE.perAddress || failures.pair >= THROTTLE.perPair || accountLocked) {
    const waitUntil =
      failures.pair >= THROTTLE.perPair && failures.lastPairFailure
        ? new Date(Date.parse(failures.lastPairFailure) + THROTTLE.windowMinutes * 60_000)
        : new Date(now.getTime() + THROTTLE.windowMinutes * 60_000);
    const minutes = Math.max(1, Math.ceil((waitUntil.getTime() - now.getTime()) / 60_000));
    throw new DomainError("rate_limited", {
      es: `Demasiados intentos fallidos. Espera ${minutes} minutos o recupera tu contraseña por correo.`,
      en: `Too many failed attempts. Wait ${minutes} minutes or recover your password by email.`,
    });
  }
  const user = await q.findUserByEmail(ctx.db, email);
  decoyHash ??= hashPassword(randomBytes(16).toString("hex"));
  const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash), input.password);
  if (!user || !ok) {
    await q.recordAttempt(ctx.db, {
      at: now,
      emailKey: key,
      userId: user?.id ?? null,
      address: meta.address,
      succeeded: false,
      reason: user ? "wrong_password" : "unknown_email",
    });
    if (user) {
      await appendAudit(
        ctx.db,
        { actorId: null, action: "account.sign_in_failed", subject: `user:${user.id}`, address: meta.address },
        now,
      );
    }
    throw wrongCredentials();
  }
  return inTransaction(ctx, async (tx) => {
    await q.recordAttempt(tx.db, {
      at: now,
      emailKey: key,
      userId: user.id,
      address: meta.address,
      succeeded: true,
      reason: "password",
    });
    const session = await startSession(tx, user.id, meta);
    await appendAudit(
      tx.db,
      {
        actorId: user.id,
        action: "account.sign_in",
        subject: `user:${user.id}`,
        detail: { session: session.sessionId, secondFactorPending: user.totpEnabledAt !== null },
        address: meta.address,
      },
      now,
    );
    return {
      ...session,
      userId: user.id,
      needsSecondFactor: user.totpEnabledAt !== null,
      mustAddSecondFactor: user.kind === "staff" && user.totpEnabledAt === null,
    };
  });
}

export async function signOut(
  ctx: Ctx,
  viewer: { userId: number; sessionId: number },
  meta: RequestMeta,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await q.revokeSession(tx.db, viewer.sessionId, viewer.userId, tx.clock());
    await appendAudit(
      tx.db,
      { actorId: viewer.userId, action: "account.sign_out", subject: `user:${viewer.userId}`, address: meta.address },
      tx.clock(),
    );
  });
}

/** Ends every session of the person, including this one. */
export async function signOutEverywhere(ctx: Ctx, viewer: { userId: number }, meta: RequestMeta): Promise<number> {
  return inTransaction(ctx, async (tx) => {
    const n = await q.revokeAllSessions(tx.db, viewer.userId, tx.clock());
    await appendAudit(
      tx.db,
      {
        actorId: viewer.userId,
        action: "account.sign_out_everywhere",
        subject: `user:${viewer.userId}`,
        detail: { sessions: n },
        address: meta.address,
      },
      tx.clock(),
    );
    return n;
  });
}

/** Ends one of the person's own sessions; another person's session id is "not found". */
export async function endSession(
  ctx: Ctx,
  viewer: { userId: number },
  sessionId: number,
  meta: RequestMeta,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    if (!(await q.revokeSession(tx.db, sessionId, viewer.userId, tx.clock()))) {
      throw new DomainError("not_found", {
        es: "Esa sesión no existe o ya terminó.",
        en: "That session does not exist or has ended.",
      });
    }
    await appendAudit(
      tx.db,
      {
        actorId: viewer.userId,
        action: "account.session_ended",
        subject: `user:${viewer.userId}`,
        detail: { session: sessionId },
        address: meta.address,
      },
      tx.clock(),
    );
  });
}

/** Always answers the same; sends the link only when the email has an account. */
export async function requestPasswordReset(ctx: Ctx, email: string, meta: RequestMeta): Promise<void> {
  const clean = normalizeEmail(email);
  const problem = checkEmail(clean);
  if (problem) throw invalidFields({ email: problem });
  await inTransaction(ctx, async (tx) => {
    const user = await q.findUserByEmail(tx.db, clean);
    if (!user) return;
    await sendLink(tx, user, "reset_password", meta.lang);
    await appendAudit(
      tx.db,
      { actorId: null, action: "account.recovery_requested", subject: `user:${user.id}`, address: meta.address },
      tx.clock(),
    );
  });
}

/** Sets a new password from a reset link; ends every session and clears the sign-in throttle. */
export async function resetPassword(ctx: Ctx, token: string, password: string, meta: RequestMeta): Promise<void> {
  if (!LINK_TOKEN.test(token)) throw badLink("reset_password");
  await inTransaction(ctx, async (tx) => {
    const now = tx.clock();
    const userId = await q.consumeLink(tx.db, hashToken(token), "reset_password", now);
    if (!userId) throw badLink("reset_password");
    const user = (await q.getUser(tx.db, userId))!;
    const problem = passwordProblem(password, [user.email, user.givenNames, user.surnames, user.curp ?? ""]);
    // Throwing rolls back the transaction, so the link stays usable for a second try.
    if (problem) throw invalidFields({ password: problem });
    await q.setPasswordHash(tx.db, userId, await hashPassword(password), now);
    // Receiving the link proves the address too.
    await q.setEmailVerified(tx.db, userId, now);
    await q.revokeAllSessions(tx.db, userId, now);
    await q.recordAttempt(tx.db, {
      at: now,
      emailKey: emailKey(user.email),
      userId,
      address: meta.address,
      succeeded: true,
      reason: "password_reset",
    });
    await appendAudit(
      tx.db,
      { actorId: userId, action: "account.password_reset", subject: `user:${userId}`, address: meta.address },
      now,
    );
  });
}

export async function getAccount(ctx: Ctx, userId: number): Promise<q.UserRow> {
  const user = await q.getUser(ctx.db, userId);
  if (!user) throw new DomainError("not_found", { es: "La cuenta no existe.", en: "The account does not exist." });
  return user;
}

const HISTORY_ACTIONS = [
  "account.sign_in",
  "account.sign_in_failed",
  "account.second_factor",
  "account.sign_out",
  "account.sign_out_everywhere",
  "account.password_reset",
  "account.recovery_requested",
];

/** The person's sign-ins and security events, newest first. */
export function signInHistory(ctx: Ctx, userId: number, limit = 50) {
  return auditEntries(ctx.db, { subject: `user:${userId}`, actions: HISTORY_ACTIONS }, limit);
}

/**
 * Everything held about the person, for the "my data" page and download. The export
 * itself is recorded in the audit log (it is a disclosure of personal data).
 */
export async function exportMyData(ctx: Ctx, userId: number, meta: RequestMeta) {
  const user = await getAccount(ctx, userId);
  const [sessions, memberships, verifications, events, arco] = await Promise.all([
    listSessions(ctx, userId),
    q.membershipsOf(ctx.db, userId),
    q.identityVerificationsOf(ctx.db, userId),
    auditEntries(ctx.db, { subject: `user:${userId}` }, 1000),
    q.arcoRequestsOf(ctx.db, userId),
  ]);
  await appendAudit(
    ctx.db,
    { actorId: userId, action: "data.export", subject: `user:${userId}`, address: meta.address },
    ctx.clock(),
  );
  return {
    exportedAt: ctx.clock().toISOString(),
    account: {
      kind: user.kind,
      email: user.email,
      emailVerifiedAt: user.emailVerifiedAt,
      curp: user.curp,
      givenNames: user.givenNames,
      surnames: user.surnames,
      preferredLanguage: user.preferredLang,
      assuranceLevel: user.verifiedIdentity ? "verificada" : "basica",
      secondFactor: user.totpEnabledAt ? "totp" : null,
      createdAt: user.createdAt,
      cancellationRequestedAt: user.cancellationRequestedAt,
    },
    identityVerifications: verifications,
    staffRoles: memberships.map((m) => ({ institution: m.institution, role: m.role, grantedAt: m.grantedAt })),
    activeSessions: sessions.map((s) => ({
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      address: s.address,
      userAgent: s.userAgent,
    })),
    securityEvents: events.map((e) => ({ at: e.at, action: e.action, address: e.address, detail: e.detail })),
    dataRequests: arco.map((a) => ({
      folio: a.folio,
      right: a.right,
      details: a.details,
      status: a.status,
      receivedAt: a.receivedAt,
      dueOn: a.dueOn,
      answeredAt: a.answeredAt,
      answer: a.answer,
    })),
  };
}

/**
 * Housekeeping, run hourly by the web process: sessions that ended over 30 days ago, sign-in
 * attempts over 90 days old (the audit log keeps the security history) and links expired a week ago.
 */
export async function purgeStaleAccountData(ctx: Ctx): Promise<number> {
  return q.purgeStale(ctx.db, ctx.clock());
}
