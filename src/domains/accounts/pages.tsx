/**
 * HTML routes of accounts, in Spanish and English. GET renders; POST validates, acts and
 * redirects (303), or renders the form again with its errors and a 4xx status.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { VNode } from "preact";
import type { Ctx } from "../../platform/context.js";
import { DomainError, STATUS_BY_CODE } from "../../platform/errors.js";
import { sendFormPage, sendPrivatePage, type FormPageCommon } from "../../platform/http/pages.js";
import type { App } from "../../platform/http/server.js";
import { otherLanguageUrl } from "../../platform/views/alternate.js";
import { fieldErrors } from "../../platform/views/forms.js";
import type { Lang } from "../../platform/views/i18n.js";
import { paths } from "../catalogue/paths.js";
import * as accounts from "./accounts.js";
import * as arco from "./arco.js";
import { clearSessionCookie, requestMeta, safeNext, setSessionCookie, signInRedirect } from "./http.js";
import { accountPaths } from "./paths.js";
import * as secondFactor from "./second-factor.js";
import { listSessions, type Viewer } from "./sessions.js";
import {
  AccountPage,
  AuthenticatorPage,
  HistoryPage,
  MyDataPage,
  RecoveryCodesPage,
  SessionsPage,
} from "./views/account.js";
import {
  CheckEmailPage,
  ConfirmEmailPage,
  NewPasswordPage,
  RecoverPage,
  SecondFactorPage,
  SignInPage,
  SignUpPage,
} from "./views/sign-in.js";

type Body = Record<string, unknown> | undefined;

/** One text field of a posted form: a string, never an array or object, at most `max` characters kept. */
export function field(body: unknown, name: string, max = 1000): string {
  const v = body && typeof body === "object" ? (body as Record<string, unknown>)[name] : undefined;
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === "string" ? s.slice(0, max) : "";
}

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);

/** Renders the form again when a use case refuses its input; anything else goes to the error handler. */
function refused(err: unknown, lang: Lang): { status: number; errors: Record<string, string>; message: string } {
  if (!(err instanceof DomainError) || err.code === "not_found" || err.code === "forbidden") throw err;
  return { status: STATUS_BY_CODE[err.code], errors: fieldErrors(err.details, lang), message: err.messageIn(lang) };
}

