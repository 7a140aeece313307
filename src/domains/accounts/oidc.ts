/**
 * Ventanilla as an OpenID Connect provider for institutions' systems, built on the
 * certified `oidc-provider` library: authorization code flow with PKCE (S256, required),
 * discovery, JWKS with rotation, consent, and the person's claims by scope.
 *
 * The provider never keeps a login of its own: each authorization follows the person's
 * Ventanilla session (the `__Host-vt_session` cookie, with its second factor). Its records
 * live in the database (oidc_payloads), so any web process can serve any step; its signing
 * keys and cookie secret too, so every process signs and reads alike.
 */
import { generateKeyPair, randomBytes } from "node:crypto";
import type { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import { promisify } from "node:util";
import type Provider from "oidc-provider";
import type { Adapter, AdapterPayload, Configuration, InteractionResults, KoaContextWithOIDC } from "oidc-provider";
import { appendAudit } from "../../platform/audit.js";
import { inTransaction, type Ctx } from "../../platform/context.js";
import type { Db } from "../../platform/db/index.js";
import { DomainError, invalidFields } from "../../platform/errors.js";
import type { Lang } from "../../platform/views/i18n.js";
import { signOut } from "./accounts.js";
import { SESSION_COOKIE } from "./http.js";
import * as oq from "./oidc-queries.js";
import { accountPaths } from "./paths.js";
import { getUser } from "./queries.js";
import type { Viewer } from "./sessions.js";

/** Where the provider's endpoints live, under PUBLIC_URL. */
export const OIDC_PREFIX = "/oidc";
export const issuerOf = (ctx: Ctx) => `${ctx.config.PUBLIC_URL}${OIDC_PREFIX}`;

/** The claims each scope releases. */
export const SCOPE_CLAIMS = {
  openid: ["sub"],
  profile: ["name"],
  email: ["email", "email_verified"],
  curp: ["curp"],
  assurance: ["assurance_level"],
} as const;
export type OidcScope = keyof typeof SCOPE_CLAIMS;
export const OIDC_SCOPES = Object.keys(SCOPE_CLAIMS) as OidcScope[];

/** Lifetimes, in seconds. */
export const OIDC_TTL = {
  AuthorizationCode: 60,
  AccessToken: 10 * 60,
  IdToken: 10 * 60,
  Interaction: 30 * 60,
  Grant: 90 * 24 * 3600,
} as const;

/** A superseded signing key stays published this long after its successor starts signing. */
export const KEY_OVERLAP_HOURS = 24;

/** The interaction pages (sign-in step and consent), in each language. Not under /oidc/: they are our forms. */
export function authorizePath(lang: Lang, uid?: string): string {
  const base = `${accountPaths(lang).account}/${lang === "en" ? "authorize" : "autorizar"}`;
  return uid === undefined ? base : `${base}/${uid}`;
}

/** A viewer who may authorize applications: email confirmed, signed in with every factor the account needs. */
export function canAuthorize(viewer: Viewer | null): viewer is Viewer {
  return (
    !!viewer && viewer.emailVerified && viewer.secondFactorDone && !(viewer.kind === "staff" && !viewer.totpEnabled)
  );
}

// ---------------------------------------------------------------- client registration

export interface OidcClientInput {
  name: string;
  redirectUris: string[];
}

export interface RegisteredClient {
  clientId: string;
  /** Shown once; keep it on the institution's server only. */
  clientSecret: string;
  name: string;
  redirectUris: string[];
}

const CLIENT_ID = /^[A-Za-z0-9_-]{1,100}$/;
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function checkClientInput(input: OidcClientInput): { name: string; redirectUris: string[] } {
  const name = input.name.trim();
  const problems: Record<string, { es: string; en: string }> = {};
  if (!name || name.length > 100 || /[\p{Cc}<>]/u.test(name)) {
    problems.name = {
      es: "Escribe el nombre de la aplicación como lo verán las personas (hasta 100 caracteres, sin < ni >).",
      en: "Enter the application's name as people will see it (up to 100 characters, without < or >).",
    };
  }
  const uris = [...new Set(input.redirectUris.map((u) => u.trim()).filter(Boolean))];
  const bad = uris.find((u) => {
    if (u.length > 2000) return true;
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      return true;
    }
    if (url.hash || u.includes("#") || url.username || url.password) return true;
    return !(url.protocol === "https:" || (url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname)));
  });
  if (!uris.length || uris.length > 10 || bad !== undefined) {
    problems.redirectUris = {
      es:
        "Da de 1 a 10 direcciones de regreso completas con https:// (http:// solo para localhost), sin # ni usuario" +
        (bad !== undefined ? `; esta no sirve: ${bad.slice(0, 200)}` : "") +
        ".",
      en:
        "Give 1 to 10 full return addresses with https:// (http:// only for localhost), without # or user info" +
        (bad !== undefined ? `; this one does not work: ${bad.slice(0, 200)}` : "") +
        ".",
    };
  }
  if (Object.keys(problems).length) throw invalidFields(problems);
  return { name, redirectUris: uris };
}

