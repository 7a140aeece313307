/** HTML routes of the catalogue, in Spanish and English. GET renders; there is nothing to post yet. */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Ctx } from "../../platform/context.js";
import { DomainError } from "../../platform/errors.js";
import { otherLanguageUrl } from "../../platform/views/alternate.js";
import type { App } from "../../platform/http/server.js";
import type { Lang } from "../../platform/views/i18n.js";
import { renderPage } from "../../platform/views/render.js";
import * as catalogue from "./catalogue.js";
import { paths } from "./paths.js";
import { toGovernmentService } from "./schema-org.js";
import { AUDIENCES, PROCEDURE_KINDS } from "./schema.js";
import { MAX_QUERY_LENGTH } from "./search.js";
import {
  ErrorPage,
  HomePage,
  InstitutionPage,
  InstitutionsPage,
  LifeEventPage,
  LifeEventsPage,
} from "./views/browse.js";
import { ProcedurePage } from "./views/procedure.js";
import { SearchPage, type SearchPageState } from "./views/search.js";

type Query = Record<string, string | string[] | undefined>;
const all = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function invalid(es: string, en: string, field: string): DomainError {
  return new DomainError("invalid", { es, en }, [{ field, message: en }]);
}

/** Reads the search page's query string. Unknown parameters (tracking tags and the like) are ignored. */
export function parseSearchState(query: Query): { state: SearchPageState; page: number } {
  const q = (one(query.q) ?? "").trim();
  if (q.length > MAX_QUERY_LENGTH) {
    throw invalid(
      `La búsqueda es demasiado larga: escribe como máximo ${MAX_QUERY_LENGTH} caracteres.`,
      `The search is too long: use at most ${MAX_QUERY_LENGTH} characters.`,
      "q",
    );
  }
  const pageText = one(query.page) ?? "1";
  const page = /^\d{1,4}$/.test(pageText) ? Number(pageText) : NaN;
  if (!(page >= 1 && page <= catalogue.MAX_PAGE)) {
    throw invalid(
      `La página debe ser un número del 1 al ${catalogue.MAX_PAGE}.`,
      `The page must be a number from 1 to ${catalogue.MAX_PAGE}.`,
      "page",
    );
  }
  const institutions = all(query.institution).filter(Boolean);
  const lifeEvents = all(query.lifeEvent).filter(Boolean);
  if (institutions.length > 50 || institutions.some((i) => !/^[A-Z0-9][A-Z0-9&-]{1,19}$/.test(i))) {
    throw invalid("El filtro de institución no es válido.", "The institution filter is not valid.", "institution");
  }
  if (lifeEvents.length > 30 || lifeEvents.some((e) => !/^[a-z0-9-]{2,80}$/.test(e))) {
    throw invalid("El filtro de momento de vida no es válido.", "The life event filter is not valid.", "lifeEvent");
  }
  const choice = (name: string, allowed: readonly string[]) => {
    const v = one(query[name]);
    if (v === undefined || v === "") return undefined;
    if (!allowed.includes(v))
      throw invalid(`El filtro «${name}» no es válido.`, `The "${name}" filter is not valid.`, name);
    return v;
  };
  return {
    state: {
      q,
      institutions,
      lifeEvents,
      kind: choice("kind", PROCEDURE_KINDS),
      audience: choice("audience", AUDIENCES),
      online: choice("online", ["true", "false"]),
      free: choice("free", ["true", "false"]),
      sort: choice("sort", ["relevance", "name", "updated"]),
    },
    page,
  };
}

export function renderErrorPage(req: FastifyRequest, status: number, message: string, lang: Lang): string {
  return renderPage(
    <ErrorPage lang={lang} status={status} message={message} alternateHref={otherLanguageUrl(req.url, lang)} />,
  );
}

/**
 * Where to start a procedure online on this platform, when another domain offers it (the cases
 * domain registers its forms here, so the catalogue does not depend on it).
 */
type OnlineApplication = (homoclave: string, lang: Lang) => Promise<string | null>;
let onlineApplication: OnlineApplication | undefined;
export function registerOnlineApplication(fn: OnlineApplication): void {
  onlineApplication = fn;
}

