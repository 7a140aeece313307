/** The signed-in pages: my account, sessions, history, my data, authenticator setup. */
import { ConfirmationPanel, SuccessBanner, WarningText } from "../../../platform/views/components.js";
import {
  Button,
  Choices,
  ErrorSummary,
  PostForm,
  Textarea,
  TextInput,
  type FieldErrors,
  FormColumn,
} from "../../../platform/views/forms.js";
import { formatDate, translator, type Lang } from "../../../platform/views/i18n.js";
import { PageShell } from "../../catalogue/views/common.js";
import type { exportMyData } from "../accounts.js";
import { accountPaths } from "../paths.js";
import type { SessionRow } from "../queries.js";
import type { Viewer } from "../sessions.js";

interface Common {
  lang: Lang;
  alternateHref: string;
  csrf: string;
}

const dateTime = (iso: string, lang: Lang) =>
  new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "es-MX", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "America/Mexico_City",
  }).format(new Date(iso));

function Row(props: { label: string; children: preact.ComponentChildren }) {
  return (
    <div class="govuk-summary-list__row">
      <dt class="govuk-summary-list__key">{props.label}</dt>
      <dd class="govuk-summary-list__value">{props.children}</dd>
    </div>
  );
}

export function AccountPage(
  p: Common & { viewer: Viewer; curp: string | null; recoveryCodesLeft: number; notice?: string },
) {
  const t = translator(p.lang);
  const a = accountPaths(p.lang);
  const v = p.viewer;
  return (
    <PageShell lang={p.lang} title={t("Mi cuenta", "My account")} alternateHref={p.alternateHref}>
      {p.notice ? <SuccessBanner title={t("Listo", "Done")}>{p.notice}</SuccessBanner> : null}
      <h1 class="govuk-heading-l">{t("Mi cuenta", "My account")}</h1>
      {!v.emailVerified ? (
        <WarningText label={t("Aviso", "Warning")}>
          {t(
            "Confirma tu correo con el enlace que te enviamos para poder hacer trámites.",
            "Confirm your email with the link we sent you before you can complete procedures.",
          )}
        </WarningText>
      ) : null}
      {!v.emailVerified ? (
        <PostForm action={a.resendVerification} csrf={p.csrf}>
          <Button secondary>{t("Enviar el enlace otra vez", "Send the link again")}</Button>
        </PostForm>
      ) : null}
      <dl class="govuk-summary-list">
        <Row label={t("Nombre", "Name")}>{v.name}</Row>
        <Row label={t("Correo electrónico", "Email address")}>
          {v.email}{" "}
          {v.emailVerified ? (
            <strong class="govuk-tag govuk-tag--green">{t("Confirmado", "Confirmed")}</strong>
          ) : (
            <strong class="govuk-tag govuk-tag--yellow">{t("Sin confirmar", "Not confirmed")}</strong>
          )}
        </Row>
        {p.curp ? <Row label="CURP">{p.curp}</Row> : null}
        <Row label={t("Nivel de identidad", "Identity level")}>
          {v.assurance === "verificada"
            ? t(
                "Verificada: una persona servidora pública revisó tu identificación.",
                "Verified: a public servant checked your identity document.",
              )
            : t(
                "Básica: correo confirmado. Algunos trámites piden identidad verificada, que se obtiene presentando una identificación en un módulo de atención.",
                "Basic: email confirmed. Some procedures ask for a verified identity, which you get by showing an identity document at a service desk.",
              )}
        </Row>
        <Row label={t("Segundo factor", "Second factor")}>
          {v.totpEnabled ? (
            <>
              {t("Aplicación de autenticación activa.", "Authenticator app on.")}{" "}
              {t(
                `Te quedan ${p.recoveryCodesLeft} códigos de recuperación.`,
                `You have ${p.recoveryCodesLeft} recovery codes left.`,
              )}
            </>
          ) : (
            <a class="govuk-link" href={a.totpSetup}>
              {t("Agrega una aplicación de autenticación", "Add an authenticator app")}
            </a>
          )}
        </Row>
        {v.roles.length ? (
          <Row label={t("Roles", "Roles")}>
            <ul class="govuk-list">
              {v.roles.map((r) => (
                <li>
                  {r.institution}: {r.role}
                </li>
              ))}
            </ul>
          </Row>
        ) : null}
      </dl>
      <h2 class="govuk-heading-m">{t("Trámites", "Applications")}</h2>
      <p class="govuk-body">
        <a class="govuk-link" href={p.lang === "en" ? "/en/account/applications" : "/cuenta/tramites"}>
          {t(
            "Mis trámites: lo que enviaste, su estado y lo que sigue",
            "My applications: what you sent, its status and what comes next",
          )}
        </a>
      </p>
      <h2 class="govuk-heading-m">{t("Seguridad y privacidad", "Security and privacy")}</h2>
      <ul class="govuk-list">
        <li>
          <a class="govuk-link" href={a.sessions}>
            {t("Sesiones abiertas", "Open sessions")}
          </a>
        </li>
        <li>
          <a class="govuk-link" href={a.history}>
            {t("Historial de accesos", "Sign-in history")}
          </a>
        </li>
        <li>
          <a class="govuk-link" href={a.myData}>
            {t(
              "Mis datos: ver y descargar todo lo que guardamos de ti",
              "My data: see and download everything we hold about you",
            )}
          </a>
        </li>
      </ul>
      <PostForm action={a.signOut} csrf={p.csrf}>
        <Button secondary>{t("Salir", "Sign out")}</Button>
      </PostForm>
    </PageShell>
  );
}

