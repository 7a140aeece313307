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

export function TextInput(p: InputProps) {
  const t = translator(p.lang);
  const described = [p.hint ? `${p.name}-hint` : "", p.error ? `${p.name}-error` : ""].filter(Boolean).join(" ");
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
        aria-describedby={described || undefined}
      />
    </div>
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
