/**
 * The caseworker inbox (/gestion/expedientes, /en/manage/cases): filters that work without
 * JavaScript, the cases by legal deadline, pagination. The inbox is the hub of the back office of
 * cases, so the pieces its other pages share (shell, select, file input, tables, the staff's view
 * of the legal deadline, the inbox's query names) live here too.
 */
import type { ComponentChildren } from "preact";
import { ScrollRegion } from "../../../platform/views/components.js";
import {
  Button,
  Choices,
  ErrorSummary,
  PostForm,
  Select,
  TextInput,
  type Choice,
  type FieldErrors,
} from "../../../platform/views/forms.js";
import { formatDate, formatNumber, pick, translator, type Lang } from "../../../platform/views/i18n.js";
import { backOfficePaths } from "../../catalogue/paths.js";
import { PageShell } from "../../catalogue/views/common.js";
import { INBOX_PAGE_SIZE } from "../casework.js";
import { deadlineView, type DeadlineView } from "../deadlines.js";
import { caseOfficePaths } from "../paths.js";
import type { InboxRow } from "../queries.js";
import { CASE_STATUSES, STATUS_LABELS, type CaseStatus } from "../states.js";
import { StatusTag } from "./my-cases.js";

// ------------------------------------------------------------------------------------------------
// The inbox's query

/** Query parameter names, [Spanish, English]; either is read in both languages (the language switch keeps the query). */
export const PARAMS = {
  institution: ["institucion", "institution"],
  status: ["estado", "status"],
  due: ["vence", "due"],
  assignment: ["asignacion", "assignment"],
  folio: ["folio", "folio"],
  page: ["pagina", "page"],
  done: ["hecho", "done"],
} as const;
export type Param = keyof typeof PARAMS;
export const paramName = (key: Param, lang: Lang) => PARAMS[key][lang === "en" ? 1 : 0];

/** The last page the inbox pages to. */
export const MAX_PAGE = 200;

export interface InboxFilter {
  institution: string;
  status: string;
  due: string;
  assignment: string;
  folio: string;
  page: number;
}

export interface InboxResult {
  rows: InboxRow[];
  total: number;
  more: boolean;
  today: string;
  closed: ReadonlySet<string>;
}

/** The inbox of one institution, as its link from the other pages. */
export const institutionInbox = (lang: Lang, institution: string) =>
  `${caseOfficePaths(lang).inbox}?${paramName("institution", lang)}=${encodeURIComponent(institution)}`;

function inboxHref(lang: Lang, f: InboxFilter, changes: Partial<InboxFilter> = {}): string {
  const all = { ...f, ...changes };
  const q = new URLSearchParams();
  q.set(paramName("institution", lang), all.institution);
  if (all.status !== "open") q.set(paramName("status", lang), all.status);
  if (all.due) q.set(paramName("due", lang), all.due);
  if (all.assignment) q.set(paramName("assignment", lang), all.assignment);
  if (all.folio) q.set(paramName("folio", lang), all.folio);
  if (all.page > 1) q.set(paramName("page", lang), String(all.page));
  return `${caseOfficePaths(lang).inbox}?${q.toString()}`;
}

// ------------------------------------------------------------------------------------------------
// Pieces the back office's pages of cases share

/** A back-office page: the breadcrumbs start at the back office's home. */
export function OfficeShell(p: {
  lang: Lang;
  title: string;
  alternateHref: string;
  crumbs?: { href: string; label: string }[];
  children: ComponentChildren;
}) {
  const t = translator(p.lang);
  return (
    <PageShell
      lang={p.lang}
      title={p.title}
      alternateHref={p.alternateHref}
      breadcrumbs={[{ href: backOfficePaths(p.lang).home, label: t("Gestión", "Back office") }, ...(p.crumbs ?? [])]}
    >
      {p.children}
    </PageShell>
  );
}

