/** The signed-out pages: sign up, check your email, confirm, sign in, second factor, recover, new password. */
import { ConfirmationPanel } from "../../../platform/views/components.js";
import {
  Button,
  ErrorSummary,
  PostForm,
  TextInput,
  type FieldErrors,
  FormColumn,
} from "../../../platform/views/forms.js";
import { translator, type Lang } from "../../../platform/views/i18n.js";
import { PageShell } from "../../catalogue/views/common.js";
import { accountPaths } from "../paths.js";

interface Common {
  lang: Lang;
  alternateHref: string;
  csrf: string;
  errors?: FieldErrors;
  message?: string | undefined;
}

export function SignUpPage(p: Common & { values: Record<string, string> }) {
  const t = translator(p.lang);
  const e = p.errors ?? {};
  const title = t("Crea tu cuenta", "Create your account");
  return (
    <PageShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
      <FormColumn lang={p.lang} title={title} errors={e} message={p.message}>
        <p class="govuk-body">
          {t(
            "Con una sola cuenta haces trámites de cualquier institución. Necesitas tu CURP y un correo electrónico que revises.",
            "One account lets you complete procedures with any institution. You need your CURP and an email address you check.",
          )}
        </p>
        <PostForm action={accountPaths(p.lang).signUp} csrf={p.csrf}>
          <TextInput
            lang={p.lang}
            name="curp"
            label="CURP"
            hint={t(
              "18 caracteres, como aparece en tu acta de nacimiento o en gob.mx/curp. Por ejemplo: PEGL890909MJCRMS08",
              "18 characters, as on your birth certificate or at gob.mx/curp. For example: PEGL890909MJCRMS08",
            )}
            value={p.values.curp}
            error={e.curp}
            width={20}
            maxLength={40}
            autocomplete="off"
            spellcheck={false}
            upper
          />
          <TextInput
            lang={p.lang}
            name="givenNames"
            label={t("Nombre o nombres", "Given name or names")}
            value={p.values.givenNames}
            error={e.givenNames}
            autocomplete="given-name"
            maxLength={200}
            spellcheck={false}
          />
          <TextInput
            lang={p.lang}
            name="surnames"
            label={t("Apellidos", "Surnames")}
            value={p.values.surnames}
            error={e.surnames}
            autocomplete="family-name"
            maxLength={200}
            spellcheck={false}
          />
          <TextInput
            lang={p.lang}
            name="email"
            type="email"
            label={t("Correo electrónico", "Email address")}
            hint={t("Te enviaremos un enlace para confirmarlo.", "We will send you a link to confirm it.")}
            value={p.values.email}
            error={e.email}
            autocomplete="email"
            spellcheck={false}
            maxLength={300}
          />
          <TextInput
            lang={p.lang}
            name="password"
            type="password"
            label={t("Contraseña", "Password")}
            hint={t(
              "Al menos 10 caracteres. Una frase de tres o cuatro palabras es fácil de recordar y difícil de adivinar.",
              "At least 10 characters. A phrase of three or four words is easy to remember and hard to guess.",
            )}
            error={e.password}
            autocomplete="new-password"
            maxLength={200}
          />
          <Button>{t("Crear cuenta", "Create account")}</Button>
        </PostForm>
        <p class="govuk-body">
          {t("¿Ya tienes cuenta? ", "Already have an account? ")}
          <a class="govuk-link" href={accountPaths(p.lang).signIn}>
            {t("Entra", "Sign in")}
          </a>
        </p>
      </FormColumn>
    </PageShell>
  );
}

export function CheckEmailPage(p: { lang: Lang; alternateHref: string; purpose: "sign-up" | "recover" }) {
  const t = translator(p.lang);
  const title = t("Revisa tu correo", "Check your email");
  return (
    <PageShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
      <ConfirmationPanel title={title} />
      <p class="govuk-body">
        {p.purpose === "sign-up"
          ? t(
              "Te enviamos un correo con un enlace para confirmar tu dirección. Ábrelo en las próximas 48 horas; después podrás usar tu cuenta.",
              "We sent you an email with a link to confirm your address. Open it within 48 hours; then you can use your account.",
            )
          : t(
              "Si hay una cuenta con ese correo, le enviamos un enlace para elegir una nueva contraseña. Vale 60 minutos.",
              "If there is an account with that email, we sent it a link to choose a new password. It is valid for 60 minutes.",
            )}
      </p>
      <p class="govuk-body">
        {t(
          "Si no lo ves en unos minutos, revisa la carpeta de correo no deseado.",
          "If you do not see it within a few minutes, check your spam folder.",
        )}
      </p>
    </PageShell>
  );
}

export function ConfirmEmailPage(p: Common & { token: string; done?: boolean }) {
  const t = translator(p.lang);
  const title = p.done
    ? t("Tu correo quedó confirmado", "Your email is confirmed")
    : t("Confirma tu correo", "Confirm your email");
  return (
    <PageShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
      <ErrorSummary lang={p.lang} errors={{}} message={p.message} />
      {p.done ? (
        <>
          <ConfirmationPanel title={title} />
          <p class="govuk-body">
            <a class="govuk-link" href={accountPaths(p.lang).account}>
              {t("Ir a mi cuenta", "Go to my account")}
            </a>
          </p>
        </>
      ) : (
        <>
          <h1 class="govuk-heading-l">{title}</h1>
          <PostForm action={accountPaths(p.lang).verify} csrf={p.csrf}>
            <input type="hidden" name="token" value={p.token} />
            <Button>{t("Confirmar mi correo", "Confirm my email")}</Button>
          </PostForm>
        </>
      )}
    </PageShell>
  );
}

