/** Small layout pieces on top of the design system. */
import type { ComponentChildren } from "preact";

/** A wide table that scrolls in its own keyboard-focusable box on narrow screens instead of the page. */
export function ScrollRegion(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="vt-table-wrap" role="region" aria-label={props.label} tabIndex={0}>
      {props.children}
    </div>
  );
}

/** GOV.UK warning text: an exclamation icon and a bold message, announced as a warning. */
export function WarningText(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="govuk-warning-text">
      <span class="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong class="govuk-warning-text__text">
        <span class="govuk-visually-hidden">{props.label}</span>
        {props.children}
      </strong>
    </div>
  );
}

/** GOV.UK success notification banner, shown after an action worked. */
export function SuccessBanner(props: { title: string; children: ComponentChildren }) {
  return (
    <div
      class="govuk-notification-banner govuk-notification-banner--success"
      role="alert"
      aria-labelledby="notice-title"
      data-module="govuk-notification-banner"
    >
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="notice-title">
          {props.title}
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">{props.children}</p>
      </div>
    </div>
  );
}

/** GOV.UK confirmation panel: the big green box at the end of a task. */
export function ConfirmationPanel(props: { title: string; children?: ComponentChildren; headingLevel?: 1 | 2 }) {
  const Heading = props.headingLevel === 2 ? "h2" : "h1";
  return (
    <div class="govuk-panel govuk-panel--confirmation">
      <Heading class="govuk-panel__title">{props.title}</Heading>
      {props.children ? <div class="govuk-panel__body">{props.children}</div> : null}
    </div>
  );
}
