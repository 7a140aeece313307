/**
 * The page editor: a page's text, its condition and its questions in one form that grows by
 * buttons, without JavaScript. Field names are dotted paths (`questions.0.label.es`) and double as
 * ids, so the error summary's links land on them. The pages around it are in views/office.tsx.
 */
import type { ComponentChildren } from "preact";
import { ActionButton, Checkbox, Choices, PostForm } from "../../../platform/views/forms.js";
import { translator, type Lang } from "../../../platform/views/i18n.js";
import { emptySub, type PageInput, type Problems, type QuestionInput, type Values } from "../builder-input.js";
import { FILE_KINDS, PREFILL_SOURCES, QUESTION_TYPES, type FormDefinition } from "../definition.js";
import { formOfficePaths } from "../paths.js";
import { binder, FieldError, Heading, Hidden, l, RowButtons, Shell, typeLabel, type Common } from "./office.js";

const PREFILL_LABELS: Record<(typeof PREFILL_SOURCES)[number], [string, string]> = {
  givenNames: ["Nombre (de la cuenta)", "Given names (from the account)"],
  surnames: ["Apellidos (de la cuenta)", "Surnames (from the account)"],
  fullName: ["Nombre completo (de la cuenta)", "Full name (from the account)"],
  curp: ["CURP (de la cuenta)", "CURP (from the account)"],
  email: ["Correo electrónico (de la cuenta)", "Email address (from the account)"],
  birthDate: ["Fecha de nacimiento (de la CURP)", "Date of birth (from the CURP)"],
  phone: ["Teléfono (de solicitudes anteriores)", "Phone number (from earlier applications)"],
  rfc: ["RFC (de solicitudes anteriores)", "RFC (from earlier applications)"],
  address: ["Domicilio (de solicitudes anteriores)", "Address (from earlier applications)"],
};

/** A question a page can depend on, with its answers. */
interface Candidate {
  id: string;
  label: string;
  pageNumber: number;
  answers: { value: string; label: string }[];
}

/** Questions of earlier pages page `index` can depend on (and the one it depends on now), with their answers. */
function candidatesFor(def: FormDefinition, index: number, chosen: string, lang: Lang): Candidate[] {
  const t = translator(lang);
  const text = (label: { es: string; en?: string }) => (lang === "en" ? (label.en ?? label.es) : label.es);
  const out: Candidate[] = [];
  def.pages.forEach((p, i) => {
    for (const q of p.questions) {
      if (!["yesno", "radio", "select", "checkboxes"].includes(q.type)) continue;
      if (i >= index && q.id !== chosen) continue;
      const answers =
        q.type === "yesno"
          ? [
              { value: "yes", label: t("Sí", "Yes") },
              { value: "no", label: "No" },
            ]
          : (q.options ?? []).map((o) => ({ value: o.value, label: text(o.label) }));
      out.push({ id: q.id, label: text(q.label), pageNumber: i + 1, answers });
    }
  });
  return out;
}

