/**
 * API tokens: how institutions' systems and operators call the write API,
 * each scoped to one institution or to the whole platform. People sign in
 * through accounts.ts and sessions.ts instead.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Ctx } from "../../platform/context.js";
import { DomainError } from "../../platform/errors.js";
import * as q from "./queries.js";

export const SCOPES = ["catalogue:write", "catalogue:admin"] as const;
export type Scope = (typeof SCOPES)[number];

/** The caller of a request, as the policies see it. */
export interface Principal {
  kind: "token";
  tokenId: number;
  name: string;
  /** null: platform-wide. */
  institution: string | null;
  scopes: string[];
}

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createApiToken(
  ctx: Ctx,
  input: { name: string; institution?: string | undefined; scopes: string[] },
): Promise<{ id: number; token: string }> {
  const unknown = input.scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length || !input.scopes.length) {
    throw new DomainError("invalid", `Scopes must be some of: ${SCOPES.join(", ")}.`);
  }
  let institutionId: number | null = null;
  if (input.institution) {
    institutionId = (await q.institutionIdByAcronym(ctx.db, input.institution)) ?? null;
    if (institutionId === null) throw new DomainError("not_found", `There is no institution ${input.institution}.`);
  }
  // 32 random bytes: the token is shown once and only its hash is kept.
  const token = `vt_${randomBytes(32).toString("base64url")}`;
  const id = await q.insertToken(ctx.db, { name: input.name, hash: hash(token), institutionId, scopes: input.scopes });
  return { id, token };
}

export async function authenticateToken(ctx: Ctx, header: string | undefined): Promise<Principal> {
  const match = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header ?? "");
  if (!match) {
    throw new DomainError("unauthorized", {
      es: "Falta un token de API válido (cabecera Authorization: Bearer …).",
      en: "A valid API token is required (Authorization: Bearer … header).",
    });
  }
  const row = await q.findActiveToken(ctx.db, hash(match[1]!));
  if (!row) {
    throw new DomainError("unauthorized", {
      es: "El token de API no es válido o fue revocado.",
      en: "The API token is not valid or was revoked.",
    });
  }
  return { kind: "token", tokenId: row.id, name: row.name, institution: row.institutionAcronym, scopes: row.scopes };
}

export async function revokeApiToken(ctx: Ctx, id: number): Promise<void> {
  if (!(await q.revokeToken(ctx.db, id))) throw new DomainError("not_found", `There is no active token ${id}.`);
}