async function createClient(ctx: Ctx, input: OidcClientInput, createdBy: number | null): Promise<RegisteredClient> {
  const { name, redirectUris } = checkClientInput(input);
  const client = {
    clientId: `vt_${randomBytes(12).toString("base64url")}`,
    clientSecret: randomBytes(32).toString("base64url"),
    clientName: name,
    redirectUris,
  };
  await inTransaction(ctx, async (tx) => {
    await oq.insertClient(tx.db, { ...client, createdBy, at: tx.clock() });
    await appendAudit(
      tx.db,
      {
        actorId: createdBy,
        action: "oidc.client_registered",
        subject: `oidc_client:${client.clientId}`,
        detail: { name, redirectUris },
      },
      tx.clock(),
    );
  });
  return { clientId: client.clientId, clientSecret: client.clientSecret, name, redirectUris };
}

/** Registers an institution's system as an OpenID Connect client. Only platform administrators may. */
export async function registerOidcClient(ctx: Ctx, admin: Viewer, input: OidcClientInput): Promise<RegisteredClient> {
  if (!admin.isPlatformAdmin || !canAuthorize(admin)) {
    throw new DomainError("forbidden", {
      es: "Solo una persona administradora de la plataforma puede registrar aplicaciones.",
      en: "Only a platform administrator can register applications.",
    });
  }
  return createClient(ctx, input, admin.userId);
}

/** The registered applications (never their secrets), for platform administrators. */
export async function listOidcClients(ctx: Ctx, admin: Viewer) {
  if (!admin.isPlatformAdmin || !canAuthorize(admin)) {
    throw new DomainError("forbidden", {
      es: "Solo una persona administradora de la plataforma ve las aplicaciones registradas.",
      en: "Only a platform administrator can see the registered applications.",
    });
  }
  return oq.listClients(ctx.db);
}

/** The same, for an operator at the command line (who holds the database already). */
export function registerOidcClientAsOperator(ctx: Ctx, input: OidcClientInput): Promise<RegisteredClient> {
  return createClient(ctx, input, null);
}

// ---------------------------------------------------------------- signing keys

const generateRsa = promisify(generateKeyPair);

/** Bumped on every rotation in this process, so its provider picks the new keys up at once. */
let keyGeneration = 0;

