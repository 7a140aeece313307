/** The person's applications: the list, one case with what to do next, and the public verification page. */
import type { ComponentChildren } from "preact";
import { ConfirmationPanel, ScrollRegion, SuccessBanner, WarningText } from "../../../platform/views/components.js";
import {
  Button,
  ErrorSummary,
  PostForm,
  Textarea,
  TextInput,
  type FieldErrors,
} from "../../../platform/views/forms.js";
import { formatDate, formatMoney, pick, translator, type Lang } from "../../../platform/views/i18n.js";
import { PageShell } from "../../catalogue/views/common.js";
import { accountPaths } from "../../accounts/paths.js";
import type { SummaryRow } from "../../forms/engine.js";
import type { DeadlineView } from "../deadlines.js";
import { casePaths } from "../paths.js";
import type {
  ApplicationRow,
  DraftRow,
  EventRow,
  InformationRequestRow,
  PaymentRow,
  ResolutionRow,
  UploadRow,
} from "../queries.js";
import { STATUS_LABELS, type CaseStatus } from "../states.js";

interface Common {
  lang: Lang;
  alternateHref: string;
  csrf: string;
}

const TAG: Record<CaseStatus, string> = {
  awaiting_payment: "govuk-tag--yellow",
  received: "govuk-tag--blue",
  in_review: "govuk-tag--light-blue",
  information_requested: "govuk-tag--orange",
  resolved_favourable: "govuk-tag--green",
  resolved_unfavourable: "govuk-tag--red",
  withdrawn: "govuk-tag--grey",
};

export function StatusTag(p: { status: CaseStatus; lang: Lang }) {
  return <strong class={`govuk-tag ${TAG[p.status]}`}>{STATUS_LABELS[p.status][p.lang]}</strong>;
}

export const dateTime = (iso: string, lang: Lang) =>
  new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "es-MX", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "America/Mexico_City",
  }).format(new Date(iso));

/** The deadline in words: when, how many business days are left, and the ficta once it has passed. */
export function DeadlineText(p: { view: DeadlineView; lang: Lang }) {
  const t = translator(p.lang);
  const v = p.view;
  if (v.state === "paused")
    return (
      <>
        {t(
          "En pausa hasta que respondas la solicitud de información.",
          "Paused until you answer the information request.",
        )}
      </>
    );
  if (v.state === "not_started" || !v.deadline)
    return <>{t("Empieza a contar cuando se registre el pago.", "Starts when the payment is registered.")}</>;
  const date = formatDate(v.deadline, p.lang);
  if (v.state === "closed") return <>{date}</>;
  if (v.state === "overdue")
    return (
      <>
        {t(`Venció el ${date}.`, `Passed on ${date}.`)}{" "}
        {v.ficta === "afirmativa"
          ? t(
              "Aplica la afirmativa ficta: la ley considera aprobada tu solicitud. Puedes pedir a la institución la constancia.",
              "Afirmativa ficta applies: the law treats your application as approved. You can ask the institution for the certificate.",
            )
          : v.ficta === "negativa"
            ? t(
                "Aplica la negativa ficta: la ley considera negada tu solicitud; puedes impugnarla.",
                "Negativa ficta applies: the law treats your application as refused; you can challenge it.",
              )
            : null}
      </>
    );
  return (
    <>
      {date} {t(`(quedan ${v.daysLeft} días hábiles)`, `(${v.daysLeft} business days left)`)}
    </>
  );
}

