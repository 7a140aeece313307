/**
 * The HTTP server: security headers, compression, static assets, request logs,
 * metrics, health checks, the OpenAPI document, and the one place where errors
 * become statuses and pages. Domains add their routes as plugins.
 */
import compress from "@fastify/compress";
import cookie from "@fastify/cookie";
import csrf from "@fastify/csrf-protection";
import formbody from "@fastify/formbody";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawServerDefault,
} from "fastify";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Config } from "../../config.js";
import { ping, type Db } from "../db/index.js";
import { DomainError, STATUS_BY_CODE } from "../errors.js";
import { BUILD_DIR } from "../views/assets.js";
import type { Lang } from "../views/i18n.js";
import { metricsPlugin } from "./metrics.js";

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** Renders an error page in the request's language; supplied by the composition root. */
export type ErrorPageRenderer = (req: FastifyRequest, status: number, message: string, lang: Lang) => string;

export interface ServerOptions {
  config: Config;
  db: Db;
  log: Logger;
  renderErrorPage: ErrorPageRenderer;
}

export function langOf(req: FastifyRequest): Lang {
  if (req.url === "/en" || req.url.startsWith("/en/") || req.url.startsWith("/en?")) return "en";
  if (req.url.startsWith("/api/") || req.url.startsWith("/catalogue")) {
    const accept = String(req.headers["accept-language"] ?? "");
    return /^en\b/i.test(accept) ? "en" : "es";
  }
  return "es";
}

export const CSRF_COOKIE = "__Host-vt_csrf";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Paths whose unsafe requests are not form posts from our pages (bearer-token APIs, OIDC back channel). */
const needsCsrf = (url: string) => !url.startsWith("/api/") && !url.startsWith("/oidc/");

const wantsJson = (req: FastifyRequest) =>
  req.url.startsWith("/api/") || req.url.startsWith("/catalogue.") || req.url === "/metrics";

