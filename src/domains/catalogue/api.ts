/** JSON routes of the catalogue, calling the same use cases as the pages. */
import { Type, type Static } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import type { Ctx } from "../../platform/context.js";
import { DomainError } from "../../platform/errors.js";
import { ErrorBody, type App } from "../../platform/http/server.js";
import type { Lang } from "../../platform/views/i18n.js";
import { authenticateToken, type Principal } from "../accounts/tokens.js";
import * as catalogue from "./catalogue.js";
import { catalogueToJsonLd, catalogueToTurtle } from "./cpsv.js";
import { recordsFromCsv } from "./csv.js";
import { paths } from "./paths.js";
import { canEditSynonyms, canWriteInstitution, canWriteLifeEvents, canWriteProcedure } from "./policies.js";
import { AUDIENCES, LocalizedText, PROCEDURE_KINDS, ProcedureInput, StringEnum } from "./schema.js";
import { MAX_QUERY_LENGTH } from "./search.js";

const Lang = StringEnum(["es", "en"] as const, { default: "es" });
const Bool = StringEnum(["true", "false"] as const);
const literals = StringEnum;

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({ maxLength: MAX_QUERY_LENGTH, description: "Words to search for, as a person types them." }),
    ),
    institution: Type.Optional(Type.Array(Type.String({ pattern: "^[A-Z0-9][A-Z0-9&-]{1,19}$" }), { maxItems: 50 })),
    lifeEvent: Type.Optional(Type.Array(Type.String({ pattern: "^[a-z0-9-]{2,80}$" }), { maxItems: 30 })),
    kind: Type.Optional(literals(PROCEDURE_KINDS)),
    audience: Type.Optional(literals(AUDIENCES)),
    online: Type.Optional(Bool),
    free: Type.Optional(Bool),
    sort: Type.Optional(literals(["relevance", "name", "updated"] as const)),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: catalogue.MAX_PAGE, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    lang: Type.Optional(Lang),
  },
  { additionalProperties: false },
);

const ProcedureSummary = Type.Object({
  homoclave: Type.String(),
  kind: Type.String(),
  name: Type.String({ description: "Plain-language name in the requested language" }),
  officialName: Type.String(),
  description: Type.String(),
  institution: Type.Object({ acronym: Type.String(), name: Type.String() }),
  online: Type.Boolean(),
  free: Type.Boolean(),
  audience: Type.Array(Type.String()),
  lastReviewed: Type.String(),
  snippet: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  url: Type.String(),
  apiUrl: Type.String(),
});

const InstitutionOut = Type.Object({
  acronym: Type.String(),
  name: LocalizedText(300),
  kind: Type.String(),
  sector: Type.String(),
  ramo: Type.Union([Type.String(), Type.Null()]),
  jurisdiction: Type.Object({
    level: Type.String(),
    stateCode: Type.Union([Type.String(), Type.Null()]),
    municipalityCode: Type.Union([Type.String(), Type.Null()]),
  }),
  website: Type.Union([Type.String(), Type.Null()]),
  contact: Type.Record(Type.String(), Type.String()),
  procedureCount: Type.Integer(),
  demo: Type.Boolean(),
  url: Type.String(),
});

const LifeEventOut = Type.Object({
  slug: Type.String(),
  name: LocalizedText(120),
  description: LocalizedText(600),
  procedureCount: Type.Integer(),
  url: Type.String(),
});

/** Bodies are not taken from the wire as-is: `text/csv` and `application/json` only, 20 MB at most. */
const IMPORT_LIMIT = 20 * 1024 * 1024;

