/** The development outbox: the mail that would have been sent when no mail server is configured. */
import { WarningText } from "../../../platform/views/components.js";
import { translator, type Lang } from "../../../platform/views/i18n.js";
import type { OutboxRow } from "../outbox.js";
import { OfficeShell, SummaryList } from "./inbox.js";
import { dateTime } from "./my-cases.js";

/** How many of the most recent messages the page shows. */
export const OUTBOX_SHOWN = 100;

export function OutboxPage(p: { lang: Lang; alternateHref: string; mails: OutboxRow[] }) {
  const t = translator(p.lang);
  const title = t("Correo saliente (desarrollo)", "Outgoing mail (development)");
  return (
    <OfficeShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
      <h1 class="govuk-heading-l">{title}</h1>
      <WarningText label={t("Aviso", "Warning")}>
        {t(
          "No hay servidor de correo configurado (MAIL_URL): nada se envía de verdad. Aquí se ve lo que se habría enviado, incluidos enlaces para entrar a cuentas; no lo compartas.",
          "No mail server is configured (MAIL_URL): nothing is really sent. This shows what would have been sent, including sign-in links; do not share it.",
        )}
      </WarningText>
      <p class="govuk-body">
        {t(`Los ${OUTBOX_SHOWN} mensajes más recientes.`, `The ${OUTBOX_SHOWN} most recent messages.`)}
      </p>
      {p.mails.length === 0 ? <p class="govuk-body">{t("No hay mensajes.", "There are no messages.")}</p> : null}
      {p.mails.map((m) => (
        <div class="vt-row">
          <h2 class="govuk-heading-s vt-break">{m.subject}</h2>
          <SummaryList
            rows={[
              { key: t("Para", "To"), value: <span class="vt-break">{m.recipient}</span> },
              { key: t("Creado", "Created"), value: dateTime(m.createdAt, p.lang) },
              {
                key: t("Entregado", "Delivered"),
                value: m.deliveredAt
                  ? t(`${dateTime(m.deliveredAt, "es")} (al registro)`, `${dateTime(m.deliveredAt, "en")} (to the log)`)
                  : t("Todavía no", "Not yet"),
              },
            ]}
          />
          <p class="govuk-body vt-pre-line vt-break">{m.body}</p>
        </div>
      ))}
    </OfficeShell>
  );
}
