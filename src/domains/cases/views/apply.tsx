/** The person's pages while applying: start, one page of questions, an exit page, check your answers. */
import { WarningText } from "../../../platform/views/components.js";
import { Button, ErrorSummary, PostForm, type FieldErrors } from "../../../platform/views/forms.js";
import { pick, translator, type Lang } from "../../../platform/views/i18n.js";
import { PageShell } from "../../catalogue/views/common.js";
import type { ProcedureRow } from "../../catalogue/catalogue.js";
import type { Answers, Page } from "../../forms/definition.js";
import type { SummaryRow } from "../../forms/engine.js";
import { pageHeadingIsQuestion, QuestionFields } from "../../forms/views/questions.js";
import { casePaths } from "../paths.js";

interface Common {
  lang: Lang;
  alternateHref: string;
  csrf: string;
}

const procedureName = (p: ProcedureRow, lang: Lang) => pick(p.citizenName, lang);

export function StartPage(
  p: Common & { procedure: ProcedureRow; hasDraft: boolean; pageCount: number; problem?: string | undefined },
) {
  const t = translator(p.lang);
  const r = p.procedure.record;
  const uploads = r.requirements.filter((x) => x.uploadable);
  const name = procedureName(p.procedure, p.lang);
  return (
    <PageShell lang={p.lang} title={name} alternateHref={p.alternateHref}>
      <ErrorSummary lang={p.lang} errors={{}} message={p.problem} />
      <span class="govuk-caption-l">{p.procedure.institutionAcronym}</span>
      <h1 class="govuk-heading-l">{name}</h1>
      <p class="govuk-body">
        {t(
          `Haz este trámite en línea. Son ${p.pageCount} pasos; guardamos tus respuestas para que puedas terminar después.`,
          `Apply online. There are ${p.pageCount} steps; we save your answers so you can finish later.`,
        )}
      </p>
      {uploads.length ? (
        <>
          <h2 class="govuk-heading-m">{t("Ten a la mano", "Have these ready")}</h2>
          <ul class="govuk-list govuk-list--bullet">
            {uploads.map((u) => (
              <li>{pick(u.name, p.lang)}</li>
            ))}
          </ul>
          <p class="govuk-body">{t("En PDF, JPG o PNG.", "As PDF, JPG or PNG files.")}</p>
        </>
      ) : null}
      {r.cost.type === "fixed" ? (
        <WarningText label={t("Aviso", "Warning")}>
          {t(
            "Este trámite tiene costo: al enviarlo te daremos una referencia para pagar en el banco o en línea. La institución empieza a revisarlo cuando se registra el pago.",
            "This procedure has a fee: when you send it we give you a reference to pay at a bank or online. The institution starts reviewing it once the payment is registered.",
          )}
        </WarningText>
      ) : null}
      <PostForm action={casePaths(p.lang).start(p.procedure.homoclave)} csrf={p.csrf}>
        <Button>
          {p.hasDraft ? t("Continuar donde me quedé", "Continue where I left off") : t("Comenzar", "Start now")}
        </Button>
      </PostForm>
    </PageShell>
  );
}

