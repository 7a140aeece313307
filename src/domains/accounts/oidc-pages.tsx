/**
 * The OpenID Connect provider at the HTTP edge: its endpoints under /oidc/ (handed to
 * oidc-provider as they come, unparsed), and our own interaction pages — the sign-in step
 * and the consent screen — under /cuenta/autorizar and /en/account/authorize, where forms
 * carry CSRF tokens like every other form of the site.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import type { Ctx } from "../../platform/context.js";
import { DomainError } from "../../platform/errors.js";
import type { App } from "../../platform/http/server.js";
import { otherLanguageUrl, registerLanguagePairs } from "../../platform/views/alternate.js";
import { PostForm } from "../../platform/views/forms.js";
import { translator, type Lang } from "../../platform/views/i18n.js";
import { renderPage } from "../../platform/views/render.js";
import { PageShell } from "../catalogue/views/common.js";
import { paths } from "../catalogue/paths.js";
import { signOut } from "./accounts.js";
import { clearSessionCookie, requestMeta, signInRedirect, unconfirmedEmail } from "./http.js";
import {
  authorizePath,
  bindViewer,
  canAuthorize,
  consentResult,
  denyResult,
  describeRequest,
  loginResult,
  needsFreshSignIn,
  OIDC_PREFIX,
  OidcProvider,
  returnOrigin,
  type AuthorizationRequest,
  type OidcInteraction,
  type OidcScope,
  type OidcViews,
} from "./oidc.js";
import { accountPaths } from "./paths.js";
import type { Viewer } from "./sessions.js";

registerLanguagePairs([[authorizePath("es"), authorizePath("en")]]);

const UID = /^[A-Za-z0-9_-]{8,64}$/;

/** What each scope shares, in words a person understands. */
const SCOPE_TEXT: Record<OidcScope, { es: string; en: string }> = {
  openid: {
    es: "Un identificador de tu cuenta de Ventanilla, para reconocerte la próxima vez",
    en: "An identifier of your Ventanilla account, to recognise you next time",
  },
  profile: { es: "Tu nombre completo", en: "Your full name" },
  email: {
    es: "Tu correo electrónico y si ya lo confirmaste",
    en: "Your email address and whether you have confirmed it",
  },
  curp: { es: "Tu CURP", en: "Your CURP" },
  assurance: {
    es: "Si una oficina ya revisó tu identidad en persona (nivel de verificación)",
    en: "Whether an office has checked your identity in person (assurance level)",
  },
};

function html(reply: FastifyReply, body: string, status = 200) {
  return reply.code(status).type("text/html; charset=utf-8").header("cache-control", "no-store").send(body);
}

// ---------------------------------------------------------------- pages of the interaction

function ConsentPage(p: {
  lang: Lang;
  alternateHref: string;
  csrf: string;
  action: string;
  request: AuthorizationRequest;
  viewer: Viewer;
}) {
  const t = translator(p.lang);
  const name = p.request.clientName;
  const title = t(`¿Permites que ${name} use tus datos?`, `Do you allow ${name} to use your details?`);
  return (
    <PageShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <span class="govuk-caption-l">{t("Entrar con Ventanilla", "Sign in with Ventanilla")}</span>
          <h1 class="govuk-heading-l">{title}</h1>
          <p class="govuk-body">
            {t(
              `${name} te pidió entrar con tu cuenta de Ventanilla. Si lo permites, le compartiremos:`,
              `${name} asked you to sign in with your Ventanilla account. If you allow it, we will share with it:`,
            )}
          </p>
          <ul class="govuk-list govuk-list--bullet" id="shared-data">
            {p.request.scopes.map((s) => (
              <li>{SCOPE_TEXT[s][p.lang]}</li>
            ))}
          </ul>
          <p class="govuk-body">
            {t("Entraste como ", "You are signed in as ")}
            <strong>{p.viewer.name}</strong> ({p.viewer.email}).
          </p>
          {p.request.returnHost ? (
            <p class="govuk-body">
              {t("Después te llevaremos de regreso a ", "Afterwards we will take you back to ")}
              <strong>{p.request.returnHost}</strong>.
            </p>
          ) : null}
          <div class="govuk-inset-text">
            {t(
              "Si no lo permites, la aplicación no recibirá ninguno de tus datos.",
              "If you do not allow it, the application will not receive any of your details.",
            )}
          </div>
          <PostForm action={p.action} csrf={p.csrf}>
            <div class="govuk-button-group">
              <button type="submit" name="decision" value="allow" class="govuk-button" data-module="govuk-button">
                {t("Permitir", "Allow")}
              </button>
              <button
                type="submit"
                name="decision"
                value="deny"
                class="govuk-button govuk-button--secondary"
                data-module="govuk-button"
              >
                {t("No permitir", "Deny")}
              </button>
            </div>
          </PostForm>
        </div>
      </div>
    </PageShell>
  );
}