async function newSigningKey(): Promise<{ kid: string; jwk: Record<string, unknown> }> {
  const { privateKey } = await generateRsa("rsa", { modulusLength: 2048 });
  const kid = randomBytes(12).toString("base64url");
  return { kid, jwk: { ...privateKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" } };
}

/** Creates the first signing key when there is none (once, whichever process comes first). */
async function ensureSigningKey(ctx: Ctx): Promise<oq.SigningKeyRow[]> {
  const keys = await oq.activeSigningKeys(ctx.db);
  if (keys.length) return keys;
  const candidate = await newSigningKey();
  return inTransaction(ctx, async (tx) => {
    await oq.lockSigningKeys(tx.db);
    const again = await oq.activeSigningKeys(tx.db);
    if (again.length) return again;
    await oq.insertSigningKey(tx.db, { ...candidate, at: tx.clock() });
    return oq.activeSigningKeys(tx.db);
  });
}

/**
 * A new signing key becomes current at once. The keys it replaces stay published in the
 * JWKS (so tokens they signed still verify) until a later rotation finds them superseded
 * for more than KEY_OVERLAP_HOURS; those are retired then.
 */
export async function rotateSigningKeys(ctx: Ctx): Promise<{ kid: string; published: string[]; retired: string[] }> {
  const key = await newSigningKey();
  const result = await inTransaction(ctx, async (tx) => {
    await oq.lockSigningKeys(tx.db);
    const now = tx.clock();
    const retired = await oq.retireSupersededKeys(tx.db, new Date(now.getTime() - KEY_OVERLAP_HOURS * 3600_000), now);
    await oq.insertSigningKey(tx.db, { ...key, at: now });
    const published = (await oq.activeSigningKeys(tx.db)).map((k) => k.kid);
    await appendAudit(
      tx.db,
      { actorId: null, action: "oidc.keys_rotated", subject: `oidc_key:${key.kid}`, detail: { retired } },
      now,
    );
    return { kid: key.kid, published, retired };
  });
  keyGeneration++;
  return result;
}

// ---------------------------------------------------------------- claims

export interface PersonClaims {
  sub: string;
  name: string;
  email: string;
  email_verified: boolean;
  curp?: string;
  assurance_level: "basica" | "verificada";
}

/** Everything the provider may release about a person; it keeps only what the granted scopes allow. */
export async function personClaims(ctx: Ctx, userId: number): Promise<PersonClaims | undefined> {
  const user = await getUser(ctx.db, userId);
  if (!user) return undefined;
  return {
    sub: String(user.id),
    name: `${user.givenNames} ${user.surnames}`,
    email: user.email,
    email_verified: user.emailVerifiedAt !== null,
    ...(user.curp ? { curp: user.curp } : {}),
    assurance_level: user.verifiedIdentity ? "verificada" : "basica",
  };
}

// ---------------------------------------------------------------- interactions (sign-in step and consent)

export type OidcInteraction = Awaited<ReturnType<Provider["interactionDetails"]>>;

const epochNow = () => Math.floor(Date.now() / 1000);

/** What the application asked for, as the consent page shows it. */
export interface AuthorizationRequest {
  clientId: string;
  clientName: string;
  scopes: OidcScope[];
  /** Where the person goes back to afterwards. */
  returnHost: string;
}

export async function describeRequest(provider: Provider, interaction: OidcInteraction): Promise<AuthorizationRequest> {
  const clientId = String(interaction.params.client_id ?? "");
  const client = await provider.Client.find(clientId);
  const asked = new Set(String(interaction.params.scope ?? "").split(" "));
  let returnHost = "";
  try {
    returnHost = new URL(String(interaction.params.redirect_uri ?? "")).host;
  } catch {
    returnHost = "";
  }
  return {
    clientId,
    clientName: client?.clientName ?? clientId,
    scopes: OIDC_SCOPES.filter((s) => asked.has(s)),
    returnHost,
  };
}

/**
 * The sign-in step, settled from the person's Ventanilla session. When the provider's
 * session belongs to someone else (another person signed in on this browser since), it is
 * ended first, so the new login starts clean.
 */
export async function loginResult(
  ctx: Ctx,
  provider: Provider,
  interaction: OidcInteraction,
  viewer: Viewer,
): Promise<InteractionResults> {
  const accountId = String(viewer.userId);
  if (interaction.session && interaction.session.accountId !== accountId) {
    const stale = await provider.Session.findByUid(interaction.session.uid);
    if (stale) await stale.destroy();
    interaction.session = undefined;
    await interaction.save(Math.max(1, interaction.exp - epochNow()));
  }
  const authTime = await oq.sessionAuthTime(ctx.db, viewer.sessionId);
  return {
    login: {
      accountId,
      ...(authTime === undefined ? {} : { ts: authTime }),
      amr: viewer.totpEnabled ? ["pwd", "otp"] : ["pwd"],
      // The provider's session cookie lasts as long as the browser, like Ventanilla's.
      remember: false,
    },
  };
}

/**
 * True when the application asked for a fresh sign-in (prompt=login, or a max_age the
 * person's sign-in is older than) and the person has not signed in since the request came.
 */
export async function needsFreshSignIn(ctx: Ctx, interaction: OidcInteraction, viewer: Viewer): Promise<boolean> {
  if (interaction.prompt.name !== "login") return false;
  const authTime = await oq.sessionAuthTime(ctx.db, viewer.sessionId);
  if (authTime === undefined) return true;
  if (authTime >= interaction.iat) return false;
  const prompts = String(interaction.params.prompt ?? "").split(" ");
  const maxAge = String(interaction.params.max_age ?? "");
  return prompts.includes("login") || (/^\d{1,10}$/.test(maxAge) && epochNow() - authTime > Number(maxAge));
}

/** The origin of the application's (already checked) redirect URI, where the flow ends. */
export function returnOrigin(interaction: OidcInteraction): string | undefined {
  try {
    return new URL(String(interaction.params.redirect_uri ?? "")).origin;
  } catch {
    return undefined;
  }
}

/** The person allowed the application: a grant of the scopes and claims it asked for. */
export async function consentResult(
  ctx: Ctx,
  provider: Provider,
  interaction: OidcInteraction,
  viewer: Viewer,
  meta: { address: string },
): Promise<InteractionResults> {
  const details = interaction.prompt.details;
  const clientId = String(interaction.params.client_id ?? "");
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId: String(viewer.userId), clientId });
  const scopes = Array.isArray(details.missingOIDCScope) ? details.missingOIDCScope.map(String) : [];
  const claims = Array.isArray(details.missingOIDCClaims) ? details.missingOIDCClaims.map(String) : [];
  if (scopes.length) grant.addOIDCScope(scopes.join(" "));
  if (claims.length) grant.addOIDCClaims(claims);
  const grantId = await grant.save();
  await appendAudit(
    ctx.db,
    {
      actorId: viewer.userId,
      action: "oidc.consent_given",
      subject: `user:${viewer.userId}`,
      detail: { client: clientId, scopes },
      address: meta.address,
    },
    ctx.clock(),
  );
  return { consent: { grantId } };
}