export function SessionsPage(p: Common & { sessions: SessionRow[]; currentId: number }) {
  const t = translator(p.lang);
  const a = accountPaths(p.lang);
  const title = t("Sesiones abiertas", "Open sessions");
  return (
    <PageShell
      lang={p.lang}
      title={title}
      alternateHref={p.alternateHref}
      breadcrumbs={[{ href: a.account, label: t("Mi cuenta", "My account") }]}
    >
      <h1 class="govuk-heading-l">{title}</h1>
      <table class="govuk-table">
        <caption class="govuk-table__caption govuk-visually-hidden">{title}</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">
              {t("Dispositivo", "Device")}
            </th>
            <th scope="col" class="govuk-table__header">
              {t("Inicio", "Started")}
            </th>
            <th scope="col" class="govuk-table__header">
              {t("Último uso", "Last used")}
            </th>
            <th scope="col" class="govuk-table__header">
              <span class="govuk-visually-hidden">{t("Acción", "Action")}</span>
            </th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {p.sessions.map((s) => (
            <tr class="govuk-table__row">
              <td class="govuk-table__cell vt-break">
                {s.userAgent || t("Desconocido", "Unknown")} ({s.address})
              </td>
              <td class="govuk-table__cell">{dateTime(s.createdAt, p.lang)}</td>
              <td class="govuk-table__cell">{dateTime(s.lastSeenAt, p.lang)}</td>
              <td class="govuk-table__cell">
                {s.id === p.currentId ? (
                  <strong class="govuk-tag">{t("Esta sesión", "This session")}</strong>
                ) : (
                  <PostForm action={`${a.sessions}/${s.id}/${p.lang === "en" ? "end" : "cerrar"}`} csrf={p.csrf}>
                    <button
                      type="submit"
                      class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                      data-module="govuk-button"
                    >
                      {t("Cerrar", "End")}
                      <span class="govuk-visually-hidden">
                        {" "}
                        {t(
                          `la sesión del ${dateTime(s.createdAt, p.lang)}`,
                          `the session from ${dateTime(s.createdAt, p.lang)}`,
                        )}
                      </span>
                    </button>
                  </PostForm>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <PostForm action={a.signOutEverywhere} csrf={p.csrf}>
        <Button warning>{t("Salir de todos los dispositivos", "Sign out on every device")}</Button>
      </PostForm>
    </PageShell>
  );
}

const ACTION_LABELS: Record<string, [string, string]> = {
  "account.sign_up": ["Creaste la cuenta", "You created the account"],
  "account.email_verified": ["Confirmaste tu correo", "You confirmed your email"],
  "account.sign_in": ["Entraste", "You signed in"],
  "account.sign_in_failed": ["Intento de entrada con contraseña incorrecta", "Sign-in attempt with a wrong password"],
  "account.second_factor": ["Diste tu segundo factor", "You gave your second factor"],
  "account.sign_out": ["Saliste", "You signed out"],
  "account.sign_out_everywhere": ["Saliste de todos los dispositivos", "You signed out everywhere"],
  "account.session_ended": ["Cerraste una sesión", "You ended a session"],
  "account.password_reset": ["Cambiaste tu contraseña con un enlace", "You reset your password with a link"],
  "account.recovery_requested": ["Se pidió un enlace de recuperación", "A recovery link was requested"],
  "account.totp_enabled": ["Activaste la aplicación de autenticación", "You turned on the authenticator app"],
  "account.totp_disabled": ["Quitaste la aplicación de autenticación", "You removed the authenticator app"],
  "data.export": ["Descargaste o consultaste tus datos", "You viewed or downloaded your data"],
};

export const actionLabel = (action: string, lang: Lang) => {
  const l = ACTION_LABELS[action];
  return l ? (lang === "en" ? l[1] : l[0]) : action;
};

export function HistoryPage(p: Common & { entries: { at: string; action: string; address: string }[] }) {
  const t = translator(p.lang);
  const a = accountPaths(p.lang);
  const title = t("Historial de accesos", "Sign-in history");
  return (
    <PageShell
      lang={p.lang}
      title={title}
      alternateHref={p.alternateHref}
      breadcrumbs={[{ href: a.account, label: t("Mi cuenta", "My account") }]}
    >
      <h1 class="govuk-heading-l">{title}</h1>
      <p class="govuk-body">
        {t(
          "Si ves algo que no hiciste, cambia tu contraseña y sal de todos los dispositivos.",
          "If you see something you did not do, change your password and sign out everywhere.",
        )}
      </p>
      <table class="govuk-table">
        <caption class="govuk-table__caption govuk-visually-hidden">{title}</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">
              {t("Cuándo", "When")}
            </th>
            <th scope="col" class="govuk-table__header">
              {t("Qué pasó", "What happened")}
            </th>
            <th scope="col" class="govuk-table__header">
              {t("Desde", "From")}
            </th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {p.entries.map((e) => (
            <tr class="govuk-table__row">
              <td class="govuk-table__cell">{dateTime(e.at, p.lang)}</td>
              <td class="govuk-table__cell">{actionLabel(e.action, p.lang)}</td>
              <td class="govuk-table__cell">{e.address}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </PageShell>
  );
}

const RIGHT_LABELS: Record<string, [string, string]> = {
  access: ["Acceso: saber qué datos tenemos y cómo los usamos", "Access: know what data we hold and how we use it"],
  rectification: [
    "Rectificación: corregir un dato que no puedes cambiar aquí (por ejemplo la CURP)",
    "Rectification: correct data you cannot change here (for example the CURP)",
  ],
  cancellation: [
    "Cancelación: que borremos tus datos y tu cuenta",
    "Cancellation: that we delete your data and your account",
  ],
  opposition: [
    "Oposición: que dejemos de usar tus datos para un fin",
    "Objection: that we stop using your data for a purpose",
  ],
};
const STATUS_LABELS: Record<string, [string, string]> = {
  received: ["Recibida", "Received"],
  granted: ["Procedente", "Granted"],
  partially_granted: ["Procedente en parte", "Partly granted"],
  denied: ["Improcedente", "Denied"],
};

export function MyDataPage(
  p: Common & {
    data: Awaited<ReturnType<typeof exportMyData>>;
    values?: Record<string, string>;
    errors?: FieldErrors;
    message?: string | undefined;
    notice?: string | undefined;
  },
) {
  const t = translator(p.lang);
  const a = accountPaths(p.lang);
  const d = p.data;
  const e = p.errors ?? {};
  const v = p.values ?? {};
  const title = t("Mis datos", "My data");
  return (
    <PageShell
      lang={p.lang}
      title={title}
      alternateHref={p.alternateHref}
      breadcrumbs={[{ href: a.account, label: t("Mi cuenta", "My account") }]}
    >
      <ErrorSummary lang={p.lang} errors={e} message={p.message} />
      {p.notice ? (
        <div class="govuk-inset-text" role="status">
          {p.notice}
        </div>
      ) : null}
      <h1 class="govuk-heading-l">{title}</h1>
      <p class="govuk-body">
        {t(
          "Esto es todo lo que Ventanilla guarda sobre ti. Tienes derecho a acceder a tus datos, corregirlos, pedir su cancelación u oponerte a un uso (derechos ARCO).",
          "This is everything Ventanilla holds about you. You have the right to access your data, correct it, ask for it to be cancelled or object to a use (ARCO rights).",
        )}
      </p>
      <p class="govuk-body">
        <a class="govuk-link" href={a.myDataJson} download="mis-datos-ventanilla.json">
          {t("Descargar mis datos (JSON)", "Download my data (JSON)")}
        </a>
      </p>
      <h2 class="govuk-heading-m">{t("Cuenta", "Account")}</h2>
      <dl class="govuk-summary-list">
        <Row label={t("Nombre", "Name")}>{`${d.account.givenNames} ${d.account.surnames}`}</Row>
        <Row label={t("Correo electrónico", "Email address")}>{d.account.email}</Row>
        <Row label="CURP">{d.account.curp ?? "—"}</Row>
        <Row label={t("Cuenta creada", "Account created")}>{formatDate(d.account.createdAt, p.lang)}</Row>
        <Row label={t("Nivel de identidad", "Identity level")}>{d.account.assuranceLevel}</Row>
      </dl>
      <h2 class="govuk-heading-m">{t("Verificaciones de identidad", "Identity checks")}</h2>
      {d.identityVerifications.length ? (
        <ul class="govuk-list govuk-list--bullet">
          {d.identityVerifications.map((v) => (
            <li>
              {formatDate(v.verifiedAt, p.lang)}: {v.method} ({v.verifiedBy})
            </li>
          ))}
        </ul>
      ) : (
        <p class="govuk-body">{t("Ninguna.", "None.")}</p>
      )}
      <h2 class="govuk-heading-m">{t("Sesiones abiertas", "Open sessions")}</h2>
      <p class="govuk-body">{d.activeSessions.length}</p>
      <h2 class="govuk-heading-m">{t("Eventos de seguridad", "Security events")}</h2>
      <ul class="govuk-list">
        {d.securityEvents.slice(0, 100).map((e) => (
          <li>
            {dateTime(e.at, p.lang)}: {actionLabel(e.action, p.lang)}
          </li>
        ))}
      </ul>

      <h2 class="govuk-heading-m" id="corregir">
        {t("Corregir mis datos", "Correct my data")}
      </h2>
      <PostForm action={a.correct} csrf={p.csrf}>
        <TextInput
          lang={p.lang}
          name="givenNames"
          label={t("Nombre o nombres", "Given names")}
          value={v.givenNames ?? d.account.givenNames}
          error={e.givenNames}
          maxLength={200}
          autocomplete="given-name"
        />
        <TextInput
          lang={p.lang}
          name="surnames"
          label={t("Apellidos", "Surnames")}
          value={v.surnames ?? d.account.surnames}
          error={e.surnames}
          maxLength={200}
          autocomplete="family-name"
        />
        <Choices
          lang={p.lang}
          name="preferredLang"
          legend={t("Idioma en que te escribimos", "Language we write to you in")}
          choices={[
            { value: "es", label: "Español" },
            { value: "en", label: "English" },
          ]}
          selected={[v.preferredLang ?? d.account.preferredLanguage]}
          error={e.preferredLang}
          small
          inline
        />
        <Button secondary>{t("Guardar cambios", "Save changes")}</Button>
      </PostForm>

      <h2 class="govuk-heading-m" id="arco">
        {t("Ejercer mis derechos ARCO", "Exercise my ARCO rights")}
      </h2>
      <p class="govuk-body">
        {t(
          "Registramos tu solicitud con un folio y te respondemos en un máximo de 20 días hábiles.",
          "We record your request with a reference number and answer within 20 business days at most.",
        )}
      </p>
      <PostForm action={a.arco} csrf={p.csrf}>
        <Choices
          lang={p.lang}
          name="right"
          legend={t("¿Qué quieres pedir?", "What do you want to ask for?")}
          choices={Object.entries(RIGHT_LABELS).map(([value, l]) => ({ value, label: p.lang === "en" ? l[1] : l[0] }))}
          selected={v.right ? [v.right] : []}
          error={e.right}
          small
        />
        <Textarea
          lang={p.lang}
          name="details"
          label={t("Explica tu solicitud", "Explain your request")}
          value={v.details}
          error={e.details}
          rows={4}
          maxLength={4000}
        />
        <Button secondary>{t("Enviar solicitud", "Send request")}</Button>
      </PostForm>
      {d.dataRequests.length ? (
        <table class="govuk-table">
          <caption class="govuk-table__caption govuk-table__caption--s">{t("Mis solicitudes", "My requests")}</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">
                {t("Folio", "Reference")}
              </th>
              <th scope="col" class="govuk-table__header">
                {t("Estado", "Status")}
              </th>
              <th scope="col" class="govuk-table__header">
                {t("Respuesta a más tardar", "Answer due by")}
              </th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {d.dataRequests.map((r) => (
              <tr class="govuk-table__row">
                <td class="govuk-table__cell">{r.folio}</td>
                <td class="govuk-table__cell">
                  {STATUS_LABELS[r.status]?.[p.lang === "en" ? 1 : 0] ?? r.status}
                  {r.answer ? <p class="govuk-body-s">{r.answer}</p> : null}
                </td>
                <td class="govuk-table__cell">{formatDate(r.dueOn, p.lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </PageShell>
  );
}

export function AuthenticatorPage(p: Common & { secret: string; qrSvg: string; errors?: FieldErrors }) {
  const t = translator(p.lang);
  const a = accountPaths(p.lang);
  const e = p.errors ?? {};
  const title = t("Agrega una aplicación de autenticación", "Add an authenticator app");
  return (
    <PageShell
      lang={p.lang}
      title={title}
      alternateHref={p.alternateHref}
      breadcrumbs={[{ href: a.account, label: t("Mi cuenta", "My account") }]}
    >
      <FormColumn lang={p.lang} title={title} errors={e}>
        <ol class="govuk-list govuk-list--number">
          <li>
            {t(
              "Abre una aplicación de autenticación en tu teléfono (por ejemplo Google Authenticator, Microsoft Authenticator o FreeOTP).",
              "Open an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator or FreeOTP).",
            )}
          </li>
          <li>{t("Escanea este código QR o escribe la clave.", "Scan this QR code or type the key.")}</li>
          <li>{t("Escribe el código de 6 dígitos que te muestra.", "Enter the 6-digit code it shows.")}</li>
        </ol>
        <div
          class="vt-qr"
          role="img"
          aria-label={t("Código QR con la clave", "QR code with the key")}
          dangerouslySetInnerHTML={{ __html: p.qrSvg }}
        />
        <p class="govuk-body">
          {t("Clave: ", "Key: ")}
          <code class="vt-break">{p.secret}</code>
        </p>
        <PostForm action={a.totpSetup} csrf={p.csrf}>
          <TextInput
            lang={p.lang}
            name="code"
            label={t("Código de 6 dígitos", "6-digit code")}
            error={e.code}
            width={5}
            inputMode="numeric"
            autocomplete="one-time-code"
            spellcheck={false}
            maxLength={10}
          />
          <Button>{t("Activar", "Turn on")}</Button>
        </PostForm>
      </FormColumn>
    </PageShell>
  );
}

export function RecoveryCodesPage(p: Common & { codes: string[] }) {
  const t = translator(p.lang);
  const title = t("Guarda tus códigos de recuperación", "Keep your recovery codes");
  return (
    <PageShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
      <ConfirmationPanel title={t("Segundo factor activado", "Second factor turned on")} />
      <h2 class="govuk-heading-m">{title}</h2>
      <p class="govuk-body">
        {t(
          "Si pierdes tu teléfono, cada uno de estos códigos te deja entrar una vez. Guárdalos en un lugar seguro: no los volveremos a mostrar.",
          "If you lose your phone, each of these codes lets you in once. Keep them somewhere safe: we will not show them again.",
        )}
      </p>
      <ul class="govuk-list vt-codes">
        {p.codes.map((c) => (
          <li>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <p class="govuk-body">
        <a class="govuk-link" href={accountPaths(p.lang).account}>
          {t("Ir a mi cuenta", "Go to my account")}
        </a>
      </p>
    </PageShell>
  );
}
