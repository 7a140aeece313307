/**
 * The one error type domains throw. The HTTP edge maps codes to statuses and pages;
 * nothing else needs to know about HTTP. Messages are written for people, in
 * Spanish and English; the edge picks the page's language.
 */
export type ErrorCode =
  "not_found" | "invalid" | "unauthorized" | "forbidden" | "conflict" | "too_large" | "rate_limited";

export interface FieldIssue {
  field: string;
  message: string;
  record?: number | undefined;
  line?: number | undefined;
  /** The message in both languages, for forms that show it next to the field. */
  localized?: { es: string; en: string } | undefined;
}

/** A form's problems, one per field, in both languages (the page shows them in its own). */
export function invalidFields(issues: Record<string, { es: string; en: string }>): DomainError {
  const entries = Object.entries(issues);
  const first = entries[0]![1];
  return new DomainError(
    "invalid",
    entries.length === 1
      ? first
      : {
          es: "Hay problemas en el formulario; revisa cada campo.",
          en: "There are problems in the form; check each field.",
        },
    entries.map(([field, m]) => ({ field, message: m.en, localized: m })),
  );
}

export type Message = string | { es: string; en: string };

export class DomainError extends Error {
  readonly localized: { es: string; en: string };
  constructor(
    readonly code: ErrorCode,
    message: Message,
    readonly details: FieldIssue[] = [],
  ) {
    const localized = typeof message === "string" ? { es: message, en: message } : message;
    super(localized.en);
    this.localized = localized;
    this.name = "DomainError";
  }
  messageIn(lang: string): string {
    return lang === "en" ? this.localized.en : this.localized.es;
  }
}

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  not_found: 404,
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
};
