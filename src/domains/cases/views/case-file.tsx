/**
 * The case file in the back office: what was asked and answered, documents, payment, the
 * information request and resolution, the history, and the forms of the actions the viewer may
 * take (take, assign, review, prevención, resolve, notes, internal documents). The use cases
 * (casework.ts) check every rule again; this page only decides which forms to show.
 */
import { SuccessBanner, WarningText } from "../../../platform/views/components.js";
import { Choices, ErrorSummary, FileInput, Select, Textarea, type FieldErrors } from "../../../platform/views/forms.js";
import { formatDate, formatMoney, pick, translator, type Lang } from "../../../platform/views/i18n.js";
import type { Viewer } from "../../accounts/sessions.js";
import type { FileAnswer, FormDefinition, GroupQuestion, Question } from "../../forms/definition.js";
import { summaryRows } from "../../forms/engine.js";
import type * as casework from "../casework.js";
import { deadlineView } from "../deadlines.js";
import { caseOfficePaths, casePaths } from "../paths.js";
import { canAssignCases, canTakeCase, canWorkCase } from "../policies.js";
import { allowedActions, isOpen, STATUS_LABELS, type CaseAction } from "../states.js";
import { ActionForm, DataTable, institutionInbox, OfficeShell, StaffDeadline, SummaryList } from "./inbox.js";
import { dateTime, StatusTag } from "./my-cases.js";

export type CaseFile = Awaited<ReturnType<typeof casework.caseFile>>;

/** The history in the staff's words, internal events included (the person's page has its own). */
const EVENT_LABELS: Record<string, [string, string]> = {
  submitted: ["Solicitud enviada", "Application sent"],
  payment_received: ["Pago recibido", "Payment received"],
  start_review: ["Revisión iniciada", "Review started"],
  request_information: ["Información solicitada (prevención)", "Information requested"],
  answer_information: ["La persona respondió", "The applicant answered"],
  resolve_favourable: ["Resuelto a favor", "Approved"],
  resolve_unfavourable: ["Resuelto en contra", "Refused"],
  withdraw: ["Retirado por la persona", "Withdrawn by the applicant"],
  assigned: ["Asignado", "Assigned"],
  unassigned: ["Asignación retirada", "Unassigned"],
  note: ["Nota interna", "Internal note"],
  internal_document: ["Documento interno agregado", "Internal document added"],
};

/** The banner after an action worked, by the value of the `done` query parameter. */
const DONE = {
  take: ["Tomaste el expediente.", "You took the case."],
  assign: ["Se guardó la asignación.", "The assignment was saved."],
  review: ["El expediente está en revisión.", "The case is in review."],
  request: [
    "Se pidió la información; el plazo legal se detuvo y avisamos a la persona.",
    "The information was requested; the legal deadline stopped and the applicant was told.",
  ],
  resolve: ["Se emitió la resolución; avisamos a la persona.", "The resolution was issued; the applicant was told."],
  note: ["Se agregó la nota interna.", "The internal note was added."],
  document: ["Se agregó el documento interno.", "The internal document was added."],
} satisfies Record<string, [string, string]>;
export type Done = keyof typeof DONE;
export const isDone = (value: string): value is Done => Object.hasOwn(DONE, value);

/** Longest text the action forms accept, as the use cases check it. */
const TEXT_MAX_LENGTH = 5000;

/** What the action forms show again after a refusal, or the banner after a success. */
export interface CaseForms {
  values: Record<string, string>;
  errors: FieldErrors;
  message?: string | undefined;
  done?: Done | undefined;
}

interface Common {
  lang: Lang;
  file: CaseFile;
}

const byLang = (pair: [string, string], lang: Lang) => pair[lang === "en" ? 1 : 0];

const LOCALE: Record<Lang, string> = { es: "es-MX", en: "en-GB" };

function fileSize(bytes: number, lang: Lang): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / 1024 / 1024, "MB"] : [bytes / 1024, "KB"];
  return `${value.toLocaleString(LOCALE[lang], { maximumFractionDigits: 1 })} ${unit}`;
}

function InternalTag(p: { lang: Lang; feminine?: boolean }) {
  const t = translator(p.lang);
  return (
    <>
      {" "}
      <strong class="govuk-tag govuk-tag--purple">
        {p.feminine ? t("Interna", "Internal") : t("Interno", "Internal")}
      </strong>
    </>
  );
}

function questionsById(def: FormDefinition): Map<string, Question | GroupQuestion> {
  const out = new Map<string, Question | GroupQuestion>();
  for (const page of def.pages) for (const q of page.questions) out.set(q.id, q);
  return out;
}