export async function catalogueApi(app: App, ctx: Ctx): Promise<void> {
  const principalOf = (req: FastifyRequest): Promise<Principal> => authenticateToken(ctx, req.headers.authorization);

  const summary = (h: catalogue.ProcedureSummary & { snippet?: string | null }, lang: Lang) => ({
    homoclave: h.homoclave,
    kind: h.kind,
    name: h.citizenName[lang] ?? h.citizenName.es,
    officialName: h.officialName[lang] ?? h.officialName.es,
    description: h.description[lang] ?? h.description.es,
    institution: { acronym: h.institutionAcronym, name: h.institutionName[lang] ?? h.institutionName.es },
    online: h.isOnline,
    free: h.isFree,
    audience: h.audience,
    lastReviewed: h.lastReviewed,
    ...(h.snippet !== undefined ? { snippet: h.snippet?.replace(/[\u0001\u0002]/g, "") ?? null } : {}),
    url: `${ctx.config.PUBLIC_URL}${paths(lang).procedure(h.homoclave)}`,
    apiUrl: `${ctx.config.PUBLIC_URL}/api/v1/procedures/${h.homoclave}`,
  });

  app.get(
    "/api/v1/procedures",
    {
      config: { rateLimit: { max: ctx.config.SEARCH_RATE_LIMIT, timeWindow: "1 minute" } },
      schema: {
        summary: "Search the catalogue",
        description:
          "Full-text search in Spanish and English that tolerates typos, missing accents and common synonyms, " +
          "with filters and page-based paging. Without `q`, lists procedures by popularity.",
        tags: ["catalogue"],
        querystring: SearchQuery,
        response: {
          200: Type.Object({
            data: Type.Array(ProcedureSummary),
            meta: Type.Object({
              query: Type.String(),
              suggestion: Type.Union([Type.String(), Type.Null()]),
              total: Type.Integer(),
              page: Type.Integer(),
              pageSize: Type.Integer(),
              pages: Type.Integer(),
            }),
            links: Type.Object({ self: Type.String(), next: Type.Union([Type.String(), Type.Null()]) }),
          }),
          400: ErrorBody,
          429: ErrorBody,
        },
      },
    },
    async (req) => {
      const query = req.query as Static<typeof SearchQuery>;
      const lang = (query.lang ?? "es") as Lang;
      const result = await catalogue.searchProcedures(ctx, {
        q: query.q,
        institutions: query.institution,
        lifeEvents: query.lifeEvent,
        kind: query.kind,
        audience: query.audience,
        online: query.online === undefined ? undefined : query.online === "true",
        free: query.free === undefined ? undefined : query.free === "true",
        sort: query.sort,
        page: query.page,
        pageSize: query.pageSize,
        lang,
      });
      const self = new URL(req.url, ctx.config.PUBLIC_URL);
      const next = result.page < result.pages ? new URL(self) : null;
      next?.searchParams.set("page", String(result.page + 1));
      return {
        data: result.hits.map((h) => summary(h, lang)),
        meta: {
          query: result.query,
          suggestion: result.suggestion,
          total: result.total,
          page: result.page,
          pageSize: result.pageSize,
          pages: result.pages,
        },
        links: { self: self.toString(), next: next?.toString() ?? null },
      };
    },
  );

  app.get(
    "/api/v1/suggest",
    {
      config: { rateLimit: { max: ctx.config.SEARCH_RATE_LIMIT * 4, timeWindow: "1 minute" } },
      schema: {
        summary: "Suggestions while typing",
        tags: ["catalogue"],
        querystring: Type.Object(
          { q: Type.String({ maxLength: MAX_QUERY_LENGTH }), lang: Type.Optional(Lang) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            suggestions: Type.Array(Type.Object({ homoclave: Type.String(), name: Type.String() })),
          }),
          400: ErrorBody,
        },
      },
    },
    async (req) => {
      const { q, lang } = req.query as { q: string; lang?: Lang };
      return { suggestions: await catalogue.suggestProcedures(ctx, q, lang ?? "es") };
    },
  );

  app.get(
    "/api/v1/procedures/:homoclave",
    {
      schema: {
        summary: "One procedure, every field",
        tags: ["catalogue"],
        params: Type.Object({ homoclave: Type.String({ maxLength: 40 }) }),
        response: {
          200: Type.Object({
            data: Type.Composite([
              ProcedureInput,
              Type.Object({ updatedAt: Type.String(), url: Type.String(), urlEn: Type.String() }),
            ]),
          }),
          404: ErrorBody,
        },
      },
    },
    async (req) => {
      const { homoclave } = req.params as { homoclave: string };
      const p = await catalogue.getPublishedProcedure(ctx, homoclave);
      const { popularity: _p, demo: _d, ...record } = p.record;
      return {
        data: {
          ...record,
          ...(p.record.demo ? { demo: true } : {}),
          updatedAt: p.updatedAt,
          url: `${ctx.config.PUBLIC_URL}${paths("es").procedure(p.homoclave)}`,
          urlEn: `${ctx.config.PUBLIC_URL}${paths("en").procedure(p.homoclave)}`,
        },
      };
    },
  );

  const institutionOut = (i: catalogue.InstitutionRow) => ({
    acronym: i.acronym,
    name: i.name,
    kind: i.kind,
    sector: i.sector,
    ramo: i.ramo,
    jurisdiction: { level: i.jurisdictionLevel, stateCode: i.stateCode, municipalityCode: i.municipalityCode },
    website: i.website,
    contact: i.contact as Record<string, string>,
    procedureCount: i.procedureCount,
    demo: i.demo,
    url: `${ctx.config.PUBLIC_URL}${paths("es").institution(i.acronym)}`,
  });

  app.get(
    "/api/v1/institutions",
    {
      schema: {
        summary: "Every institution",
        tags: ["catalogue"],
        response: { 200: Type.Object({ data: Type.Array(InstitutionOut) }) },
      },
    },
    async () => ({ data: (await catalogue.listInstitutions(ctx)).map(institutionOut) }),
  );

  app.get(
    "/api/v1/institutions/:acronym",
    {
      schema: {
        summary: "One institution",
        tags: ["catalogue"],
        params: Type.Object({ acronym: Type.String({ maxLength: 40 }) }),
        response: { 200: Type.Object({ data: InstitutionOut }), 404: ErrorBody },
      },
    },
    async (req) => ({
      data: institutionOut(await catalogue.getInstitution(ctx, (req.params as { acronym: string }).acronym)),
    }),
  );

  app.get(
    "/api/v1/life-events",
    {
      schema: {
        summary: "Life events that group procedures",
        tags: ["catalogue"],
        response: { 200: Type.Object({ data: Type.Array(LifeEventOut) }) },
      },
    },
    async () => ({
      data: (await catalogue.listLifeEvents(ctx)).map((e) => ({
        slug: e.slug,
        name: e.name,
        description: e.description,
        procedureCount: e.procedureCount,
        url: `${ctx.config.PUBLIC_URL}${paths("es").lifeEvent(e.slug)}`,
      })),
    }),
  );

  // ------------------------------------------------------------ import (authenticated)

  app.addContentTypeParser(
    ["text/csv", "application/csv"],
    { parseAs: "buffer", bodyLimit: IMPORT_LIMIT },
    (_req, body, done) => done(null, body),
  );

  app.post(
    "/api/v1/imports",
    {
      bodyLimit: IMPORT_LIMIT,
      schema: {
        summary: "Import institutions, life events and procedures",
        description:
          "Body: a `ventanilla-catalogue/1` JSON document (application/json) or a CSV file (text/csv), " +
          "as described in docs/IMPORT.md. Every record is validated; when any is invalid nothing is written " +
          "(422), unless `partial=true`, which writes the valid ones and lists the rest. Upserts by key, so " +
          "importing the same file twice changes nothing.",
        tags: ["catalogue"],
        security: [{ bearerAuth: [] }],
        querystring: Type.Object({ partial: Type.Optional(Bool) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ report: Type.Unknown() }),
          401: ErrorBody,
          403: ErrorBody,
          413: ErrorBody,
          415: ErrorBody,
          422: Type.Object({ report: Type.Unknown() }),
        },
      },
    },
    async (req, reply) => {
      const principal = await principalOf(req);
      const partial = (req.query as { partial?: string }).partial === "true";
      const input = Buffer.isBuffer(req.body)
        ? { procedures: recordsFromCsv(req.body) }
        : catalogue.recordsFromJson(req.body);
      authorizeImport(principal, input);
      const report = await catalogue.importCatalogue(ctx, { ...input, partial });
      return reply.code(report.written ? 200 : 422).send({ report });
    },
  );

  // ------------------------------------------------------------ synonyms (authenticated)

  app.get(
    "/api/v1/synonyms",
    {
      schema: {
        summary: "The synonym list that search uses",
        tags: ["search"],
        response: {
          200: Type.Object({ data: Type.Array(Type.Object({ id: Type.Integer(), terms: Type.Array(Type.String()) })) }),
        },
      },
    },
    async () => ({ data: await catalogue.listSynonyms(ctx) }),
  );

  app.post(
    "/api/v1/synonyms",
    {
      schema: {
        summary: "Add a group of equivalent terms",
        tags: ["search"],
        security: [{ bearerAuth: [] }],
        body: Type.Object(
          { terms: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 2, maxItems: 20 }) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.Integer() }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (req, reply) => {
      const principal = await principalOf(req);
      if (!canEditSynonyms(principal)) throw forbidden();
      const id = await catalogue.addSynonyms(ctx, (req.body as { terms: string[] }).terms);
      return reply.code(201).send({ id });
    },
  );

  app.delete(
    "/api/v1/synonyms/:id",
    {
      schema: {
        summary: "Remove a group of terms",
        tags: ["search"],
        security: [{ bearerAuth: [] }],
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) }),
        response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (req, reply) => {
      const principal = await principalOf(req);
      if (!canEditSynonyms(principal)) throw forbidden();
      await catalogue.removeSynonyms(ctx, (req.params as { id: number }).id);
      return reply.code(204).send(null);
    },
  );

  // ------------------------------------------------------------ standard exports

  app.get(
    "/catalogue.jsonld",
    { schema: { summary: "The catalogue as CPSV-AP 3.2 JSON-LD", tags: ["exports"] } },
    async (_req, reply) => {
      reply.type("application/ld+json; charset=utf-8");
      return JSON.stringify(catalogueToJsonLd(await catalogue.catalogueSnapshot(ctx)));
    },
  );
  app.get(
    "/catalogue.ttl",
    { schema: { summary: "The catalogue as CPSV-AP 3.2 Turtle", tags: ["exports"] } },
    async (_req, reply) => {
      reply.type("text/turtle; charset=utf-8");
      return catalogueToTurtle(await catalogue.catalogueSnapshot(ctx));
    },
  );
}

