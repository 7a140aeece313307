/**
 * The page template: GOV.UK Frontend's structure (skip link, header, service
 * navigation, main, footer) with the platform's brand. No inline script: the CSP forbids it.
 */
import type { ComponentChildren } from "preact";
import { assetUrl } from "./assets.js";
import { translator, type Lang } from "./i18n.js";
import { jsonForScript } from "./render.js";

export interface NavItem {
  href: string;
  label: string;
  current?: boolean;
}

export interface LayoutProps {
  lang: Lang;
  title: string;
  description?: string;
  /** The same page in the other language. */
  alternate: { lang: Lang; href: string };
  canonical?: string;
  nav: NavItem[];
  homeHref: string;
  breadcrumbs?: { href: string; label: string }[];
  jsonLd?: unknown;
  children: ComponentChildren;
}

export function Layout(p: LayoutProps) {
  const t = translator(p.lang);
  const other = p.alternate.lang === "en" ? "English" : "Español";
  return (
    <html lang={p.lang} class="govuk-template govuk-template--rebranded">
      <head>
        <meta charset="utf-8" />
        <title>{`${p.title} – Ventanilla`}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#621132" />
        {p.description ? <meta name="description" content={p.description} /> : null}
        <link rel="stylesheet" href={assetUrl("app.css")} />
        <link rel="alternate" hreflang={p.alternate.lang} href={p.alternate.href} />
        {p.canonical ? <link rel="canonical" href={p.canonical} /> : null}
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        {p.jsonLd ? (
          <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonForScript(p.jsonLd) }} />
        ) : null}
      </head>
      <body class="govuk-template__body">
        <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">
          {t("Saltar al contenido principal", "Skip to main content")}
        </a>
        <header class="vt-header" role="banner">
          <div class="govuk-width-container vt-header__container">
            <a href={p.homeHref} class="vt-header__brand">
              Ventanilla
              <span class="vt-header__tagline">{t("Gobierno de México", "Government of Mexico")}</span>
            </a>
            <span class="vt-header__links">
              <a href={p.lang === "en" ? "/en/account" : "/cuenta"} class="govuk-link">
                {t("Mi cuenta", "My account")}
              </a>
              <a href={p.alternate.href} hreflang={p.alternate.lang} lang={p.alternate.lang} class="govuk-link">
                {other}
              </a>
            </span>
          </div>
        </header>
        <section
          aria-label={t("Menú del sitio", "Site menu")}
          class="govuk-service-navigation"
          data-module="govuk-service-navigation"
        >
          <div class="govuk-width-container">
            <div class="govuk-service-navigation__container">
              <nav aria-label={t("Menú", "Menu")} class="govuk-service-navigation__wrapper">
                <ul class="govuk-service-navigation__list" id="navigation">
                  {p.nav.map((item) => (
                    <li
                      class={`govuk-service-navigation__item${item.current ? " govuk-service-navigation__item--active" : ""}`}
                    >
                      <a
                        class="govuk-service-navigation__link"
                        href={item.href}
                        aria-current={item.current ? "page" : undefined}
                      >
                        {item.current ? (
                          <strong class="govuk-service-navigation__active-fallback">{item.label}</strong>
                        ) : (
                          item.label
                        )}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            </div>
          </div>
        </section>
        <div class="govuk-width-container">
          {p.breadcrumbs?.length ? (
            <nav class="govuk-breadcrumbs vt-noprint" aria-label={t("Ruta de navegación", "Breadcrumb")}>
              <ol class="govuk-breadcrumbs__list">
                {p.breadcrumbs.map((b) => (
                  <li class="govuk-breadcrumbs__list-item">
                    <a class="govuk-breadcrumbs__link" href={b.href}>
                      {b.label}
                    </a>
                  </li>
                ))}
              </ol>
            </nav>
          ) : null}
          <main class="govuk-main-wrapper" id="main-content">
            {p.children}
          </main>
        </div>
        <footer class="govuk-footer">
          <div class="govuk-width-container">
            <div class="govuk-footer__meta">
              <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
                <h2 class="govuk-visually-hidden">{t("Enlaces de apoyo", "Support links")}</h2>
                <ul class="govuk-footer__inline-list">
                  <li class="govuk-footer__inline-list-item">
                    <a class="govuk-footer__link" href="/api/docs">
                      {t("API y datos abiertos", "API and open data")}
                    </a>
                  </li>
                  <li class="govuk-footer__inline-list-item">
                    <a class="govuk-footer__link" href="/catalogue.ttl">
                      CPSV-AP (Turtle)
                    </a>
                  </li>
                  <li class="govuk-footer__inline-list-item">
                    <a class="govuk-footer__link" href="/sitemap.xml">
                      {t("Mapa del sitio", "Sitemap")}
                    </a>
                  </li>
                </ul>
                <p class="govuk-body-s">
                  {t(
                    "Ventanilla es software libre. El contenido de demostración está marcado como tal y no sustituye a la ficha oficial.",
                    "Ventanilla is open-source software. Demo content is marked as such and does not replace the official record.",
                  )}
                </p>
              </div>
            </div>
          </div>
        </footer>
        <script type="module" src={assetUrl("app.js")} />
      </body>
    </html>
  );
}