function NeedsAuthenticatorPage(p: { lang: Lang; alternateHref: string }) {
  const t = translator(p.lang);
  const title = t("Primero agrega un autenticador", "Add an authenticator first");
  return (
    <PageShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
      <h1 class="govuk-heading-l">{title}</h1>
      <p class="govuk-body">
        {t(
          "Las cuentas de personal necesitan un segundo factor para entrar a otras aplicaciones con Ventanilla.",
          "Staff accounts need a second factor to sign in to other applications with Ventanilla.",
        )}
      </p>
      <p class="govuk-body">
        <a class="govuk-link" href={accountPaths(p.lang).totpSetup}>
          {t("Agregar un autenticador", "Add an authenticator")}
        </a>
      </p>
    </PageShell>
  );
}

function SignInAgainPage(p: { lang: Lang; alternateHref: string; csrf: string; action: string; clientName: string }) {
  const t = translator(p.lang);
  const title = t("Vuelve a entrar", "Sign in again");
  return (
    <PageShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
      <h1 class="govuk-heading-l">{title}</h1>
      <p class="govuk-body">
        {t(
          `${p.clientName} pide que confirmes que eres tú: vuelve a escribir tu contraseña (y tu código, si usas autenticador).`,
          `${p.clientName} asks you to confirm it is you: enter your password again (and your code, if you use an authenticator).`,
        )}
      </p>
      <PostForm action={p.action} csrf={p.csrf}>
        <button type="submit" class="govuk-button" data-module="govuk-button">
          {t("Entrar de nuevo", "Sign in again")}
        </button>
      </PostForm>
    </PageShell>
  );
}

/** After the sign-in step: on to the provider. A page, not a redirect, see `continueTo`. */
function ContinueToPage(p: { lang: Lang; alternateHref: string; href: string }) {
  const t = translator(p.lang);
  return (
    <PageShell lang={p.lang} title={t("Continuando…", "Continuing…")} alternateHref={p.alternateHref}>
      <h1 class="govuk-heading-l">{t("Continuando…", "Continuing…")}</h1>
      <p class="govuk-body">
        <a class="govuk-link" href={p.href} id="continue">
          {t("Si la página no avanza sola, continúa aquí", "If the page does not move on by itself, continue here")}
        </a>
      </p>
    </PageShell>
  );
}

// ---------------------------------------------------------------- pages the provider shows (both languages)

/** What went wrong, for the person and for the institution's developers. */
function explain(out: { error: string; error_description?: string | undefined }): { es: string; en: string } {
  const d = out.error_description ?? "";
  if (out.error === "not_found") {
    return {
      es: "Esta dirección no existe en el servicio de inicio de sesión de Ventanilla.",
      en: "This address does not exist in Ventanilla's sign-in service.",
    };
  }
  if (out.error === "invalid_redirect_uri" || /redirect_uri/.test(d)) {
    return {
      es: "La dirección de regreso (redirect_uri) no está registrada para esta aplicación, así que no te enviamos a ella. La institución debe usar exactamente una de las direcciones que registró.",
      en: "The return address (redirect_uri) is not registered for this application, so we did not send you to it. The institution must use exactly one of the addresses it registered.",
    };
  }
  if (out.error === "invalid_client" || /client/.test(d)) {
    return {
      es: "La aplicación que te envió aquí no está registrada en Ventanilla.",
      en: "The application that sent you here is not registered with Ventanilla.",
    };
  }
  if (/PKCE|code_challenge/i.test(d)) {
    return {
      es: "La aplicación no mandó la protección PKCE (code_challenge con el método S256), que Ventanilla exige.",
      en: "The application did not send PKCE protection (code_challenge with the S256 method), which Ventanilla requires.",
    };
  }
  if (/response_mode/.test(d)) {
    return {
      es: "La aplicación pidió una forma de respuesta que Ventanilla no usa; solo se admite response_mode=query.",
      en: "The application asked for a response mode Ventanilla does not use; only response_mode=query is supported.",
    };
  }
  if (out.error === "session_not_found" || /expired|not found|session/.test(d)) {
    return {
      es: "Esta solicitud de autorización caducó o ya se usó. Vuelve a la aplicación de la institución y empieza de nuevo.",
      en: "This authorization request has expired or was already used. Go back to the institution's application and start again.",
    };
  }
  if (out.error === "server_error") {
    return {
      es: "Algo salió mal de nuestro lado. Vuelve a intentarlo en unos minutos.",
      en: "Something went wrong on our side. Please try again in a few minutes.",
    };
  }
  return {
    es: "La solicitud de la aplicación no es válida, así que no pudimos continuar.",
    en: "The application's request is not valid, so we could not continue.",
  };
}

