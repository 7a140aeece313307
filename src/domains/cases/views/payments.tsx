/**
 * Reconciling payments with the bank's file: the report of the last import (recorded, already
 * paid, unknown, different amount), the lines with problems, and the upload form with the file's
 * format. The import itself is payments.ts; the CSV format is reconciliation.ts.
 */
import type { ComponentChildren } from "preact";
import { SuccessBanner } from "../../../platform/views/components.js";
import { ErrorSummary, FileInput } from "../../../platform/views/forms.js";
import { formatMoney, translator, type Lang } from "../../../platform/views/i18n.js";
import { caseOfficePaths } from "../paths.js";
import type { ReconciliationReport } from "../payments.js";
import { RECONCILIATION_COLUMNS } from "../reconciliation.js";
import { ActionForm, DataTable, InstitutionField, OfficeShell, paramName } from "./inbox.js";

export interface LineProblem {
  line: number;
  message: string;
}

const EXAMPLE = "00600001234526043040,1234.50,2026-04-12,BANORTE,884213";

/** The file's columns: name, what it holds in Spanish and in English. */
const COLUMNS: [string, string, string][] = [
  [
    "referencia",
    "La referencia de pago de 20 dígitos (se aceptan espacios).",
    "The 20-digit payment reference (spaces allowed).",
  ],
  [
    "importe",
    "Pesos con dos decimales y sin comas, por ejemplo 1234.50.",
    "Pesos with two decimals and no commas, e.g. 1234.50.",
  ],
  ["fecha_pago", "Fecha del pago, AAAA-MM-DD; no posterior a hoy.", "Payment date, YYYY-MM-DD; not later than today."],
  ["banco", "El banco que recibió el pago.", "The bank that received the payment."],
  ["operacion", "Número de operación del banco (único por banco).", "The bank's operation number (unique per bank)."],
];

/** The parts of the report listed by line and reference: their heading and what they mean. */
const LISTED: { key: "alreadyPaid" | "unknown"; heading: [string, string]; intro: [string, string] }[] = [
  {
    key: "alreadyPaid",
    heading: ["Ya estaban pagados", "Already paid"],
    intro: [
      "Estas líneas ya se habían registrado (por ejemplo, en un archivo anterior); no cambió nada.",
      "These lines were already recorded (for example, in an earlier file); nothing changed.",
    ],
  },
  {
    key: "unknown",
    heading: ["Referencias desconocidas", "Unknown references"],
    intro: [
      "No son pagos de esta institución. Revísalas con el banco.",
      "They are not payments of this institution. Check them with the bank.",
    ],
  },
];

/** One part of the report: a heading, what it means, and its lines; nothing when it has no lines. */
function ReportSection(p: { lines: readonly unknown[]; heading: string; intro?: string; children: ComponentChildren }) {
  if (!p.lines.length) return null;
  return (
    <>
      <h2 class="govuk-heading-m">{p.heading}</h2>
      {p.intro ? <p class="govuk-body">{p.intro}</p> : null}
      {p.children}
    </>
  );
}

/** Lines of the file by number and reference. */
function LineList(p: { lang: Lang; lines: { line: number; reference: string }[] }) {
  const t = translator(p.lang);
  return (
    <ul class="govuk-list">
      {p.lines.map((m) => (
        <li class="vt-break">{t(`Línea ${m.line}: ${m.reference}`, `Line ${m.line}: ${m.reference}`)}</li>
      ))}
    </ul>
  );
}

function Report(p: { lang: Lang; institution: string; report: ReconciliationReport }) {
  const t = translator(p.lang);
  const r = p.report;
  const money = (centavos: number) => formatMoney(centavos / 100, p.lang);
  const folioHref = (folio: string) =>
    `${caseOfficePaths(p.lang).inbox}?${new URLSearchParams({
      [paramName("institution", p.lang)]: p.institution,
      [paramName("status", p.lang)]: "open",
      folio,
    }).toString()}`;
  const line = t("Línea", "Line");
  const reference = t("Referencia", "Reference");
  return (
    <>
      <SuccessBanner title={t("Archivo conciliado", "File reconciled")}>
        {t(
          `${n(r.lines, "línea leída", "líneas leídas")}: ${n(r.matched.length, "pago registrado", "pagos registrados")}, ${n(r.alreadyPaid.length, "ya estaba pagado", "ya estaban pagados")}, ${n(r.unknown.length, "referencia desconocida", "referencias desconocidas")}, ${r.mismatched.length} con importe distinto.`,
          `${n(r.lines, "line read", "lines read")}: ${n(r.matched.length, "payment recorded", "payments recorded")}, ${r.alreadyPaid.length} already paid, ${n(r.unknown.length, "unknown reference", "unknown references")}, ${r.mismatched.length} with a different amount.`,
        )}
      </SuccessBanner>
      <ReportSection lines={r.matched} heading={t("Pagos registrados", "Payments recorded")}>
        <DataTable label={t("Pagos registrados", "Payments recorded")} head={[line, reference, t("Folio", "Folio")]}>
          {r.matched.map((m) => (
            <tr class="govuk-table__row">
              <td class="govuk-table__cell">{m.line}</td>
              <td class="govuk-table__cell vt-break">{m.reference}</td>
              <td class="govuk-table__cell">
                <a class="govuk-link" href={folioHref(m.folio)}>
                  {m.folio}
                </a>
              </td>
            </tr>
          ))}
        </DataTable>
      </ReportSection>
      {LISTED.map((part) => (
        <ReportSection lines={r[part.key]} heading={t(...part.heading)} intro={t(...part.intro)}>
          <LineList lang={p.lang} lines={r[part.key]} />
        </ReportSection>
      ))}
      <ReportSection
        lines={r.mismatched}
        heading={t("Importe distinto", "Different amount")}
        intro={t(
          "No se registraron: lo pagado no coincide con lo que se debía.",
          "Not recorded: what was paid does not match what was owed.",
        )}
      >
        <DataTable
          label={t("Pagos con importe distinto", "Payments with a different amount")}
          head={[line, reference, t("Se debía", "Owed"), t("Se pagó", "Paid")]}
        >
          {r.mismatched.map((m) => (
            <tr class="govuk-table__row">
              <td class="govuk-table__cell">{m.line}</td>
              <td class="govuk-table__cell vt-break">{m.reference}</td>
              <td class="govuk-table__cell">{money(m.expectedCentavos)}</td>
              <td class="govuk-table__cell">{money(m.paidCentavos)}</td>
            </tr>
          ))}
        </DataTable>
      </ReportSection>
    </>
  );
}