export function MyApplicationsPage(
  p: Common & {
    applications: ApplicationRow[];
    drafts: (DraftRow & { homoclave: string; citizenName: { es: string; en?: string } })[];
    deadlines: Map<number, DeadlineView>;
    notice?: string | undefined;
  },
) {
  const t = translator(p.lang);
  const c = casePaths(p.lang);
  const title = t("Mis trámites", "My applications");
  return (
    <PageShell
      lang={p.lang}
      title={title}
      alternateHref={p.alternateHref}
      breadcrumbs={[{ href: accountPaths(p.lang).account, label: t("Mi cuenta", "My account") }]}
    >
      {p.notice ? <SuccessBanner title={t("Listo", "Done")}>{p.notice}</SuccessBanner> : null}
      <h1 class="govuk-heading-l">{title}</h1>
      {p.drafts.length ? (
        <>
          <h2 class="govuk-heading-m">{t("Sin enviar", "Not sent yet")}</h2>
          <ul class="govuk-list">
            {p.drafts.map((d) => (
              <li>
                <a class="govuk-link" href={c.draft(d.publicId)}>
                  {pick(d.citizenName as { es: string }, p.lang)}
                </a>{" "}
                <span class="govuk-hint">
                  {t(
                    `Se guarda hasta el ${formatDate(d.expiresAt, "es")}`,
                    `Kept until ${formatDate(d.expiresAt, "en")}`,
                  )}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2 class="govuk-heading-m">{t("Enviados", "Sent")}</h2>
      {p.applications.length ? (
        <ScrollRegion label={t("Trámites enviados", "Sent applications")}>
          <table class="govuk-table">
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">
                  {t("Folio", "Folio")}
                </th>
                <th scope="col" class="govuk-table__header">
                  {t("Trámite", "Procedure")}
                </th>
                <th scope="col" class="govuk-table__header">
                  {t("Estado", "Status")}
                </th>
                <th scope="col" class="govuk-table__header">
                  {t("Plazo", "Deadline")}
                </th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {p.applications.map((a) => (
                <tr class="govuk-table__row">
                  <td class="govuk-table__cell">
                    <a class="govuk-link" href={c.case(a.publicId)}>
                      {a.folio}
                    </a>
                  </td>
                  <td class="govuk-table__cell">{pick(a.citizenName as { es: string }, p.lang)}</td>
                  <td class="govuk-table__cell">
                    <StatusTag status={a.status} lang={p.lang} />
                  </td>
                  <td class="govuk-table__cell">
                    <DeadlineText view={p.deadlines.get(a.id)!} lang={p.lang} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : (
        <p class="govuk-body">
          {t("Todavía no has enviado ningún trámite.", "You have not sent any application yet.")}
        </p>
      )}
    </PageShell>
  );
}

function Row(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="govuk-summary-list__row">
      <dt class="govuk-summary-list__key">{props.label}</dt>
      <dd class="govuk-summary-list__value vt-break">{props.children}</dd>
    </div>
  );
}

const EVENT_LABELS: Record<string, [string, string]> = {
  submitted: ["Solicitud enviada", "Application sent"],
  payment_received: ["Pago registrado", "Payment registered"],
  start_review: ["La institución empezó a revisarla", "The institution started reviewing it"],
  request_information: ["La institución pidió información", "The institution asked for information"],
  answer_information: ["Respondiste la solicitud de información", "You answered the information request"],
  resolve_favourable: ["Resuelta a favor", "Approved"],
  resolve_unfavourable: ["Resuelta en contra", "Refused"],
  withdraw: ["Retiraste la solicitud", "You withdrew the application"],
};

export const eventLabel = (kind: string, lang: Lang) => EVENT_LABELS[kind]?.[lang === "en" ? 1 : 0] ?? kind;

export function CasePage(
  p: Common & {
    app: ApplicationRow;
    deadline: DeadlineView;
    events: EventRow[];
    uploads: UploadRow[];
    payment: PaymentRow | undefined;
    request: InformationRequestRow | undefined;
    resolution: ResolutionRow | undefined;
    rows: SummaryRow[];
    canWithdraw: boolean;
    justSent: boolean;
    errors: FieldErrors;
    message?: string | undefined;
    answer?: string | undefined;
  },
) {
  const t = translator(p.lang);
  const c = casePaths(p.lang);
  const a = p.app;
  const name = pick(a.citizenName as { es: string }, p.lang);
  return (
    <PageShell
      lang={p.lang}
      title={`${a.folio} – ${name}`}
      alternateHref={p.alternateHref}
      breadcrumbs={[
        { href: accountPaths(p.lang).account, label: t("Mi cuenta", "My account") },
        { href: c.mine, label: t("Mis trámites", "My applications") },
      ]}
    >
      <ErrorSummary lang={p.lang} errors={p.errors} message={p.message} />
      {p.justSent ? (
        <ConfirmationPanel title={t("Enviamos tu solicitud", "Application sent")} headingLevel={2}>
          {t("Tu folio es", "Your folio is")}
          <br />
          <strong>{a.folio}</strong>
        </ConfirmationPanel>
      ) : null}
      <span class="govuk-caption-l">{a.folio}</span>
      <h1 class="govuk-heading-l">{name}</h1>
      <NextStep {...p} />
      <dl class="govuk-summary-list">
        <Row label={t("Estado", "Status")}>
          <StatusTag status={a.status} lang={p.lang} />
        </Row>
        <Row label={t("Enviado", "Sent")}>{dateTime(a.submittedAt, p.lang)}</Row>
        <Row label={t("Plazo para resolver", "Deadline to resolve")}>
          <DeadlineText view={p.deadline} lang={p.lang} />
        </Row>
        <Row label={t("Acuse de recibo", "Receipt")}>
          <a class="govuk-link" href={c.receiptPdf(a.publicId)}>
            {t("Descargar el acuse (PDF)", "Download the receipt (PDF)")}
          </a>
        </Row>
      </dl>
      <h2 class="govuk-heading-m">{t("Historial", "History")}</h2>
      <ol class="govuk-list">
        {p.events.map((e) => (
          <li>
            <strong>{dateTime(e.at, p.lang)}</strong>: {eventLabel(e.kind, p.lang)}
            {e.body && e.kind !== "payment_received" ? <p class="govuk-body vt-pre-line vt-break">{e.body}</p> : null}
          </li>
        ))}
      </ol>
      {p.uploads.length ? (
        <>
          <h2 class="govuk-heading-m">{t("Tus documentos", "Your documents")}</h2>
          <ul class="govuk-list">
            {p.uploads.map((u) => (
              <li>
                <a class="govuk-link" href={c.document(u.publicId)}>
                  {u.name}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2 class="govuk-heading-m">{t("Tus respuestas", "Your answers")}</h2>
      <dl class="govuk-summary-list">
        {p.rows.map((r) => (
          <Row label={r.label}>
            <span class="vt-pre-line">{r.value}</span>
          </Row>
        ))}
      </dl>
      {p.canWithdraw ? (
        <PostForm action={c.withdraw(a.publicId)} csrf={p.csrf}>
          <Button warning>{t("Retirar mi solicitud", "Withdraw my application")}</Button>
        </PostForm>
      ) : null}
    </PageShell>
  );
}

/** What is expected of the person now, first on the page. */
function NextStep(p: Parameters<typeof CasePage>[0]) {
  const t = translator(p.lang);
  const c = casePaths(p.lang);
  const a = p.app;
  if (a.status === "awaiting_payment" && p.payment)
    return (
      <div class="govuk-inset-text">
        <h2 class="govuk-heading-m">{t("Paga para continuar", "Pay to continue")}</h2>
        <p class="govuk-body">
          {t("Importe", "Amount")}: <strong>{formatMoney(p.payment.amountCentavos / 100, p.lang)}</strong>
        </p>
        <p class="govuk-body">
          {t("Referencia de pago", "Payment reference")}: <span class="vt-reference">{p.payment.reference}</span>
        </p>
        <p class="govuk-body">
          {t(
            `Paga en ventanilla bancaria o en la banca en línea antes del ${formatDate(p.payment.expiresOn, "es")}.`,
            `Pay at a bank counter or through online banking before ${formatDate(p.payment.expiresOn, "en")}.`,
          )}
        </p>
        <p class="govuk-body">
          <a class="govuk-link" href={c.paymentPdf(a.publicId)}>
            {t("Descargar la hoja de ayuda para el pago (PDF)", "Download the payment slip (PDF)")}
          </a>
        </p>
      </div>
    );
  if (a.status === "information_requested" && p.request)
    return (
      <div class="govuk-inset-text">
        <h2 class="govuk-heading-m">
          {t("La institución necesita más información", "The institution needs more information")}
        </h2>
        <p class="govuk-body vt-pre-line vt-break">{p.request.message}</p>
        <p class="govuk-body">
          {t(
            `Responde a más tardar el ${formatDate(p.request.respondBy, "es")}. El plazo legal está en pausa hasta que respondas.`,
            `Answer by ${formatDate(p.request.respondBy, "en")}. The legal time limit is paused until you answer.`,
          )}
        </p>
        <PostForm action={c.answer(a.publicId)} csrf={p.csrf}>
          <Textarea
            lang={p.lang}
            name="answer"
            label={t("Tu respuesta", "Your answer")}
            value={p.answer ?? ""}
            error={p.errors.answer}
            rows={6}
          />
          <Button>{t("Enviar respuesta", "Send answer")}</Button>
        </PostForm>
      </div>
    );
  if (p.resolution)
    return (
      <div class="govuk-inset-text">
        <h2 class="govuk-heading-m">{t("Tu trámite tiene resolución", "Your application has been resolved")}</h2>
        <p class="govuk-body">
          {p.resolution.outcome === "favourable"
            ? t("La resolución es favorable.", "The resolution is favourable.")
            : t("La resolución no es favorable.", "The resolution is not favourable.")}
        </p>
        <p class="govuk-body">
          <a class="govuk-link" href={c.resolutionPdf(a.publicId)}>
            {t("Descargar la resolución (PDF)", "Download the resolution (PDF)")}
          </a>
        </p>
        <p class="govuk-body">
          {t("Código de verificación", "Verification code")}:{" "}
          <span class="vt-reference">{p.resolution.verificationCode}</span>
        </p>
      </div>
    );
  if (a.status === "received" || a.status === "in_review")
    return (
      <p class="govuk-body">
        {t(
          "No tienes que hacer nada por ahora: la institución revisa tu solicitud y te avisaremos por correo.",
          "You do not need to do anything now: the institution is reviewing your application and we will email you.",
        )}
      </p>
    );
  return null;
}

export function VerifyPage(
  p: Omit<Common, "csrf"> & {
    code: string;
    resolution: ResolutionRow | undefined;
    searched: boolean;
    errors: FieldErrors;
  },
) {
  const t = translator(p.lang);
  const c = casePaths(p.lang);
  const title = t("Verificar un documento", "Verify a document");
  const r = p.resolution;
  return (
    <PageShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
      <ErrorSummary lang={p.lang} errors={p.errors} />
      <h1 class="govuk-heading-l">{title}</h1>
      {r ? (
        <>
          <ConfirmationPanel title={t("El documento es auténtico", "The document is genuine")} headingLevel={2}>
            {r.verificationCode}
          </ConfirmationPanel>
          <dl class="govuk-summary-list">
            <Row label={t("Folio", "Folio")}>{r.folio}</Row>
            <Row label={t("Trámite", "Procedure")}>{pick(r.citizenName as { es: string }, p.lang)}</Row>
            <Row label={t("Institución", "Institution")}>{pick(r.institutionName as { es: string }, p.lang)}</Row>
            <Row label={t("Sentido", "Outcome")}>
              {r.outcome === "favourable" ? t("Favorable", "Favourable") : t("No favorable", "Not favourable")}
            </Row>
            <Row label={t("Fecha", "Date")}>{dateTime(r.resolvedAt, p.lang)}</Row>
            <Row label={t("Firmó", "Signed by")}>{r.signerName}</Row>
          </dl>
          <p class="govuk-body">
            {t(
              "Compara estos datos con los del documento impreso. Si alguno no coincide, el documento fue alterado.",
              "Compare these details with the printed document. If any differs, the document was altered.",
            )}
          </p>
        </>
      ) : p.searched && !Object.keys(p.errors).length ? (
        <WarningText label={t("Aviso", "Warning")}>
          {t(
            "No existe ningún documento con ese código. Revisa que lo hayas escrito bien; si es así, el documento no es auténtico.",
            "No document has that code. Check you typed it correctly; if so, the document is not genuine.",
          )}
        </WarningText>
      ) : null}
      <form method="get" action={c.verify} novalidate>
        <TextInput
          lang={p.lang}
          name="codigo"
          label={t("Código de verificación", "Verification code")}
          hint={t(
            "Está al pie del documento, por ejemplo ABCD-EFGH-JKLM-NPQR.",
            "It is at the foot of the document, for example ABCD-EFGH-JKLM-NPQR.",
          )}
          value={p.code}
          error={p.errors.codigo}
          width={20}
          spellcheck={false}
          upper
        />
        <Button>{t("Verificar", "Verify")}</Button>
      </form>
    </PageShell>
  );
}