function ProviderErrorPage(p: { status: number; out: { error: string; error_description?: string | undefined } }) {
  const m = explain(p.out);
  const technical =
    p.out.error === "server_error" || p.out.error === "not_found"
      ? null
      : `${p.out.error}: ${p.out.error_description ?? ""}`;
  return (
    <PageShell lang="es" title="No pudimos continuar con la autorización" alternateHref={paths("en").home}>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <h1 class="govuk-heading-l">No pudimos continuar con la autorización</h1>
          <p class="govuk-body" id="error-es">
            {m.es}
          </p>
          <div lang="en">
            <h2 class="govuk-heading-m">We could not continue with the authorization</h2>
            <p class="govuk-body" id="error-en">
              {m.en}
            </p>
          </div>
          {technical ? (
            <details class="govuk-details">
              <summary class="govuk-details__summary">
                <span class="govuk-details__summary-text">
                  Detalle técnico para la institución <span lang="en">(technical detail)</span>
                </span>
              </summary>
              <div class="govuk-details__text">
                <code lang="en">{technical.slice(0, 300)}</code>
              </div>
            </details>
          ) : null}
          <p class="govuk-body">
            <a class="govuk-link" href={paths("es").home}>
              Ir a la página de inicio
            </a>{" "}
            ·{" "}
            <a class="govuk-link" href={paths("en").home} lang="en">
              Go to the home page
            </a>
          </p>
        </div>
      </div>
    </PageShell>
  );
}

function LogoutPage(p: { form: string }) {
  return (
    <PageShell lang="es" title="¿Quieres salir de Ventanilla?" alternateHref={paths("en").home}>
      <h1 class="govuk-heading-l">¿Quieres salir de Ventanilla?</h1>
      <p class="govuk-body">
        La aplicación de la institución terminó tu sesión. También puedes salir de Ventanilla en este navegador.
      </p>
      <p class="govuk-body" lang="en">
        Do you want to sign out of Ventanilla? The institution's application ended your session; you can also sign out
        of Ventanilla in this browser.
      </p>
      {/* The provider's form: its action and one-time token, with no visible content. */}
      <div dangerouslySetInnerHTML={{ __html: p.form }} />
      <div class="govuk-button-group">
        <button
          type="submit"
          form="op.logoutForm"
          name="logout"
          value="yes"
          class="govuk-button"
          data-module="govuk-button"
        >
          Sí, salir <span lang="en">(Yes, sign out)</span>
        </button>
        <button type="submit" form="op.logoutForm" class="govuk-button govuk-button--secondary">
          No, seguir en Ventanilla <span lang="en">(No, stay signed in)</span>
        </button>
      </div>
    </PageShell>
  );
}

function LoggedOutPage() {
  return (
    <PageShell lang="es" title="Saliste" alternateHref={paths("en").home}>
      <h1 class="govuk-heading-l">Saliste</h1>
      <p class="govuk-body">Terminó tu sesión con la aplicación.</p>
      <p class="govuk-body" lang="en">
        You have signed out of the application.
      </p>
      <p class="govuk-body">
        <a class="govuk-link" href={paths("es").home}>
          Ir a la página de inicio
        </a>
      </p>
    </PageShell>
  );
}

