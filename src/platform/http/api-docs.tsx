/**
 * /api/docs: a readable reference of the API, rendered on the server from the same
 * OpenAPI document served at /api/openapi.json (no script needed, CSP-clean).
 */
import type { App } from "./server.js";
import { renderPage } from "../views/render.js";
import { assetUrl } from "../views/assets.js";
import { ScrollRegion } from "../views/components.js";

interface Operation {
  summary?: string;
  description?: string;
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
    schema?: { type?: string; maxLength?: number; enum?: unknown[] };
    description?: string;
  }[];
  security?: unknown[];
  responses?: Record<string, { description?: string }>;
}

function schemaType(s: Record<string, unknown> | undefined): string {
  if (!s) return "";
  if (Array.isArray(s.anyOf))
    return (s.anyOf as Record<string, unknown>[])
      .map((x) => (x.const !== undefined ? JSON.stringify(x.const) : schemaType(x)))
      .join(" | ");
  if (s.type === "array") return `${schemaType(s.items as Record<string, unknown>)}[]`;
  return String(s.type ?? "");
}

export async function apiReference(app: App): Promise<void> {
  app.get("/api", { schema: { hide: true } }, async (_req, reply) => reply.redirect("/api/docs"));
  app.get("/api/docs", { schema: { hide: true } }, async (_req, reply) => {
    const doc = app.swagger() as {
      info: { title: string; description?: string };
      paths: Record<string, Record<string, Operation>>;
    };
    const page = (
      <html lang="en" class="govuk-template">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{doc.info.title} – reference</title>
          <link rel="stylesheet" href={assetUrl("app.css")} />
        </head>
        <body class="govuk-template__body">
          <div class="govuk-width-container">
            <main class="govuk-main-wrapper" id="main-content">
              <h1 class="govuk-heading-xl">{doc.info.title}</h1>
              <p class="govuk-body-l">{doc.info.description}</p>
              <p class="govuk-body">
                Machine-readable document:{" "}
                <a class="govuk-link" href="/api/openapi.json">
                  /api/openapi.json
                </a>{" "}
                (OpenAPI 3.1). Responses carry ETags; send <code>If-None-Match</code> to get{" "}
                <code>304 Not Modified</code>.
              </p>
              {Object.entries(doc.paths).flatMap(([path, ops]) =>
                Object.entries(ops).map(([method, op]) => (
                  <section class="govuk-!-margin-bottom-8">
                    <h2 class="govuk-heading-m">
                      <strong class="govuk-tag">{method.toUpperCase()}</strong> <code class="vt-code">{path}</code>
                    </h2>
                    {op.summary ? <p class="govuk-body govuk-!-font-weight-bold">{op.summary}</p> : null}
                    {op.description ? <p class="govuk-body">{op.description}</p> : null}
                    {op.security ? <p class="govuk-body-s">Needs an API token (Authorization: Bearer …).</p> : null}
                    {op.parameters?.length ? (
                      <ScrollRegion label={`Parameters of ${method.toUpperCase()} ${path}`}>
                        <table class="govuk-table">
                          <caption class="govuk-table__caption govuk-table__caption--s">Parameters</caption>
                          <thead class="govuk-table__head">
                            <tr class="govuk-table__row">
                              <th scope="col" class="govuk-table__header">
                                Name
                              </th>
                              <th scope="col" class="govuk-table__header">
                                In
                              </th>
                              <th scope="col" class="govuk-table__header">
                                Type
                              </th>
                              <th scope="col" class="govuk-table__header">
                                Description
                              </th>
                            </tr>
                          </thead>
                          <tbody class="govuk-table__body">
                            {op.parameters.map((prm) => (
                              <tr class="govuk-table__row">
                                <td class="govuk-table__cell">
                                  <code>{prm.name}</code>
                                  {prm.required ? " (required)" : ""}
                                </td>
                                <td class="govuk-table__cell">{prm.in}</td>
                                <td class="govuk-table__cell">{schemaType(prm.schema as Record<string, unknown>)}</td>
                                <td class="govuk-table__cell">
                                  {prm.description ??
                                    (prm.schema as { description?: string } | undefined)?.description ??
                                    ""}
                                </td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      </ScrollRegion>
                    ) : null}
                    <p class="govuk-body-s">Responses: {Object.keys(op.responses ?? {}).join(", ")}</p>
                  </section>
                )),
              )}
            </main>
          </div>
        </body>
      </html>
    );
    return reply.type("text/html; charset=utf-8").send(renderPage(page));
  });
}
