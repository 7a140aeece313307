/**
 * The form builder's editors: the draft's pages in order (moved, deleted, and the declaration),
 * and the page editor, a page's text, its condition and its questions in one form that grows by
 * buttons, without JavaScript. Field names are dotted paths (`questions.0.label.es`) and double as
 * ids, so the error summary's links land on them. The pages around them are in views/office.tsx.
 */
import type { ComponentChildren } from "preact";
import { ActionButton, Checkbox, Choices, PostForm, Textarea, TextInput } from "../../../platform/views/forms.js";
import { pick, translator, type Lang } from "../../../platform/views/i18n.js";
import {
  candidatesFor,
  emptySub,
  type PageInput,
  type Problems,
  type QuestionInput,
  type Values,
} from "../builder-input.js";
import { FILE_KINDS, PREFILL_SOURCES, QUESTION_TYPES, type FormDefinition, type QuestionType } from "../definition.js";
import { formOfficePaths } from "../paths.js";
import { conditionText, FormActions, Heading, Hidden, l, LinkButton, Shell, type Common } from "./office.js";

const TYPE_LABELS: Record<QuestionType, [string, string]> = {
  text: ["Texto corto", "Short text"],
  textarea: ["Texto largo", "Long text"],
  number: ["Número", "Number"],
  date: ["Fecha", "Date"],
  yesno: ["Sí o no", "Yes or no"],
  radio: ["Una opción (botones)", "One option (radio buttons)"],
  checkboxes: ["Varias opciones (casillas)", "Several options (checkboxes)"],
  select: ["Una opción (lista desplegable)", "One option (drop-down list)"],
  email: ["Correo electrónico", "Email address"],
  phone: ["Teléfono", "Phone number"],
  curp: ["CURP", "CURP"],
  rfc: ["RFC", "RFC (tax number)"],
  address: ["Domicilio", "Address"],
  file: ["Archivo (documento)", "File (document)"],
  declaration: ["Declaración (casilla para confirmar)", "Declaration (a box to tick)"],
  group: ["Grupo que se repite", "Repeatable group"],
};
const typeLabel = (type: string, lang: Lang) =>
  l(Object.hasOwn(TYPE_LABELS, type) ? TYPE_LABELS[type as QuestionType] : [type, type], lang);

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

/** A field's error message, after the visually hidden "Error:". */
const FieldError = (p: { lang: Lang; id?: string; children: ComponentChildren }) => (
  <p class="govuk-error-message" id={p.id}>
    <Hidden>{translator(p.lang)("Error:", "Error:")}</Hidden> {p.children}
  </p>
);

/** The buttons of one row of `count` (a page, a question): move up, move down and remove, each naming the row. */
function RowButtons(p: {
  lang: Lang;
  at: number;
  count: number;
  actions: [up: string, down: string, remove: string];
  remove: string;
  name: ComponentChildren;
  children?: ComponentChildren;
}) {
  const t = translator(p.lang);
  const [up, down, remove] = p.actions;
  const buttons: [boolean, string, string, "secondary" | "warning"][] = [
    [p.at > 0, up, t("Subir", "Move up"), "secondary"],
    [p.at < p.count - 1, down, t("Bajar", "Move down"), "secondary"],
    [true, remove, p.remove, "warning"],
  ];
  return (
    <div class="govuk-button-group">
      {p.children}
      {buttons.map(([shown, action, label, kind]) =>
        shown ? (
          <ActionButton action={action} {...{ [kind]: true }}>
            {label}
            {p.name}
          </ActionButton>
        ) : null,
      )}
    </div>
  );
}