function ContinuePage(p: { action: string; fields: [string, string][] }) {
  return (
    <PageShell lang="es" title="Continuar" alternateHref={paths("en").home}>
      <h1 class="govuk-heading-l">Continuar</h1>
      <p class="govuk-body">Para terminar, oprime el botón.</p>
      <p class="govuk-body" lang="en">
        To finish, press the button.
      </p>
      <form method="post" action={p.action}>
        {p.fields.map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button type="submit" class="govuk-button" data-module="govuk-button">
          Continuar <span lang="en">(Continue)</span>
        </button>
      </form>
    </PageShell>
  );
}

const providerViews: OidcViews = {
  error: (status, out) => renderPage(<ProviderErrorPage status={status} out={out} />),
  logout: (form) => renderPage(<LogoutPage form={form} />),
  loggedOut: () => renderPage(<LoggedOutPage />),
  continueForm: (action, fields) => renderPage(<ContinuePage action={action} fields={fields} />),
};

// ---------------------------------------------------------------- routes

/**
 * The consent form's answer goes through the provider to the application's redirect URI,
 * and browsers check that whole chain against the page's CSP form-action: the page adds
 * the application's origin (checked by the provider against the registered URIs).
 */
function allowFormPostTo(reply: FastifyReply, origin: string | undefined): void {
  const csp = reply.raw.getHeader("content-security-policy");
  if (!origin || typeof csp !== "string" || !/^https?:\/\/[A-Za-z0-9.:[\]-]+$/.test(origin)) return;
  reply.raw.setHeader(
    "content-security-policy",
    csp.replace(/form-action ([^;]*)/, (_m, sources: string) => `form-action ${sources} ${origin}`),
  );
}

const expired = () =>
  new DomainError("invalid", {
    es: "Esta solicitud de autorización caducó o ya se usó. Vuelve a la aplicación de la institución y empieza de nuevo.",
    en: "This authorization request has expired or was already used. Go back to the institution's application and start again.",
  });

export async function oidcRoutes(app: App, ctx: Ctx): Promise<void> {
  const oidc = new OidcProvider(ctx, providerViews);
  const publicUrl = new URL(ctx.config.PUBLIC_URL);
  const handlers = new WeakMap<Provider, (req: IncomingMessage, res: ServerResponse) => Promise<void>>();

  // The provider's endpoints: an encapsulated scope without body parsers, so the provider
  // reads each request itself. It sees the public origin (the issuer's), whatever the hop.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, _payload, done) => done(null));
    scope.all(`${OIDC_PREFIX}/*`, { schema: { hide: true } }, async (req, reply) => {
      const provider = await oidc.get();
      let handle = handlers.get(provider);
      if (!handle) {
        handle = provider.callback();
        handlers.set(provider, handle);
      }
      const raw = req.raw;
      const url = raw.url ?? OIDC_PREFIX;
      bindViewer(raw, req.viewer);
      Object.assign(raw, { originalUrl: url });
      raw.url = url.slice(OIDC_PREFIX.length) || "/";
      raw.headers["x-forwarded-host"] = publicUrl.host;
      raw.headers["x-forwarded-proto"] = publicUrl.protocol.replace(":", "");
      raw.headers["x-forwarded-for"] = req.ip;
      reply.hijack();
      await handle(raw, reply.raw);
    });
  });

  for (const lang of ["es", "en"] as const) {
    const route = `${authorizePath(lang)}/:uid`;
    const again = lang === "en" ? "sign-in-again" : "entrar-de-nuevo";
    const alt = (req: FastifyRequest) => otherLanguageUrl(req.url, lang);

    /** The interaction this browser is in, and that the URL names; anything else has expired. */
    const interactionOf = async (req: FastifyRequest, reply: FastifyReply): Promise<[Provider, OidcInteraction]> => {
      const uid = String((req.params as { uid?: unknown }).uid ?? "");
      if (!UID.test(uid)) throw expired();
      const provider = await oidc.get();
      let interaction: OidcInteraction;
      try {
        interaction = await provider.interactionDetails(req.raw, reply.raw);
      } catch (err) {
        if ((err as { name?: string }).name === "SessionNotFound") throw expired();
        throw err;
      }
      if (interaction.uid !== uid) throw expired();
      return [provider, interaction];
    };

    /** Signs the interaction in as the viewer and goes back to the provider. */
    const settleLogin = async (
      req: FastifyRequest,
      reply: FastifyReply,
      provider: Provider,
      interaction: OidcInteraction,
      viewer: Viewer,
    ) => {
      const result = await loginResult(ctx, provider, interaction, viewer);
      const to = await provider.interactionResult(req.raw, reply.raw, result, { mergeWithLastSubmission: false });
      // This request often ends a chain of redirects that began with a form post (sign-in,
      // second factor), and browsers hold such a chain to the page's CSP form-action 'self':
      // the provider's last redirect, to the application, would be blocked. A page that moves
      // on by itself (Refresh, no script) starts a new navigation instead.
      reply.header("refresh", `0; url=${to}`);
      return html(reply, renderPage(<ContinueToPage lang={lang} alternateHref={alt(req)} href={to} />));
    };

    app.get(route, { schema: { hide: true } }, async (req, reply) => {
      const [provider, interaction] = await interactionOf(req, reply);
      const viewer = req.viewer;
      if (!viewer) return signInRedirect(req, reply, lang);
      if (!viewer.emailVerified) throw unconfirmedEmail();
      if (!canAuthorize(viewer)) {
        return html(reply, renderPage(<NeedsAuthenticatorPage lang={lang} alternateHref={alt(req)} />), 403);
      }
      if (await needsFreshSignIn(ctx, interaction, viewer)) {
        const request = await describeRequest(provider, interaction);
        return html(
          reply,
          renderPage(
            <SignInAgainPage
              lang={lang}
              alternateHref={alt(req)}
              csrf={await reply.generateCsrf()}
              action={`${authorizePath(lang, interaction.uid)}/${again}`}
              clientName={request.clientName}
            />,
          ),
        );
      }
      if (interaction.prompt.name === "login" || interaction.session?.accountId !== String(viewer.userId)) {
        return settleLogin(req, reply, provider, interaction, viewer);
      }
      if (interaction.prompt.name !== "consent") throw expired();
      const request = await describeRequest(provider, interaction);
      allowFormPostTo(reply, returnOrigin(interaction));
      return html(
        reply,
        renderPage(
          <ConsentPage
            lang={lang}
            alternateHref={alt(req)}
            csrf={await reply.generateCsrf()}
            action={req.url.split("?")[0]!}
            request={request}
            viewer={viewer}
          />,
        ),
      );
    });

    app.post(route, { schema: { hide: true } }, async (req, reply) => {
      const [provider, interaction] = await interactionOf(req, reply);
      const viewer = req.viewer;
      if (!viewer) return signInRedirect(req, reply, lang);
      // Anything changed since the page was shown (another person signed in, the step moved on): show it again.
      if (
        !canAuthorize(viewer) ||
        interaction.prompt.name !== "consent" ||
        interaction.session?.accountId !== String(viewer.userId)
      ) {
        return reply.redirect(req.url, 303);
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      const decision = body.decision;
      const meta = requestMeta(req, lang);
      let to: string;
      if (decision === "allow") {
        const result = await consentResult(ctx, provider, interaction, viewer, meta);
        to = await provider.interactionResult(req.raw, reply.raw, result, { mergeWithLastSubmission: true });
      } else if (decision === "deny") {
        const result = await denyResult(ctx, interaction, viewer, meta);
        to = await provider.interactionResult(req.raw, reply.raw, result, { mergeWithLastSubmission: false });
      } else {
        throw new DomainError("invalid", {
          es: "Elige «Permitir» o «No permitir».",
          en: "Choose “Allow” or “Deny”.",
        });
      }
      return reply.header("cache-control", "no-store").redirect(to, 303);
    });

    // The application wants a fresh sign-in: end this session and sign in again, then come back.
    app.post(`${route}/${again}`, { schema: { hide: true } }, async (req, reply) => {
      const [, interaction] = await interactionOf(req, reply);
      const session = req.viewer ?? req.pendingSession;
      if (session) await signOut(ctx, session, requestMeta(req, lang));
      clearSessionCookie(reply);
      const back = authorizePath(lang, interaction.uid);
      return reply.redirect(`${accountPaths(lang).signIn}?next=${encodeURIComponent(back)}`, 303);
    });
  }
}
