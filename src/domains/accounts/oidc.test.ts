/**
 * Ventanilla as an OpenID Connect provider, driven by a real OIDC client library
 * (openid-client) against the listening server, and a browser (BrowserClient) that signs
 * in through our own sign-in form and grants consent on our own page.
 */
import { sql } from "kysely";
import type { LightMyRequestResponse } from "fastify";
import * as oidcClient from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../../../test/app.js";
import { BrowserClient, freshCurp, freshEmail, GOOD_PASSWORD, signedUpCitizen } from "../../../test/browser-client.js";
import { hashPassword } from "./passwords.js";
import { insertUser } from "./queries.js";
import { registerOidcClient, registerOidcClientAsOperator, rotateSigningKeys } from "./oidc.js";
import type { Viewer } from "./sessions.js";

const PUBLIC = "https://ventanilla.test";
const ISSUER = `${PUBLIC}/oidc`;
const CALLBACK = "https://tramites.example.gob.mx/oidc/callback";

let t: TestApp;
let base: string;
let admin: Viewer;
let app1: { clientId: string; clientSecret: string };

beforeAll(async () => {
  t = await openTestApp();
  base = await t.app.listen({ host: "127.0.0.1", port: 0 });
  const adminId = await insertUser(t.ctx.db, {
    kind: "staff",
    email: "admin.oidc@ventanilla.example.mx",
    passwordHash: await hashPassword(GOOD_PASSWORD),
    curp: null,
    givenNames: "Ana",
    surnames: "Admin",
    preferredLang: "es",
    isPlatformAdmin: true,
    emailVerifiedAt: new Date(),
  });
  admin = {
    userId: adminId,
    sessionId: 0,
    kind: "staff",
    email: "admin.oidc@ventanilla.example.mx",
    name: "Ana Admin",
    lang: "es",
    emailVerified: true,
    assurance: "basica",
    secondFactorDone: true,
    totpEnabled: true,
    isPlatformAdmin: true,
    roles: [],
  };
  app1 = await registerOidcClient(t.ctx, admin, { name: "Trámites SRE", redirectUris: [CALLBACK] });
});
afterAll(() => t.close());

/** openid-client, talking over HTTP to the listening server as if it were ventanilla.test. */
function discover(client: { clientId: string; clientSecret: string }) {
  return oidcClient.discovery(
    new URL(ISSUER),
    client.clientId,
    undefined,
    oidcClient.ClientSecretBasic(client.clientSecret),
    {
      [oidcClient.customFetch]: (url, options) => fetch(url.replace(PUBLIC, base), options as RequestInit),
    },
  );
}

const payloadCount = async () =>
  (await sql<{ n: number }>`select count(*)::int as n from oidc_payloads`.execute(t.ctx.db)).rows[0]!.n;

interface Walked {
  res: LightMyRequestResponse;
  /** The page the browser ended on (a path of ours), when it did not leave the site. */
  url: string;
  /** Where the browser was sent off the site (the application's callback). */
  left?: string;
}

/** Follows redirects inside the site like a browser; stops on a page or when sent elsewhere. */
async function walk(browser: BrowserClient, start: string, first?: LightMyRequestResponse): Promise<Walked> {
  let url = start;
  let res = first ?? (await browser.get(url));
  for (let hops = 0; hops < 15; hops++) {
    // A page that moves on by itself (the Refresh header, as browsers follow it).
    const refresh = /^0; url=(.+)$/.exec(String(res.headers.refresh ?? ""))?.[1];
    if ((res.statusCode < 300 || res.statusCode >= 400) && !refresh) return { res, url };
    const location = refresh ?? String(res.headers.location);
    if (location.startsWith("https://") && !location.startsWith(`${PUBLIC}/`)) return { res, url, left: location };
    url = location.startsWith(PUBLIC) ? location.slice(PUBLIC.length) : location;
    res = await browser.get(url);
  }
  throw new Error(`too many redirects from ${start}`);
}