/** Text inputs and areas bound to a set of values and errors, one line each. */
function binder(lang: Lang, values: Values, errors: Record<string, string>, prefix = "") {
  const field = (key: string, label: string) => ({
    lang,
    name: prefix + key,
    label,
    value: values[key] ?? "",
    error: errors[prefix + key],
  });
  return {
    text: (key: string, label: string, extra: Partial<Parameters<typeof TextInput>[0]> = {}) => (
      <TextInput {...field(key, label)} {...extra} />
    ),
    area: (key: string, label: string, rows = 3, hint?: string) => (
      <Textarea {...field(key, label)} rows={rows} {...(hint ? { hint } : {})} />
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// The draft: its pages in order

export interface DraftProps extends Common, Problems {
  csrf: string;
  homoclave: string;
  procedureName: string;
  version: number;
  definition: FormDefinition;
  canPublish: boolean;
  notice?: string | undefined;
  declaration: Values;
}

export function DraftPage(p: DraftProps) {
  const t = translator(p.lang);
  const f = formOfficePaths(p.lang);
  const h = p.homoclave;
  const pages = p.definition.pages;
  const title = t(`Borrador del formulario (versión ${p.version})`, `Draft form (version ${p.version})`);
  const bind = binder(p.lang, p.declaration, p.errors);
  return (
    <Shell lang={p.lang} alternateHref={p.alternateHref} title={title} homoclave={h} problems={p}>
      <Heading lang={p.lang} caption={`${h} · ${p.procedureName}`} title={title} notice={p.notice} />
      <p class="govuk-body">
        {t(
          "La gente ve las páginas en este orden; una página con condición aparece solo si antes se dio la respuesta indicada. Los cambios se guardan en el borrador: nadie los ve hasta que se publica.",
          "People see the pages in this order; a page with a condition only shows when the given answer was given before. Changes are saved to the draft: nobody sees them until it is published.",
        )}
      </p>
      <div class="govuk-button-group">
        <FormActions lang={p.lang} homoclave={h} shown draft canPublish={p.canPublish} />
      </div>
      <PostForm action={f.draft(h)} csrf={p.csrf}>
        <ol class="govuk-list">
          {pages.map((page, i) => {
            const name = (
              <Hidden>{t(` la página «${pick(page.title, p.lang)}»`, ` page ‘${pick(page.title, p.lang)}’`)}</Hidden>
            );
            const error = p.errors[`page-${page.id}`];
            return (
              <li id={`page-${page.id}`} class={`vt-row${error ? " govuk-form-group--error" : ""}`}>
                <h2 class="govuk-heading-m">
                  {t(`Página ${i + 1}`, `Page ${i + 1}`)}: {pick(page.title, p.lang)}
                </h2>
                {error ? <FieldError lang={p.lang}>{error}</FieldError> : null}
                <p class="govuk-body-s">
                  {page.kind === "exit" ? (
                    <strong class="govuk-tag govuk-tag--red">{t("Página de salida", "Exit page")}</strong>
                  ) : null}{" "}
                  {t("Identificador:", "Identifier:")} <code>{page.id}</code>
                </p>
                {page.showIf ? (
                  <p class="govuk-inset-text">{conditionText(p.definition, page.showIf, p.lang)}</p>
                ) : null}
                {page.kind === "exit" ? (
                  <p class="govuk-body">
                    {t(
                      "El formulario termina aquí: la persona no puede hacer el trámite en línea.",
                      "The form ends here: the person cannot apply online.",
                    )}
                  </p>
                ) : null}
                <ul class="govuk-list govuk-list--bullet">
                  {page.questions.map((q) => (
                    <li>
                      {pick(q.label, p.lang)} ({typeLabel(q.type, p.lang)},{" "}
                      {q.required === false ? t("opcional", "optional") : t("obligatoria", "required")})
                    </li>
                  ))}
                </ul>
                <RowButtons
                  lang={p.lang}
                  at={i}
                  count={pages.length}
                  actions={[`page-up:${page.id}`, `page-down:${page.id}`, `page-delete:${page.id}`]}
                  remove={t("Borrar", "Delete")}
                  name={name}
                >
                  <a class="govuk-link" href={f.page(h, page.id)}>
                    {t("Editar", "Edit")}
                    {name}
                  </a>
                </RowButtons>
              </li>
            );
          })}
        </ol>
      </PostForm>
      <LinkButton href={f.addPage(h)}>{t("Añadir una página", "Add a page")}</LinkButton>
      <h2 class="govuk-heading-m">{t("Declaración al enviar", "Declaration when sending")}</h2>
      <PostForm action={f.draft(h)} csrf={p.csrf}>
        {bind.area(
          "declaration.es",
          t("Texto de la declaración", "Declaration text (Spanish)"),
          3,
          t(
            "La persona la acepta en «Revisa tus respuestas» antes de enviar. Déjala vacía si no hace falta.",
            "The person accepts it on “Check your answers” before sending. Leave it empty if none is needed.",
          ),
        )}
        {bind.area("declaration.en", t("En inglés (opcional)", "In English (optional)"))}
        <ActionButton action="declaration" secondary>
          {t("Guardar la declaración", "Save the declaration")}
        </ActionButton>
      </PostForm>
    </Shell>
  );
}

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
