/** Back-office pages of accounts: an institution's staff and roles, and identity verification. */
import { ConfirmationPanel, WarningText } from "../../platform/views/components.js";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Ctx } from "../../platform/context.js";
import { DomainError, STATUS_BY_CODE } from "../../platform/errors.js";
import { sendFormPage, sendPrivatePage } from "../../platform/http/pages.js";
import type { App } from "../../platform/http/server.js";
import {
  Button,
  Choices,
  ErrorSummary,
  PostForm,
  Textarea,
  TextInput,
  fieldErrors,
  type FieldErrors,
} from "../../platform/views/forms.js";
import { translator, type Lang } from "../../platform/views/i18n.js";
import { backOfficeAlternate, backOfficePaths } from "../catalogue/paths.js";
import { PageShell } from "../catalogue/views/common.js";
import { requestMeta, staffOnly } from "./http.js";
import * as arco from "./arco.js";
import { listOidcClients, registerOidcClient, type RegisteredClient } from "./oidc.js";
import type { ArcoRow, StaffRow } from "./queries.js";
import { ROLES, type Viewer } from "./sessions.js";
import * as staff from "./staff.js";

const ROLE_LABELS: Record<string, [string, string]> = {
  editor: ["Edición (redacta trámites)", "Editor (drafts procedures)"],
  reviewer: ["Revisión (publica trámites)", "Reviewer (publishes procedures)"],
  caseworker: ["Atención de casos", "Caseworker"],
  "case-manager": ["Coordinación de casos", "Case manager"],
  "institution-admin": ["Administración de la institución", "Institution admin"],
};
const roleLabel = (role: string, lang: Lang) => ROLE_LABELS[role]?.[lang === "en" ? 1 : 0] ?? role;

