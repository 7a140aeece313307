/**
 * Assembles the web application: the platform's server with every domain's routes.
 * Used by main.ts and by the tests, so both run the same thing.
 */
import etag from "@fastify/etag";
import { accountBackOffice } from "./domains/accounts/backoffice.js";
import { sessionSupport } from "./domains/accounts/http.js";
import { oidcRoutes } from "./domains/accounts/oidc-pages.js";
import { accountPages } from "./domains/accounts/pages.js";
import { catalogueApi } from "./domains/catalogue/api.js";
import { casesApi } from "./domains/cases/api.js";
import { caseBackOffice } from "./domains/cases/backoffice.js";
import { casePages } from "./domains/cases/pages.js";
import { backOfficePages } from "./domains/catalogue/backoffice.js";
import { formsApi } from "./domains/forms/api.js";
import { formBuilder } from "./domains/forms/backoffice.js";
import { cataloguePages, renderErrorPage } from "./domains/catalogue/pages.js";
import type { Ctx } from "./platform/context.js";
import { apiReference } from "./platform/http/api-docs.js";
import { buildServer, type App } from "./platform/http/server.js";
import { ensureAssets } from "./platform/views/assets.js";

export async function createApp(ctx: Ctx): Promise<App> {
  await ensureAssets();
  const app = await buildServer({ config: ctx.config, db: ctx.db, log: ctx.log, renderErrorPage });
  await app.register(etag, { weak: true });
  sessionSupport(app, ctx);
  await app.register(async (scope) => {
    await accountPages(scope as unknown as App, ctx);
    await accountBackOffice(scope as unknown as App, ctx);
    await scope.register(async (office) => backOfficePages(office as unknown as App, ctx));
    await scope.register(async (office) => formBuilder(office as unknown as App, ctx));
    await scope.register(async (office) => caseBackOffice(office as unknown as App, ctx));
    await scope.register(async (apply) => casePages(apply as unknown as App, ctx));
    await catalogueApi(scope as unknown as App, ctx);
    await formsApi(scope as unknown as App, ctx);
    await casesApi(scope as unknown as App, ctx);
    await cataloguePages(scope as unknown as App, ctx);
    await apiReference(scope as unknown as App);
  });
  await oidcRoutes(app, ctx);
  await app.ready();
  return app;
}