/** What the bank's file must look like, then the form to upload it. */
function UploadForm(p: {
  lang: Lang;
  csrf: string;
  institutions: string[];
  institution: string;
  fileError?: string | undefined;
}) {
  const t = translator(p.lang);
  return (
    <>
      <h2 class="govuk-heading-m">{t("Subir el archivo del banco", "Upload the bank's file")}</h2>
      <p class="govuk-body">
        {t(
          "Un archivo CSV en UTF-8, de hasta 5 MB. Si alguna línea tiene un problema no se registra ningún pago; se listan todas para corregirlas de una vez. Subir el mismo archivo otra vez no registra nada dos veces.",
          "A CSV file in UTF-8, up to 5 MB. If any line has a problem no payment is recorded; all of them are listed so they can be fixed in one go. Uploading the same file again records nothing twice.",
        )}
      </p>
      <p class="govuk-body">{t("La primera línea es el encabezado:", "The first line is the header:")}</p>
      <p class="govuk-body">
        <code class="vt-code">{RECONCILIATION_COLUMNS.join(",")}</code>
      </p>
      <DataTable
        label={t("Columnas del archivo", "The file's columns")}
        head={[t("Columna", "Column"), t("Qué contiene", "What it holds")]}
      >
        {COLUMNS.map(([name, es, en]) => (
          <tr class="govuk-table__row">
            <th scope="row" class="govuk-table__header">
              <code class="vt-code">{name}</code>
            </th>
            <td class="govuk-table__cell">{t(es, en)}</td>
          </tr>
        ))}
      </DataTable>
      <p class="govuk-body">
        {t("Por ejemplo: ", "For example: ")}
        <code class="vt-code">{EXAMPLE}</code>
      </p>
      <ActionForm
        action={caseOfficePaths(p.lang).payments}
        csrf={p.csrf}
        submit={t("Conciliar", "Reconcile")}
        multipart
      >
        <InstitutionField lang={p.lang} name="institution" institutions={p.institutions} selected={p.institution} />
        <FileInput
          lang={p.lang}
          name="file"
          label={t("Archivo de conciliación (CSV)", "Reconciliation file (CSV)")}
          hint={t("CSV en UTF-8, hasta 5 MB.", "CSV in UTF-8, up to 5 MB.")}
          error={p.fileError}
          accept=".csv,text/csv"
        />
      </ActionForm>
    </>
  );
}

/** A count with its noun in singular or plural. */
const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

export function PaymentsPage(p: {
  lang: Lang;
  alternateHref: string;
  csrf: string;
  institutions: string[];
  institution: string;
  report?: ReconciliationReport | undefined;
  fileError?: string | undefined;
  problems: LineProblem[];
}) {
  const t = translator(p.lang);
  const title = t("Conciliar pagos", "Reconcile payments");
  const problems = t("Líneas con problemas", "Lines with problems");
  return (
    <OfficeShell
      lang={p.lang}
      title={title}
      alternateHref={p.alternateHref}
      crumbs={[{ href: caseOfficePaths(p.lang).inbox, label: t("Expedientes", "Cases") }]}
    >
      <ErrorSummary lang={p.lang} errors={p.fileError ? { file: p.fileError } : {}} />
      <h1 class="govuk-heading-l">{title}</h1>
      {p.report ? <Report lang={p.lang} institution={p.institution} report={p.report} /> : null}
      <ReportSection lines={p.problems} heading={problems}>
        <DataTable label={problems} head={[t("Línea", "Line"), t("Problema", "Problem")]}>
          {p.problems.map((x) => (
            <tr class="govuk-table__row">
              <td class="govuk-table__cell">{x.line}</td>
              <td class="govuk-table__cell vt-break">{x.message}</td>
            </tr>
          ))}
        </DataTable>
      </ReportSection>
      <UploadForm
        lang={p.lang}
        csrf={p.csrf}
        institutions={p.institutions}
        institution={p.institution}
        fileError={p.fileError}
      />
    </OfficeShell>
  );
}