export async function accountPages(app: App, ctx: Ctx): Promise<void> {
  for (const lang of ["es", "en"] as const) {
    const a = accountPaths(lang);
    const alt = (req: FastifyRequest) => otherLanguageUrl(req.url, lang);
    const meta = (req: FastifyRequest) => requestMeta(req, lang);
    const withCsrf = (req: FastifyRequest, reply: FastifyReply, page: (c: FormPageCommon) => VNode, status = 200) =>
      sendFormPage(reply, { lang, alternateHref: alt(req) }, page, status);
    const next = (req: FastifyRequest) => safeNext(one((req.query as Record<string, unknown>).next));
    /** Runs a page that needs a fully signed-in person; others go to sign in first. */
    const signedIn =
      (handler: (req: FastifyRequest, reply: FastifyReply, viewer: Viewer) => Promise<unknown>) =>
      async (req: FastifyRequest, reply: FastifyReply) =>
        req.viewer ? handler(req, reply, req.viewer) : signInRedirect(req, reply, lang);

    // ------------------------------------------------------------ sign up and confirm
    app.get(a.signUp, { schema: { hide: true } }, async (req, reply) => {
      if (req.viewer) return reply.redirect(a.account, 303);
      return withCsrf(req, reply, (c) => <SignUpPage {...c} values={{}} />);
    });
    app.post(a.signUp, { schema: { hide: true } }, async (req, reply) => {
      const b = req.body as Body;
      const input = {
        curp: field(b, "curp", 100),
        email: field(b, "email", 400),
        password: field(b, "password", 400),
        givenNames: field(b, "givenNames", 300),
        surnames: field(b, "surnames", 300),
      };
      try {
        await accounts.signUp(ctx, input, meta(req));
        return reply.redirect(a.signUpDone, 303);
      } catch (err) {
        const r = refused(err, lang);
        const { password: _p, ...values } = input;
        return withCsrf(
          req,
          reply,
          (c) => <SignUpPage {...c} values={values} errors={r.errors} message={r.message} />,
          r.status,
        );
      }
    });
    app.get(a.signUpDone, { schema: { hide: true } }, async (req, reply) =>
      sendPrivatePage(reply, <CheckEmailPage lang={lang} alternateHref={alt(req)} purpose="sign-up" />),
    );
    // The link opens a page with a button: mail scanners that fetch links must not use them up.
    app.get(a.verify, { schema: { hide: true } }, async (req, reply) => {
      const token = String(one((req.query as Record<string, unknown>).token) ?? "").slice(0, 100);
      return withCsrf(req, reply, (c) => <ConfirmEmailPage {...c} token={token} />);
    });
    app.post(a.verify, { schema: { hide: true } }, async (req, reply) => {
      const token = field(req.body, "token", 100);
      try {
        await accounts.verifyEmail(ctx, token, meta(req));
        return sendPrivatePage(reply, <ConfirmEmailPage lang={lang} alternateHref={alt(req)} csrf="" token="" done />);
      } catch (err) {
        const r = refused(err, lang);
        return withCsrf(req, reply, (c) => <ConfirmEmailPage {...c} token={token} message={r.message} />, r.status);
      }
    });
    app.post(
      a.resendVerification,
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        await accounts.resendVerification(ctx, viewer.userId, meta(req));
        return reply.redirect(`${a.account}?aviso=enlace`, 303);
      }),
    );

    // ------------------------------------------------------------ sign in and out
    app.get(a.signIn, { schema: { hide: true } }, async (req, reply) => {
      if (req.viewer) return reply.redirect(next(req) ?? a.account, 303);
      return withCsrf(req, reply, (c) => <SignInPage {...c} email="" next={next(req)} />);
    });
    app.post(a.signIn, { schema: { hide: true } }, async (req, reply) => {
      const email = field(req.body, "email", 400);
      const password = field(req.body, "password", 400);
      try {
        const r = await accounts.signIn(ctx, { email, password }, meta(req));
        setSessionCookie(reply, r.token);
        const then = next(req);
        if (r.needsSecondFactor)
          return reply.redirect(`${a.secondFactor}${then ? `?next=${encodeURIComponent(then)}` : ""}`, 303);
        if (r.mustAddSecondFactor) return reply.redirect(a.totpSetup, 303);
        return reply.redirect(then ?? a.account, 303);
      } catch (err) {
        const r = refused(err, lang);
        return withCsrf(
          req,
          reply,
          (c) => <SignInPage {...c} email={email} next={next(req)} message={r.message} />,
          r.status,
        );
      }
    });
    app.get(a.secondFactor, { schema: { hide: true } }, async (req, reply) => {
      if (req.viewer) return reply.redirect(next(req) ?? a.account, 303);
      if (!req.pendingSession) return reply.redirect(a.signIn, 303);
      return withCsrf(req, reply, (c) => <SecondFactorPage {...c} next={next(req)} />);
    });
    app.post(a.secondFactor, { schema: { hide: true } }, async (req, reply) => {
      if (!req.pendingSession) return reply.redirect(req.viewer ? a.account : a.signIn, 303);
      try {
        const token = await secondFactor.completeSecondFactor(
          ctx,
          req.pendingSession,
          field(req.body, "code", 50),
          meta(req),
        );
        setSessionCookie(reply, token);
        return reply.redirect(next(req) ?? a.account, 303);
      } catch (err) {
        const r = refused(err, lang);
        return withCsrf(
          req,
          reply,
          (c) => <SecondFactorPage {...c} next={next(req)} errors={r.errors} message={r.message} />,
          r.status,
        );
      }
    });
    app.post(a.signOut, { schema: { hide: true } }, async (req, reply) => {
      const session = req.viewer ?? req.pendingSession;
      if (session) await accounts.signOut(ctx, session, meta(req));
      clearSessionCookie(reply);
      return reply.redirect(paths(lang).home, 303);
    });
    app.post(
      a.signOutEverywhere,
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        await accounts.signOutEverywhere(ctx, viewer, meta(req));
        clearSessionCookie(reply);
        return reply.redirect(a.signIn, 303);
      }),
    );

    // ------------------------------------------------------------ recovery
    app.get(a.recover, { schema: { hide: true } }, async (req, reply) =>
      withCsrf(req, reply, (c) => <RecoverPage {...c} email="" />),
    );
    app.post(a.recover, { schema: { hide: true } }, async (req, reply) => {
      const email = field(req.body, "email", 400);
      try {
        await accounts.requestPasswordReset(ctx, email, meta(req));
        return sendPrivatePage(reply, <CheckEmailPage lang={lang} alternateHref={alt(req)} purpose="recover" />);
      } catch (err) {
        const r = refused(err, lang);
        return withCsrf(
          req,
          reply,
          (c) => <RecoverPage {...c} email={email} errors={r.errors} message={r.message} />,
          r.status,
        );
      }
    });
    app.get(a.reset, { schema: { hide: true } }, async (req, reply) => {
      const token = String(one((req.query as Record<string, unknown>).token) ?? "").slice(0, 100);
      return withCsrf(req, reply, (c) => <NewPasswordPage {...c} token={token} />);
    });
    app.post(a.reset, { schema: { hide: true } }, async (req, reply) => {
      const token = field(req.body, "token", 100);
      try {
        await accounts.resetPassword(ctx, token, field(req.body, "password", 400), meta(req));
        clearSessionCookie(reply);
        return sendPrivatePage(reply, <NewPasswordPage lang={lang} alternateHref={alt(req)} csrf="" token="" done />);
      } catch (err) {
        const r = refused(err, lang);
        return withCsrf(
          req,
          reply,
          (c) => <NewPasswordPage {...c} token={token} errors={r.errors} message={r.message} />,
          r.status,
        );
      }
    });

    // ------------------------------------------------------------ my account
    app.get(
      a.account,
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const [user, left] = await Promise.all([
          accounts.getAccount(ctx, viewer.userId),
          secondFactor.remainingRecoveryCodes(ctx, viewer.userId),
        ]);
        const notice =
          one((req.query as Record<string, unknown>).aviso) === "enlace"
            ? lang === "en"
              ? "We sent you a new confirmation link."
              : "Te enviamos un nuevo enlace de confirmación."
            : undefined;
        return withCsrf(req, reply, (c) => (
          <AccountPage {...c} viewer={viewer} curp={user.curp} recoveryCodesLeft={left} notice={notice} />
        ));
      }),
    );
    app.get(
      a.sessions,
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const sessions = await listSessions(ctx, viewer.userId);
        return withCsrf(req, reply, (c) => <SessionsPage {...c} sessions={sessions} currentId={viewer.sessionId} />);
      }),
    );
    app.post(
      `${a.sessions}/:id/${lang === "en" ? "end" : "cerrar"}`,
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const id = String((req.params as { id: string }).id);
        if (!/^\d{1,12}$/.test(id)) {
          throw new DomainError("not_found", {
            es: "Esa sesión no existe o ya terminó.",
            en: "That session does not exist or has ended.",
          });
        }
        await accounts.endSession(ctx, viewer, Number(id), meta(req));
        return reply.redirect(a.sessions, 303);
      }),
    );
    app.get(
      a.history,
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const entries = await accounts.signInHistory(ctx, viewer.userId);
        return sendPrivatePage(reply, <HistoryPage lang={lang} alternateHref={alt(req)} csrf="" entries={entries} />);
      }),
    );
    app.get(
      a.myData,
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const aviso = one((req.query as Record<string, unknown>).aviso);
        const notice =
          aviso === "corregido"
            ? lang === "en"
              ? "Your data was corrected."
              : "Corregimos tus datos."
            : typeof aviso === "string" && /^ARCO-\d{4}-\d{6}-[0-9a-f]{4}$/.test(aviso)
              ? lang === "en"
                ? `We received your request ${aviso}. We sent you an email with the date of our answer.`
                : `Recibimos tu solicitud ${aviso}. Te enviamos un correo con la fecha de nuestra respuesta.`
              : undefined;
        return myDataPage(req, reply, viewer, {}, {}, undefined, notice);
      }),
    );
    const myDataPage = async (
      req: FastifyRequest,
      reply: FastifyReply,
      viewer: Viewer,
      values: Record<string, string>,
      errors: Record<string, string>,
      message?: string,
      notice?: string,
      status = 200,
    ) => {
      const data = await accounts.exportMyData(ctx, viewer.userId, meta(req));
      return withCsrf(
        req,
        reply,
        (c) => <MyDataPage {...c} data={data} values={values} errors={errors} message={message} notice={notice} />,
        status,
      );
    };
    app.post(
      a.correct,
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const values = {
          givenNames: field(req.body, "givenNames", 300),
          surnames: field(req.body, "surnames", 300),
          preferredLang: field(req.body, "preferredLang", 5),
        };
        try {
          await arco.correctMyData(ctx, viewer, values, meta(req));
          return reply.redirect(`${a.myData}?aviso=corregido`, 303);
        } catch (err) {
          const r = refused(err, lang);
          return myDataPage(req, reply, viewer, values, r.errors, r.message, undefined, r.status);
        }
      }),
    );
    app.post(
      a.arco,
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const values = { right: field(req.body, "right", 30), details: field(req.body, "details", 5000) };
        try {
          const { folio } = await arco.fileArcoRequest(ctx, viewer, values, meta(req));
          return reply.redirect(`${a.myData}?aviso=${folio}`, 303);
        } catch (err) {
          const r = refused(err, lang);
          return myDataPage(req, reply, viewer, values, r.errors, r.message, undefined, r.status);
        }
      }),
    );
    app.get(
      a.myDataJson,
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        const data = await accounts.exportMyData(ctx, viewer.userId, meta(req));
        return reply
          .type("application/json; charset=utf-8")
          .header("cache-control", "no-store")
          .header("content-disposition", 'attachment; filename="mis-datos-ventanilla.json"')
          .send(JSON.stringify(data, null, 2));
      }),
    );

    // ------------------------------------------------------------ second factor setup
    app.get(
      a.totpSetup,
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        if (viewer.totpEnabled) return reply.redirect(a.account, 303);
        const setup = await secondFactor.beginTotpSetup(ctx, viewer);
        return withCsrf(req, reply, (c) => <AuthenticatorPage {...c} secret={setup.secret} qrSvg={setup.qrSvg} />);
      }),
    );
    app.post(
      a.totpSetup,
      { schema: { hide: true } },
      signedIn(async (req, reply, viewer) => {
        try {
          const r = await secondFactor.confirmTotpSetup(ctx, viewer, field(req.body, "code", 50), meta(req));
          setSessionCookie(reply, r.token);
          return sendPrivatePage(
            reply,
            <RecoveryCodesPage lang={lang} alternateHref={alt(req)} csrf="" codes={r.recoveryCodes} />,
          );
        } catch (err) {
          const r = refused(err, lang);
          if (viewer.totpEnabled) throw err;
          const setup = await secondFactor.beginTotpSetup(ctx, viewer);
          return withCsrf(
            req,
            reply,
            (c) => <AuthenticatorPage {...c} secret={setup.secret} qrSvg={setup.qrSvg} errors={r.errors} />,
            r.status,
          );
        }
      }),
    );
  }
}