function StaffPage(p: {
  lang: Lang;
  alternateHref: string;
  csrf: string;
  acronym: string;
  people: StaffRow[];
  viewer: Viewer;
  values: Record<string, string>;
  errors: FieldErrors;
  message?: string | undefined;
}) {
  const t = translator(p.lang);
  const b = backOfficePaths(p.lang);
  const title = t(`Personal de ${p.acronym}`, `${p.acronym} staff`);
  return (
    <PageShell
      lang={p.lang}
      title={title}
      alternateHref={p.alternateHref}
      breadcrumbs={[{ href: b.home, label: t("Gestión", "Back office") }]}
    >
      <ErrorSummary lang={p.lang} errors={p.errors} message={p.message} />
      <h1 class="govuk-heading-l">{title}</h1>
      <table class="govuk-table">
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">
              {t("Persona", "Person")}
            </th>
            <th scope="col" class="govuk-table__header">
              {t("Roles", "Roles")}
            </th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {p.people.map((person) => (
            <tr class="govuk-table__row">
              <td class="govuk-table__cell vt-break">
                {person.name}
                <br />
                {person.email}
                {person.secondFactor ? "" : ` (${t("sin segundo factor todavía", "no second factor yet")})`}
              </td>
              <td class="govuk-table__cell">
                <ul class="govuk-list">
                  {person.roles.map((role) => (
                    <li>
                      {roleLabel(role, p.lang)}
                      {person.userId === p.viewer.userId && role === "institution-admin" ? null : (
                        <PostForm
                          action={`${b.staff(p.acronym)}/${person.userId}/${role}/${p.lang === "en" ? "remove" : "quitar"}`}
                          csrf={p.csrf}
                          class="vt-inline-form"
                        >
                          <button
                            type="submit"
                            class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                            data-module="govuk-button"
                          >
                            {t("Quitar", "Remove")}
                            <span class="govuk-visually-hidden"> {`${roleLabel(role, p.lang)} – ${person.name}`}</span>
                          </button>
                        </PostForm>
                      )}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 class="govuk-heading-m">{t("Agregar a una persona", "Add a person")}</h2>
      <p class="govuk-body">
        {t(
          "Si no tiene cuenta de trabajo, le enviaremos una invitación para elegir su contraseña y agregar su segundo factor.",
          "If they have no work account, we will send them an invitation to choose a password and add a second factor.",
        )}
      </p>
      <PostForm action={b.staff(p.acronym)} csrf={p.csrf}>
        <TextInput
          lang={p.lang}
          name="email"
          type="email"
          label={t("Correo institucional", "Work email")}
          value={p.values.email}
          error={p.errors.email}
          autocomplete="off"
          spellcheck={false}
          maxLength={300}
        />
        <TextInput
          lang={p.lang}
          name="givenNames"
          label={t("Nombre o nombres", "Given names")}
          value={p.values.givenNames}
          error={p.errors.givenNames}
          maxLength={200}
        />
        <TextInput
          lang={p.lang}
          name="surnames"
          label={t("Apellidos", "Surnames")}
          value={p.values.surnames}
          error={p.errors.surnames}
          maxLength={200}
        />
        <Choices
          lang={p.lang}
          name="role"
          legend={t("Rol", "Role")}
          choices={ROLES.map((r) => ({ value: r, label: roleLabel(r, p.lang) }))}
          selected={p.values.role ? [p.values.role] : []}
          error={p.errors.role}
          small
        />
        <Button>{t("Agregar", "Add")}</Button>
      </PostForm>
    </PageShell>
  );
}

function VerifyIdentityPage(p: {
  lang: Lang;
  alternateHref: string;
  csrf: string;
  values: Record<string, string>;
  errors: FieldErrors;
  message?: string | undefined;
  done?: boolean;
}) {
  const t = translator(p.lang);
  const b = backOfficePaths(p.lang);
  const title = t("Verificar la identidad de una persona", "Verify a person's identity");
  return (
    <PageShell
      lang={p.lang}
      title={title}
      alternateHref={p.alternateHref}
      breadcrumbs={[{ href: b.home, label: t("Gestión", "Back office") }]}
    >
      <ErrorSummary lang={p.lang} errors={p.errors} message={p.message} />
      {p.done ? (
        <ConfirmationPanel title={t("Identidad verificada", "Identity verified")} />
      ) : (
        <h1 class="govuk-heading-l">{title}</h1>
      )}
      <p class="govuk-body">
        {t(
          "Revisa en persona un documento de identidad vigente. Queda registrado quién verificó, cuándo y con qué documento.",
          "Check a valid identity document in person. Who verified, when and with which document is recorded.",
        )}
      </p>
      <PostForm action={b.verifyIdentity} csrf={p.csrf}>
        <TextInput
          lang={p.lang}
          name="curp"
          label="CURP"
          value={p.values.curp}
          error={p.errors.curp}
          width={20}
          upper
          spellcheck={false}
          maxLength={40}
        />
        <Choices
          lang={p.lang}
          name="method"
          legend={t("Documento revisado", "Document checked")}
          choices={[
            { value: "ine", label: t("Credencial para votar (INE)", "Voter ID (INE)") },
            { value: "pasaporte", label: t("Pasaporte", "Passport") },
            { value: "cedula_profesional", label: t("Cédula profesional", "Professional licence") },
            { value: "cartilla_militar", label: t("Cartilla militar", "Military service card") },
            { value: "matricula_consular", label: t("Matrícula consular", "Consular ID") },
          ]}
          selected={p.values.method ? [p.values.method] : []}
          error={p.errors.method}
          small
        />
        <TextInput
          lang={p.lang}
          name="documentReference"
          label={t("Número o folio del documento", "Document number")}
          value={p.values.documentReference}
          error={p.errors.documentReference}
          width={20}
          maxLength={100}
        />
        <Button>{t("Confirmar identidad", "Confirm identity")}</Button>
      </PostForm>
    </PageShell>
  );
}

function ArcoRequestsPage(p: {
  lang: Lang;
  alternateHref: string;
  csrf: string;
  today: string;
  requests: ArcoRow[];
  errors: FieldErrors;
  message?: string | undefined;
}) {
  const t = translator(p.lang);
  const b = backOfficePaths(p.lang);
  const title = t("Solicitudes ARCO pendientes", "Open data protection requests");
  return (
    <PageShell
      lang={p.lang}
      title={title}
      alternateHref={p.alternateHref}
      breadcrumbs={[{ href: b.home, label: t("Gestión", "Back office") }]}
    >
      <ErrorSummary lang={p.lang} errors={p.errors} message={p.message} />
      <h1 class="govuk-heading-l">{title}</h1>
      {p.requests.length ? null : (
        <p class="govuk-body">{t("No hay solicitudes pendientes.", "There are no open requests.")}</p>
      )}
      {p.requests.map((r) => (
        <div class="vt-row">
          <h2 class="govuk-heading-s">
            {r.folio} · {r.right} · {r.person} ({r.email}){" "}
            {r.dueOn < p.today ? (
              <strong class="govuk-tag govuk-tag--red">{t(`Vencida el ${r.dueOn}`, `Overdue since ${r.dueOn}`)}</strong>
            ) : (
              <strong class="govuk-tag govuk-tag--grey">{t(`Vence el ${r.dueOn}`, `Due ${r.dueOn}`)}</strong>
            )}
          </h2>
          <p class="govuk-body vt-break">{r.details}</p>
          <PostForm action={b.answerArco(r.id)} csrf={p.csrf}>
            <Choices
              lang={p.lang}
              name="status"
              legend={t("Respuesta", "Answer")}
              choices={[
                { value: "granted", label: t("Procedente", "Granted") },
                { value: "partially_granted", label: t("Procedente en parte", "Partly granted") },
                { value: "denied", label: t("Improcedente", "Denied") },
              ]}
              selected={[]}
              small
              inline
            />
            <Textarea
              lang={p.lang}
              name="answer"
              label={t("Respuesta y fundamento", "Answer and grounds")}
              rows={3}
              maxLength={4000}
            />
            <Button secondary>{t("Responder", "Answer")}</Button>
          </PostForm>
        </div>
      ))}
    </PageShell>
  );
}

function ApplicationsPage(p: {
  lang: Lang;
  alternateHref: string;
  csrf: string;
  clients: { clientId: string; clientName: string; redirectUris: string[]; createdAt: string }[];
  created?: RegisteredClient | undefined;
  values: Record<string, string>;
  errors: FieldErrors;
  message?: string | undefined;
}) {
  const t = translator(p.lang);
  const b = backOfficePaths(p.lang);
  const title = t("Aplicaciones que usan «Entrar con Ventanilla»", "Applications that use “Sign in with Ventanilla”");
  return (
    <PageShell
      lang={p.lang}
      title={title}
      alternateHref={p.alternateHref}
      breadcrumbs={[{ href: b.home, label: t("Gestión", "Back office") }]}
    >
      <ErrorSummary lang={p.lang} errors={p.errors} message={p.message} />
      {p.created ? (
        <ConfirmationPanel title={t("Aplicación registrada", "Application registered")}>
          <span class="vt-break">
            client_id: <code>{p.created.clientId}</code>
            <br />
            client_secret: <code>{p.created.clientSecret}</code>
          </span>
        </ConfirmationPanel>
      ) : (
        <h1 class="govuk-heading-l">{title}</h1>
      )}
      {p.created ? (
        <WarningText label={t("Aviso", "Warning")}>
          {t(
            "El secreto se muestra solo esta vez. Entrégalo a la institución por un canal seguro.",
            "The secret is shown only this once. Give it to the institution through a safe channel.",
          )}
        </WarningText>
      ) : null}
      <div
        class="vt-table-wrap"
        tabindex={0}
        role="region"
        aria-label={t("Aplicaciones registradas", "Registered applications")}
      >
        <table class="govuk-table">
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">
                {t("Aplicación", "Application")}
              </th>
              <th scope="col" class="govuk-table__header">
                client_id
              </th>
              <th scope="col" class="govuk-table__header">
                {t("Direcciones de regreso", "Return addresses")}
              </th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {p.clients.map((c) => (
              <tr class="govuk-table__row">
                <td class="govuk-table__cell">{c.clientName}</td>
                <td class="govuk-table__cell vt-break">
                  <code>{c.clientId}</code>
                </td>
                <td class="govuk-table__cell vt-break">{c.redirectUris.join(" ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 class="govuk-heading-m">{t("Registrar una aplicación", "Register an application")}</h2>
      <PostForm action={b.applications} csrf={p.csrf}>
        <TextInput
          lang={p.lang}
          name="name"
          label={t("Nombre, como lo verán las personas", "Name, as people will see it")}
          value={p.values.name}
          error={p.errors.name}
          maxLength={200}
        />
        <Textarea
          lang={p.lang}
          name="redirectUris"
          label={t("Direcciones de regreso (una por línea)", "Return addresses (one per line)")}
          hint="https://tramites.institucion.gob.mx/oidc/callback"
          value={p.values.redirectUris}
          error={p.errors.redirectUris}
          rows={3}
          maxLength={21000}
          spellcheck={false}
        />
        <Button>{t("Registrar", "Register")}</Button>
      </PostForm>
      <p class="govuk-body">
        {t("Documento de descubrimiento: ", "Discovery document: ")}
        <code class="vt-break">/oidc/.well-known/openid-configuration</code>
      </p>
    </PageShell>
  );
}

const field = (body: unknown, name: string, max: number) => {
  const v = body && typeof body === "object" ? (body as Record<string, unknown>)[name] : undefined;
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === "string" ? s.slice(0, max) : "";
};

function refusal(err: unknown, lang: Lang) {
  if (!(err instanceof DomainError) || err.code === "forbidden" || err.code === "not_found") throw err;
  return { status: STATUS_BY_CODE[err.code], errors: fieldErrors(err.details, lang), message: err.messageIn(lang) };
}

export async function accountBackOffice(app: App, ctx: Ctx): Promise<void> {
  for (const lang of ["es", "en"] as const) {
    const b = backOfficePaths(lang);
    const alt = (req: FastifyRequest) => backOfficeAlternate(req.url, lang);
    const acronymOf = (req: FastifyRequest) => {
      const a = String((req.params as { acronym?: string }).acronym ?? "");
      if (!/^[A-Z0-9][A-Z0-9&-]{1,19}$/.test(a))
        throw new DomainError("not_found", {
          es: "No existe esa institución.",
          en: "That institution does not exist.",
        });
      return a;
    };
    const staffPage = async (
      req: FastifyRequest,
      reply: FastifyReply,
      viewer: Viewer,
      values: Record<string, string> = {},
      errors: FieldErrors = {},
      message?: string,
      status = 200,
    ) => {
      const acronym = acronymOf(req);
      const people = await staff.listStaff(ctx, viewer, acronym);
      return sendFormPage(
        reply,
        { lang, alternateHref: alt(req) },
        (c) => (
          <StaffPage
            {...c}
            acronym={acronym}
            people={people}
            viewer={viewer}
            values={values}
            errors={errors}
            message={message}
          />
        ),
        status,
      );
    };

    app.get(
      b.staff(":acronym"),
      { schema: { hide: true } },
      staffOnly(lang, (req, reply, viewer) => staffPage(req, reply, viewer)),
    );
    app.post(
      b.staff(":acronym"),
      { schema: { hide: true } },
      staffOnly(lang, async (req, reply, viewer) => {
        const values = {
          email: field(req.body, "email", 400),
          givenNames: field(req.body, "givenNames", 300),
          surnames: field(req.body, "surnames", 300),
          role: field(req.body, "role", 40),
        };
        try {
          await staff.inviteStaff(ctx, viewer, { institution: acronymOf(req), ...values }, requestMeta(req, lang));
          return reply.redirect(b.staff(acronymOf(req)), 303);
        } catch (err) {
          const r = refusal(err, lang);
          return staffPage(req, reply, viewer, values, r.errors, r.message, r.status);
        }
      }),
    );
    app.post(
      `${b.staff(":acronym")}/:userId/:role/${lang === "en" ? "remove" : "quitar"}`,
      { schema: { hide: true } },
      staffOnly(lang, async (req, reply, viewer) => {
        const params = req.params as { userId: string; role: string };
        if (!/^\d{1,12}$/.test(params.userId))
          throw new DomainError("not_found", { es: "Esa persona no existe.", en: "That person does not exist." });
        await staff.revokeRole(
          ctx,
          viewer,
          { institution: acronymOf(req), userId: Number(params.userId), role: params.role },
          requestMeta(req, lang),
        );
        return reply.redirect(b.staff(acronymOf(req)), 303);
      }),
    );

    const verifyPage = async (
      req: FastifyRequest,
      reply: FastifyReply,
      values: Record<string, string> = {},
      errors: FieldErrors = {},
      message?: string,
      status = 200,
      done = false,
    ) =>
      sendFormPage(
        reply,
        { lang, alternateHref: alt(req) },
        (c) => <VerifyIdentityPage {...c} values={values} errors={errors} message={message} done={done} />,
        status,
      );
    app.get(
      b.verifyIdentity,
      { schema: { hide: true } },
      staffOnly(lang, async (req, reply, viewer) => {
        if (!(
          viewer.isPlatformAdmin || viewer.roles.some((r) => r.role === "caseworker" || r.role === "case-manager")
        )) {
          throw new DomainError("forbidden", {
            es: "Tu rol no permite verificar identidades.",
            en: "Your role does not allow verifying identities.",
          });
        }
        return verifyPage(req, reply);
      }),
    );
    app.post(
      b.verifyIdentity,
      { schema: { hide: true } },
      staffOnly(lang, async (req, reply, viewer) => {
        const values = {
          curp: field(req.body, "curp", 100),
          method: field(req.body, "method", 40),
          documentReference: field(req.body, "documentReference", 200),
        };
        try {
          await staff.verifyIdentity(ctx, viewer, values, requestMeta(req, lang));
          return verifyPage(req, reply, {}, {}, undefined, 200, true);
        } catch (err) {
          if (err instanceof DomainError && err.code === "not_found")
            return verifyPage(req, reply, values, { curp: err.messageIn(lang) }, err.messageIn(lang), 404);
          const r = refusal(err, lang);
          return verifyPage(req, reply, values, r.errors, r.message, r.status);
        }
      }),
    );

    const arcoPage = async (
      req: FastifyRequest,
      reply: FastifyReply,
      viewer: Viewer,
      errors: FieldErrors = {},
      message?: string,
      status = 200,
    ) => {
      const requests = await arco.openArcoRequests(ctx, viewer);
      return sendFormPage(
        reply,
        { lang, alternateHref: alt(req) },
        (c) => (
          <ArcoRequestsPage
            {...c}
            today={ctx.clock().toISOString().slice(0, 10)}
            requests={requests}
            errors={errors}
            message={message}
          />
        ),
        status,
      );
    };
    app.get(
      b.arcoRequests,
      { schema: { hide: true } },
      staffOnly(lang, (req, reply, viewer) => arcoPage(req, reply, viewer)),
    );
    app.post(
      b.answerArco(":id"),
      { schema: { hide: true } },
      staffOnly(lang, async (req, reply, viewer) => {
        const id = String((req.params as { id: string }).id);
        if (!/^\d{1,12}$/.test(id))
          throw new DomainError("not_found", { es: "Esa solicitud no existe.", en: "That request does not exist." });
        try {
          await arco.answerArcoRequest(
            ctx,
            viewer,
            { id: Number(id), status: field(req.body, "status", 30), answer: field(req.body, "answer", 5000) },
            requestMeta(req, lang),
          );
          return reply.redirect(b.arcoRequests, 303);
        } catch (err) {
          const r = refusal(err, lang);
          return arcoPage(req, reply, viewer, r.errors, r.message, r.status);
        }
      }),
    );

    const applicationsPage = async (
      req: FastifyRequest,
      reply: FastifyReply,
      viewer: Viewer,
      extra: {
        created?: RegisteredClient;
        values?: Record<string, string>;
        errors?: FieldErrors;
        message?: string;
        status?: number;
      } = {},
    ) => {
      const clients = await listOidcClients(ctx, viewer);
      return sendPrivatePage(
        reply,
        <ApplicationsPage
          lang={lang}
          alternateHref={alt(req)}
          csrf={await reply.generateCsrf()}
          clients={clients}
          created={extra.created}
          values={extra.values ?? {}}
          errors={extra.errors ?? {}}
          message={extra.message}
        />,
        extra.status ?? 200,
      );
    };
    app.get(
      b.applications,
      { schema: { hide: true } },
      staffOnly(lang, (req, reply, viewer) => applicationsPage(req, reply, viewer)),
    );
    app.post(
      b.applications,
      { schema: { hide: true } },
      staffOnly(lang, async (req, reply, viewer) => {
        const values = { name: field(req.body, "name", 300), redirectUris: field(req.body, "redirectUris", 25_000) };
        try {
          const created = await registerOidcClient(ctx, viewer, {
            name: values.name,
            redirectUris: values.redirectUris.split(/\s+/),
          });
          return applicationsPage(req, reply, viewer, { created });
        } catch (err) {
          const r = refusal(err, lang);
          return applicationsPage(req, reply, viewer, {
            values,
            errors: r.errors,
            message: r.message,
            status: r.status,
          });
        }
      }),
    );
  }
}
