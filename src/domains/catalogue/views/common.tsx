/** Pieces shared by the catalogue's pages. */
import type { ComponentChildren } from "preact";
import { isFallback, pick, translator, type Lang } from "../../../platform/views/i18n.js";
import { Layout, type NavItem } from "../../../platform/views/layout.js";
import type { ProcedureSummary } from "../catalogue.js";
import { paths } from "../paths.js";

export type Section = "home" | "search" | "institutions" | "lifeEvents" | "api";

export interface PageShellProps {
  lang: Lang;
  title: string;
  description?: string;
  section?: Section;
  /** The same page in the other language. */
  alternateHref: string;
  canonical?: string;
  breadcrumbs?: { href: string; label: string }[];
  jsonLd?: unknown;
  children: ComponentChildren;
}

export function navigation(lang: Lang, section?: Section): NavItem[] {
  const t = translator(lang);
  const p = paths(lang);
  return [
    { href: p.home, label: t("Inicio", "Home"), current: section === "home" },
    { href: p.search, label: t("Trámites y servicios", "Procedures and services"), current: section === "search" },
    { href: p.lifeEvents, label: t("Momentos de vida", "Life events"), current: section === "lifeEvents" },
    { href: p.institutions, label: t("Instituciones", "Institutions"), current: section === "institutions" },
  ];
}

export function PageShell(p: PageShellProps) {
  return (
    <Layout
      lang={p.lang}
      title={p.title}
      description={p.description}
      alternate={{ lang: p.lang === "es" ? "en" : "es", href: p.alternateHref }}
      canonical={p.canonical}
      nav={navigation(p.lang, p.section)}
      homeHref={paths(p.lang).home}
      breadcrumbs={p.breadcrumbs}
      jsonLd={p.jsonLd}
    >
      {p.children}
    </Layout>
  );
}

/** A multilingual field, marked with its own language when it falls back to Spanish. */
export function Text(props: { value: { es: string; [k: string]: string } | undefined; lang: Lang }) {
  const text = pick(props.value, props.lang);
  return isFallback(props.value, props.lang) ? <span lang="es">{text}</span> : <>{text}</>;
}

export function SearchForm(props: { lang: Lang; value?: string; large?: boolean; hidden?: Record<string, string[]> }) {
  const t = translator(props.lang);
  return (
    <form action={paths(props.lang).search} method="get" role="search" class="vt-search">
      <div class="govuk-form-group">
        <label class={`govuk-label${props.large ? " govuk-label--m" : ""}`} for="q">
          {t("¿Qué trámite necesitas?", "Which procedure do you need?")}
        </label>
        <div class="govuk-hint" id="q-hint">
          {t(
            "Escríbelo con tus palabras, por ejemplo: sacar pasaporte, INE, acta de nacimiento",
            "Use your own words, for example: passport, voter ID, birth certificate",
          )}
        </div>
        <input
          class="govuk-input"
          id="q"
          name="q"
          type="search"
          value={props.value ?? ""}
          maxLength={200}
          autocomplete="off"
          spellcheck={false}
          aria-describedby="q-hint"
          list="q-suggestions"
          data-suggest="/api/v1/suggest"
        />
        <datalist id="q-suggestions" />
      </div>
      {Object.entries(props.hidden ?? {}).flatMap(([name, values]) =>
        values.map((v) => <input type="hidden" name={name} value={v} />),
      )}
      <button type="submit" class="govuk-button" data-module="govuk-button">
        {t("Buscar", "Search")}
      </button>
    </form>
  );
}

export function ProcedureTags(props: { p: Pick<ProcedureSummary, "kind" | "isOnline" | "isFree">; lang: Lang }) {
  const t = translator(props.lang);
  return (
    <p class="vt-tags govuk-body-s">
      <strong class="govuk-tag govuk-tag--grey">
        {props.p.kind === "tramite" ? t("Trámite", "Procedure") : t("Servicio", "Service")}
      </strong>
      {props.p.isOnline ? <strong class="govuk-tag govuk-tag--green">{t("En línea", "Online")}</strong> : null}
      {props.p.isFree ? <strong class="govuk-tag govuk-tag--blue">{t("Gratuito", "Free")}</strong> : null}
    </p>
  );
}

/** A plain list of procedures (home, institution and life-event pages). */
export function ProcedureList(props: { items: ProcedureSummary[]; lang: Lang; headingLevel?: 2 | 3 }) {
  const p = paths(props.lang);
  const H = props.headingLevel === 2 ? "h2" : "h3";
  return (
    <ul class="govuk-list">
      {props.items.map((item) => (
        <li class="vt-result">
          <H class="govuk-heading-s govuk-!-margin-bottom-1">
            <a class="govuk-link" href={p.procedure(item.homoclave)}>
              <Text value={item.citizenName} lang={props.lang} />
            </a>
          </H>
          <p class="govuk-body-s govuk-!-margin-bottom-1">
            <Text value={item.institutionName} lang={props.lang} /> ·{" "}
            <span class="govuk-!-font-weight-bold">{item.homoclave}</span>
          </p>
          <ProcedureTags p={item} lang={props.lang} />
        </li>
      ))}
    </ul>
  );
}
