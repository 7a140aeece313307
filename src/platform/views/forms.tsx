/**
 * Form pieces in GOV.UK Frontend's markup: an error summary linked to the fields, text
 * inputs with label, hint and error, and the CSRF field every posted form carries.
 */
import type { ComponentChildren } from "preact";
import type { FieldIssue } from "../errors.js";
import { translator, type Lang } from "./i18n.js";

export type FieldErrors = Record<string, string>;

/** The field errors of a DomainError, in the page's language. */
export function fieldErrors(details: FieldIssue[], lang: Lang): FieldErrors {
  const out: FieldErrors = {};
  for (const d of details) out[d.field] ??= d.localized ? d.localized[lang] : d.message;
  return out;
}

export function ErrorSummary(props: { lang: Lang; errors: FieldErrors; message?: string | undefined }) {
  const t = translator(props.lang);
  const entries = Object.entries(props.errors);
  if (!entries.length && !props.message) return null;
  return (
    <div class="govuk-error-summary" data-module="govuk-error-summary">
      <div role="alert">
        <h2 class="govuk-error-summary__title">{t("Hay un problema", "There is a problem")}</h2>
        <div class="govuk-error-summary__body">
          {props.message && !entries.length ? <p class="govuk-body">{props.message}</p> : null}
          {entries.length ? (
            <ul class="govuk-list govuk-error-summary__list">
              {entries.map(([field, message]) => (
                <li>
                  <a href={`#${field}`}>{message}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </div>
    </div>
  );
}

export interface InputProps {
  lang: Lang;
  name: string;
  label: string;
  hint?: string;
  value?: string;
  error?: string | undefined;
  type?: "text" | "email" | "password" | "tel";
  autocomplete?: string;
  width?: 5 | 10 | 20 | 30;
  maxLength?: number;
  inputMode?: "numeric" | "text" | "email";
  spellcheck?: boolean;
  labelSize?: "s" | "m" | "l";
  /** Uppercase the value as it is typed (CURP); the server uppercases it anyway. */
  upper?: boolean;
}

const describedBy = (p: { name: string; hint?: string | undefined; error?: string | undefined }) =>
  [p.hint ? `${p.name}-hint` : "", p.error ? `${p.name}-error` : ""].filter(Boolean).join(" ") || undefined;

/** A form group: the label, hint and error message of one field, around the field itself. */
function Field(p: {
  lang: Lang;
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  labelSize?: "s" | "m" | "l" | undefined;
  children: ComponentChildren;
}) {
  const t = translator(p.lang);
  return (
    <div class={`govuk-form-group${p.error ? " govuk-form-group--error" : ""}`}>
      <label class={`govuk-label${p.labelSize ? ` govuk-label--${p.labelSize}` : ""}`} for={p.name}>
        {p.label}
      </label>
      {p.hint ? (
        <div class="govuk-hint" id={`${p.name}-hint`}>
          {p.hint}
        </div>
      ) : null}
      {p.error ? (
        <p class="govuk-error-message" id={`${p.name}-error`}>
          <span class="govuk-visually-hidden">{t("Error:", "Error:")}</span> {p.error}
        </p>
      ) : null}
      {p.children}
    </div>
  );
}

export function TextInput(p: InputProps) {
  return (
    <Field {...p}>
      <input
        class={`govuk-input${p.width ? ` govuk-input--width-${p.width}` : ""}${p.error ? " govuk-input--error" : ""}${p.upper ? " vt-upper" : ""}`}
        id={p.name}
        name={p.name}
        type={(p.type ?? "text") as "text"}
        value={p.type === "password" ? "" : (p.value ?? "")}
        autocomplete={p.autocomplete}
        maxLength={p.maxLength}
        inputMode={p.inputMode}
        spellcheck={p.spellcheck}
        aria-describedby={describedBy(p)}
      />
    </Field>
  );
}

/** A posted form with its CSRF token. */
export function PostForm(props: { action: string; csrf: string; children: ComponentChildren; class?: string }) {
  return (
    <form method="post" action={props.action} novalidate class={props.class}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.children}
    </form>
  );
}

export function Button(props: { children: ComponentChildren; secondary?: boolean; warning?: boolean }) {
  const variant = props.secondary ? " govuk-button--secondary" : props.warning ? " govuk-button--warning" : "";
  return (
    <button type="submit" class={`govuk-button${variant}`} data-module="govuk-button">
      {props.children}
    </button>
  );
}

export function Textarea(p: Omit<InputProps, "type" | "width" | "inputMode" | "upper"> & { rows?: number }) {
  return (
    <Field {...p}>
      <textarea
        class={`govuk-textarea${p.error ? " govuk-textarea--error" : ""}`}
        id={p.name}
        name={p.name}
        rows={p.rows ?? 4}
        maxLength={p.maxLength}
        spellcheck={p.spellcheck}
        aria-describedby={describedBy(p)}
      >
        {p.value ?? ""}
      </textarea>
    </Field>
  );
}

export interface Choice {
  value: string;
  label: string;
  hint?: string;
}

/** Radios or checkboxes in a fieldset with its legend, hint and error. The first option carries the field's id. */
export function Choices(p: {
  lang: Lang;
  name: string;
  legend: string;
  hint?: string;
  error?: string | undefined;
  choices: Choice[];
  selected: string[];
  multiple?: boolean;
  small?: boolean;
  inline?: boolean;
}) {
  const t = translator(p.lang);
  const kind = p.multiple ? "checkboxes" : "radios";
  const described = [p.hint ? `${p.name}-hint` : "", p.error ? `${p.name}-error` : ""].filter(Boolean).join(" ");
  return (
    <div class={`govuk-form-group${p.error ? " govuk-form-group--error" : ""}`}>
      <fieldset class="govuk-fieldset" aria-describedby={described || undefined}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{p.legend}</legend>
        {p.hint ? (
          <div class="govuk-hint" id={`${p.name}-hint`}>
            {p.hint}
          </div>
        ) : null}
        {p.error ? (
          <p class="govuk-error-message" id={`${p.name}-error`}>
            <span class="govuk-visually-hidden">{t("Error:", "Error:")}</span> {p.error}
          </p>
        ) : null}
        <div
          class={`govuk-${kind}${p.small ? ` govuk-${kind}--small` : ""}${p.inline ? ` govuk-${kind}--inline` : ""}`}
          data-module={`govuk-${kind}`}
        >
          {p.choices.map((c, i) => {
            const id = i === 0 ? p.name : `${p.name}-${i}`;
            return (
              <div class={`govuk-${kind}__item`}>
                <input
                  class={`govuk-${kind}__input`}
                  id={id}
                  name={p.name}
                  type={p.multiple ? "checkbox" : "radio"}
                  value={c.value}
                  checked={p.selected.includes(c.value)}
                  aria-describedby={c.hint ? `${id}-hint` : undefined}
                />
                <label class={`govuk-label govuk-${kind}__label`} for={id}>
                  {c.label}
                </label>
                {c.hint ? (
                  <div id={`${id}-hint`} class={`govuk-hint govuk-${kind}__hint`}>
                    {c.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

/** A single checkbox (a yes/no field inside a repeated group). */
export function Checkbox(p: { name: string; label: string; checked: boolean }) {
  return (
    <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
      <div class="govuk-checkboxes__item">
        <input
          class="govuk-checkboxes__input"
          id={p.name}
          name={p.name}
          type="checkbox"
          value="on"
          checked={p.checked}
        />
        <label class="govuk-label govuk-checkboxes__label" for={p.name}>
          {p.label}
        </label>
      </div>
    </div>
  );
}

/** A submit button that names the action it performs (save, add a row...), for forms with several. */
export function ActionButton(props: {
  action: string;
  children: ComponentChildren;
  secondary?: boolean;
  warning?: boolean;
}) {
  const variant = props.secondary ? " govuk-button--secondary" : props.warning ? " govuk-button--warning" : "";
  return (
    <button
      type="submit"
      name="action"
      value={props.action}
      class={`govuk-button${variant}`}
      data-module="govuk-button"
    >
      {props.children}
    </button>
  );
}

/** A form page's column: two thirds wide, the error summary first, then the page's heading and the form. */
export function FormColumn(p: {
  lang: Lang;
  title: string;
  errors: FieldErrors;
  message?: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary lang={p.lang} errors={p.errors} message={p.message} />
        <h1 class="govuk-heading-l">{p.title}</h1>
        {p.children}
      </div>
    </div>
  );
}

/** A GOV.UK select with its label, hint and error. */
export function Select(p: {
  lang: Lang;
  name: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  options: { value: string; label: string }[];
  selected: string;
}) {
  return (
    <Field {...p}>
      <select
        class={`govuk-select${p.error ? " govuk-select--error" : ""}`}
        id={p.name}
        name={p.name}
        aria-describedby={describedBy(p)}
      >
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.selected}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A file input, for a multipart form whose first field is _csrf (streamed uploads check it first). */
export function FileInput(p: {
  lang: Lang;
  name: string;
  label: string;
  hint: string;
  error?: string | undefined;
  accept: string;
}) {
  return (
    <Field {...p}>
      <input
        class={`govuk-file-upload${p.error ? " govuk-file-upload--error" : ""}`}
        id={p.name}
        name={p.name}
        type="file"
        accept={p.accept}
        aria-describedby={describedBy(p)}
      />
    </Field>
  );
}
