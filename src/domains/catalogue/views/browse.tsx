/** Home, institutions and life events: the ways to browse the catalogue. */
import { formatNumber, pick, translator, type Lang } from "../../../platform/views/i18n.js";
import type { InstitutionRow, LifeEventRow, ProcedureSummary } from "../catalogue.js";
import { ScrollRegion } from "../../../platform/views/components.js";
import { paths } from "../paths.js";
import { PageShell, ProcedureList, SearchForm, Text } from "./common.js";

const KIND_LABELS: Record<string, [string, string]> = {
  ministry: ["Secretaría de Estado", "Ministry"],
  deconcentrated_body: ["Órgano desconcentrado", "Deconcentrated body"],
  decentralised_body: ["Organismo descentralizado", "Decentralised body"],
  state_enterprise: ["Empresa pública del Estado", "State enterprise"],
  autonomous_body: ["Órgano constitucional autónomo", "Autonomous body"],
  state_government: ["Gobierno estatal", "State government"],
  municipal_government: ["Gobierno municipal", "Municipal government"],
};

/** Life events as cards linking to their pages. */
function LifeEventCards(props: { lifeEvents: LifeEventRow[]; lang: Lang; headingLevel: 2 | 3; showCount?: boolean }) {
  const H = props.headingLevel === 2 ? "h2" : "h3";
  const p = paths(props.lang);
  return (
    <ul class="vt-grid-list">
      {props.lifeEvents.map((e) => (
        <li>
          <div class="vt-card">
            <H class="govuk-heading-s govuk-!-margin-bottom-1">
              <a class="govuk-link" href={p.lifeEvent(e.slug)}>
                <Text value={e.name} lang={props.lang} />
              </a>
            </H>
            <p class="govuk-body-s">
              <Text value={e.description} lang={props.lang} />
              {props.showCount ? ` (${formatNumber(e.procedureCount, props.lang)})` : null}
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}

export function HomePage(props: {
  lang: Lang;
  lifeEvents: LifeEventRow[];
  mostUsed: ProcedureSummary[];
  total: number;
  alternateHref: string;
}) {
  const { lang } = props;
  const t = translator(lang);
  const p = paths(lang);
  return (
    <PageShell
      lang={lang}
      title={t("Trámites y servicios del Gobierno de México", "Government of Mexico procedures and services")}
      section="home"
      alternateHref={props.alternateHref}
    >
      <h1 class="govuk-heading-xl">
        {t(
          "Todos los trámites y servicios del gobierno, en un solo lugar",
          "Every government procedure and service, in one place",
        )}
      </h1>
      <p class="govuk-body-l">
        {t(
          `Encuentra entre ${formatNumber(props.total, lang)} trámites y servicios qué necesitas, cuánto cuesta y cómo hacerlo en línea.`,
          `Find out, among ${formatNumber(props.total, lang)} procedures and services, what you need, what it costs and how to do it online.`,
        )}
      </p>
      <SearchForm lang={lang} large />
      <h2 class="govuk-heading-l govuk-!-margin-top-8">{t("Momentos de vida", "Life events")}</h2>
      <LifeEventCards lifeEvents={props.lifeEvents} lang={lang} headingLevel={3} />
      <h2 class="govuk-heading-l">{t("Los más usados", "Most used")}</h2>
      <ProcedureList items={props.mostUsed} lang={lang} />
      <p class="govuk-body">
        <a class="govuk-link" href={p.institutions}>
          {t("Ver los trámites por institución", "See procedures by institution")}
        </a>
      </p>
    </PageShell>
  );
}

export function InstitutionsPage(props: { lang: Lang; institutions: InstitutionRow[]; alternateHref: string }) {
  const { lang } = props;
  const t = translator(lang);
  const p = paths(lang);
  const withProcedures = props.institutions.filter((i) => i.procedureCount > 0);
  const others = props.institutions.filter((i) => i.procedureCount === 0);
  return (
    <PageShell
      lang={lang}
      title={t("Instituciones", "Institutions")}
      section="institutions"
      alternateHref={props.alternateHref}
    >
      <h1 class="govuk-heading-xl">{t("Instituciones", "Institutions")}</h1>
      <ScrollRegion label={t("Instituciones con trámites", "Institutions with procedures")}>
        <table class="govuk-table">
          <caption class="govuk-table__caption govuk-table__caption--m">
            {t("Con trámites en el catálogo", "With procedures in the catalogue")}
          </caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">
                {t("Institución", "Institution")}
              </th>
              <th scope="col" class="govuk-table__header">
                {t("Siglas", "Acronym")}
              </th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">
                {t("Trámites", "Procedures")}
              </th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {withProcedures.map((i) => (
              <tr class="govuk-table__row">
                <td class="govuk-table__cell">
                  <a class="govuk-link" href={p.institution(i.acronym)}>
                    <Text value={i.name} lang={lang} />
                  </a>
                </td>
                <td class="govuk-table__cell">{i.acronym}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{formatNumber(i.procedureCount, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {others.length ? (
        <>
          <h2 class="govuk-heading-m">{t("Otras instituciones", "Other institutions")}</h2>
          <ul class="govuk-list govuk-list--bullet">
            {others.map((i) => (
              <li>
                <a class="govuk-link" href={p.institution(i.acronym)}>
                  <Text value={i.name} lang={lang} />
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </PageShell>
  );
}

export function InstitutionPage(props: {
  lang: Lang;
  institution: InstitutionRow;
  procedures: ProcedureSummary[];
  alternateHref: string;
}) {
  const { lang, institution: i } = props;
  const t = translator(lang);
  const p = paths(lang);
  const kind = KIND_LABELS[i.kind] ?? [i.kind, i.kind];
  return (
    <PageShell
      lang={lang}
      title={pick(i.name, lang)}
      section="institutions"
      alternateHref={props.alternateHref}
      breadcrumbs={[
        { href: p.home, label: t("Inicio", "Home") },
        { href: p.institutions, label: t("Instituciones", "Institutions") },
      ]}
    >
      <span class="govuk-caption-l">{i.acronym}</span>
      <h1 class="govuk-heading-xl">
        <Text value={i.name} lang={lang} />
      </h1>
      <dl class="govuk-summary-list">
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">{t("Tipo", "Type")}</dt>
          <dd class="govuk-summary-list__value">{t(kind[0], kind[1])}</dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">{t("Sector", "Sector")}</dt>
          <dd class="govuk-summary-list__value" lang="es">
            {i.sector}
            {i.ramo ? ` (ramo ${i.ramo})` : ""}
          </dd>
        </div>
        {i.website ? (
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{t("Sitio web", "Website")}</dt>
            <dd class="govuk-summary-list__value">
              <a class="govuk-link" href={i.website} rel="external">
                {i.website}
              </a>
            </dd>
          </div>
        ) : null}
        {i.contact.phone ? (
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{t("Teléfono", "Phone")}</dt>
            <dd class="govuk-summary-list__value">{i.contact.phone}</dd>
          </div>
        ) : null}
        {i.contact.address ? (
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{t("Dirección", "Address")}</dt>
            <dd class="govuk-summary-list__value">{i.contact.address}</dd>
          </div>
        ) : null}
      </dl>
      <h2 class="govuk-heading-l">
        {t("Trámites y servicios", "Procedures and services")} ({formatNumber(props.procedures.length, lang)})
      </h2>
      {props.procedures.length ? (
        <ProcedureList items={props.procedures} lang={lang} />
      ) : (
        <p class="govuk-body">
          {t(
            "Esta institución aún no tiene trámites en el catálogo.",
            "This institution has no procedures in the catalogue yet.",
          )}
        </p>
      )}
    </PageShell>
  );
}

export function LifeEventsPage(props: { lang: Lang; lifeEvents: LifeEventRow[]; alternateHref: string }) {
  const { lang } = props;
  const t = translator(lang);
  return (
    <PageShell
      lang={lang}
      title={t("Momentos de vida", "Life events")}
      section="lifeEvents"
      alternateHref={props.alternateHref}
    >
      <h1 class="govuk-heading-xl">{t("Momentos de vida", "Life events")}</h1>
      <p class="govuk-body-l">
        {t(
          "Los trámites agrupados como los vives, sin importar qué institución los atiende.",
          "Procedures grouped the way you live them, whichever institution handles them.",
        )}
      </p>
      <LifeEventCards lifeEvents={props.lifeEvents} lang={lang} headingLevel={2} showCount />
    </PageShell>
  );
}

export function LifeEventPage(props: {
  lang: Lang;
  lifeEvent: LifeEventRow;
  procedures: ProcedureSummary[];
  alternateHref: string;
}) {
  const { lang, lifeEvent: e } = props;
  const t = translator(lang);
  const p = paths(lang);
  const byInstitution = new Map<string, ProcedureSummary[]>();
  for (const proc of props.procedures) {
    const list = byInstitution.get(proc.institutionAcronym) ?? [];
    list.push(proc);
    byInstitution.set(proc.institutionAcronym, list);
  }
  return (
    <PageShell
      lang={lang}
      title={pick(e.name, lang)}
      section="lifeEvents"
      alternateHref={props.alternateHref}
      breadcrumbs={[
        { href: p.home, label: t("Inicio", "Home") },
        { href: p.lifeEvents, label: t("Momentos de vida", "Life events") },
      ]}
    >
      <h1 class="govuk-heading-xl">
        <Text value={e.name} lang={lang} />
      </h1>
      <p class="govuk-body-l">
        <Text value={e.description} lang={lang} />
      </p>
      {[...byInstitution.values()].map((list) => (
        <>
          <h2 class="govuk-heading-m">
            <Text value={list[0]!.institutionName} lang={lang} />
          </h2>
          <ProcedureList items={list} lang={lang} />
        </>
      ))}
    </PageShell>
  );
}

export function ErrorPage(props: { lang: Lang; status: number; message: string; alternateHref: string }) {
  const { lang } = props;
  const t = translator(lang);
  const p = paths(lang);
  const title =
    props.status === 404
      ? t("No encontramos esta página", "Page not found")
      : props.status >= 500
        ? t("Lo sentimos, hay un problema", "Sorry, there is a problem")
        : t("Hay un problema con tu solicitud", "There is a problem with your request");
  return (
    <PageShell lang={lang} title={title} alternateHref={props.alternateHref}>
      <h1 class="govuk-heading-l">{title}</h1>
      <p class="govuk-body">{props.message}</p>
      <p class="govuk-body">{t("Puedes buscar lo que necesitas:", "You can search for what you need:")}</p>
      <SearchForm lang={lang} />
      <p class="govuk-body govuk-!-margin-top-4">
        <a class="govuk-link" href={p.home}>
          {t("Ir a la página de inicio", "Go to the home page")}
        </a>
      </p>
    </PageShell>
  );
}