export async function cataloguePages(app: App, ctx: Ctx): Promise<void> {
  const html = (reply: FastifyReply, body: string, maxAge = 60) =>
    reply.type("text/html; charset=utf-8").header("cache-control", `public, max-age=${maxAge}`).send(body);

  for (const lang of ["es", "en"] as const) {
    const p = paths(lang);
    const alt = (req: FastifyRequest) => otherLanguageUrl(req.url, lang);

    app.get(p.home, { schema: { hide: true } }, async (req, reply) => {
      const [lifeEvents, mostUsed, total] = await Promise.all([
        catalogue.listLifeEvents(ctx),
        catalogue.mostUsedProcedures(ctx, 8),
        catalogue.countProcedures(ctx),
      ]);
      return html(
        reply,
        renderPage(
          <HomePage lang={lang} lifeEvents={lifeEvents} mostUsed={mostUsed} total={total} alternateHref={alt(req)} />,
        ),
      );
    });

    app.get(
      p.search,
      { schema: { hide: true }, config: { rateLimit: { max: ctx.config.SEARCH_RATE_LIMIT, timeWindow: "1 minute" } } },
      async (req, reply) => {
        const { state, page } = parseSearchState(req.query as Query);
        const [result, institutions, lifeEvents] = await Promise.all([
          catalogue.searchProcedures(ctx, {
            q: state.q,
            institutions: state.institutions,
            lifeEvents: state.lifeEvents,
            kind: state.kind as "tramite" | "servicio" | undefined,
            audience: state.audience as "persona_fisica" | "persona_moral" | undefined,
            online: state.online === undefined ? undefined : state.online === "true",
            free: state.free === undefined ? undefined : state.free === "true",
            sort: state.sort as "relevance" | "name" | "updated" | undefined,
            page,
            lang,
            withFacets: true,
          }),
          catalogue.listInstitutions(ctx),
          catalogue.listLifeEvents(ctx),
        ]);
        return html(
          reply,
          renderPage(
            <SearchPage
              lang={lang}
              state={state}
              result={result}
              institutions={institutions}
              lifeEvents={lifeEvents}
              alternateHref={alt(req)}
            />,
          ),
        );
      },
    );

    app.get(`${p.procedure(":homoclave")}`, { schema: { hide: true } }, async (req, reply) => {
      const { homoclave } = req.params as { homoclave: string };
      const procedure = await catalogue.getPublishedProcedure(ctx, homoclave);
      if (homoclave !== procedure.homoclave) return reply.redirect(p.procedure(procedure.homoclave), 301);
      const [lifeEvents, institution, startHref] = await Promise.all([
        catalogue.listLifeEvents(ctx),
        catalogue.getInstitution(ctx, procedure.institutionAcronym),
        onlineApplication ? onlineApplication(procedure.homoclave, lang) : null,
      ]);
      const jsonLd = toGovernmentService(
        procedure.record,
        catalogue.toInstitutionInput(institution),
        ctx.config.PUBLIC_URL,
        lang,
      );
      return html(
        reply,
        renderPage(
          <ProcedurePage
            lang={lang}
            procedure={procedure}
            lifeEvents={lifeEvents}
            startHref={startHref}
            jsonLd={jsonLd}
            alternateHref={alt(req)}
            canonical={`${ctx.config.PUBLIC_URL}${p.procedure(procedure.homoclave)}`}
          />,
        ),
        300,
      );
    });

    app.get(p.institutions, { schema: { hide: true } }, async (req, reply) => {
      const institutions = await catalogue.listInstitutions(ctx);
      return html(
        reply,
        renderPage(<InstitutionsPage lang={lang} institutions={institutions} alternateHref={alt(req)} />),
        300,
      );
    });

    app.get(p.institution(":acronym"), { schema: { hide: true } }, async (req, reply) => {
      const { acronym } = req.params as { acronym: string };
      const institution = await catalogue.getInstitution(ctx, acronym);
      if (acronym !== institution.acronym) return reply.redirect(p.institution(institution.acronym), 301);
      const procedures = await catalogue.proceduresOfInstitution(ctx, institution.acronym);
      return html(
        reply,
        renderPage(
          <InstitutionPage lang={lang} institution={institution} procedures={procedures} alternateHref={alt(req)} />,
        ),
        300,
      );
    });

    app.get(p.lifeEvents, { schema: { hide: true } }, async (req, reply) => {
      const lifeEvents = await catalogue.listLifeEvents(ctx);
      return html(
        reply,
        renderPage(<LifeEventsPage lang={lang} lifeEvents={lifeEvents} alternateHref={alt(req)} />),
        300,
      );
    });

    app.get(p.lifeEvent(":slug"), { schema: { hide: true } }, async (req, reply) => {
      const { slug } = req.params as { slug: string };
      const lifeEvent = await catalogue.getLifeEvent(ctx, slug);
      const procedures = await catalogue.proceduresOfLifeEvent(ctx, slug);
      return html(
        reply,
        renderPage(
          <LifeEventPage lang={lang} lifeEvent={lifeEvent} procedures={procedures} alternateHref={alt(req)} />,
        ),
        300,
      );
    });
  }

  app.get("/sitemap.xml", { schema: { hide: true } }, async (_req, reply) => {
    const base = ctx.config.PUBLIC_URL;
    const entries = await catalogue.sitemapEntries(ctx);
    const [institutions, lifeEvents] = await Promise.all([
      catalogue.listInstitutions(ctx),
      catalogue.listLifeEvents(ctx),
    ]);
    const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
    const url = (es: string, en: string, lastmod?: string) =>
      `<url><loc>${esc(base + es)}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ""}` +
      `<xhtml:link rel="alternate" hreflang="es" href="${esc(base + es)}"/>` +
      `<xhtml:link rel="alternate" hreflang="en" href="${esc(base + en)}"/></url>`;
    const es = paths("es");
    const en = paths("en");
    const body = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
      url(es.home, en.home),
      url(es.lifeEvents, en.lifeEvents),
      url(es.institutions, en.institutions),
      ...lifeEvents.map((e) => url(es.lifeEvent(e.slug), en.lifeEvent(e.slug))),
      ...institutions.map((i) => url(es.institution(i.acronym), en.institution(i.acronym))),
      ...entries.map((e) => url(es.procedure(e.homoclave), en.procedure(e.homoclave), e.updatedAt)),
      "</urlset>",
    ].join("\n");
    return reply.type("application/xml; charset=utf-8").header("cache-control", "public, max-age=3600").send(body);
  });
}
