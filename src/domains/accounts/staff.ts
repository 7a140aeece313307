/**
 * Staff accounts: institution admins invite people to their institution with a role;
 * the invitation is a one-time link to choose a password, after which the person must
 * add an authenticator. Platform admins are created from the command line.
 */
import { randomBytes } from "node:crypto";
import { appendAudit } from "../../platform/audit.js";
import { inTransaction, type Ctx } from "../../platform/context.js";
import { DomainError, invalidFields } from "../../platform/errors.js";
import { queueMail } from "../../platform/mail.js";
import { checkCurp, CURP_MESSAGES, normalizeCurp } from "./curp.js";
import { hashPassword } from "./passwords.js";
import { accountPaths } from "./paths.js";
import { canManageStaff, canVerifyIdentity } from "./policies.js";
import * as q from "./queries.js";
import { hashToken, newToken, ROLES, type Role, type Viewer } from "./sessions.js";
import type { RequestMeta } from "./accounts.js";

const INVITATION_HOURS = 72;
const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]{1,190}\.[A-Za-z]{2,63}$/;
const NAME = /^[\p{L}\p{M}][\p{L}\p{M}' .-]{0,99}$/u;

const forbidden = () =>
  new DomainError("forbidden", {
    es: "Solo quien administra la institución puede gestionar a su personal.",
    en: "Only the institution's administrators can manage its staff.",
  });

async function institutionId(ctx: Ctx, acronym: string): Promise<number> {
  const id = await q.institutionIdByAcronym(ctx.db, acronym);
  if (id === undefined)
    throw new DomainError("not_found", { es: "La institución no existe.", en: "The institution does not exist." });
  return id;
}

/** A one-time link to choose a password, valid for 72 hours, mailed with an invitation. */
async function sendInvitation(
  ctx: Ctx,
  user: { id: number; email: string },
  institution: string,
  lang: "es" | "en",
): Promise<string> {
  const now = ctx.clock();
  const token = newToken();
  await q.insertLink(ctx.db, {
    hash: hashToken(token),
    userId: user.id,
    purpose: "reset_password",
    createdAt: now,
    expiresAt: new Date(now.getTime() + INVITATION_HOURS * 3600_000),
  });
  const url = `${ctx.config.PUBLIC_URL}${accountPaths(lang).reset}?token=${token}`;
  await queueMail(ctx.db, {
    to: user.email,
    subject:
      lang === "en"
        ? `You have been invited to Ventanilla (${institution})`
        : `Te invitaron a Ventanilla (${institution})`,
    body:
      lang === "en"
        ? `Open this link to choose your password (valid for ${INVITATION_HOURS} hours, once):\n\n${url}\n\nThen add an authenticator app: staff always sign in with a second factor.`
        : `Abre este enlace para elegir tu contraseña (vale ${INVITATION_HOURS} horas, una sola vez):\n\n${url}\n\nDespués agrega una aplicación de autenticación: el personal siempre entra con un segundo factor.`,
  });
  return url;
}

export interface StaffInput {
  institution: string;
  email: string;
  givenNames: string;
  surnames: string;
  role: string;
}

function checkStaffInput(input: StaffInput): Role {
  const problems: Record<string, { es: string; en: string }> = {};
  if (!(input.email.length <= 254 && EMAIL.test(input.email.trim()))) {
    problems.email = { es: "Escribe un correo electrónico válido.", en: "Enter a valid email address." };
  }
  if (!NAME.test(input.givenNames.trim()))
    problems.givenNames = { es: "Escribe el nombre con letras.", en: "Enter the given name in letters." };
  if (!NAME.test(input.surnames.trim()))
    problems.surnames = { es: "Escribe los apellidos con letras.", en: "Enter the surnames in letters." };
  if (!(ROLES as readonly string[]).includes(input.role))
    problems.role = { es: "Elige un rol de la lista.", en: "Choose a role from the list." };
  if (Object.keys(problems).length) throw invalidFields(problems);
  return input.role as Role;
}

/** Adds a person to the institution with a role, creating and inviting their staff account if needed. */
export async function inviteStaff(
  ctx: Ctx,
  actor: Viewer,
  input: StaffInput,
  meta: RequestMeta,
): Promise<{ userId: number; invited: boolean }> {
  if (!canManageStaff(actor, input.institution)) throw forbidden();
  const role = checkStaffInput(input);
  return inTransaction(ctx, async (tx) => {
    const instId = await institutionId(tx, input.institution);
    const email = input.email.trim();
    let user = await q.findUserByEmail(tx.db, email);
    if (user && user.kind !== "staff") {
      throw invalidFields({
        email: {
          es: "Ese correo es de una cuenta ciudadana. El personal usa una cuenta de trabajo con su correo institucional.",
          en: "That email belongs to a citizen account. Staff use a work account with their institutional email.",
        },
      });
    }
    let invited = false;
    if (!user) {
      const id = await q.insertUser(tx.db, {
        kind: "staff",
        email,
        // Nobody knows this password: the person chooses theirs through the invitation.
        passwordHash: await hashPassword(randomBytes(32).toString("base64url")),
        curp: null,
        givenNames: input.givenNames.trim(),
        surnames: input.surnames.trim(),
        preferredLang: meta.lang,
      });
      user = (await q.getUser(tx.db, id))!;
      await sendInvitation(tx, user, input.institution, meta.lang);
      invited = true;
    }
    const added = await q.insertMembership(tx.db, {
      userId: user.id,
      institutionId: instId,
      role,
      grantedBy: actor.userId,
    });
    if (added) {
      await appendAudit(
        tx.db,
        {
          actorId: actor.userId,
          action: "role.grant",
          subject: `user:${user.id}`,
          detail: { institution: input.institution, role },
          address: meta.address,
        },
        tx.clock(),
      );
    }
    return { userId: user.id, invited };
  });
}

export async function revokeRole(
  ctx: Ctx,
  actor: Viewer,
  input: { institution: string; userId: number; role: string },
  meta: RequestMeta,
): Promise<void> {
  if (!canManageStaff(actor, input.institution)) throw forbidden();
  if (input.userId === actor.userId && input.role === "institution-admin") {
    throw new DomainError("conflict", {
      es: "No puedes quitarte a ti el rol de administración: pídeselo a otra persona administradora.",
      en: "You cannot remove your own admin role: ask another administrator.",
    });
  }
  await inTransaction(ctx, async (tx) => {
    const instId = await institutionId(tx, input.institution);
    if (!(await q.deleteMembership(tx.db, { userId: input.userId, institutionId: instId, role: input.role }))) {
      throw new DomainError("not_found", {
        es: "Esa persona no tiene ese rol aquí.",
        en: "That person does not have that role here.",
      });
    }
    await appendAudit(
      tx.db,
      {
        actorId: actor.userId,
        action: "role.revoke",
        subject: `user:${input.userId}`,
        detail: { institution: input.institution, role: input.role },
        address: meta.address,
      },
      tx.clock(),
    );
  });
}

export async function listStaff(ctx: Ctx, actor: Viewer, institution: string) {
  if (!canManageStaff(actor, institution)) throw forbidden();
  return q.staffOf(ctx.db, await institutionId(ctx, institution));
}

/**
 * For the command line and the demo: a staff account with roles, and either a known
 * password (demo only) or an invitation link to choose one.
 */
export async function createStaffAccount(
  ctx: Ctx,
  input: {
    email: string;
    givenNames: string;
    surnames: string;
    platformAdmin?: boolean;
    roles?: { institution: string; role: Role }[];
    password?: string;
  },
): Promise<{ userId: number; invitationUrl: string | null }> {
  return inTransaction(ctx, async (tx) => {
    if (await q.findUserByEmail(tx.db, input.email)) {
      throw new DomainError("conflict", {
        es: `Ya existe una cuenta con ${input.email}.`,
        en: `An account with ${input.email} already exists.`,
      });
    }
    const userId = await q.insertUser(tx.db, {
      kind: "staff",
      email: input.email,
      passwordHash: await hashPassword(input.password ?? randomBytes(32).toString("base64url")),
      curp: null,
      givenNames: input.givenNames,
      surnames: input.surnames,
      preferredLang: "es",
      isPlatformAdmin: input.platformAdmin ?? false,
      emailVerifiedAt: input.password ? tx.clock() : null,
    });
    for (const r of input.roles ?? []) {
      await q.insertMembership(tx.db, {
        userId,
        institutionId: await institutionId(tx, r.institution),
        role: r.role,
        grantedBy: null,
      });
    }
    await appendAudit(
      tx.db,
      {
        actorId: null,
        action: "account.staff_created",
        subject: `user:${userId}`,
        detail: { platformAdmin: input.platformAdmin ?? false, roles: input.roles ?? [] },
      },
      tx.clock(),
    );
    const invitationUrl = input.password
      ? null
      : await sendInvitation(
          tx,
          { id: userId, email: input.email },
          input.roles?.[0]?.institution ?? "Ventanilla",
          "es",
        );
    return { userId, invitationUrl };
  });
}

/** An officer confirms a citizen's identity after checking a document: the account becomes "verificada". */
export async function verifyIdentity(
  ctx: Ctx,
  officer: Viewer,
  input: { curp: string; method: string; documentReference: string },
  meta: RequestMeta,
): Promise<void> {
  if (!canVerifyIdentity(officer)) {
    throw new DomainError("forbidden", {
      es: "Tu rol no permite verificar identidades.",
      en: "Your role does not allow verifying identities.",
    });
  }
  const curp = normalizeCurp(input.curp);
  const check = checkCurp(curp);
  if (!check.ok) throw invalidFields({ curp: CURP_MESSAGES[check.problem] });
  const methods = ["ine", "pasaporte", "cedula_profesional", "cartilla_militar", "matricula_consular"];
  if (!methods.includes(input.method))
    throw invalidFields({
      method: { es: "Elige el documento que revisaste.", en: "Choose the document you checked." },
    });
  const reference = input.documentReference.trim();
  if (!/^[\p{L}\p{N} -]{3,60}$/u.test(reference)) {
    throw invalidFields({
      documentReference: {
        es: "Escribe el número o folio del documento (3 a 60 letras o números).",
        en: "Enter the document's number (3 to 60 letters or digits).",
      },
    });
  }
  await inTransaction(ctx, async (tx) => {
    const user = await q.findUserByCurp(tx.db, curp);
    if (!user)
      throw new DomainError("not_found", {
        es: "No hay ninguna cuenta con esa CURP.",
        en: "There is no account with that CURP.",
      });
    await q.insertIdentityVerification(tx.db, {
      userId: user.id,
      verifiedBy: officer.userId,
      method: input.method,
      documentReference: reference,
      at: tx.clock(),
    });
    await appendAudit(
      tx.db,
      {
        actorId: officer.userId,
        action: "identity.verified",
        subject: `user:${user.id}`,
        detail: { method: input.method },
        address: meta.address,
      },
      tx.clock(),
    );
  });
}