async function authorizationUrl(
  config: oidcClient.Configuration,
  scope: string,
  extra: Record<string, string> = {},
): Promise<{ url: string; verifier: string; state: string; nonce: string }> {
  const verifier = oidcClient.randomPKCECodeVerifier();
  const state = oidcClient.randomState();
  const nonce = oidcClient.randomNonce();
  const url = oidcClient.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope,
    code_challenge: await oidcClient.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...extra,
  });
  expect(url.origin).toBe(PUBLIC);
  return { url: url.href.slice(PUBLIC.length), verifier, state, nonce };
}

/** Signs in on the sign-in page the browser is on, and follows where it leads. */
async function signInHere(browser: BrowserClient, at: Walked, email: string): Promise<Walked> {
  expect(at.res.statusCode).toBe(200);
  expect(at.url).toMatch(/^\/(en\/account\/sign-in|cuenta\/entrar)\?next=/);
  const posted = await browser.post(at.url, { email, password: GOOD_PASSWORD });
  expect(posted.statusCode).toBe(303);
  return walk(browser, at.url, posted);
}

const idTokenHeader = (idToken: string) =>
  JSON.parse(Buffer.from(idToken.split(".")[0]!, "base64url").toString()) as { kid: string; alg: string };

describe("discovery and keys", () => {
  it("publishes a discovery document for code flow with S256 PKCE only, and the signing keys", async () => {
    const res = await fetch(`${base}/oidc/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc.issuer).toBe(ISSUER);
    expect(doc.authorization_endpoint).toBe(`${ISSUER}/authorize`);
    expect(doc.token_endpoint).toBe(`${ISSUER}/token`);
    expect(doc.userinfo_endpoint).toBe(`${ISSUER}/userinfo`);
    expect(doc.jwks_uri).toBe(`${ISSUER}/jwks`);
    expect(doc.response_types_supported).toEqual(["code"]);
    expect(doc.response_modes_supported).toEqual(["query"]);
    expect(doc.code_challenge_methods_supported).toEqual(["S256"]);
    expect(doc.scopes_supported).toEqual(["openid", "profile", "email", "curp", "assurance"]);
    expect(doc.claims_supported).toEqual(
      expect.arrayContaining(["sub", "name", "email", "email_verified", "curp", "assurance_level"]),
    );
    expect(doc.grant_types_supported).toContain("authorization_code");
    expect(doc.grant_types_supported).not.toContain("implicit");
    const jwks = (await (await fetch(`${base}/oidc/jwks`)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    // Only public parts are published.
    expect(jwks.keys[0]).not.toHaveProperty("d");
    expect(jwks.keys[0]).not.toHaveProperty("p");
  });
});

describe("signing in to an institution's system", () => {
  it("runs the code flow with PKCE through our sign-in form and consent page, and releases claims by scope", async () => {
    const citizen = await signedUpCitizen(t.app, t.ctx);
    const config = await discover(app1);
    oidcClient.enableNonRepudiationChecks(config);
    const { url, verifier, state, nonce } = await authorizationUrl(config, "openid profile email curp assurance");

    // A new browser, not signed in to Ventanilla: sent to our sign-in page, then back.
    const browser = new BrowserClient(t.app, "203.0.113.50");
    const started = await browser.get(url);
    expect(started.statusCode).toBe(303);
    expect(started.headers.location).toMatch(/^\/cuenta\/autorizar\/[A-Za-z0-9_-]+$/);
    const setCookies = ([] as string[]).concat(started.headers["set-cookie"] ?? []);
    expect(setCookies.length).toBeGreaterThanOrEqual(2);
    for (const c of setCookies) {
      expect(c).toMatch(/^__Secure-vt_oidc_(interaction|resume)(\.sig)?=/);
      expect(c).toMatch(/; secure/i);
      expect(c).toMatch(/; httponly/i);
      expect(c).toMatch(/; samesite=lax/i);
    }
    const atSignIn = await walk(browser, url, started);
    expect(atSignIn.res.body).toContain('name="password"');
    const atConsent = await signInHere(browser, atSignIn, citizen.email);

    // The consent page: the application's name and the data asked for, in plain Spanish.
    expect(atConsent.url).toMatch(/^\/cuenta\/autorizar\/[A-Za-z0-9_-]+$/);
    const page = atConsent.res.body;
    expect(atConsent.res.headers["cache-control"]).toBe("no-store");
    expect(page).toContain("¿Permites que Trámites SRE use tus datos?");
    expect(page).toContain("Tu nombre completo");
    expect(page).toContain("Tu CURP");
    expect(page).toContain("Tu correo electrónico");
    expect(page).toContain("tramites.example.gob.mx");
    expect(page).toMatch(/value="allow"[^>]*>\s*Permitir/);
    expect(page).toMatch(/value="deny"[^>]*>\s*No permitir/);
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const csp = String(atConsent.res.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    // The answer ends at the application, after redirects the browser holds to form-action.
    expect(csp).toContain("form-action 'self' https://tramites.example.gob.mx");

    // The same page in English.
    const en = await browser.get(atConsent.url.replace("/cuenta/autorizar/", "/en/account/authorize/"));
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain("Do you allow Trámites SRE to use your details?");
    expect(en.body).toContain("Your full name");
    expect(en.body).toMatch(/value="deny"[^>]*>\s*Deny/);

    const allowed = await browser.post(atConsent.url, { decision: "allow" });
    expect(allowed.statusCode).toBe(303);
    const back = await walk(browser, atConsent.url, allowed);
    expect(back.left).toBeDefined();
    const callback = new URL(back.left!);
    expect(callback.origin + callback.pathname).toBe(CALLBACK);
    expect(callback.searchParams.get("code")).toBeTruthy();
    expect(callback.searchParams.get("iss")).toBe(ISSUER);

    const tokens = await oidcClient.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      iss: ISSUER,
      aud: app1.clientId,
      sub: String(citizen.userId),
      name: "Lucía Pérez Gómez",
      email: citizen.email,
      email_verified: true,
      curp: citizen.curp,
      assurance_level: "basica",
      nonce,
      amr: ["pwd"],
    });
    expect(claims.auth_time).toEqual(expect.any(Number));
    const jwks = (await (await fetch(`${base}/oidc/jwks`)).json()) as { keys: { kid: string }[] };
    expect(idTokenHeader(tokens.id_token!)).toMatchObject({ alg: "RS256", kid: jwks.keys[0]!.kid });

    const info = await oidcClient.fetchUserInfo(config, tokens.access_token, String(citizen.userId));
    expect(info).toEqual({
      sub: String(citizen.userId),
      name: "Lucía Pérez Gómez",
      email: citizen.email,
      email_verified: true,
      curp: citizen.curp,
      assurance_level: "basica",
    });

    // Replaying the code is refused (and, as OAuth asks, what it issued is revoked).
    await expect(
      oidcClient.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state }),
    ).rejects.toMatchObject({ error: "invalid_grant", error_description: "grant request is invalid" });
    await expect(oidcClient.fetchUserInfo(config, tokens.access_token, String(citizen.userId))).rejects.toThrow();

    // Later, with fewer scopes: no consent page (a new grant is asked only for new scopes),
    // and only what those scopes cover.
    const again = await authorizationUrl(config, "openid email");
    const walked = await walk(browser, again.url);
    const consentAgain = walked.left
      ? walked
      : await walk(browser, walked.url, await browser.post(walked.url, { decision: "allow" }));
    const narrow = await oidcClient.authorizationCodeGrant(config, new URL(consentAgain.left!), {
      pkceCodeVerifier: again.verifier,
      expectedState: again.state,
      expectedNonce: again.nonce,
    });
    expect(narrow.claims()).not.toHaveProperty("name");
    expect(narrow.claims()).not.toHaveProperty("curp");
    expect(await oidcClient.fetchUserInfo(config, narrow.access_token, String(citizen.userId))).toEqual({
      sub: String(citizen.userId),
      email: citizen.email,
      email_verified: true,
    });
  });

  it("follows the Ventanilla session: after another person signs in on the same browser, tokens are theirs", async () => {
    const first = await signedUpCitizen(t.app, t.ctx);
    const second = await signedUpCitizen(t.app, t.ctx);
    const config = await discover(app1);
    const browser = new BrowserClient(t.app, "203.0.113.51");

    const a = await authorizationUrl(config, "openid profile");
    const consentA = await signInHere(browser, await walk(browser, a.url), first.email);
    const backA = await walk(browser, consentA.url, await browser.post(consentA.url, { decision: "allow" }));
    const tokensA = await oidcClient.authorizationCodeGrant(config, new URL(backA.left!), {
      pkceCodeVerifier: a.verifier,
      expectedState: a.state,
      expectedNonce: a.nonce,
    });
    expect(tokensA.claims()?.sub).toBe(String(first.userId));

    // The first person signs out of Ventanilla; the second signs in on the same browser.
    await browser.submit("/cuenta", {}, "/cuenta/salir");
    const b = await authorizationUrl(config, "openid profile");
    const consentB = await signInHere(browser, await walk(browser, b.url), second.email);
    expect(consentB.res.body).toContain(second.email);
    const backB = await walk(browser, consentB.url, await browser.post(consentB.url, { decision: "allow" }));
    const tokensB = await oidcClient.authorizationCodeGrant(config, new URL(backB.left!), {
      pkceCodeVerifier: b.verifier,
      expectedState: b.state,
      expectedNonce: b.nonce,
    });
    expect(tokensB.claims()).toMatchObject({ sub: String(second.userId), name: "Lucía Pérez Gómez" });

    // Signed out: a silent request (prompt=none) is answered "login required", never with a code.
    await browser.submit("/cuenta", {}, "/cuenta/salir");
    const c = await authorizationUrl(config, "openid", { prompt: "none" });
    const silent = await walk(browser, c.url);
    const answer = new URL(silent.left!);
    expect(answer.searchParams.get("error")).toBe("login_required");
    expect(answer.searchParams.get("code")).toBeNull();
  });

  it("does not let an account whose email is not confirmed sign in to an application", async () => {
    const email = freshEmail();
    const signup = new BrowserClient(t.app, "203.0.113.53");
    await signup.submit("/cuenta/registro", {
      curp: freshCurp(),
      email,
      password: GOOD_PASSWORD,
      givenNames: "Sin",
      surnames: "Confirmar",
    });
    const issued = async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from oidc_payloads
          where type in ('Grant', 'AuthorizationCode', 'AccessToken')`.execute(t.ctx.db)
      ).rows[0]!.n;
    const before = await issued();
    const config = await discover(app1);
    const { url } = await authorizationUrl(config, "openid email");
    const browser = new BrowserClient(t.app, "203.0.113.53");
    const atSignIn = await walk(browser, url);
    const refused = await signInHere(browser, atSignIn, email);
    expect(refused.res.statusCode).toBe(403);
    expect(refused.res.body).toContain("Primero confirma tu correo");
    expect(refused.left).toBeUndefined();
    expect(await issued()).toBe(before);
  });

  it("sends the person back with access_denied when they do not allow it, and issues nothing", async () => {
    const citizen = await signedUpCitizen(t.app, t.ctx);
    const config = await discover(app1);
    const { url, state } = await authorizationUrl(config, "openid curp", { ui_locales: "en" });
    const browser = new BrowserClient(t.app, "203.0.113.52");
    const atSignIn = await walk(browser, url);
    expect(atSignIn.url).toMatch(/^\/en\/account\/sign-in\?next=%2Fen%2Faccount%2Fauthorize%2F/);
    const consent = await signInHere(browser, atSignIn, citizen.email);
    expect(consent.res.body).toContain("Your CURP");
    const denied = await walk(browser, consent.url, await browser.post(consent.url, { decision: "deny" }));
    const answer = new URL(denied.left!);
    expect(answer.searchParams.get("error")).toBe("access_denied");
    expect(answer.searchParams.get("state")).toBe(state);
    expect(answer.searchParams.get("code")).toBeNull();
    // A forged decision, or a post without the form's token, is refused.
    const forged = await browser.post(consent.url, { decision: "allow", _csrf: "forged" });
    expect(forged.statusCode).toBe(403);
  });
});