export function SignInPage(p: Common & { email: string; next: string | null }) {
  const t = translator(p.lang);
  const e = p.errors ?? {};
  const title = t("Entra a tu cuenta", "Sign in to your account");
  const action = `${accountPaths(p.lang).signIn}${p.next ? `?next=${encodeURIComponent(p.next)}` : ""}`;
  return (
    <PageShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
      <FormColumn lang={p.lang} title={title} errors={e} message={p.message}>
        <PostForm action={action} csrf={p.csrf}>
          <TextInput
            lang={p.lang}
            name="email"
            type="email"
            label={t("Correo electrónico", "Email address")}
            value={p.email}
            error={e.email}
            autocomplete="username"
            spellcheck={false}
            maxLength={300}
          />
          <TextInput
            lang={p.lang}
            name="password"
            type="password"
            label={t("Contraseña", "Password")}
            error={e.password}
            autocomplete="current-password"
            maxLength={200}
          />
          <Button>{t("Entrar", "Sign in")}</Button>
        </PostForm>
        <p class="govuk-body">
          <a class="govuk-link" href={accountPaths(p.lang).recover}>
            {t("Olvidé mi contraseña", "I forgot my password")}
          </a>
        </p>
        <p class="govuk-body">
          {t("¿No tienes cuenta? ", "No account yet? ")}
          <a class="govuk-link" href={accountPaths(p.lang).signUp}>
            {t("Crea una", "Create one")}
          </a>
        </p>
      </FormColumn>
    </PageShell>
  );
}

export function SecondFactorPage(p: Common & { next: string | null }) {
  const t = translator(p.lang);
  const e = p.errors ?? {};
  const title = t("Escribe tu código de verificación", "Enter your verification code");
  const action = `${accountPaths(p.lang).secondFactor}${p.next ? `?next=${encodeURIComponent(p.next)}` : ""}`;
  return (
    <PageShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
      <FormColumn lang={p.lang} title={title} errors={e} message={p.message}>
        <PostForm action={action} csrf={p.csrf}>
          <TextInput
            lang={p.lang}
            name="code"
            label={t("Código", "Code")}
            hint={t(
              "Los 6 dígitos que muestra tu aplicación de autenticación. Si no la tienes, escribe uno de tus códigos de recuperación.",
              "The 6 digits your authenticator app shows. If you do not have it, enter one of your recovery codes.",
            )}
            error={e.code}
            width={10}
            autocomplete="one-time-code"
            spellcheck={false}
            maxLength={20}
          />
          <Button>{t("Continuar", "Continue")}</Button>
        </PostForm>
        <PostForm action={accountPaths(p.lang).signOut} csrf={p.csrf}>
          <Button secondary>{t("Cancelar y salir", "Cancel and sign out")}</Button>
        </PostForm>
      </FormColumn>
    </PageShell>
  );
}

export function RecoverPage(p: Common & { email: string }) {
  const t = translator(p.lang);
  const e = p.errors ?? {};
  const title = t("Recupera tu cuenta", "Recover your account");
  return (
    <PageShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
      <FormColumn lang={p.lang} title={title} errors={e} message={p.message}>
        <p class="govuk-body">
          {t(
            "Escribe el correo de tu cuenta y te enviaremos un enlace para elegir una nueva contraseña.",
            "Enter your account's email and we will send you a link to choose a new password.",
          )}
        </p>
        <PostForm action={accountPaths(p.lang).recover} csrf={p.csrf}>
          <TextInput
            lang={p.lang}
            name="email"
            type="email"
            label={t("Correo electrónico", "Email address")}
            value={p.email}
            error={e.email}
            autocomplete="email"
            spellcheck={false}
            maxLength={300}
          />
          <Button>{t("Enviar enlace", "Send link")}</Button>
        </PostForm>
      </FormColumn>
    </PageShell>
  );
}

export function NewPasswordPage(p: Common & { token: string; done?: boolean }) {
  const t = translator(p.lang);
  const e = p.errors ?? {};
  const title = p.done
    ? t("Tu contraseña cambió", "Your password has changed")
    : t("Elige una nueva contraseña", "Choose a new password");
  if (p.done) {
    return (
      <PageShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
        <ConfirmationPanel title={title} />
        <p class="govuk-body">
          {t("Por seguridad cerramos todas tus sesiones. ", "For your security we ended all your sessions. ")}
          <a class="govuk-link" href={accountPaths(p.lang).signIn}>
            {t("Entra con tu nueva contraseña", "Sign in with your new password")}
          </a>
        </p>
      </PageShell>
    );
  }
  return (
    <PageShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
      <FormColumn lang={p.lang} title={title} errors={e} message={p.message}>
        <PostForm action={accountPaths(p.lang).reset} csrf={p.csrf}>
          <input type="hidden" name="token" value={p.token} />
          <TextInput
            lang={p.lang}
            name="password"
            type="password"
            label={t("Nueva contraseña", "New password")}
            hint={t("Al menos 10 caracteres.", "At least 10 characters.")}
            error={e.password}
            autocomplete="new-password"
            maxLength={200}
          />
          <Button>{t("Guardar contraseña", "Save password")}</Button>
        </PostForm>
      </FormColumn>
    </PageShell>
  );
}
