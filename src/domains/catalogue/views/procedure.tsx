/** The procedure page: every field of the record, clearly laid out and printable. */
import type { ComponentChildren } from "preact";
import { formatDate, formatMoney, formatNumber, translator, type Lang } from "../../../platform/views/i18n.js";
import type { LifeEventRow, ProcedureRow } from "../catalogue.js";
import { ScrollRegion, WarningText } from "../../../platform/views/components.js";
import { paths } from "../paths.js";
import { PageShell, ProcedureTags, Text } from "./common.js";

function Row(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="govuk-summary-list__row">
      <dt class="govuk-summary-list__key">{props.label}</dt>
      <dd class="govuk-summary-list__value">{props.children}</dd>
    </div>
  );
}

export function ProcedurePage(props: {
  lang: Lang;
  procedure: ProcedureRow;
  lifeEvents: LifeEventRow[];
  jsonLd: unknown;
  alternateHref: string;
  canonical: string;
  /** This platform's own online application, when the procedure has a live form. */
  startHref?: string | null;
}) {
  const { lang, procedure } = props;
  const r = procedure.record;
  const t = translator(lang);
  const p = paths(lang);
  const audience = r.audience
    .map((a) =>
      a === "persona_fisica"
        ? t("personas físicas", "individuals")
        : t("personas morales (empresas y organizaciones)", "legal entities (companies and organisations)"),
    )
    .join(t(" y ", " and "));
  const silence =
    r.silenceRule === "afirmativa_ficta"
      ? t(
          "Si no hay respuesta en ese plazo, se entiende que la respuesta es favorable (afirmativa ficta).",
          "If there is no answer in that time, the answer is taken as yes (afirmativa ficta).",
        )
      : r.silenceRule === "negativa_ficta"
        ? t(
            "Si no hay respuesta en ese plazo, se entiende que la respuesta es negativa (negativa ficta).",
            "If there is no answer in that time, the answer is taken as no (negativa ficta).",
          )
        : "";
  const events = props.lifeEvents.filter((e) => r.lifeEvents.includes(e.slug));
  return (
    <PageShell
      lang={lang}
      title={props.procedure.citizenName[lang] ?? procedure.citizenName.es}
      description={(procedure.description[lang] ?? procedure.description.es).slice(0, 300)}
      alternateHref={props.alternateHref}
      canonical={props.canonical}
      section="search"
      jsonLd={props.jsonLd}
      breadcrumbs={[
        { href: p.home, label: t("Inicio", "Home") },
        {
          href: p.institution(procedure.institutionAcronym),
          label: procedure.institutionName[lang] ?? procedure.institutionName.es,
        },
      ]}
    >
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <span class="govuk-caption-l">
            <Text value={procedure.institutionName} lang={lang} />
          </span>
          <h1 class="govuk-heading-xl">
            <Text value={procedure.citizenName} lang={lang} />
          </h1>
          <ProcedureTags p={procedure} lang={lang} />
          {r.demo ? (
            <WarningText label={t("Aviso", "Warning")}>
              {t(
                "Contenido de demostración: consulta la ficha oficial antes de hacer el trámite.",
                "Demo content: check the official record before you apply.",
              )}
            </WarningText>
          ) : null}
          <p class="govuk-body-l">
            <Text value={r.description} lang={lang} />
          </p>
          {props.startHref || r.channels.online ? (
            <a
              href={props.startHref ?? r.channels.online!.url}
              role="button"
              draggable={false}
              class="govuk-button govuk-button--start"
              data-module="govuk-button"
              rel={props.startHref ? undefined : "external"}
            >
              {t("Iniciar en línea", "Start online")}
              <svg
                class="govuk-button__start-icon"
                xmlns="http://www.w3.org/2000/svg"
                width="17.5"
                height="19"
                viewBox="0 0 33 40"
                aria-hidden="true"
                focusable="false"
              >
                <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
              </svg>
            </a>
          ) : null}

          <h2 class="govuk-heading-m">{t("Resumen", "Summary")}</h2>
          <dl class="govuk-summary-list">
            <Row label={t("Nombre oficial", "Official name")}>
              <Text value={r.officialName} lang={lang} />
            </Row>
            <Row label={t("Homoclave", "Catalogue key (homoclave)")}>{r.homoclave}</Row>
            <Row label={t("Quién puede hacerlo", "Who can apply")}>
              {audience.charAt(0).toUpperCase() + audience.slice(1)}
            </Row>
            <Row label={t("Costo", "Cost")}>
              {r.cost.type === "free" ? (
                t("Gratuito", "Free")
              ) : r.cost.type === "fixed" ? (
                formatMoney(r.cost.amountMxn, lang)
              ) : (
                <Text value={r.cost.description} lang={lang} />
              )}
              {r.cost.type !== "free" && r.cost.paymentPlaces ? (
                <p class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">
                  {t("Dónde pagar: ", "Where to pay: ")}
                  <Text value={r.cost.paymentPlaces} lang={lang} />
                </p>
              ) : null}
            </Row>
            <Row label={t("Tiempo máximo de respuesta", "Maximum time to answer")}>
              {r.maxResolutionDays === null
                ? t("Inmediato o no establecido", "Immediate or not set")
                : `${formatNumber(r.maxResolutionDays, lang)} ${t("días hábiles", "working days")}`}
              {silence && r.maxResolutionDays !== null ? (
                <p class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">{silence}</p>
              ) : null}
            </Row>
            {r.validity ? (
              <Row label={t("Vigencia", "Validity")}>
                <Text value={r.validity} lang={lang} />
              </Row>
            ) : null}
            {r.result ? (
              <Row label={t("Qué obtienes", "What you get")}>
                <Text value={r.result} lang={lang} />
              </Row>
            ) : null}
            {r.channels.online ? (
              <Row label={t("Identidad que necesitas en línea", "Identity you need online")}>
                {r.requiredAssurance === "ninguna"
                  ? t("No necesitas cuenta.", "You do not need an account.")
                  : r.requiredAssurance === "verificada"
                    ? t(
                        "Cuenta con identidad verificada: una persona servidora pública revisa tu identificación una vez.",
                        "An account with a verified identity: a public servant checks your identity document once.",
                      )
                    : t("Cuenta con correo confirmado.", "An account with a confirmed email.")}
              </Row>
            ) : null}
            <Row label={t("Última revisión", "Last reviewed")}>{formatDate(r.lastReviewed, lang)}</Row>
          </dl>

          {r.whenApplies ? (
            <>
              <h2 class="govuk-heading-m">{t("Cuándo se hace", "When to do it")}</h2>
              <p class="govuk-body">
                <Text value={r.whenApplies} lang={lang} />
              </p>
            </>
          ) : null}

          <h2 class="govuk-heading-m">{t("Requisitos", "What you need")}</h2>
          {r.requirements.length ? (
            <ScrollRegion label={t("Requisitos", "What you need")}>
              <table class="govuk-table">
                <caption class="govuk-table__caption govuk-visually-hidden">
                  {t("Documentos que necesitas", "Documents you need")}
                </caption>
                <thead class="govuk-table__head">
                  <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">
                      {t("Documento", "Document")}
                    </th>
                    <th scope="col" class="govuk-table__header">
                      {t("Original", "Original")}
                    </th>
                    <th scope="col" class="govuk-table__header">
                      {t("Copias", "Copies")}
                    </th>
                    <th scope="col" class="govuk-table__header">
                      {t("En línea", "Online")}
                    </th>
                  </tr>
                </thead>
                <tbody class="govuk-table__body">
                  {r.requirements.map((req) => (
                    <tr class="govuk-table__row">
                      <td class="govuk-table__cell">
                        <Text value={req.name} lang={lang} />
                        {req.notes ? (
                          <span class="govuk-body-s govuk-!-display-block">
                            <Text value={req.notes} lang={lang} />
                          </span>
                        ) : null}
                      </td>
                      <td class="govuk-table__cell">{req.original ? t("Sí", "Yes") : t("No", "No")}</td>
                      <td class="govuk-table__cell">{formatNumber(req.copies, lang)}</td>
                      <td class="govuk-table__cell">
                        {req.uploadable ? t("Se puede subir", "Can be uploaded") : t("No", "No")}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          ) : (
            <p class="govuk-body">{t("No se piden documentos.", "No documents are needed.")}</p>
          )}

          {r.steps.length ? (
            <>
              <h2 class="govuk-heading-m">{t("Pasos", "Steps")}</h2>
              <ol class="govuk-list govuk-list--number">
                {r.steps.map((s) => (
                  <li>
                    <Text value={s} lang={lang} />
                  </li>
                ))}
              </ol>
            </>
          ) : null}

          <h2 class="govuk-heading-m">{t("Dónde y cómo hacerlo", "Where and how to do it")}</h2>
          {r.channels.online ? (
            <p class="govuk-body">
              {t("En línea: ", "Online: ")}
              <a class="govuk-link" href={r.channels.online.url} rel="external">
                {r.channels.online.url}
              </a>
            </p>
          ) : null}
          {r.channels.inPerson?.map((o) => (
            <div class="govuk-inset-text">
              <h3 class="govuk-heading-s govuk-!-margin-bottom-1">{o.name}</h3>
              <p class="govuk-body govuk-!-margin-bottom-1">{o.address}</p>
              <p class="govuk-body govuk-!-margin-bottom-0">
                {t("Horario: ", "Opening hours: ")}
                <span lang="es">{o.hours}</span>
              </p>
              {o.phone ? (
                <p class="govuk-body govuk-!-margin-bottom-0">
                  {t("Teléfono: ", "Phone: ")}
                  {o.phone}
                </p>
              ) : null}
            </div>
          ))}
          {r.channels.phone?.map((ph) => (
            <p class="govuk-body">
              {t("Por teléfono: ", "By phone: ")}
              <a class="govuk-link" href={`tel:${ph.number.replace(/[^0-9+]/g, "")}`}>
                {ph.number}
              </a>
              {ph.hours ? ` (${ph.hours})` : ""}
            </p>
          ))}

          <h2 class="govuk-heading-m">{t("Fundamento jurídico", "Legal basis")}</h2>
          <ul class="govuk-list govuk-list--bullet">
            {r.legalBasis.map((l) => (
              <li lang="es">
                {l.law}, {l.article}
              </li>
            ))}
          </ul>
          <p class="govuk-body vt-noprint">
            <button type="button" class="govuk-button govuk-button--secondary" data-print hidden>
              {t("Imprimir esta página", "Print this page")}
            </button>
          </p>
        </div>
        <aside class="govuk-grid-column-one-third" aria-label={t("Relacionado", "Related")}>
          {events.length ? (
            <>
              <h2 class="govuk-heading-s">{t("Momentos de vida", "Life events")}</h2>
              <ul class="govuk-list">
                {events.map((e) => (
                  <li>
                    <a class="govuk-link" href={p.lifeEvent(e.slug)}>
                      <Text value={e.name} lang={lang} />
                    </a>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <h2 class="govuk-heading-s">{t("Institución", "Institution")}</h2>
          <p class="govuk-body">
            <a class="govuk-link" href={p.institution(procedure.institutionAcronym)}>
              <Text value={procedure.institutionName} lang={lang} />
            </a>
          </p>
          <h2 class="govuk-heading-s">{t("Datos abiertos", "Open data")}</h2>
          <p class="govuk-body-s">
            <a class="govuk-link" href={`/api/v1/procedures/${r.homoclave}`}>
              JSON
            </a>
          </p>
        </aside>
      </div>
    </PageShell>
  );
}
