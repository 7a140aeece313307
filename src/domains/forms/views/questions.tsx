/**
 * A form page's questions in GOV.UK Frontend markup. Every field's id is the key the engine
 * reports its errors under (engine.readPage), so the error summary's links land on the field.
 * No script and no style attributes: the page works without JavaScript under a strict CSP.
 */
import type { ComponentChildren } from "preact";
import { isFallback, pick, translator, type Lang, type T } from "../../../platform/views/i18n.js";
import type { Answers, FileAnswer, FileKind, GroupQuestion, Page, Question } from "../definition.js";
import { answerText, DEFAULT_MAX_ITEMS, fieldNames, pageInput } from "../engine.js";
import { MAX_GROUP_ITEMS, MX_STATES } from "../validators.js";

type AnyQuestion = Question | GroupQuestion;
type Values = Record<string, unknown>;

export interface QuestionFieldsProps {
  lang: Lang;
  page: Page;
  answers: Answers;
  /** Messages by error key (engine.readPage), already in the page's language. */
  errors: Record<string, string>;
  /** Question ids whose answers came from the person's account (engine.prefillFor). */
  prefilled: string[];
  /** Files uploaded for this page's file questions that are not among `answers` yet. */
  uploads?: Record<string, FileAnswer> | undefined;
  /** The posted fields, when the page is shown again with errors: what was typed stays. */
  input?: Record<string, unknown> | undefined;
  /** The states for address questions, by INEGI code; the 32 of the catalogue by default. */
  states?: readonly { code: string; name: string }[] | undefined;
}

interface Ctx {
  lang: Lang;
  t: T;
  values: Values;
  errors: Record<string, string>;
  states: readonly { code: string; name: string }[];
}

/**
 * A page with a single question (and no text of its own) uses the question as its heading, as
 * GOV.UK question pages do: the layout then prints no other h1.
 */
export function pageHeadingIsQuestion(page: Page): boolean {
  return page.kind !== "exit" && !page.body && page.questions.length === 1 && page.questions[0]!.type !== "declaration";
}

/** A page that asks for a file posts multipart/form-data. */
export function pageNeedsMultipart(page: Page): boolean {
  return page.questions.some((q) => q.type === "file");
}

export function QuestionFields(props: QuestionFieldsProps) {
  const { lang, page } = props;
  const ctx: Ctx = {
    lang,
    t: translator(lang),
    values: props.input ?? displayValues(page, props.answers),
    errors: props.errors,
    states: props.states ?? MX_STATES,
  };
  const heading = pageHeadingIsQuestion(page);
  return (
    <>
      {page.questions.map((q) => {
        const note = props.prefilled.includes(q.id) && props.answers[q.id] !== undefined;
        if (q.type === "group") return <Group q={q} ctx={ctx} heading={heading} />;
        if (q.type === "file") {
          const current = props.uploads?.[q.id] ?? (props.answers[q.id] as FileAnswer | undefined);
          return <FileField q={q} ctx={ctx} heading={heading} current={current} />;
        }
        return <Field q={q} name={q.id} ctx={ctx} heading={heading} prefilled={note} own />;
      })}
    </>
  );
}

/** Stored answers as field values, with municipalities by name (as people typed them), not code. */
function displayValues(page: Page, answers: Answers): Values {
  const values: Values = pageInput(page, answers);
  const name = (a: unknown) => (a as { municipalityName?: string } | undefined)?.municipalityName;
  for (const q of page.questions) {
    if (q.type === "address" && name(answers[q.id])) values[`${q.id}.municipality`] = name(answers[q.id]);
    if (q.type !== "group" || !Array.isArray(answers[q.id])) continue;
    (answers[q.id] as Record<string, unknown>[]).forEach((item, i) => {
      for (const f of q.fields ?? []) {
        if (f.type === "address" && name(item[f.id])) values[`${q.id}.${i}.${f.id}.municipality`] = name(item[f.id]);
      }
    });
  }
  return values;
}