function Answers(p: Common) {
  const t = translator(p.lang);
  const { app, definition } = p.file;
  const questions = questionsById(definition);
  const rows = summaryRows(definition, app.answers, p.lang);
  if (!rows.length)
    return <p class="govuk-body">{t("La solicitud no tiene respuestas.", "The application has no answers.")}</p>;
  return (
    <SummaryList
      rows={rows.map((row) => {
        const answer = app.answers[row.questionId];
        const isFile =
          questions.get(row.questionId)?.type === "file" &&
          typeof answer === "object" &&
          answer !== null &&
          "uploadId" in answer;
        return {
          key: row.label,
          value: isFile ? (
            <a class="govuk-link vt-break" href={casePaths(p.lang).document((answer as FileAnswer).uploadId)}>
              {row.value}
            </a>
          ) : (
            <span class="vt-pre-line">{row.value}</span>
          ),
        };
      })}
    />
  );
}

function CaseSummary(p: Common & { today: string }) {
  const t = translator(p.lang);
  const { app } = p.file;
  return (
    <SummaryList
      rows={[
        { key: t("Folio", "Folio"), value: app.folio },
        {
          key: t("Trámite", "Procedure"),
          value: (
            <>
              {pick(app.citizenName, p.lang)} ({app.homoclave})
              <br />
              {pick(app.institutionName, p.lang)}
            </>
          ),
        },
        {
          key: t("Solicitante", "Applicant"),
          value: (
            <>
              {app.applicantName}
              <br />
              <span class="vt-break">{app.applicantEmail}</span>
            </>
          ),
        },
        { key: t("Enviado", "Submitted"), value: dateTime(app.submittedAt, p.lang) },
        { key: t("Estado", "Status"), value: <StatusTag status={app.status} lang={p.lang} /> },
        {
          key: t("Plazo legal", "Legal deadline"),
          value: <StaffDeadline view={deadlineView(app, p.today, p.file.closed)} lang={p.lang} status={app.status} />,
        },
        { key: t("Asignado a", "Assigned to"), value: app.assigneeName ?? t("Sin asignar", "Unassigned") },
      ]}
    />
  );
}

function InformationRequest(p: Common) {
  const t = translator(p.lang);
  const { request } = p.file;
  if (!request) return null;
  return (
    <>
      <h2 class="govuk-heading-m">{t("Información solicitada", "Information requested")}</h2>
      <div class="govuk-inset-text">
        <p class="govuk-body vt-pre-line">{request.message}</p>
        <p class="govuk-body-s">
          {t(
            `Pedida el ${dateTime(request.requestedAt, "es")}. La persona tiene hasta el ${formatDate(request.respondBy, "es")} para responder.`,
            `Requested on ${dateTime(request.requestedAt, "en")}. The applicant has until ${formatDate(request.respondBy, "en")} to answer.`,
          )}
        </p>
      </div>
    </>
  );
}

function Resolution(p: Common) {
  const t = translator(p.lang);
  const { resolution } = p.file;
  if (!resolution) return null;
  return (
    <>
      <h2 class="govuk-heading-m">{t("Resolución", "Resolution")}</h2>
      <SummaryList
        rows={[
          {
            key: t("Sentido", "Outcome"),
            value:
              resolution.outcome === "favourable" ? (
                <strong class="govuk-tag govuk-tag--green">{t("A favor", "Approved")}</strong>
              ) : (
                <strong class="govuk-tag govuk-tag--red">{t("En contra", "Refused")}</strong>
              ),
          },
          {
            key: t("Fundamentos y motivos", "Grounds and reasons"),
            value: <span class="vt-pre-line">{resolution.reasons}</span>,
          },
          { key: t("Firmó", "Signed by"), value: resolution.signerName },
          { key: t("Fecha", "Date"), value: dateTime(resolution.resolvedAt, p.lang) },
          {
            key: t("Código de verificación", "Verification code"),
            value: (
              <>
                <code class="vt-code">{resolution.verificationCode}</code>
                <br />
                <a class="govuk-link" href={casePaths(p.lang).verifyCode(resolution.verificationCode)}>
                  {t("Verificar la resolución", "Verify the resolution")}
                </a>
                {resolution.storageKey ? null : (
                  <>
                    <br />
                    {t("El documento PDF se está generando.", "The PDF document is being produced.")}
                  </>
                )}
              </>
            ),
          },
        ]}
      />
    </>
  );
}

