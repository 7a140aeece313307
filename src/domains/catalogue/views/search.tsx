/** The search results page: facets as a GET form, highlighted snippets, paging. Works without JavaScript. */
import { formatNumber, pick, translator, type Lang } from "../../../platform/views/i18n.js";
import type { InstitutionRow, LifeEventRow, SearchResult } from "../catalogue.js";
import { paths } from "../paths.js";
import { PageShell, ProcedureTags, SearchForm, Text } from "./common.js";

export interface SearchPageState {
  q: string;
  institutions: string[];
  lifeEvents: string[];
  kind?: string | undefined;
  audience?: string | undefined;
  online?: string | undefined;
  free?: string | undefined;
  sort?: string | undefined;
}

/** Turns ts_headline's markers into <mark> elements, escaping everything else. */
function Snippet(props: { text: string }) {
  const parts = props.text.split(/(\u0001[^\u0002]*\u0002)/);
  return (
    <p class="govuk-body">
      {parts.map((part) => (part.startsWith("\u0001") ? <mark>{part.slice(1, -1)}</mark> : part))}
    </p>
  );
}

function queryString(state: SearchPageState, overrides: Partial<SearchPageState> & { page?: number } = {}): string {
  const s = { ...state, ...overrides };
  const params = new URLSearchParams();
  if (s.q) params.set("q", s.q);
  for (const i of s.institutions) params.append("institution", i);
  for (const e of s.lifeEvents) params.append("lifeEvent", e);
  for (const key of ["kind", "audience", "online", "free", "sort"] as const) if (s[key]) params.set(key, s[key]!);
  if (overrides.page && overrides.page > 1) params.set("page", String(overrides.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

function Facets(props: {
  lang: Lang;
  state: SearchPageState;
  result: SearchResult;
  institutions: InstitutionRow[];
  lifeEvents: LifeEventRow[];
}) {
  const t = translator(props.lang);
  const count = (facet: string, value: string) =>
    props.result.facets.find((f) => f.facet === facet && f.value === value)?.count ?? 0;
  const byFacet = (facet: string) => props.result.facets.filter((f) => f.facet === facet && f.count > 0);
  const institutionName = new Map(props.institutions.map((i) => [i.acronym, pick(i.name, props.lang)]));
  const eventName = new Map(props.lifeEvents.map((e) => [e.slug, pick(e.name, props.lang)]));
  const Box = (b: { name: string; value: string; label: string; checked: boolean; n: number; id: string }) => (
    <div class="govuk-checkboxes__item">
      <input
        class="govuk-checkboxes__input"
        id={b.id}
        name={b.name}
        type="checkbox"
        value={b.value}
        checked={b.checked}
      />
      <label class="govuk-label govuk-checkboxes__label" for={b.id}>
        {b.label} ({formatNumber(b.n, props.lang)})
      </label>
    </div>
  );
  const Radio = (b: { name: string; value: string; label: string; checked: boolean; id: string }) => (
    <div class="govuk-radios__item">
      <input class="govuk-radios__input" id={b.id} name={b.name} type="radio" value={b.value} checked={b.checked} />
      <label class="govuk-label govuk-radios__label" for={b.id}>
        {b.label}
      </label>
    </div>
  );
  const institutionsShown = byFacet("institution")
    .sort((a, b) => b.count - a.count)
    .slice(0, 15);
  for (const selected of props.state.institutions) {
    if (!institutionsShown.some((f) => f.value === selected))
      institutionsShown.push({ facet: "institution", value: selected, count: 0 });
  }
  return (
    <form action={paths(props.lang).search} method="get" class="vt-facets" aria-label={t("Filtros", "Filters")}>
      <h2 class="govuk-heading-m">{t("Filtrar", "Filter")}</h2>
      {props.state.q ? <input type="hidden" name="q" value={props.state.q} /> : null}
      {props.state.sort ? <input type="hidden" name="sort" value={props.state.sort} /> : null}
      <fieldset class="govuk-fieldset">
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{t("Cómo se hace", "How it is done")}</legend>
        <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
          <Box
            name="online"
            value="true"
            id="f-online"
            label={t("En línea", "Online")}
            checked={props.state.online === "true"}
            n={count("online", "true")}
          />
          <Box
            name="free"
            value="true"
            id="f-free"
            label={t("Gratuito", "Free")}
            checked={props.state.free === "true"}
            n={count("free", "true")}
          />
        </div>
      </fieldset>
      <fieldset class="govuk-fieldset">
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{t("Tipo", "Type")}</legend>
        <div class="govuk-radios govuk-radios--small" data-module="govuk-radios">
          <Radio name="kind" value="" id="f-kind-any" label={t("Todos", "All")} checked={!props.state.kind} />
          <Radio
            name="kind"
            value="tramite"
            id="f-kind-tramite"
            label={`${t("Trámites", "Procedures")} (${formatNumber(count("kind", "tramite"), props.lang)})`}
            checked={props.state.kind === "tramite"}
          />
          <Radio
            name="kind"
            value="servicio"
            id="f-kind-servicio"
            label={`${t("Servicios", "Services")} (${formatNumber(count("kind", "servicio"), props.lang)})`}
            checked={props.state.kind === "servicio"}
          />
        </div>
      </fieldset>
      <fieldset class="govuk-fieldset">
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{t("Para quién", "Who can apply")}</legend>
        <div class="govuk-radios govuk-radios--small" data-module="govuk-radios">
          <Radio
            name="audience"
            value=""
            id="f-aud-any"
            label={t("Cualquiera", "Anyone")}
            checked={!props.state.audience}
          />
          <Radio
            name="audience"
            value="persona_fisica"
            id="f-aud-fisica"
            label={`${t("Personas", "Individuals")} (${formatNumber(count("audience", "persona_fisica"), props.lang)})`}
            checked={props.state.audience === "persona_fisica"}
          />
          <Radio
            name="audience"
            value="persona_moral"
            id="f-aud-moral"
            label={`${t("Empresas y organizaciones", "Companies and organisations")} (${formatNumber(count("audience", "persona_moral"), props.lang)})`}
            checked={props.state.audience === "persona_moral"}
          />
        </div>
      </fieldset>
      {institutionsShown.length ? (
        <fieldset class="govuk-fieldset">
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{t("Institución", "Institution")}</legend>
          <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
            {institutionsShown.map((f) => (
              <Box
                name="institution"
                value={f.value}
                id={`f-inst-${f.value}`}
                label={institutionName.get(f.value) ?? f.value}
                checked={props.state.institutions.includes(f.value)}
                n={f.count}
              />
            ))}
          </div>
        </fieldset>
      ) : null}
      {byFacet("lifeEvent").length || props.state.lifeEvents.length ? (
        <fieldset class="govuk-fieldset">
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{t("Momento de vida", "Life event")}</legend>
          <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
            {props.lifeEvents
              .filter((e) => count("lifeEvent", e.slug) > 0 || props.state.lifeEvents.includes(e.slug))
              .map((e) => (
                <Box
                  name="lifeEvent"
                  value={e.slug}
                  id={`f-ev-${e.slug}`}
                  label={eventName.get(e.slug) ?? e.slug}
                  checked={props.state.lifeEvents.includes(e.slug)}
                  n={count("lifeEvent", e.slug)}
                />
              ))}
          </div>
        </fieldset>
      ) : null}
      <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
        {t("Aplicar filtros", "Apply filters")}
      </button>
    </form>
  );
}

function Pagination(props: { lang: Lang; state: SearchPageState; page: number; pages: number }) {
  const t = translator(props.lang);
  if (props.pages <= 1) return null;
  const base = paths(props.lang).search;
  const href = (page: number) => `${base}${queryString(props.state, { page })}`;
  const around = [...new Set([1, props.page - 1, props.page, props.page + 1, props.pages])].filter(
    (n) => n >= 1 && n <= props.pages,
  );
  return (
    <nav class="govuk-pagination" aria-label={t("Páginas de resultados", "Results pages")}>
      {props.page > 1 ? (
        <div class="govuk-pagination__prev">
          <a class="govuk-link govuk-pagination__link" href={href(props.page - 1)} rel="prev">
            <span class="govuk-pagination__link-title">{t("Anterior", "Previous")}</span>
          </a>
        </div>
      ) : null}
      <ul class="govuk-pagination__list">
        {around.map((n, i) => (
          <>
            {i > 0 && n - around[i - 1]! > 1 ? (
              <li class="govuk-pagination__item govuk-pagination__item--ellipses">…</li>
            ) : null}
            <li class={`govuk-pagination__item${n === props.page ? " govuk-pagination__item--current" : ""}`}>
              <a
                class="govuk-link govuk-pagination__link"
                href={href(n)}
                aria-label={`${t("Página", "Page")} ${n}`}
                aria-current={n === props.page ? "page" : undefined}
              >
                {n}
              </a>
            </li>
          </>
        ))}
      </ul>
      {props.page < props.pages ? (
        <div class="govuk-pagination__next">
          <a class="govuk-link govuk-pagination__link" href={href(props.page + 1)} rel="next">
            <span class="govuk-pagination__link-title">{t("Siguiente", "Next")}</span>
          </a>
        </div>
      ) : null}
    </nav>
  );
}

export function SearchPage(props: {
  lang: Lang;
  state: SearchPageState;
  result: SearchResult;
  institutions: InstitutionRow[];
  lifeEvents: LifeEventRow[];
  alternateHref: string;
}) {
  const { lang, state, result } = props;
  const t = translator(lang);
  const p = paths(lang);
  const title = state.q
    ? `${t("Resultados para", "Results for")} «${state.q}»`
    : t("Trámites y servicios", "Procedures and services");
  const first = (result.page - 1) * result.pageSize + 1;
  const last = Math.min(result.total, result.page * result.pageSize);
  return (
    <PageShell lang={lang} title={title} section="search" alternateHref={props.alternateHref}>
      <h1 class="govuk-heading-l">{title}</h1>
      <SearchForm lang={lang} value={state.q} />
      <div class="govuk-grid-row govuk-!-margin-top-6">
        <div class="govuk-grid-column-one-third">
          <Facets {...props} />
        </div>
        <div class="govuk-grid-column-two-thirds">
          {result.suggestion ? (
            <p class="govuk-body">
              {t("¿Quisiste decir ", "Did you mean ")}
              <a class="govuk-link" href={`${p.search}${queryString({ ...state, q: result.suggestion })}`}>
                <strong>{result.suggestion}</strong>
              </a>
              ?
            </p>
          ) : null}
          <p class="govuk-body" role="status">
            {result.total === 0
              ? t("No encontramos trámites con esas palabras.", "We found no procedures with those words.")
              : `${formatNumber(result.total, lang)} ${result.total === 1 ? t("resultado", "result") : t("resultados", "results")}` +
                (result.pages > 1
                  ? ` · ${t("mostrando", "showing")} ${formatNumber(first, lang)}–${formatNumber(last, lang)}`
                  : "")}
          </p>
          {result.total === 0 ? (
            <div class="govuk-inset-text">
              <p class="govuk-body">{t("Puedes:", "You can:")}</p>
              <ul class="govuk-list govuk-list--bullet">
                <li>
                  {t("revisar cómo lo escribiste o usar menos palabras", "check the spelling or use fewer words")}
                </li>
                <li>{t("quitar filtros", "remove filters")}</li>
                <li>
                  <a class="govuk-link" href={p.lifeEvents}>
                    {t("buscar por momento de vida", "browse by life event")}
                  </a>{" "}
                  {t("o", "or")}{" "}
                  <a class="govuk-link" href={p.institutions}>
                    {t("por institución", "by institution")}
                  </a>
                </li>
              </ul>
            </div>
          ) : (
            <>
              <form action={p.search} method="get" class="vt-noprint">
                {state.q ? <input type="hidden" name="q" value={state.q} /> : null}
                {state.institutions.map((i) => (
                  <input type="hidden" name="institution" value={i} />
                ))}
                {state.lifeEvents.map((e) => (
                  <input type="hidden" name="lifeEvent" value={e} />
                ))}
                {(["kind", "audience", "online", "free"] as const).map((k) =>
                  state[k] ? <input type="hidden" name={k} value={state[k]} /> : null,
                )}
                <div class="govuk-form-group">
                  <label class="govuk-label" for="sort">
                    {t("Ordenar por", "Sort by")}
                  </label>
                  <select class="govuk-select" id="sort" name="sort">
                    <option value="relevance" selected={!state.sort || state.sort === "relevance"}>
                      {t("Relevancia", "Relevance")}
                    </option>
                    <option value="name" selected={state.sort === "name"}>
                      {t("Nombre", "Name")}
                    </option>
                    <option value="updated" selected={state.sort === "updated"}>
                      {t("Revisión más reciente", "Most recently reviewed")}
                    </option>
                  </select>{" "}
                  <button
                    type="submit"
                    class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                    data-module="govuk-button"
                  >
                    {t("Ordenar", "Sort")}
                  </button>
                </div>
              </form>
              <ul class="govuk-list">
                {result.hits.map((hit) => (
                  <li class="vt-result">
                    <h2 class="govuk-heading-s govuk-!-margin-bottom-1">
                      <a class="govuk-link" href={p.procedure(hit.homoclave)}>
                        <Text value={hit.citizenName} lang={lang} />
                      </a>
                    </h2>
                    <p class="govuk-body-s govuk-!-margin-bottom-1">
                      <Text value={hit.institutionName} lang={lang} /> · <strong>{hit.homoclave}</strong>
                    </p>
                    {hit.snippet ? (
                      <Snippet text={hit.snippet} />
                    ) : (
                      <p class="govuk-body">
                        <Text value={hit.description} lang={lang} />
                      </p>
                    )}
                    <ProcedureTags p={hit} lang={lang} />
                  </li>
                ))}
              </ul>
              <Pagination lang={lang} state={state} page={result.page} pages={result.pages} />
            </>
          )}
        </div>
      </div>
    </PageShell>
  );
}
