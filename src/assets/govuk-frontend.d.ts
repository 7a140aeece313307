// govuk-frontend ships JavaScript without type declarations; these are the parts we use.
declare module "govuk-frontend" {
  export class Button {}
  export class ErrorSummary {}
  export class SkipLink {}
  export function createAll(component: unknown, config?: unknown, scope?: Element): unknown[];
}