export function QuestionPage(
  p: Common & {
    draftId: string;
    procedure: ProcedureRow;
    page: Page;
    answers: Answers;
    prefilled: string[];
    errors: FieldErrors;
    /** What was posted, when the page comes back with errors. */
    input?: Record<string, unknown> | undefined;
    backHref: string;
    states: { code: string; name: string }[];
  },
) {
  const t = translator(p.lang);
  const c = casePaths(p.lang);
  const title = pick(p.page.title, p.lang);
  const headingIsQuestion = pageHeadingIsQuestion(p.page);
  const hasFiles = p.page.questions.some((x) => x.type === "file");
  const errorTitle = Object.keys(p.errors).length ? `${t("Error", "Error")}: ` : "";
  return (
    <PageShell
      lang={p.lang}
      title={`${errorTitle}${title} – ${procedureName(p.procedure, p.lang)}`}
      alternateHref={p.alternateHref}
    >
      <a href={p.backHref} class="govuk-back-link">
        {t("Atrás", "Back")}
      </a>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <ErrorSummary lang={p.lang} errors={p.errors} />
          <span class="govuk-caption-l">{procedureName(p.procedure, p.lang)}</span>
          {headingIsQuestion ? null : <h1 class="govuk-heading-l">{title}</h1>}
          {p.page.body ? <p class="govuk-body vt-pre-line">{pick(p.page.body, p.lang)}</p> : null}
          <form
            method="post"
            action={c.page(p.draftId, p.page.id)}
            novalidate
            {...(hasFiles ? { enctype: "multipart/form-data" } : {})}
          >
            <input type="hidden" name="_csrf" value={p.csrf} />
            <QuestionFields
              lang={p.lang}
              page={p.page}
              answers={p.answers}
              errors={p.errors}
              prefilled={p.prefilled}
              input={p.input}
              states={p.states}
            />
            <div class="govuk-button-group">
              <button type="submit" class="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
                {t("Guardar y continuar", "Save and continue")}
              </button>
              <button
                type="submit"
                name="_later"
                value="1"
                class="govuk-button govuk-button--secondary"
                data-module="govuk-button"
              >
                {t("Guardar y volver más tarde", "Save and come back later")}
              </button>
            </div>
          </form>
        </div>
      </div>
    </PageShell>
  );
}

export function ExitPage(p: Common & { procedure: ProcedureRow; page: Page; backHref: string; procedureHref: string }) {
  const t = translator(p.lang);
  const title = pick(p.page.title, p.lang);
  return (
    <PageShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
      <a href={p.backHref} class="govuk-back-link">
        {t("Atrás", "Back")}
      </a>
      <span class="govuk-caption-l">{procedureName(p.procedure, p.lang)}</span>
      <h1 class="govuk-heading-l">{title}</h1>
      {p.page.body ? <p class="govuk-body vt-pre-line">{pick(p.page.body, p.lang)}</p> : null}
      <p class="govuk-body">
        <a class="govuk-link" href={p.procedureHref}>
          {t("Ver otras formas de hacer este trámite", "See other ways to do this procedure")}
        </a>
      </p>
    </PageShell>
  );
}

export function CheckPage(
  p: Common & {
    draftId: string;
    procedure: ProcedureRow;
    rows: SummaryRow[];
    declaration: string | undefined;
    errors: FieldErrors;
    message?: string | undefined;
    idempotencyKey: string;
    backHref: string;
  },
) {
  const t = translator(p.lang);
  const c = casePaths(p.lang);
  const title = t("Revisa tus respuestas antes de enviar", "Check your answers before sending");
  return (
    <PageShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
      <a href={p.backHref} class="govuk-back-link">
        {t("Atrás", "Back")}
      </a>
      <ErrorSummary lang={p.lang} errors={p.errors} message={p.message} />
      <span class="govuk-caption-l">{procedureName(p.procedure, p.lang)}</span>
      <h1 class="govuk-heading-l">{title}</h1>
      <dl class="govuk-summary-list">
        {p.rows.map((r) => (
          <div class="govuk-summary-list__row" id={r.questionId}>
            <dt class="govuk-summary-list__key">{r.label}</dt>
            <dd class="govuk-summary-list__value vt-pre-line vt-break">{r.value}</dd>
            <dd class="govuk-summary-list__actions">
              {r.changeHref ? (
                <a class="govuk-link" href={r.changeHref}>
                  {t("Cambiar", "Change")}
                  <span class="govuk-visually-hidden"> {r.label}</span>
                </a>
              ) : null}
            </dd>
          </div>
        ))}
      </dl>
      <h2 class="govuk-heading-m">{t("Envía tu solicitud", "Send your application")}</h2>
      {p.declaration ? <p class="govuk-body">{p.declaration}</p> : null}
      <PostForm action={c.submit(p.draftId)} csrf={p.csrf}>
        <input type="hidden" name="idempotencyKey" value={p.idempotencyKey} />
        <button type="submit" class="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
          {p.declaration ? t("Aceptar y enviar", "Accept and send") : t("Enviar", "Send")}
        </button>
      </PostForm>
      <PostForm action={c.discard(p.draftId)} csrf={p.csrf}>
        <Button warning>{t("Borrar esta solicitud", "Delete this application")}</Button>
      </PostForm>
    </PageShell>
  );
}