/** One log line per request, when it completes, with its route, status and duration. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    req.log.info(
      {
        method: req.method,
        url: req.url.length > 300 ? `${req.url.slice(0, 300)}…` : req.url,
        route: req.routeOptions.url ?? null,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 100) / 100,
        ...(error ? { err: error.message } : {}),
      },
      "request",
    );
  }
}

export async function buildServer(o: ServerOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: o.log,
    logController: new OneLinePerRequest(),
    trustProxy: o.config.TRUST_PROXY,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: "array", allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true },
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook("onSend", async (_req, reply, payload) => {
    reply.header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    return payload;
  });
  await app.register(compress, { global: true, threshold: 1024, encodings: ["br", "gzip"] });
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(cookie);
  // Forms carry a token (hidden field _csrf) tied to a secret in a __Host- cookie, which
  // other sites cannot read or set. JSON APIs authenticate with bearer tokens, not cookies.
  await app.register(csrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: "/", httpOnly: true, secure: true, sameSite: "lax" },
    getToken: (req) => {
      const field = (req.body as { _csrf?: unknown } | undefined)?._csrf;
      // Multipart forms (file uploads) give each field as { value }.
      const value = typeof field === "object" && field !== null ? (field as { value?: unknown }).value : field;
      return typeof value === "string" ? value : undefined;
    },
  });
  app.addHook("preHandler", (req, reply, done) => {
    if (SAFE_METHODS.has(req.method) || !needsCsrf(req.url)) return done();
    // Streamed uploads check the token themselves, from the first field, before reading any file.
    if (req.routeOptions.config?.csrf === "stream") return done();
    app.csrfProtection(req, reply, done);
  });
  await app.register(rateLimit, { global: false });
  await app.register(metricsPlugin);
  await app.register(fastifyStatic, {
    root: BUILD_DIR,
    prefix: "/static/",
    // Fingerprinted names change with their content, so they can be cached for a year.
    setHeaders: (res, path) => {
      res.header(
        "cache-control",
        /\.[0-9a-f]{12}\.(css|js)$/.test(path) ? "public, max-age=31536000, immutable" : "public, max-age=86400",
      );
    },
    cacheControl: false,
  });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Ventanilla API",
        version: "1.0.0",
        description:
          "The national catalogue of procedures (trámites y servicios), institutions and life events. " +
          "Read endpoints are public; write endpoints need a bearer token.",
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: "http", scheme: "bearer", description: "An API token (npm run cli -- token create)" },
        },
      },
    },
  });

  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, async (_req, reply) => {
    const ok = await ping(o.db);
    return reply.code(ok ? 200 : 503).send({ status: ok ? "ready" : "database unreachable" });
  });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  app.setNotFoundHandler((req, reply) => {
    const lang = langOf(req);
    const message = lang === "en" ? "The page you are looking for does not exist." : "La página que buscas no existe.";
    sendError(req, reply, 404, message, lang);
  });

  app.setErrorHandler((err: FastifyError | DomainError, req, reply) => {
    const lang = langOf(req);
    if (err instanceof DomainError) {
      return sendError(req, reply, STATUS_BY_CODE[err.code], err.messageIn(lang), lang, err.details);
    }
    const status = err.statusCode ?? 500;
    if (err.validation) {
      const issues = err.validation.map((v) => ({
        field: (
          v.instancePath ||
          (v.params as { missingProperty?: string }).missingProperty ||
          err.validationContext ||
          ""
        )
          .replace(/^\//, "")
          .replaceAll("/", "."),
        message: v.message ?? "is invalid",
      }));
      const what = issues.map((i) => `${i.field || err.validationContext} ${i.message}`).join("; ");
      const message = lang === "en" ? `The request is not valid: ${what}.` : `La solicitud no es válida: ${what}.`;
      return sendError(req, reply, 400, message, lang, issues);
    }
    if ((err as FastifyError).code?.startsWith("FST_CSRF_")) {
      const m =
        lang === "en"
          ? "This form has expired or did not come from this site. Go back, reload the page and try again."
          : "Este formulario caducó o no vino de este sitio. Regresa, vuelve a cargar la página e inténtalo de nuevo.";
      return sendError(req, reply, 403, m, lang);
    }
    if (status === 429) {
      const m =
        lang === "en"
          ? "Too many requests: wait a minute and try again."
          : "Demasiadas solicitudes: espera un minuto y vuelve a intentarlo.";
      return sendError(req, reply, 429, m, lang);
    }
    if (status >= 400 && status < 500) {
      const m =
        status === 413
          ? lang === "en"
            ? "What you sent is too large."
            : "Lo que enviaste es demasiado grande."
          : status === 415
            ? lang === "en"
              ? "This content type is not accepted here."
              : "Este tipo de contenido no se acepta aquí."
            : lang === "en"
              ? "The request could not be understood."
              : "No pudimos entender la solicitud.";
      return sendError(req, reply, status, m, lang);
    }
    req.log.error({ err }, "unhandled error");
    const m =
      lang === "en"
        ? "Something went wrong on our side. Please try again in a few minutes."
        : "Algo salió mal de nuestro lado. Vuelve a intentarlo en unos minutos.";
    return sendError(req, reply, 500, m, lang);
  });

  function sendError(
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    message: string,
    lang: Lang,
    details: unknown[] = [],
  ) {
    reply.code(status);
    if (wantsJson(req)) {
      return reply.type("application/json; charset=utf-8").send({ error: { status, message, details } });
    }
    return reply.type("text/html; charset=utf-8").send(o.renderErrorPage(req, status, message, lang));
  }

  return app;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** "stream": the handler checks the CSRF token itself (streamed multipart uploads). */
    csrf?: "stream";
  }
}

/**
 * The CSRF check for a streamed multipart form (route config `{ csrf: "stream" }`): the form puts
 * `_csrf` first, the handler reads it and calls this before touching any file part.
 */
export function checkStreamedCsrf(app: App, req: FastifyRequest, reply: FastifyReply, token: unknown): Promise<void> {
  (req as unknown as { body: unknown }).body = { _csrf: typeof token === "string" ? token : "" };
  return new Promise((resolve, reject) => {
    app.csrfProtection(req, reply, (err?: Error) => (err ? reject(err) : resolve()));
  });
}

/** The body of every JSON error (see the error handler above), for routes' OpenAPI responses. */
export const ErrorBody = Type.Object({
  error: Type.Object({ status: Type.Integer(), message: Type.String(), details: Type.Array(Type.Unknown()) }),
});