function Documents(p: Common) {
  const t = translator(p.lang);
  const { uploads } = p.file;
  return (
    <>
      <h2 class="govuk-heading-m">{t("Documentos", "Documents")}</h2>
      {uploads.length ? (
        <ul class="govuk-list govuk-list--bullet">
          {uploads.map((u) => (
            <li>
              <a class="govuk-link vt-break" href={casePaths(p.lang).document(u.publicId)}>
                {u.name}
              </a>{" "}
              ({fileSize(u.bytes, p.lang)}, {dateTime(u.createdAt, p.lang)})
              {u.internal ? <InternalTag lang={p.lang} /> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p class="govuk-body">{t("No hay documentos.", "There are no documents.")}</p>
      )}
    </>
  );
}

function Payment(p: Common) {
  const t = translator(p.lang);
  const { payment } = p.file;
  return (
    <>
      <h2 class="govuk-heading-m">{t("Pago", "Payment")}</h2>
      {payment ? (
        <SummaryList
          rows={[
            {
              key: t("Estado del pago", "Payment status"),
              value:
                payment.status === "paid" ? (
                  <strong class="govuk-tag govuk-tag--green">{t("Pagado", "Paid")}</strong>
                ) : (
                  <strong class="govuk-tag govuk-tag--grey">{t("Pendiente", "Pending")}</strong>
                ),
            },
            { key: t("Importe", "Amount"), value: formatMoney(payment.amountCentavos / 100, p.lang) },
            { key: t("Referencia", "Reference"), value: <code class="vt-code">{payment.reference}</code> },
            payment.paidOn
              ? { key: t("Pagado el", "Paid on"), value: formatDate(payment.paidOn, p.lang) }
              : { key: t("Vigente hasta", "Valid until"), value: formatDate(payment.expiresOn, p.lang) },
          ]}
        />
      ) : (
        <p class="govuk-body">{t("Este trámite no tiene pago.", "This procedure has no fee.")}</p>
      )}
    </>
  );
}

/** The forms of the actions the viewer may take now; nothing when there are none. */
function Actions(p: Common & { csrf: string; viewer: Viewer; forms: CaseForms }) {
  const t = translator(p.lang);
  const o = caseOfficePaths(p.lang);
  const { app, staff } = p.file;
  const { values, errors } = p.forms;
  const canWork = canWorkCase(p.viewer, app);
  const actions: CaseAction[] = canWork ? allowedActions(app.status, "staff") : [];
  const canTake = canTakeCase(p.viewer, app) && isOpen(app.status);
  const canAssign = canAssignCases(p.viewer, app.institution) && isOpen(app.status);
  if (!canTake && !canAssign && !actions.length && !canWork) return null;
  const to = (path: (id: string) => string) => ({ action: path(app.publicId), csrf: p.csrf });
  const text = (name: string, label: string, hint: string, rows: number) => (
    <Textarea
      lang={p.lang}
      name={name}
      label={label}
      hint={hint}
      value={values[name]}
      error={errors[name]}
      rows={rows}
      maxLength={TEXT_MAX_LENGTH}
    />
  );
  return (
    <>
      <h2 class="govuk-heading-l">{t("Acciones", "Actions")}</h2>
      {canTake ? <ActionForm {...to(o.take)} submit={t("Tomar este expediente", "Take this case")} /> : null}
      {canAssign ? (
        <ActionForm
          {...to(o.assign)}
          heading={t("Asignar", "Assign")}
          submit={t("Guardar asignación", "Save assignment")}
          button="secondary"
        >
          <Select
            lang={p.lang}
            name="assignee"
            label={t("Persona que atiende el expediente", "Person working the case")}
            options={[
              { value: "", label: t("Nadie (sin asignar)", "Nobody (unassigned)") },
              ...staff.map((s) => ({ value: String(s.id), label: s.name })),
            ]}
            selected={values.assignee ?? (app.assignedTo === null ? "" : String(app.assignedTo))}
            error={errors.assignee}
          />
        </ActionForm>
      ) : null}
      {actions.includes("start_review") ? (
        <ActionForm
          {...to(o.review)}
          heading={t("Revisión", "Review")}
          submit={t("Iniciar la revisión", "Start the review")}
        />
      ) : null}
      {actions.includes("request_information") ? (
        <ActionForm
          {...to(o.requestInformation)}
          heading={t("Pedir información (prevención)", "Ask for information")}
          submit={t("Pedir información", "Ask for information")}
          button="secondary"
        >
          {text(
            "message",
            t("Qué información o documento falta", "What information or document is missing"),
            t(
              "La persona lo leerá tal cual. El plazo legal se detiene hasta que responda.",
              "The applicant will read it as written. The legal deadline stops until they answer.",
            ),
            5,
          )}
        </ActionForm>
      ) : null}
      {actions.includes("resolve_favourable") || actions.includes("resolve_unfavourable") ? (
        <ActionForm
          {...to(o.resolve)}
          heading={t("Resolver", "Resolve")}
          submit={t("Emitir la resolución", "Issue the resolution")}
          button="warning"
        >
          <Choices
            lang={p.lang}
            name="outcome"
            legend={t("Sentido de la resolución", "Outcome of the resolution")}
            choices={[
              { value: "favourable", label: t("A favor", "Approve") },
              { value: "unfavourable", label: t("En contra", "Refuse") },
            ]}
            selected={values.outcome ? [values.outcome] : []}
            error={errors.outcome}
            small
          />
          {text(
            "reasons",
            t("Fundamentos y motivos", "Grounds and reasons"),
            t(
              "Las normas en que se funda y las razones; aparecen en la resolución.",
              "The rules it rests on and the reasons; they appear in the resolution.",
            ),
            6,
          )}
          <WarningText label={t("Aviso", "Warning")}>
            {t(
              "Esto emite el documento oficial firmado a tu nombre, cierra el expediente y avisa a la persona. No se puede deshacer.",
              "This issues the official document signed in your name, closes the case and tells the applicant. It cannot be undone.",
            )}
          </WarningText>
        </ActionForm>
      ) : null}
      {canWork ? (
        <>
          <ActionForm
            {...to(o.note)}
            heading={t("Nota interna", "Internal note")}
            submit={t("Agregar nota", "Add note")}
            button="secondary"
          >
            {text(
              "note",
              t("Nota", "Note"),
              t(
                "La ve solo el personal de la institución, nunca la persona.",
                "Only the institution's staff see it, never the applicant.",
              ),
              3,
            )}
          </ActionForm>
          <ActionForm
            {...to(o.document)}
            heading={t("Documento interno", "Internal document")}
            submit={t("Agregar documento", "Add document")}
            button="secondary"
            multipart
          >
            <FileInput
              lang={p.lang}
              name="document"
              label={t("Archivo", "File")}
              hint={t(
                "PDF, JPG o PNG, de hasta 20 MB. Lo ve solo el personal de la institución.",
                "PDF, JPG or PNG, up to 20 MB. Only the institution's staff see it.",
              )}
              error={errors.document}
              accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
            />
          </ActionForm>
        </>
      ) : null}
    </>
  );
}

function History(p: Common) {
  const t = translator(p.lang);
  return (
    <>
      <h2 class="govuk-heading-m">{t("Historial", "History")}</h2>
      <DataTable
        label={t("Historial del expediente", "Case history")}
        head={[t("Fecha", "Date"), t("Qué pasó", "What happened"), t("Quién", "Who")]}
      >
        {p.file.events.map((ev) => (
          <tr class="govuk-table__row">
            <td class="govuk-table__cell">{dateTime(ev.at, p.lang)}</td>
            <td class="govuk-table__cell">
              {EVENT_LABELS[ev.kind] ? byLang(EVENT_LABELS[ev.kind]!, p.lang) : ev.kind}
              {ev.visibleToApplicant ? null : <InternalTag lang={p.lang} feminine />}
              {ev.toStatus && ev.fromStatus && ev.toStatus !== ev.fromStatus ? (
                <span class="govuk-body-s">
                  {" "}
                  ({STATUS_LABELS[ev.fromStatus][p.lang]} → {STATUS_LABELS[ev.toStatus][p.lang]})
                </span>
              ) : null}
              {ev.body ? <p class="govuk-body-s vt-pre-line govuk-!-margin-bottom-0">{ev.body}</p> : null}
            </td>
            <td class="govuk-table__cell">{ev.actorName ?? t("El sistema", "The system")}</td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}

export function CasePage(p: {
  lang: Lang;
  alternateHref: string;
  csrf: string;
  viewer: Viewer;
  file: CaseFile;
  today: string;
  forms: CaseForms;
}) {
  const t = translator(p.lang);
  const { app } = p.file;
  const title = t(`Expediente ${app.folio}`, `Case ${app.folio}`);
  const done = p.forms.done ? DONE[p.forms.done] : undefined;
  return (
    <OfficeShell
      lang={p.lang}
      title={title}
      alternateHref={p.alternateHref}
      crumbs={[{ href: institutionInbox(p.lang, app.institution), label: t("Expedientes", "Cases") }]}
    >
      {done ? <SuccessBanner title={t("Hecho", "Done")}>{byLang(done, p.lang)}</SuccessBanner> : null}
      <ErrorSummary lang={p.lang} errors={p.forms.errors} message={p.forms.message} />
      <span class="govuk-caption-l">{pick(app.citizenName, p.lang)}</span>
      <h1 class="govuk-heading-l">{title}</h1>
      <CaseSummary lang={p.lang} file={p.file} today={p.today} />
      <InformationRequest lang={p.lang} file={p.file} />
      <Resolution lang={p.lang} file={p.file} />
      <h2 class="govuk-heading-m">{t("Respuestas de la solicitud", "Answers in the application")}</h2>
      <Answers lang={p.lang} file={p.file} />
      <Documents lang={p.lang} file={p.file} />
      <Payment lang={p.lang} file={p.file} />
      <Actions lang={p.lang} file={p.file} csrf={p.csrf} viewer={p.viewer} forms={p.forms} />
      <History lang={p.lang} file={p.file} />
    </OfficeShell>
  );
}