function forbidden() {
  return new DomainError("forbidden", {
    es: "Tu token no tiene permiso para esta acción.",
    en: "Your token is not allowed to do this.",
  });
}

/** Every record of an import must be within what the token may write; otherwise nothing is imported. */
function authorizeImport(principal: Principal, input: catalogue.ImportInput): void {
  const field = (v: unknown, key: string) =>
    typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  for (const r of input.procedures ?? []) {
    const inst = field(r.value, "institution");
    if (typeof inst === "string" && !canWriteProcedure(principal, inst)) throw forbiddenFor(inst);
    if (typeof inst !== "string" && !canWriteProcedure(principal, "")) throw forbidden();
  }
  for (const r of input.institutions ?? []) {
    const acronym = field(r.value, "acronym");
    if (!canWriteInstitution(principal, typeof acronym === "string" ? acronym : "")) throw forbidden();
  }
  if ((input.lifeEvents ?? []).length && !canWriteLifeEvents(principal)) throw forbidden();
  if (!principal.scopes.includes("catalogue:write")) throw forbidden();
}

function forbiddenFor(institution: string) {
  return new DomainError("forbidden", {
    es: `Tu token no puede escribir trámites de ${institution}.`,
    en: `Your token may not write procedures of ${institution}.`,
  });
}