describe("fresh sign-in and sign-out", () => {
  it("asks a signed-in person to sign in again when the application says prompt=login", async () => {
    // Signed in two minutes ago.
    const realClock = t.ctx.clock;
    t.ctx.clock = () => new Date(Date.now() - 120_000);
    const citizen = await signedUpCitizen(t.app, t.ctx).finally(() => (t.ctx.clock = realClock));
    const config = await discover(app1);
    const browser = citizen.client;
    const first = await authorizationUrl(config, "openid");
    const consent = await walk(browser, first.url);
    expect(consent.url).toMatch(/^\/cuenta\/autorizar\//);
    await walk(browser, consent.url, await browser.post(consent.url, { decision: "allow" }));

    const { url, verifier, state, nonce } = await authorizationUrl(config, "openid", { prompt: "login" });
    const again = await walk(browser, url);
    expect(again.res.body).toContain("Trámites SRE pide que confirmes que eres tú");
    const action = /<form method="post" action="([^"]+)"/.exec(again.res.body)![1]!;
    expect(action).toMatch(/\/entrar-de-nuevo$/);
    const signedOut = await browser.post(action);
    expect(signedOut.statusCode).toBe(303);
    const atSignIn = await walk(browser, action, signedOut);
    const signInAt = Math.floor(Date.now() / 1000);
    const back = await signInHere(browser, atSignIn, citizen.email);
    const tokens = await oidcClient.authorizationCodeGrant(config, new URL(back.left!), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    expect(tokens.claims()?.sub).toBe(String(citizen.userId));
    expect(Number(tokens.claims()?.auth_time)).toBeGreaterThanOrEqual(signInAt - 1);
  });

  it("signs the person out of Ventanilla from the provider's sign-out page, without inline script", async () => {
    const citizen = await signedUpCitizen(t.app, t.ctx);
    const config = await discover(app1);
    const browser = citizen.client;
    const { url } = await authorizationUrl(config, "openid");
    const consent = await walk(browser, url);
    await walk(browser, consent.url, await browser.post(consent.url, { decision: "allow" }));

    const page = await browser.get(`/oidc/logout?client_id=${app1.clientId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("¿Quieres salir de Ventanilla?");
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body)![1]!;
    const done = await browser.post("/oidc/logout/confirm", { xsrf, logout: "yes" });
    expect(done.statusCode).toBe(303);
    const after = await walk(browser, "/oidc/logout/confirm", done);
    expect(after.res.body).toContain("Saliste");
    // The Ventanilla session ended too.
    const account = await browser.get("/cuenta");
    expect(account.statusCode).toBe(303);
    expect(account.headers.location).toMatch(/^\/cuenta\/entrar/);

    // With nothing to confirm, the library's self-posting page becomes a form with a button.
    const nobody = new BrowserClient(t.app);
    const plain = await nobody.get("/oidc/logout");
    expect(plain.statusCode).toBe(200);
    expect(plain.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(plain.body).toMatch(/<form method="post" action="https:\/\/ventanilla.test\/oidc\/logout\/confirm"/);
    expect(String(plain.headers["content-security-policy"])).not.toContain("sha256");
  });
});

describe("bad requests are refused with a clear message and change nothing", () => {
  const good = async () => {
    const verifier = oidcClient.randomPKCECodeVerifier();
    return new URLSearchParams({
      client_id: app1.clientId,
      redirect_uri: CALLBACK,
      response_type: "code",
      scope: "openid profile",
      state: "st-123",
      code_challenge: await oidcClient.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    });
  };

  it("refuses a redirect URI that is not registered, without sending the person there", async () => {
    const before = await payloadCount();
    const params = await good();
    params.set("redirect_uri", "https://evil.example/steal");
    const res = await new BrowserClient(t.app).get(`/oidc/authorize?${params}`);
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toContain("La dirección de regreso (redirect_uri) no está registrada para esta aplicación");
    expect(res.body).toContain("The return address (redirect_uri) is not registered for this application");
    expect(res.body).not.toContain("evil.example/steal");
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(String(res.headers["content-security-policy"])).toContain("script-src 'self'");
    expect(await payloadCount()).toBe(before);
  });

  it("refuses a request without PKCE, or with the plain method, back at the application", async () => {
    const before = await payloadCount();
    const browser = new BrowserClient(t.app);
    const params = await good();
    params.delete("code_challenge");
    params.delete("code_challenge_method");
    const res = await browser.get(`/oidc/authorize?${params}`);
    expect(res.statusCode).toBe(303);
    const answer = new URL(String(res.headers.location));
    expect(answer.origin + answer.pathname).toBe(CALLBACK);
    expect(answer.searchParams.get("error")).toBe("invalid_request");
    expect(answer.searchParams.get("error_description")).toMatch(/PKCE/);
    expect(answer.searchParams.get("state")).toBe("st-123");
    expect(answer.searchParams.get("code")).toBeNull();

    const plain = await good();
    plain.set("code_challenge_method", "plain");
    const res2 = await browser.get(`/oidc/authorize?${plain}`);
    expect(new URL(String(res2.headers.location)).searchParams.get("error_description")).toMatch(
      /code_challenge_method/,
    );
    expect(await payloadCount()).toBe(before);
  });

  it("refuses implicit and hybrid response types, form_post, and unknown applications", async () => {
    const before = await payloadCount();
    const browser = new BrowserClient(t.app);
    for (const responseType of ["id_token", "code id_token", "token"]) {
      const params = await good();
      params.set("response_type", responseType);
      const res = await browser.get(`/oidc/authorize?${params}`);
      expect(res.statusCode, responseType).toBeGreaterThanOrEqual(300);
      const where = res.headers.location ? new URL(String(res.headers.location)) : undefined;
      if (where) expect(`${where.search}${where.hash}`).toMatch(/unsupported_response_type|invalid_request/);
      else expect(res.statusCode).toBe(400);
    }
    const formPost = await good();
    formPost.set("response_mode", "form_post");
    const fp = await browser.get(`/oidc/authorize?${formPost}`);
    expect(fp.statusCode).toBe(400);
    expect(fp.body).toContain("solo se admite response_mode=query");
    const unknown = await good();
    unknown.set("client_id", "vt_nobody");
    const uk = await browser.get(`/oidc/authorize?${unknown}`);
    expect(uk.statusCode).toBe(400);
    expect(uk.body).toContain("no está registrada en Ventanilla");
    expect(await payloadCount()).toBe(before);
  });

  it("answers unknown provider paths with a page, not a bare error", async () => {
    const res = await new BrowserClient(t.app).get("/oidc/no-such-endpoint");
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain("Esta dirección no existe");
  });

  it("answers an expired or foreign interaction page with a message, not an error trace", async () => {
    const res = await new BrowserClient(t.app).get("/cuenta/autorizar/AbCdEfGhIjKlMnOp");
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain("Esta solicitud de autorización caducó o ya se usó");
    const en = await new BrowserClient(t.app).get("/en/account/authorize/AbCdEfGhIjKlMnOp");
    expect(en.body).toContain("This authorization request has expired or was already used");
  });

  it("refuses a token request with a wrong secret or a wrong code verifier", async () => {
    const wrong = await discover({ clientId: app1.clientId, clientSecret: "not-the-secret" });
    await expect(
      oidcClient.authorizationCodeGrant(wrong, new URL(`${CALLBACK}?code=abc&iss=${encodeURIComponent(ISSUER)}`), {
        pkceCodeVerifier: oidcClient.randomPKCECodeVerifier(),
      }),
    ).rejects.toMatchObject({
      status: 401,
      cause: [{ parameters: { error: "invalid_client", error_description: "client authentication failed" } }],
    });
  });
});

describe("client registration and key rotation", () => {
  it("lets only platform administrators register applications, with valid return addresses", async () => {
    const count = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from oidc_clients`.execute(t.ctx.db)).rows[0]!.n;
    const before = await count();
    await expect(
      registerOidcClient(t.ctx, { ...admin, isPlatformAdmin: false }, { name: "X", redirectUris: [CALLBACK] }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      registerOidcClient(t.ctx, admin, { name: "X", redirectUris: ["http://tramites.example.gob.mx/cb"] }),
    ).rejects.toMatchObject({ code: "invalid" });
    await expect(
      registerOidcClient(t.ctx, admin, { name: "X", redirectUris: ["https://a.example/cb#frag"] }),
    ).rejects.toMatchObject({ code: "invalid" });
    await expect(registerOidcClient(t.ctx, admin, { name: " ", redirectUris: [CALLBACK] })).rejects.toMatchObject({
      code: "invalid",
    });
    expect(await count()).toBe(before);
    const local = await registerOidcClientAsOperator(t.ctx, {
      name: "Pruebas locales",
      redirectUris: ["http://localhost:8080/cb", "https://pruebas.example.gob.mx/cb"],
    });
    expect(local.clientId).toMatch(/^vt_/);
    expect(local.clientSecret.length).toBeGreaterThanOrEqual(43);
    expect(await count()).toBe(before + 1);
  });

  it("rotates keys: the new key signs at once, the old one stays published until retired", async () => {
    const jwks = async () => ((await (await fetch(`${base}/oidc/jwks`)).json()) as { keys: { kid: string }[] }).keys;
    const old = (await jwks()).map((k) => k.kid);
    const rotated = await rotateSigningKeys(t.ctx);
    expect(rotated.published[0]).toBe(rotated.kid);
    expect(rotated.retired).toEqual([]);
    expect((await jwks()).map((k) => k.kid)).toEqual([rotated.kid, ...old]);

    const citizen = await signedUpCitizen(t.app, t.ctx);
    const config = await discover(app1);
    oidcClient.enableNonRepudiationChecks(config);
    const { url, verifier, state, nonce } = await authorizationUrl(config, "openid");
    const browser = new BrowserClient(t.app, "203.0.113.53");
    const consent = await signInHere(browser, await walk(browser, url), citizen.email);
    const back = await walk(browser, consent.url, await browser.post(consent.url, { decision: "allow" }));
    const tokens = await oidcClient.authorizationCodeGrant(config, new URL(back.left!), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    expect(idTokenHeader(tokens.id_token!).kid).toBe(rotated.kid);

    // A day later, the next rotation retires the keys superseded since before then.
    const realClock = t.ctx.clock;
    t.ctx.clock = () => new Date(Date.now() + 25 * 3600_000);
    try {
      const next = await rotateSigningKeys(t.ctx);
      expect(next.retired.sort()).toEqual([...old].sort());
      expect((await jwks()).map((k) => k.kid)).toEqual([next.kid, rotated.kid]);
    } finally {
      t.ctx.clock = realClock;
    }
  });
});