function one(values: Values, name: string): string {
  const v = values[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === "string" || typeof first === "number" ? String(first) : "";
}

function many(values: Values, name: string): string[] {
  const v = values[name];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string");
}

const ids = (...list: (string | false | undefined)[]) => list.filter(Boolean).join(" ") || undefined;
const fallbackLang = (text: { es: string; [k: string]: string }, lang: Lang) =>
  isFallback(text, lang) ? "es" : undefined;

function ErrorMessage(p: { id: string; message: string | undefined; t: T }) {
  if (!p.message) return null;
  return (
    <p id={`${p.id}-error`} class="govuk-error-message">
      <span class="govuk-visually-hidden">{p.t("Error:", "Error:")}</span> {p.message}
    </p>
  );
}

/** The hint, the "from your account" note and the error message, with the ids that describe a field. */
function Describers(p: { q: AnyQuestion; name: string; errorKey: string; ctx: Ctx; prefilled?: boolean }) {
  const { q, ctx } = p;
  return (
    <>
      {q.hint ? (
        <div id={`${p.name}-hint`} class="govuk-hint" lang={fallbackLang(q.hint, ctx.lang)}>
          {pick(q.hint, ctx.lang)}
        </div>
      ) : null}
      {p.prefilled ? (
        <div id={`${p.name}-prefilled`} class="govuk-hint vt-prefilled">
          {ctx.t("Lo tomamos de tu cuenta; puedes cambiarlo.", "From your account; you can change it.")}
        </div>
      ) : null}
      <ErrorMessage id={p.errorKey} message={ctx.errors[p.errorKey]} t={ctx.t} />
    </>
  );
}

const describedBy = (q: AnyQuestion, name: string, errorKey: string, ctx: Ctx, prefilled?: boolean) =>
  ids(q.hint && `${name}-hint`, prefilled && `${name}-prefilled`, ctx.errors[errorKey] && `${errorKey}-error`);

function Label(p: { q: AnyQuestion; for: string; ctx: Ctx; heading: boolean; size?: "m" | undefined }) {
  const text = pick(p.q.label, p.ctx.lang);
  const lang = fallbackLang(p.q.label, p.ctx.lang);
  if (p.heading) {
    return (
      <h1 class="govuk-label-wrapper">
        <label class="govuk-label govuk-label--l" for={p.for} lang={lang}>
          {text}
        </label>
      </h1>
    );
  }
  return (
    <label class={`govuk-label${p.size ? ` govuk-label--${p.size}` : ""}`} for={p.for} lang={lang}>
      {text}
    </label>
  );
}

function Fieldset(p: {
  q: AnyQuestion;
  ctx: Ctx;
  heading: boolean;
  size?: "m" | "s" | undefined;
  describedBy?: string | undefined;
  id?: string | undefined;
  /** Only a date's fieldset is a "group" (GOV.UK): its inputs are one answer. */
  role?: "group" | undefined;
  children: ComponentChildren;
}) {
  const text = pick(p.q.label, p.ctx.lang);
  const lang = fallbackLang(p.q.label, p.ctx.lang);
  return (
    <fieldset class="govuk-fieldset" id={p.id} role={p.role} aria-describedby={p.describedBy}>
      {p.heading ? (
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--l" lang={lang}>
          <h1 class="govuk-fieldset__heading">{text}</h1>
        </legend>
      ) : (
        <legend class={`govuk-fieldset__legend${p.size ? ` govuk-fieldset__legend--${p.size}` : ""}`} lang={lang}>
          {text}
        </legend>
      )}
      {p.children}
    </fieldset>
  );
}

const groupClass = (error: boolean) => `govuk-form-group${error ? " govuk-form-group--error" : ""}`;

interface FieldProps {
  q: AnyQuestion;
  name: string;
  ctx: Ctx;
  heading: boolean;
  prefilled?: boolean;
  /** A top-level question is about the person filling in the form; a group's usually about someone else. */
  own?: boolean;
}

function Field(p: FieldProps) {
  switch (p.q.type) {
    case "date":
      return <DateField {...p} />;
    case "yesno":
    case "radio":
    case "checkboxes":
      return <ChoiceField {...p} />;
    case "declaration":
      return <Declaration {...p} />;
    case "address":
      return <AddressField {...p} />;
    default:
      return <InputField {...p} />;
  }
}

const NAME_AUTOCOMPLETE: Record<string, string> = {
  givenNames: "given-name",
  surnames: "family-name",
  fullName: "name",
};

/** Attributes per type: keyboards, autofill and spelling help. */
function inputAttrs(q: AnyQuestion, own: boolean) {
  const auto = (token: string) => (own ? token : undefined);
  switch (q.type) {
    case "email":
      return { type: "email", autocomplete: auto("email"), spellcheck: false };
    case "phone":
      return { type: "tel", autocomplete: auto("tel"), width: 20 };
    case "curp":
    case "rfc":
      return { spellcheck: false, autocapitalize: "characters", width: 20, upper: true };
    // "decimal", not "numeric": the numeric keypad of some phones has no decimal point.
    case "number":
      return { inputMode: "decimal", spellcheck: false, width: 10 };
    default:
      return { autocomplete: q.prefill && own ? NAME_AUTOCOMPLETE[q.prefill] : undefined };
  }
}

function InputField(p: FieldProps) {
  const { q, name, ctx } = p;
  const error = ctx.errors[name];
  const described = describedBy(q, name, name, ctx, p.prefilled);
  const a = inputAttrs(q, !!p.own) as ReturnType<typeof inputAttrs> & { width?: number; upper?: boolean };
  return (
    <div class={groupClass(!!error)}>
      <Label q={q} for={name} ctx={ctx} heading={p.heading} size={p.own ? "m" : undefined} />
      <Describers q={q} name={name} errorKey={name} ctx={ctx} prefilled={p.prefilled} />
      {q.type === "textarea" ? (
        <textarea
          class={`govuk-textarea${error ? " govuk-textarea--error" : ""}`}
          id={name}
          name={name}
          rows={5}
          aria-describedby={described}
        >
          {one(ctx.values, name)}
        </textarea>
      ) : q.type === "select" ? (
        <select
          class={`govuk-select${error ? " govuk-select--error" : ""}`}
          id={name}
          name={name}
          aria-describedby={described}
        >
          <option value="">{ctx.t("Elige una opción", "Select an option")}</option>
          {(q.options ?? []).map((o) => (
            <option value={o.value} selected={one(ctx.values, name) === o.value}>
              {pick(o.label, ctx.lang)}
            </option>
          ))}
        </select>
      ) : (
        <input
          class={`govuk-input${a.width ? ` govuk-input--width-${a.width}` : ""}${error ? " govuk-input--error" : ""}${a.upper ? " vt-upper" : ""}`}
          id={name}
          name={name}
          type={(a.type ?? "text") as "text"}
          value={one(ctx.values, name)}
          autocomplete={a.autocomplete}
          inputMode={a.inputMode as "decimal" | undefined}
          spellcheck={a.spellcheck}
          autocapitalize={a.autocapitalize as "characters" | undefined}
          aria-describedby={described}
        />
      )}
    </div>
  );
}

function DateField(p: FieldProps) {
  const { q, name, ctx } = p;
  const key = `${name}.day`;
  const error = ctx.errors[key];
  const bday = p.own && q.prefill === "birthDate";
  const parts = [
    ["day", ctx.t("Día", "Day"), 2],
    ["month", ctx.t("Mes", "Month"), 2],
    ["year", ctx.t("Año", "Year"), 4],
  ] as const;
  return (
    <div class={groupClass(!!error)}>
      <Fieldset
        q={q}
        ctx={ctx}
        heading={p.heading}
        size={p.own ? "m" : "s"}
        role="group"
        describedBy={describedBy(q, name, key, ctx, p.prefilled)}
      >
        <Describers q={q} name={name} errorKey={key} ctx={ctx} prefilled={p.prefilled} />
        <div class="govuk-date-input" id={name}>
          {parts.map(([part, label, width]) => (
            <div class="govuk-date-input__item">
              <div class="govuk-form-group">
                <label class="govuk-label govuk-date-input__label" for={`${name}.${part}`}>
                  {label}
                </label>
                <input
                  class={`govuk-input govuk-date-input__input govuk-input--width-${width}${error ? " govuk-input--error" : ""}`}
                  id={`${name}.${part}`}
                  name={`${name}.${part}`}
                  type="text"
                  inputMode="numeric"
                  value={one(ctx.values, `${name}.${part}`)}
                  autocomplete={bday ? `bday-${part}` : undefined}
                />
              </div>
            </div>
          ))}
        </div>
      </Fieldset>
    </div>
  );
}

function ChoiceField(p: FieldProps) {
  const { q, name, ctx } = p;
  const error = ctx.errors[name];
  const multiple = q.type === "checkboxes";
  const kind = multiple ? "checkboxes" : "radios";
  const choices =
    q.type === "yesno"
      ? [
          { value: "yes", label: ctx.t("Sí", "Yes") },
          { value: "no", label: ctx.t("No", "No") },
        ]
      : (q.options ?? []).map((o) => ({ value: o.value, label: pick(o.label, ctx.lang) }));
  const selected = many(ctx.values, name);
  return (
    <div class={groupClass(!!error)}>
      <Fieldset
        q={q}
        ctx={ctx}
        heading={p.heading}
        size={p.own ? "m" : "s"}
        describedBy={describedBy(q, name, name, ctx, p.prefilled)}
      >
        <Describers q={q} name={name} errorKey={name} ctx={ctx} prefilled={p.prefilled} />
        <div class={`govuk-${kind}${q.type === "yesno" ? " govuk-radios--inline" : ""}`} data-module={`govuk-${kind}`}>
          {choices.map((c, i) => {
            const id = i === 0 ? name : `${name}-${i + 1}`;
            return (
              <div class={`govuk-${kind}__item`}>
                <input
                  class={`govuk-${kind}__input`}
                  id={id}
                  name={name}
                  type={multiple ? "checkbox" : "radio"}
                  value={c.value}
                  checked={selected.includes(c.value)}
                />
                <label class={`govuk-label govuk-${kind}__label`} for={id}>
                  {c.label}
                </label>
              </div>
            );
          })}
        </div>
      </Fieldset>
    </div>
  );
}

function Declaration(p: FieldProps) {
  const { q, name, ctx } = p;
  const error = ctx.errors[name];
  return (
    <div class={groupClass(!!error)}>
      <Describers q={q} name={name} errorKey={name} ctx={ctx} />
      <div class="govuk-checkboxes" data-module="govuk-checkboxes">
        <div class="govuk-checkboxes__item">
          <input
            class="govuk-checkboxes__input"
            id={name}
            name={name}
            type="checkbox"
            value="yes"
            checked={one(ctx.values, name) === "yes"}
            aria-describedby={describedBy(q, name, name, ctx)}
          />
          <label class="govuk-label govuk-checkboxes__label" for={name} lang={fallbackLang(q.label, ctx.lang)}>
            {pick(q.label, ctx.lang)}
          </label>
        </div>
      </div>
    </div>
  );
}

function AddressField(p: FieldProps) {
  const { q, name, ctx, own } = p;
  const part = (key: string, label: string, body: (id: string, described?: string) => ComponentChildren) => {
    const id = `${name}.${key}`;
    return (
      <div class={groupClass(!!ctx.errors[id])}>
        <label class="govuk-label" for={id}>
          {label}
        </label>
        <ErrorMessage id={id} message={ctx.errors[id]} t={ctx.t} />
        {body(id, ctx.errors[id] ? `${id}-error` : undefined)}
      </div>
    );
  };
  const input = (width: string, auto: string, extra: Record<string, unknown> = {}) =>
    function AddressInput(id: string, described?: string) {
      return (
        <input
          class={`govuk-input${width}${ctx.errors[id] ? " govuk-input--error" : ""}`}
          id={id}
          name={id}
          type="text"
          value={one(ctx.values, id)}
          autocomplete={own ? auto : undefined}
          aria-describedby={described}
          {...extra}
        />
      );
    };
  return (
    // Each part marks its own error; marking the whole address too would draw a second red bar.
    <div class="govuk-form-group">
      <Fieldset
        q={q}
        ctx={ctx}
        heading={p.heading}
        size={own ? "m" : "s"}
        describedBy={describedBy(q, name, name, ctx, p.prefilled)}
      >
        <Describers q={q} name={name} errorKey={name} ctx={ctx} prefilled={p.prefilled} />
        {part("street", ctx.t("Calle y número", "Street and number"), input("", "address-line1"))}
        {part(
          "settlement",
          ctx.t("Colonia", "Neighbourhood (colonia)"),
          input(" govuk-!-width-two-thirds", "address-level3"),
        )}
        {part(
          "postalCode",
          ctx.t("Código postal", "Postal code"),
          input(" govuk-input--width-5", "postal-code", { inputMode: "numeric", spellcheck: false }),
        )}
        {part("state", ctx.t("Estado", "State"), (id, described) => (
          <select
            class={`govuk-select${ctx.errors[id] ? " govuk-select--error" : ""}`}
            id={id}
            name={id}
            autocomplete={own ? "address-level1" : undefined}
            aria-describedby={described}
          >
            <option value="">{ctx.t("Elige el estado", "Select the state")}</option>
            {ctx.states.map((s) => (
              <option value={s.code} selected={one(ctx.values, id) === s.code}>
                {s.name}
              </option>
            ))}
          </select>
        ))}
        {part(
          "municipality",
          ctx.t("Municipio o alcaldía", "Municipality"),
          input(" govuk-!-width-two-thirds", "address-level2"),
        )}
      </Fieldset>
    </div>
  );
}

const ACCEPT: Record<FileKind, string> = {
  pdf: ".pdf,application/pdf",
  jpg: ".jpg,.jpeg,image/jpeg",
  png: ".png,image/png",
};

function FileField(p: { q: Question; ctx: Ctx; heading: boolean; current: FileAnswer | undefined }) {
  const { q, ctx, current } = p;
  const name = q.id;
  const error = ctx.errors[name];
  const kinds = q.file?.kinds ?? ["pdf"];
  const megabytes = Math.round(((q.file?.maxBytes ?? 0) / 1024 / 1024) * 10) / 10;
  const rules = ctx.t(
    `Formatos: ${kinds.map((k) => k.toUpperCase()).join(", ")}. Tamaño máximo: ${megabytes} MB.`,
    `Formats: ${kinds.map((k) => k.toUpperCase()).join(", ")}. Largest size: ${megabytes} MB.`,
  );
  return (
    <div class={groupClass(!!error)}>
      <Label q={q} for={name} ctx={ctx} heading={p.heading} size="m" />
      <Describers q={q} name={name} errorKey={name} ctx={ctx} />
      <div id={`${name}-rules`} class="govuk-hint">
        {rules}
      </div>
      {current ? (
        <p id={`${name}-current`} class="govuk-body">
          {ctx.t("Archivo que subiste: ", "File you uploaded: ")}
          <strong>{answerText(q, current, ctx.lang)}</strong>
          {ctx.t(". Si subes otro, reemplaza a este.", ". If you upload another, it replaces this one.")}
        </p>
      ) : null}
      <input
        class={`govuk-file-upload${error ? " govuk-file-upload--error" : ""}`}
        id={name}
        name={name}
        type="file"
        accept={kinds.map((k) => ACCEPT[k]).join(",")}
        aria-describedby={ids(
          q.hint && `${name}-hint`,
          `${name}-rules`,
          current && `${name}-current`,
          error && `${name}-error`,
        )}
      />
    </div>
  );
}

/** The last item index with something typed in it, or -1. */
function lastUsedItem(q: Question, values: Values): number {
  let last = -1;
  for (let i = 0; i < MAX_GROUP_ITEMS; i++) {
    const used = (q.fields ?? []).some((f) =>
      fieldNames(f.type, `${q.id}.${i}.${f.id}`).some((n) => many(values, n).some((v) => v.trim() !== "")),
    );
    if (used) last = i;
  }
  return last;
}

/**
 * The items typed so far, then one empty item so another can be added without JavaScript (up to
 * maxItems), and at least as many as the group requires.
 */
function Group(p: { q: Question; ctx: Ctx; heading: boolean }) {
  const { q, ctx } = p;
  const error = ctx.errors[q.id];
  const last = lastUsedItem(q, ctx.values);
  const min = q.minItems ?? 1;
  const count = Math.min(Math.max(last + 2, min), Math.max(q.maxItems ?? DEFAULT_MAX_ITEMS, last + 1));
  return (
    <div class={groupClass(!!error)}>
      <Fieldset q={q} ctx={ctx} heading={p.heading} size="m" id={q.id} describedBy={describedBy(q, q.id, q.id, ctx)}>
        <Describers q={q} name={q.id} errorKey={q.id} ctx={ctx} />
        {Array.from({ length: count }, (_, i) => {
          const spare = i > last && i >= min;
          return (
            <fieldset class="govuk-fieldset vt-group-item" aria-describedby={spare ? `${q.id}.${i}-hint` : undefined}>
              <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
                {ctx.t(`Registro ${i + 1}`, `Entry ${i + 1}`)}
              </legend>
              {spare ? (
                <div id={`${q.id}.${i}-hint`} class="govuk-hint">
                  {ctx.t(
                    "Déjalo en blanco si no necesitas agregar otro.",
                    "Leave it blank if you do not need another.",
                  )}
                </div>
              ) : null}
              {(q.fields ?? []).map((f) => (
                <Field q={f} name={`${q.id}.${i}.${f.id}`} ctx={ctx} heading={false} />
              ))}
            </fieldset>
          );
        })}
      </Fieldset>
    </div>
  );
}