export async function denyResult(
  ctx: Ctx,
  interaction: OidcInteraction,
  viewer: Viewer,
  meta: { address: string },
): Promise<InteractionResults> {
  await appendAudit(
    ctx.db,
    {
      actorId: viewer.userId,
      action: "oidc.consent_denied",
      subject: `user:${viewer.userId}`,
      detail: { client: String(interaction.params.client_id ?? "") },
      address: meta.address,
    },
    ctx.clock(),
  );
  return { error: "access_denied", error_description: "the person did not allow the application to use their data" };
}

// ---------------------------------------------------------------- storage

let lastPurge = 0;

/** The provider's records of one kind (Session, Interaction, AuthorizationCode, Grant, …). */
class PayloadAdapter implements Adapter {
  constructor(
    private readonly db: Db,
    private readonly type: string,
    private readonly replayed: () => Error,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    await oq.upsertPayload(this.db, {
      id,
      type: this.type,
      payload,
      grantId: payload.grantId ?? null,
      uid: payload.uid ?? null,
      userCode: payload.userCode ?? null,
      expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
    });
    if (Date.now() - lastPurge > 3600_000) {
      lastPurge = Date.now();
      await oq.purgeExpiredPayloads(this.db, new Date());
    }
  }

  private static out(row: oq.PayloadRow | undefined): AdapterPayload | undefined {
    if (!row) return undefined;
    const payload = row.payload as AdapterPayload;
    return row.consumed === null ? payload : { ...payload, consumed: Math.floor(Number(row.consumed)) };
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return PayloadAdapter.out(await oq.findPayload(this.db, this.type, id, new Date()));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return PayloadAdapter.out(await oq.findPayloadByUid(this.db, this.type, uid, new Date()));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return PayloadAdapter.out(await oq.findPayloadByUserCode(this.db, this.type, userCode, new Date()));
  }