export function SummaryList(p: { rows: { key: string; value: ComponentChildren; id?: string }[] }) {
  return (
    <dl class="govuk-summary-list">
      {p.rows.map((r) => (
        <div class="govuk-summary-list__row" id={r.id}>
          <dt class="govuk-summary-list__key">{r.key}</dt>
          <dd class="govuk-summary-list__value">{r.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A table in its scrolling region: the column headings, then the rows given as children. */
export function DataTable(p: { label: string; caption?: string; head: string[]; children: ComponentChildren }) {
  return (
    <ScrollRegion label={p.label}>
      <table class="govuk-table">
        {p.caption ? <caption class="govuk-table__caption govuk-visually-hidden">{p.caption}</caption> : null}
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            {p.head.map((heading) => (
              <th scope="col" class="govuk-table__header">
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="govuk-table__body">{p.children}</tbody>
      </table>
    </ScrollRegion>
  );
}

/** The institution to work on: a choice when the viewer has several, a hidden field when one. */
export function InstitutionField(p: { lang: Lang; name: string; institutions: string[]; selected: string }) {
  if (p.institutions.length <= 1) return <input type="hidden" name={p.name} value={p.selected} />;
  return (
    <Select
      lang={p.lang}
      name={p.name}
      label={translator(p.lang)("Institución", "Institution")}
      options={p.institutions.map((i) => ({ value: i, label: i }))}
      selected={p.selected}
    />
  );
}

/**
 * A posted form: an optional heading, its fields and one submit button. With multipart, the
 * form sends files and carries _csrf as its first field, which the streamed routes read first.
 */
export function ActionForm(p: {
  action: string;
  csrf: string;
  heading?: string;
  submit: string;
  button?: "secondary" | "warning";
  multipart?: boolean;
  children?: ComponentChildren;
}) {
  const content = (
    <>
      {p.heading ? <h3 class="govuk-heading-m">{p.heading}</h3> : null}
      {p.children}
      <Button secondary={p.button === "secondary"} warning={p.button === "warning"}>
        {p.submit}
      </Button>
    </>
  );
  if (!p.multipart)
    return (
      <PostForm action={p.action} csrf={p.csrf}>
        {content}
      </PostForm>
    );
  return (
    <form method="post" action={p.action} enctype="multipart/form-data" novalidate>
      <input type="hidden" name="_csrf" value={p.csrf} />
      {content}
    </form>
  );
}

/** The legal deadline for staff: days left, overdue (and which ficta then applies), paused, not started. */
export function StaffDeadline(p: { view: DeadlineView; lang: Lang; status: CaseStatus }) {
  const t = translator(p.lang);
  const v = p.view;
  const days = (n: number) =>
    n === 1 ? t("1 día hábil", "1 working day") : t(`${formatNumber(n, "es")} días hábiles`, `${n} working days`);
  switch (v.state) {
    case "closed":
      return <>{t("Cerrado", "Closed")}</>;
    case "paused":
      return (
        <>{t("Detenido: esperando información de la persona", "Stopped: waiting for the applicant's information")}</>
      );
    case "not_started":
      return (
        <>
          {p.status === "awaiting_payment"
            ? t("Aún no corre: esperando el pago", "Not running yet: waiting for payment")
            : t("Sin plazo legal", "No legal deadline")}
        </>
      );
    case "overdue":
      return (
        <>
          <strong class="govuk-tag govuk-tag--red">{t("Vencido", "Overdue")}</strong>{" "}
          {t(
            `el ${formatDate(v.deadline!, "es")}, hace ${days(-(v.daysLeft ?? 0))}`,
            `on ${formatDate(v.deadline!, "en")}, ${days(-(v.daysLeft ?? 0))} ago`,
          )}
          {v.ficta ? (
            <>
              <br />
              {v.ficta === "afirmativa"
                ? t(
                    "Aplica la afirmativa ficta: la solicitud se entiende aprobada.",
                    "Positive silence applies: the application is deemed approved.",
                  )
                : t(
                    "Aplica la negativa ficta: la solicitud se entiende negada.",
                    "Negative silence applies: the application is deemed refused.",
                  )}
            </>
          ) : null}
        </>
      );
    default:
      return (
        <>
          {v.state === "due_soon" ? (
            <>
              <strong class="govuk-tag govuk-tag--yellow">{t("Vence pronto", "Due soon")}</strong>{" "}
            </>
          ) : null}
          {formatDate(v.deadline!, p.lang)}
          {" · "}
          {v.daysLeft === 0
            ? t("vence hoy", "due today")
            : t(`quedan ${days(v.daysLeft ?? 0)}`, `${days(v.daysLeft ?? 0)} left`)}
        </>
      );
  }
}

// ------------------------------------------------------------------------------------------------
// The inbox page

function Pagination(p: { lang: Lang; filter: InboxFilter; pages: number }) {
  const t = translator(p.lang);
  if (p.pages <= 1 && p.filter.page <= 1) return null;
  const current = p.filter.page;
  const href = (page: number) => inboxHref(p.lang, p.filter, { page });
  const around = [...new Set([1, current - 1, current, current + 1, p.pages])]
    .filter((n) => n >= 1 && n <= p.pages)
    .sort((a, b) => a - b);
  const step = (rel: "prev" | "next", page: number, label: string) => (
    <div class={`govuk-pagination__${rel}`}>
      <a class="govuk-link govuk-pagination__link" href={href(page)} rel={rel}>
        <span class="govuk-pagination__link-title">{label}</span>
      </a>
    </div>
  );
  return (
    <nav class="govuk-pagination" aria-label={t("Páginas de expedientes", "Pages of cases")}>
      {current > 1 ? step("prev", current - 1, t("Anterior", "Previous")) : null}
      <ul class="govuk-pagination__list">
        {around.map((n, i) => (
          <>
            {i > 0 && n - around[i - 1]! > 1 ? (
              <li class="govuk-pagination__item govuk-pagination__item--ellipses">…</li>
            ) : null}
            <li class={`govuk-pagination__item${n === current ? " govuk-pagination__item--current" : ""}`}>
              <a
                class="govuk-link govuk-pagination__link"
                href={href(n)}
                aria-label={`${t("Página", "Page")} ${n}`}
                aria-current={n === current ? "page" : undefined}
              >
                {n}
              </a>
            </li>
          </>
        ))}
      </ul>
      {current < p.pages ? step("next", current + 1, t("Siguiente", "Next")) : null}
    </nav>
  );
}

function InboxFilters(p: { lang: Lang; institutions: string[]; filter: InboxFilter; errors: FieldErrors }) {
  const t = translator(p.lang);
  const f = p.filter;
  const name = (key: Param) => paramName(key, p.lang);
  const statusOptions = [
    { value: "open", label: t("Abiertos (todos los que siguen en trámite)", "Open (all still in progress)") },
    ...CASE_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s][p.lang] })),
    { value: "closed", label: t("Cerrados (resueltos o retirados)", "Closed (resolved or withdrawn)") },
  ];
  const radios = (key: "due" | "assignment", legend: string, choices: Choice[]) => (
    <Choices
      lang={p.lang}
      name={name(key)}
      legend={legend}
      choices={choices}
      selected={[f[key]]}
      error={p.errors[name(key)]}
      small
      inline
    />
  );
  return (
    <form method="get" action={caseOfficePaths(p.lang).inbox} novalidate id="filtros">
      <h2 class="govuk-heading-m">{t("Filtrar", "Filter")}</h2>
      <InstitutionField
        lang={p.lang}
        name={name("institution")}
        institutions={p.institutions}
        selected={f.institution}
      />
      <Select
        lang={p.lang}
        name={name("status")}
        label={t("Estado", "Status")}
        options={statusOptions}
        selected={f.status}
        error={p.errors[name("status")]}
      />
      {radios("due", t("Plazo legal", "Legal deadline"), [
        { value: "", label: t("Cualquier plazo", "Any deadline") },
        { value: "soon", label: t("Vencen pronto o ya vencieron", "Due soon or overdue") },
        { value: "overdue", label: t("Vencidos", "Overdue") },
      ])}
      {radios("assignment", t("Asignación", "Assignment"), [
        { value: "", label: t("Todos", "All") },
        { value: "mine", label: t("Asignados a mí", "Assigned to me") },
        { value: "unassigned", label: t("Sin asignar", "Unassigned") },
      ])}
      <TextInput
        lang={p.lang}
        name="folio"
        label={t("Folio", "Folio")}
        hint={t("Por ejemplo SRE-2026-000123", "For example SRE-2026-000123")}
        value={p.errors.folio ? "" : f.folio}
        error={p.errors.folio}
        width={20}
        maxLength={40}
        spellcheck={false}
        upper
      />
      <Button secondary>{t("Aplicar filtros", "Apply filters")}</Button>
    </form>
  );
}

function InboxResults(p: { lang: Lang; filter: InboxFilter; result: InboxResult }) {
  const t = translator(p.lang);
  const o = caseOfficePaths(p.lang);
  const r = p.result;
  const pages = Math.max(1, Math.ceil(r.total / INBOX_PAGE_SIZE));
  return (
    <>
      <h2 class="govuk-heading-m" id="resultados">
        {r.more
          ? t("Más de 10 000 expedientes", "More than 10,000 cases")
          : r.total === 1
            ? t("1 expediente", "1 case")
            : t(`${formatNumber(r.total, "es")} expedientes`, `${formatNumber(r.total, "en")} cases`)}
      </h2>
      {r.rows.length === 0 ? (
        <p class="govuk-body">
          {r.total === 0
            ? t("No hay expedientes con estos filtros.", "There are no cases with these filters.")
            : t("Esta página no tiene expedientes.", "This page has no cases.")}
        </p>
      ) : (
        <DataTable
          label={t("Expedientes, por plazo legal", "Cases, by legal deadline")}
          caption={t(
            "Expedientes ordenados por plazo legal, el más próximo primero",
            "Cases sorted by legal deadline, the nearest first",
          )}
          head={[
            t("Folio", "Folio"),
            t("Trámite", "Procedure"),
            t("Solicitante", "Applicant"),
            t("Estado", "Status"),
            t("Plazo legal", "Legal deadline"),
            t("Asignado a", "Assigned to"),
          ]}
        >
          {r.rows.map((row) => (
            <tr class="govuk-table__row">
              <th scope="row" class="govuk-table__header">
                <a class="govuk-link" href={o.case(row.publicId)}>
                  {row.folio}
                </a>
              </th>
              <td class="govuk-table__cell">
                {pick(row.citizenName, p.lang)}
                <br />
                <span class="govuk-body-s">{row.homoclave}</span>
              </td>
              <td class="govuk-table__cell">{row.applicantName}</td>
              <td class="govuk-table__cell">
                <StatusTag status={row.status} lang={p.lang} />
              </td>
              <td class="govuk-table__cell">
                <StaffDeadline view={deadlineView(row, r.today, r.closed)} lang={p.lang} status={row.status} />
              </td>
              <td class="govuk-table__cell">{row.assigneeName ?? t("Sin asignar", "Unassigned")}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pagination lang={p.lang} filter={p.filter} pages={r.more ? MAX_PAGE : pages} />
    </>
  );
}

export function InboxPage(p: {
  lang: Lang;
  alternateHref: string;
  institutions: string[];
  filter: InboxFilter;
  errors: FieldErrors;
  result?: InboxResult | undefined;
  showPayments: boolean;
  showOutbox: boolean;
}) {
  const t = translator(p.lang);
  const o = caseOfficePaths(p.lang);
  const f = p.filter;
  const title = t(`Expedientes de ${f.institution}`, `${f.institution} cases`);
  return (
    <OfficeShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
      <ErrorSummary lang={p.lang} errors={p.errors} />
      <h1 class="govuk-heading-l">{title}</h1>
      {p.showPayments || p.showOutbox ? (
        <ul class="govuk-list">
          {p.showPayments ? (
            <li>
              <a class="govuk-link" href={`${o.payments}?${paramName("institution", p.lang)}=${f.institution}`}>
                {t("Conciliar pagos con el archivo del banco", "Reconcile payments with the bank's file")}
              </a>
            </li>
          ) : null}
          {p.showOutbox ? (
            <li>
              <a class="govuk-link" href={o.outbox}>
                {t("Correo saliente (desarrollo)", "Outgoing mail (development)")}
              </a>
            </li>
          ) : null}
        </ul>
      ) : null}
      <InboxFilters lang={p.lang} institutions={p.institutions} filter={f} errors={p.errors} />
      {p.result ? <InboxResults lang={p.lang} filter={f} result={p.result} /> : null}
    </OfficeShell>
  );
}