function Select(p: {
  lang: Lang;
  name: string;
  label: string;
  value: string;
  error?: string | undefined;
  options: [string, string][];
}) {
  return (
    <div class={`govuk-form-group${p.error ? " govuk-form-group--error" : ""}`}>
      <label class="govuk-label" for={p.name}>
        {p.label}
      </label>
      {p.error ? (
        <FieldError lang={p.lang} id={`${p.name}-error`}>
          {p.error}
        </FieldError>
      ) : null}
      <select class="govuk-select" id={p.name} name={p.name} aria-describedby={p.error ? `${p.name}-error` : undefined}>
        {p.options.map(([value, label]) => (
          <option value={value} selected={value === p.value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

const Details = (p: { summary: string; open: boolean; children: ComponentChildren }) => (
  <details class="govuk-details" open={p.open}>
    <summary class="govuk-details__summary">
      <span class="govuk-details__summary-text">{p.summary}</span>
    </summary>
    <div class="govuk-details__text">{p.children}</div>
  </details>
);

// ---------------------------------------------------------------------------------------------
// The page editor

export interface PageEditorProps extends Common, Problems {
  csrf: string;
  homoclave: string;
  action: string;
  /** The definition the page is (or will be) page `index` of: its earlier pages give the conditions. */
  definition: FormDefinition;
  index: number;
  input: PageInput;
  /** Said after a button changed the page on screen without saving it. */
  unsaved?: boolean;
}

export function PageEditorPage(p: PageEditorProps) {
  const t = translator(p.lang);
  const e = p.errors;
  const x = p.input;
  const title = t(`Página ${p.index + 1} del formulario`, `Page ${p.index + 1} of the form`);
  const bind = binder(p.lang, x.v, e);
  return (
    <Shell lang={p.lang} alternateHref={p.alternateHref} title={title} homoclave={p.homoclave} problems={p}>
      {p.unsaved ? (
        <div class="govuk-inset-text">
          {t(
            "Todavía no se guardó: pulsa «Guardar la página» cuando termines.",
            "Not saved yet: press “Save the page” when you finish.",
          )}
        </div>
      ) : null}
      <Heading lang={p.lang} caption={p.homoclave} title={title} />
      <PostForm action={p.action} csrf={p.csrf}>
        {bind.text("title.es", t("Título", "Title (Spanish)"), {
          hint: t("Lo que la persona ve arriba de la página.", "What the person sees at the top of the page."),
        })}
        {bind.text("title.en", t("Título en inglés (opcional)", "Title in English (optional)"))}
        {bind.area(
          "body.es",
          t("Texto de la página (opcional)", "Text of the page (Spanish, optional)"),
          4,
          t(
            "Va antes de las preguntas. En una página de salida, explica por qué termina el formulario y qué puede hacer la persona.",
            "It goes before the questions. On an exit page, explain why the form ends and what the person can do instead.",
          ),
        )}
        {bind.area("body.en", t("Texto en inglés (opcional)", "Text in English (optional)"))}
        <Choices
          lang={p.lang}
          name="kind"
          legend={t("Tipo de página", "Kind of page")}
          choices={[
            { value: "questions", label: t("Página con preguntas", "A page with questions") },
            {
              value: "exit",
              label: t("Página de salida", "Exit page"),
              hint: t(
                "Termina el formulario: con esas respuestas no se puede hacer el trámite en línea. No lleva preguntas y necesita una condición.",
                "Ends the form: with those answers the person cannot apply online. It has no questions and needs a condition.",
              ),
            },
          ]}
          selected={[x.v.kind === "exit" ? "exit" : "questions"]}
          error={e.kind}
          small
        />
        {bind.text("id", t("Identificador de la página", "Page identifier"), {
          hint: t(
            "Letras minúsculas sin acentos, números y _. Si lo dejas vacío, se forma con el título.",
            "Lowercase letters without accents, digits and _. If you leave it empty, it is made from the title.",
          ),
          width: 20,
          spellcheck: false,
        })}
        <ConditionField {...p} />
        <h2 class="govuk-heading-m" id="questions">
          {t("Preguntas", "Questions")}
        </h2>
        {e.questions ? <p class="govuk-error-message">{e.questions}</p> : null}
        {x.questions.map((q, i) => (
          <QuestionFieldset lang={p.lang} q={q} i={i} count={x.questions.length} errors={e} />
        ))}
        <ActionButton action="add-question" secondary>
          {t("Añadir otra pregunta", "Add another question")}
        </ActionButton>
        <div class="govuk-button-group">
          <ActionButton action="save">{t("Guardar la página", "Save the page")}</ActionButton>
          <a class="govuk-link" href={formOfficePaths(p.lang).draft(p.homoclave)}>
            {t("Volver sin guardar", "Go back without saving")}
          </a>
        </div>
      </PostForm>
    </Shell>
  );
}

function ConditionField(p: PageEditorProps) {
  const t = translator(p.lang);
  const error = p.errors["showIf.question"];
  const chosen = p.input.v["showIf.question"] ?? "";
  const radio = (id: string, value: string, label: string, controls?: string) => (
    <div class="govuk-radios__item">
      <input
        class="govuk-radios__input"
        id={id}
        name="showIf.question"
        type="radio"
        value={value}
        checked={chosen === value}
        data-aria-controls={controls}
      />
      <label class="govuk-label govuk-radios__label" for={id}>
        {label}
      </label>
    </div>
  );
  return (
    <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <fieldset class="govuk-fieldset" aria-describedby={`showIf-hint${error ? " showIf.question-error" : ""}`}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">
          {t("¿Cuándo se muestra esta página?", "When is this page shown?")}
        </legend>
        <div class="govuk-hint" id="showIf-hint">
          {t(
            "Puede depender de una pregunta de sí o no, de opciones o de lista de una página anterior: marca las respuestas que la muestran.",
            "It can depend on a yes/no, options or list question of an earlier page: tick the answers that show it.",
          )}
        </div>
        {error ? (
          <FieldError lang={p.lang} id="showIf.question-error">
            {error}
          </FieldError>
        ) : null}
        <div class="govuk-radios govuk-radios--small" data-module="govuk-radios">
          {radio("showIf.question", "", t("Siempre", "Always"))}
          {candidatesFor(p.definition, p.index, chosen, p.lang).map((c, k) => (
            <>
              {radio(
                `showIf.question-${k + 1}`,
                c.id,
                t(
                  `Según la respuesta a «${c.label}» (página ${c.pageNumber})`,
                  `Depending on the answer to ‘${c.label}’ (page ${c.pageNumber})`,
                ),
                `showIf-when-${k + 1}`,
              )}
              <div
                class={`govuk-radios__conditional${chosen === c.id ? "" : " govuk-radios__conditional--hidden"}`}
                id={`showIf-when-${k + 1}`}
              >
                <Choices
                  lang={p.lang}
                  name={`showIf.in.${c.id}`}
                  legend={t(
                    `Respuestas a «${c.label}» que muestran esta página`,
                    `Answers to ‘${c.label}’ that show this page`,
                  )}
                  choices={c.answers}
                  selected={p.input.condIn[c.id] ?? []}
                  multiple
                  small
                />
              </div>
            </>
          ))}
        </div>
      </fieldset>
      {p.input.v["showIf.more"] ? (
        <p class="govuk-body-s">
          <input type="hidden" name="showIf.more" value={p.input.v["showIf.more"]} />
          {t(
            "Esta página tiene además otras condiciones (importadas); se conservan.",
            "This page also has other conditions (imported); they are kept.",
          )}
        </p>
      ) : null}
    </div>
  );
}

/**
 * What a question and a group's question share: a row with its legend and the field kept hidden
 * (`was`, `extra`), the question in both languages and the type of answer among `types`.
 */
function QuestionRow(p: {
  lang: Lang;
  legend: string;
  prefix: string;
  hidden: string;
  v: Values;
  errors: Record<string, string>;
  types: readonly string[];
  children: ComponentChildren;
}) {
  const t = translator(p.lang);
  const bind = binder(p.lang, p.v, p.errors, p.prefix);
  return (
    <fieldset class="govuk-fieldset vt-row">
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{p.legend}</legend>
      <input type="hidden" name={p.prefix + p.hidden} value={p.v[p.hidden] ?? ""} />
      {bind.text("label.es", t("Pregunta", "Question (Spanish)"))}
      {bind.text("label.en", t("Pregunta en inglés (opcional)", "Question in English (optional)"))}
      <Select
        lang={p.lang}
        name={`${p.prefix}type`}
        label={t("Tipo de respuesta", "Type of answer")}
        value={p.v.type ?? ""}
        error={p.errors[`${p.prefix}type`]}
        options={p.types.map((v) => [v, typeLabel(v, p.lang)])}
      />
      {p.children}
    </fieldset>
  );
}

const RULE_KEYS = ["minLength", "maxLength", "pattern", "patternMessage.es", "min", "max", "minItems", "maxItems"];

function QuestionFieldset(p: {
  lang: Lang;
  q: QuestionInput;
  i: number;
  count: number;
  errors: Record<string, string>;
}) {
  const t = translator(p.lang);
  const { q, i, errors: e } = p;
  const prefix = `questions.${i}.`;
  const bind = binder(p.lang, q.v, e, prefix);
  const num = { width: 5 as const, inputMode: "numeric" as const };
  const isGroup = q.v.type === "group" || q.fields.length > 0;
  return (
    <QuestionRow
      lang={p.lang}
      legend={t(`Pregunta ${i + 1}`, `Question ${i + 1}`)}
      prefix={prefix}
      hidden="was"
      v={q.v}
      errors={e}
      types={QUESTION_TYPES}
    >
      {bind.text("id", t("Identificador de la respuesta", "Answer identifier"), {
        hint: t(
          "Así se llama la respuesta en los datos y en las condiciones. Si lo dejas vacío, se forma con la pregunta.",
          "The answer's name in the data and in conditions. If you leave it empty, it is made from the question.",
        ),
        width: 20,
        spellcheck: false,
      })}
      {bind.text("hint.es", t("Ayuda (opcional)", "Hint (Spanish, optional)"))}
      {bind.text("hint.en", t("Ayuda en inglés (opcional)", "Hint in English (optional)"))}
      <div class="govuk-form-group">
        <Checkbox
          name={`${prefix}required`}
          label={t("La respuesta es obligatoria", "An answer is required")}
          checked={q.required}
        />
      </div>
      <Select
        lang={p.lang}
        name={`${prefix}prefill`}
        label={t("Llenar con un dato que ya tenemos (opcional)", "Fill in with something we already know (optional)")}
        value={q.v.prefill ?? ""}
        error={e[`${prefix}prefill`]}
        options={[
          ["", t("No: la persona lo escribe", "No: the person types it")],
          ...PREFILL_SOURCES.map((s): [string, string] => [s, l(PREFILL_LABELS[s], p.lang)]),
        ]}
      />
      {bind.area(
        "options",
        t("Opciones (solo preguntas de opciones)", "Options (option questions only)"),
        3,
        t(
          "Una por línea, así: valor: Etiqueta | English label. Por ejemplo «si: Sí | Yes». El valor y el inglés son opcionales.",
          "One a line, like this: value: Spanish label | English label. For example “si: Sí | Yes”. The value and the English are optional.",
        ),
      )}
      <Details
        summary={t("Reglas de la respuesta (opcional)", "Answer rules (optional)")}
        open={RULE_KEYS.some((k) => q.v[k] || e[prefix + k])}
      >
        {bind.text("minLength", t("Mínimo de caracteres (texto)", "Fewest characters (text)"), num)}
        {bind.text("maxLength", t("Máximo de caracteres (texto)", "Most characters (text)"), num)}
        {bind.text("pattern", t("Patrón: expresión regular (texto)", "Pattern: regular expression (text)"), {
          spellcheck: false,
        })}
        {bind.text("patternMessage.es", t("Mensaje si no sigue el patrón", "Message when it does not match (Spanish)"))}
        {bind.text("patternMessage.en", t("Mensaje en inglés (opcional)", "Message in English (optional)"))}
        {bind.text("min", t("Mínimo (número o fecha)", "Minimum (number or date)"), {
          width: 10,
          hint: t(
            "Para fechas, AAAA-MM-DD o días desde hoy: -6570 es hace 18 años.",
            "For dates, YYYY-MM-DD or days from today: -6570 is 18 years ago.",
          ),
        })}
        {bind.text("max", t("Máximo (número o fecha)", "Maximum (number or date)"), { width: 10 })}
        {bind.text("minItems", t("Mínimo de registros (grupo)", "Fewest entries (group)"), num)}
        {bind.text("maxItems", t("Máximo de registros (grupo)", "Most entries (group)"), num)}
      </Details>
      <Details
        summary={t("Archivo (solo preguntas de archivo)", "File (file questions only)")}
        open={q.v.type === "file" || !!e[`${prefix}file.maxMb`] || !!e[`${prefix}file.kinds`]}
      >
        {bind.text(
          "file.maxMb",
          t("Tamaño máximo en MB (hasta 20; 10 si lo dejas vacío)", "Largest size in MB (up to 20; 10 if empty)"),
          num,
        )}
        <Choices
          lang={p.lang}
          name={`${prefix}file.kinds`}
          legend={t("Formatos que acepta", "Formats accepted")}
          choices={FILE_KINDS.map((k) => ({ value: k, label: k.toUpperCase() }))}
          selected={q.fileKinds}
          error={e[`${prefix}file.kinds`]}
          multiple
          small
          inline
        />
      </Details>
      {isGroup ? <GroupFields lang={p.lang} q={q} i={i} errors={e} /> : null}
      <RowButtons
        lang={p.lang}
        at={i}
        count={p.count}
        actions={[`up:${i}`, `down:${i}`, `remove:${i}`]}
        remove={t("Quitar", "Remove")}
        name={<Hidden>{` «${q.v["label.es"] || i + 1}»`}</Hidden>}
      />
    </QuestionRow>
  );
}

const SUB_TYPES = QUESTION_TYPES.filter((v) => v !== "group" && v !== "file");

function GroupFields(p: { lang: Lang; q: QuestionInput; i: number; errors: Record<string, string> }) {
  const t = translator(p.lang);
  const e = p.errors;
  const base = `questions.${p.i}.fields`;
  const rows = p.q.fields.length ? p.q.fields : [emptySub()];
  return (
    <div class="vt-row" id={base}>
      <h3 class="govuk-heading-s">
        {t("Preguntas de cada registro del grupo", "Questions of each entry of the group")}
      </h3>
      {e[base] ? <p class="govuk-error-message">{e[base]}</p> : null}
      {rows.map((s, j) => {
        const prefix = `${base}.${j}.`;
        const bind = binder(p.lang, s.v, e, prefix);
        return (
          <QuestionRow
            lang={p.lang}
            legend={t(`Pregunta ${j + 1} del grupo`, `Group question ${j + 1}`)}
            prefix={prefix}
            hidden="extra"
            v={s.v}
            errors={e}
            types={SUB_TYPES}
          >
            {bind.text("id", t("Identificador (opcional)", "Identifier (optional)"), { width: 20, spellcheck: false })}
            <Checkbox
              name={`${prefix}required`}
              label={t("La respuesta es obligatoria", "An answer is required")}
              checked={s.required}
            />
            {bind.area(
              "options",
              t("Opciones, una por línea (solo preguntas de opciones)", "Options, one a line (option questions only)"),
              2,
            )}
            <ActionButton action={`remove-field:${p.i}:${j}`} warning>
              {t("Quitar del grupo", "Remove from the group")}
              <Hidden>{` «${s.v["label.es"] || j + 1}»`}</Hidden>
            </ActionButton>
          </QuestionRow>
        );
      })}
      <ActionButton action={`add-field:${p.i}`} secondary>
        {t("Añadir otra pregunta al grupo", "Add another question to the group")}
      </ActionButton>
    </div>
  );
}