  /** Atomic: of two requests racing with the same code, only one consumes it. */
  async consume(id: string): Promise<void> {
    if (!(await oq.consumePayload(this.db, this.type, id, new Date()))) throw this.replayed();
  }

  async destroy(id: string): Promise<void> {
    await oq.destroyPayload(this.db, this.type, id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await oq.revokePayloadsByGrant(this.db, this.type, grantId);
  }
}

/** Clients are registered by administrators (oidc_clients); the provider only reads them. */
class ClientAdapter implements Adapter {
  constructor(private readonly db: Db) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    if (!CLIENT_ID.test(id)) return undefined;
    const c = await oq.findActiveClient(this.db, id);
    if (!c) return undefined;
    return {
      client_id: c.clientId,
      client_secret: c.clientSecret,
      client_name: c.clientName,
      redirect_uris: c.redirectUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      id_token_signed_response_alg: "RS256",
      // auth_time in every ID token: when the person last signed in to Ventanilla.
      require_auth_time: true,
    } as AdapterPayload;
  }
  async findByUid(): Promise<undefined> {
    return undefined;
  }
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
  async upsert(): Promise<void> {
    throw new Error("OpenID Connect clients are registered with registerOidcClient, not by the provider.");
  }
  async consume(): Promise<void> {}
  async destroy(): Promise<void> {}
  async revokeByGrantId(): Promise<void> {}
}

// ---------------------------------------------------------------- the provider

/** The HTML the provider itself shows (errors, sign-out), rendered by the pages module. */
export interface OidcViews {
  error(status: number, out: { error: string; error_description?: string | undefined }): string;
  logout(form: string): string;
  loggedOut(): string;
  /** A form to post without JavaScript (in place of the library's self-submitting page). */
  continueForm(action: string, fields: [string, string][]): string;
}

/** The Ventanilla viewer of each request handed to the provider (resolved by the onRequest hook). */
const viewers = new WeakMap<IncomingMessage, Viewer | null>();

export function bindViewer(raw: IncomingMessage, viewer: Viewer | null): void {
  viewers.set(raw, viewer);
}

const ENGLISH = /^\s*en\b/i;
/** The language the application asked for (ui_locales), Spanish by default. */
export const langOfParams = (params: Record<string, unknown> | undefined): Lang =>
  typeof params?.ui_locales === "string" && ENGLISH.test(params.ui_locales) ? "en" : "es";

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** A <script> element with content of its own (no src). */
const INLINE_SCRIPT = /<script(?![^>]*\ssrc=)[^>]*>/i;

const ROUTES = {
  authorization: "/authorize",
  token: "/token",
  userinfo: "/userinfo",
  jwks: "/jwks",
  end_session: "/logout",
  revocation: "/revoke",
} as const;

async function buildProvider(ctx: Ctx, views: OidcViews): Promise<{ provider: Provider; fingerprint: string }> {
  const { default: ProviderClass, errors, interactionPolicy } = await import("oidc-provider");
  const keys = await ensureSigningKey(ctx);
  const fingerprint = keys.map((k) => k.kid).join(",");
  const cookieKey = await oq.ensureSecret(ctx.db, "cookie_key", randomBytes(32).toString("base64url"));

  // Login is "prompted" whenever the provider's session is not the person's current
  // Ventanilla session; the interaction page then settles it from that session.
  const policy = interactionPolicy.base();
  policy.get("login")!.checks.add(
    new interactionPolicy.Check(
      "ventanilla_session",
      "the Ventanilla session does not match",
      "login_required",
      (kctx) => {
        const viewer = viewers.get(kctx.req) ?? null;
        return canAuthorize(viewer) && kctx.oidc.session?.accountId === String(viewer.userId)
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT;
      },
    ),
    0,
  );

  const cookieOptions = { httpOnly: true, secure: true, sameSite: "lax" as const, signed: true };
  const configuration: Configuration = {
    adapter: (name: string) =>
      name === "Client"
        ? new ClientAdapter(ctx.db)
        : new PayloadAdapter(ctx.db, name, () => new errors.InvalidGrant("authorization code already consumed")),
    clients: [],
    findAccount: async (_kctx, sub) => {
      if (!/^\d{1,15}$/.test(sub)) return undefined;
      const claims = await personClaims(ctx, Number(sub));
      return claims ? { accountId: sub, claims: () => ({ ...claims }) } : undefined;
    },
    // amr (how the person signed in: pwd, otp) goes in every ID token (userinfo has no amr to give).
    claims: { ...SCOPE_CLAIMS, openid: [...SCOPE_CLAIMS.openid, "amr"] },
    scopes: OIDC_SCOPES,
    // The claims of the granted scopes go in the ID token too, not only from userinfo.
    conformIdTokenClaims: false,
    responseTypes: ["code"],
    pkce: { required: () => true },
    clientAuthMethods: ["client_secret_basic", "client_secret_post"],
    allowOmittingSingleRegisteredRedirectUri: false,
    clientBasedCORS: () => false,
    subjectTypes: ["public"],
    enabledJWA: { idTokenSigningAlgValues: ["RS256"] },
    jwks: { keys: keys.map((k) => k.jwk) },
    cookies: {
      names: {
        session: "__Secure-vt_oidc_session",
        interaction: "__Secure-vt_oidc_interaction",
        resume: "__Secure-vt_oidc_resume",
      },
      long: cookieOptions,
      // Path "/" so that the consent page works in both languages (its paths differ).
      short: { ...cookieOptions, path: "/" },
      keys: [cookieKey],
    },
    discovery: {
      ui_locales_supported: ["es", "en"],
      claims_locales_supported: undefined,
      service_documentation: undefined,
    },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: { enabled: false },
      claimsParameter: { enabled: false },
      requestObjects: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (kctx, form) => {
          kctx.type = "html";
          kctx.body = views.logout(form);
        },
        postLogoutSuccessSource: (kctx) => {
          kctx.type = "html";
          kctx.body = views.loggedOut();
        },
      },
    },
    issueRefreshToken: () => false,
    ttl: {
      AccessToken: OIDC_TTL.AccessToken,
      AuthorizationCode: OIDC_TTL.AuthorizationCode,
      IdToken: OIDC_TTL.IdToken,
      Interaction: OIDC_TTL.Interaction,
      Grant: OIDC_TTL.Grant,
      Session: ctx.config.SESSION_MAX_HOURS * 3600,
    },
    interactions: {
      policy,
      url: (_kctx, interaction) => authorizePath(langOfParams(interaction.params), interaction.uid),
    },
    renderError: (kctx, out) => {
      kctx.type = "html";
      kctx.body = views.error(kctx.status, out);
    },
    routes: ROUTES,
  };

  const provider = new ProviderClass(issuerOf(ctx), configuration);
  provider.proxy = true;
  provider.on("server_error", (_kctx: unknown, err: Error) => ctx.log.error({ err }, "oidc server error"));
  // Koa's own "error" event: with a listener, Koa does not print to stderr.
  (provider as unknown as EventEmitter).on("error", (err: Error) => ctx.log.error({ err }, "oidc error"));
  const refused = (kctx: KoaContextWithOIDC, err: Error) =>
    ctx.log.info({ route: kctx.oidc?.route, err: err.message }, "oidc request refused");
  provider.on("authorization.error", refused);
  provider.on("grant.error", refused);
  provider.on("userinfo.error", refused);
  provider.on("end_session.error", refused);

  provider.use(async (kctx, next) => {
    // Every cookie the provider sets is Secure, whatever the scheme of the hop before us.
    kctx.cookies.secure = true;
    const csp = kctx.response.get("content-security-policy");
    if (kctx.path === ROUTES.authorization) {
      const mode = kctx.query.response_mode;
      if (mode !== undefined && mode !== "query") {
        kctx.status = 400;
        kctx.type = "html";
        kctx.body = views.error(400, {
          error: "invalid_request",
          error_description: "only response_mode=query is supported",
        });
        return;
      }
    }
    await next();
    if (kctx.status === 404 && kctx.body == null) {
      kctx.status = 404;
      kctx.type = "html";
      kctx.body = views.error(404, { error: "not_found" });
    }
    if (kctx.path === "/.well-known/openid-configuration" && kctx.body && typeof kctx.body === "object") {
      // form_post would need a self-submitting script, which the site's CSP forbids.
      Object.assign(kctx.body, { response_modes_supported: ["query"] });
    }
    const oidc = (kctx as Partial<KoaContextWithOIDC>).oidc;
    if (kctx.path === `${ROUTES.end_session}/confirm` && kctx.status === 303 && oidc?.params?.logout) {
      // Signing out at the provider signs the person out of Ventanilla too.
      const viewer = viewers.get(kctx.req);
      if (viewer) {
        try {
          await signOut(ctx, viewer, {
            address: kctx.ip,
            userAgent: String(kctx.get("user-agent")),
            lang: viewer.lang,
          });
        } catch (err) {
          ctx.log.error({ err }, "could not end the Ventanilla session at OIDC sign-out");
        }
      }
      kctx.cookies.set(SESSION_COOKIE, null, {
        path: "/",
        httpOnly: true,
        secure: true,
        sameSite: "lax",
        signed: false,
      });
    }
    // The library posts some forms with a self-submitting inline script (the CSP would block
    // it): send the same form with a button instead.
    if (typeof kctx.body === "string" && INLINE_SCRIPT.test(kctx.body)) {
      const action = /<form method="post" action="([^"]*)"/.exec(kctx.body)?.[1];
      const fields = [...kctx.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map(
        (m): [string, string] => [unescapeHtml(m[1]!), unescapeHtml(m[2]!)],
      );
      kctx.type = "html";
      kctx.body = action
        ? views.continueForm(unescapeHtml(action), fields)
        : views.error(500, { error: "server_error" });
      if (csp) kctx.set("content-security-policy", csp);
    }
  });
  return { provider, fingerprint };
}

/** How often a process checks whether another one rotated the keys. */
const KEY_CHECK_MS = 30_000;

/**
 * The provider of one web process. It is rebuilt when the signing keys change (a rotation
 * here or in another process); everything else it needs is in the database.
 */
export class OidcProvider {
  private current: { provider: Provider; fingerprint: string; checkedAt: number; generation: number } | undefined;
  private building: Promise<Provider> | undefined;

  constructor(
    private readonly ctx: Ctx,
    private readonly views: OidcViews,
  ) {}

  async get(): Promise<Provider> {
    const c = this.current;
    if (c && c.generation === keyGeneration && Date.now() - c.checkedAt < KEY_CHECK_MS) return c.provider;
    if (c && (await oq.signingKeysFingerprint(this.ctx.db)) === c.fingerprint) {
      c.checkedAt = Date.now();
      c.generation = keyGeneration;
      return c.provider;
    }
    this.building ??= (async () => {
      try {
        const generation = keyGeneration;
        const built = await buildProvider(this.ctx, this.views);
        this.current = { ...built, checkedAt: Date.now(), generation };
        return built.provider;
      } finally {
        this.building = undefined;
      }
    })();
    return this.building;
  }
}
