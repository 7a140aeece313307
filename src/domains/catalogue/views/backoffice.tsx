/** Back-office pages of the catalogue: the work list, review, versions, comparison, completeness and import. */
import { ConfirmationPanel } from "../../../platform/views/components.js";
import type { ComponentChildren } from "preact";
import {
  ActionButton,
  Button,
  ErrorSummary,
  PostForm,
  Textarea,
  type FieldErrors,
} from "../../../platform/views/forms.js";
import { formatDate, translator, type Lang } from "../../../platform/views/i18n.js";
import type { Viewer } from "../../accounts/sessions.js";
import type { Comparison } from "../editorial.js";
import type { ReadabilityReport } from "../readability.js";
import type { VersionRow, WorkItem } from "../queries.js";
import { backOfficePaths, paths } from "../paths.js";
import { PageShell } from "./common.js";
import { WritingHelp } from "./editor.js";

interface Common {
  lang: Lang;
  alternateHref: string;
}

function Shell(p: Common & { title: string; children: ComponentChildren; crumbs?: { href: string; label: string }[] }) {
  const t = translator(p.lang);
  const b = backOfficePaths(p.lang);
  return (
    <PageShell
      lang={p.lang}
      title={p.title}
      alternateHref={p.alternateHref}
      breadcrumbs={[{ href: b.home, label: t("Gestión", "Back office") }, ...(p.crumbs ?? [])]}
    >
      {p.children}
    </PageShell>
  );
}

export function stateLabel(state: string | null, status: string | null, lang: Lang): string {
  const t = translator(lang);
  if (state === "in_review") return t("En revisión", "In review");
  if (state === "sent_back") return t("Devuelto con comentarios", "Sent back with comments");
  if (state === "draft") return t("Borrador", "Draft");
  if (status === "published") return t("Publicado", "Published");
  if (status === "retired") return t("Retirado", "Retired");
  return t("Sin publicar", "Not published");
}

export function DashboardPage(p: Common & { viewer: Viewer; items: WorkItem[] }) {
  const t = translator(p.lang);
  const b = backOfficePaths(p.lang);
  const institutions = [...new Set(p.viewer.roles.map((r) => r.institution))];
  const title = t("Gestión del catálogo", "Catalogue back office");
  return (
    <PageShell lang={p.lang} title={title} alternateHref={p.alternateHref}>
      <h1 class="govuk-heading-l">{title}</h1>
      <p class="govuk-body">
        {t("Tus roles: ", "Your roles: ")}
        {p.viewer.roles.map((r) => `${r.institution} (${r.role})`).join(", ") || t("ninguno", "none")}
        {p.viewer.isPlatformAdmin ? t(" · administración de la plataforma", " · platform administration") : ""}
      </p>
      <ul class="govuk-list">
        {p.viewer.roles.some((r) => r.role === "editor" || r.role === "reviewer") ? (
          <li>
            <a class="govuk-link" href={b.newProcedure}>
              {t("Crear un trámite nuevo", "Create a new procedure")}
            </a>
          </li>
        ) : null}
        {p.viewer.roles.some((r) => r.role === "reviewer") ? (
          <li>
            <a class="govuk-link" href={b.importFile}>
              {t("Importar un archivo de trámites", "Import a file of procedures")}
            </a>
          </li>
        ) : null}
        {institutions.map((i) => (
          <>
            <li>
              <a class="govuk-link" href={b.completeness(i)}>
                {t(`Completitud del catálogo de ${i}`, `How complete ${i}'s catalogue is`)}
              </a>
            </li>
            {p.viewer.roles.some((r) => r.institution === i && r.role === "institution-admin") ? (
              <li>
                <a class="govuk-link" href={b.staff(i)}>
                  {t(`Personal de ${i}`, `${i} staff`)}
                </a>
              </li>
            ) : null}
          </>
        ))}
        {p.viewer.roles.some((r) => r.role === "caseworker" || r.role === "case-manager") ? (
          <li>
            <a class="govuk-link" href={`${b.home}/${p.lang === "en" ? "cases" : "expedientes"}`}>
              {t("Expedientes de tus instituciones", "Your institutions' cases")}
            </a>
          </li>
        ) : null}
        {p.viewer.roles.some((r) => ["editor", "reviewer", "institution-admin"].includes(r.role)) ? (
          <li>
            <a class="govuk-link" href={`${b.home}/${p.lang === "en" ? "forms" : "formularios"}`}>
              {t("Formularios en línea de tus trámites", "Online forms of your procedures")}
            </a>
          </li>
        ) : null}
        {p.viewer.isPlatformAdmin ||
        p.viewer.roles.some((r) => r.role === "caseworker" || r.role === "case-manager") ? (
          <li>
            <a class="govuk-link" href={b.verifyIdentity}>
              {t("Verificar la identidad de una persona", "Verify a person's identity")}
            </a>
          </li>
        ) : null}
        {p.viewer.isPlatformAdmin ? (
          <li>
            <a class="govuk-link" href={b.arcoRequests}>
              {t("Solicitudes ARCO pendientes", "Open data protection requests")}
            </a>
          </li>
        ) : null}
        {p.viewer.isPlatformAdmin ? (
          <li>
            <a class="govuk-link" href={b.applications}>
              {t("Aplicaciones que usan «Entrar con Ventanilla»", "Applications that use “Sign in with Ventanilla”")}
            </a>
          </li>
        ) : null}
      </ul>
      <h2 class="govuk-heading-m">{t("Trámites de tus instituciones", "Your institutions' procedures")}</h2>
      <div class="vt-table-wrap" tabindex={0} role="region" aria-label={t("Trámites", "Procedures")}>
        <table class="govuk-table">
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">
                {t("Homoclave", "Key")}
              </th>
              <th scope="col" class="govuk-table__header">
                {t("Nombre", "Name")}
              </th>
              <th scope="col" class="govuk-table__header">
                {t("Estado", "State")}
              </th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {p.items.slice(0, 500).map((w) => (
              <tr class="govuk-table__row">
                <td class="govuk-table__cell">
                  <a
                    class="govuk-link"
                    href={w.draftState === "in_review" ? b.review(w.homoclave) : b.procedure(w.homoclave)}
                  >
                    {w.homoclave}
                  </a>
                </td>
                <td class="govuk-table__cell">{w.name}</td>
                <td class="govuk-table__cell">
                  <strong
                    class={`govuk-tag${w.draftState === "in_review" ? " govuk-tag--yellow" : w.draftState ? " govuk-tag--grey" : ""}`}
                  >
                    {stateLabel(w.draftState, w.status, p.lang)}
                  </strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </PageShell>
  );
}

export function ReviewPage(
  p: Common & {
    csrf: string;
    homoclave: string;
    draft: VersionRow | null;
    canReview: boolean;
    comparison: { value: string; added: boolean; removed: boolean }[];
    help: ReadabilityReport;
    missing: { field: string; message: string }[];
    published: boolean;
    errors?: FieldErrors;
    message?: string | undefined;
  },
) {
  const t = translator(p.lang);
  const b = backOfficePaths(p.lang);
  const title = `${t("Revisión", "Review")} ${p.homoclave}`;
  return (
    <Shell lang={p.lang} alternateHref={p.alternateHref} title={title}>
      <ErrorSummary lang={p.lang} errors={p.errors ?? {}} message={p.message} />
      <h1 class="govuk-heading-l">{title}</h1>
      <p class="govuk-body">
        {p.draft
          ? t(
              `${stateLabel(p.draft.state, null, p.lang)}. Última edición: ${p.draft.updatedBy ?? "—"}${p.draft.submittedBy ? `; enviado por ${p.draft.submittedBy}` : ""}.`,
              `${stateLabel(p.draft.state, null, p.lang)}. Last edited by ${p.draft.updatedBy ?? "—"}${p.draft.submittedBy ? `; sent by ${p.draft.submittedBy}` : ""}.`,
            )
          : t("No hay borrador abierto.", "There is no open draft.")}{" "}
        <a class="govuk-link" href={b.procedure(p.homoclave)}>
          {t("Abrir en el editor", "Open in the editor")}
        </a>
        {" · "}
        <a class="govuk-link" href={b.versions(p.homoclave)}>
          {t("Versiones publicadas", "Published versions")}
        </a>
      </p>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <h2 class="govuk-heading-m">{t("Cambios frente a lo publicado", "Changes against what is published")}</h2>
          <DiffView lang={p.lang} parts={p.comparison} />
          {p.canReview && p.draft?.state === "in_review" ? (
            <>
              <PostForm action={b.publish(p.homoclave)} csrf={p.csrf}>
                <Button>{t("Publicar", "Publish")}</Button>
              </PostForm>
              <PostForm action={b.sendBack(p.homoclave)} csrf={p.csrf}>
                <Textarea
                  lang={p.lang}
                  name="comment"
                  label={t("Comentario para quien lo editó", "Comment for the editor")}
                  error={p.errors?.comment}
                  rows={3}
                  maxLength={2000}
                />
                <ActionButton action="send-back" secondary>
                  {t("Devolver con comentarios", "Send back with comments")}
                </ActionButton>
              </PostForm>
            </>
          ) : null}
          {p.canReview && p.published ? (
            <PostForm action={b.retire(p.homoclave)} csrf={p.csrf}>
              <h2 class="govuk-heading-m">{t("Retirar del catálogo", "Retire from the catalogue")}</h2>
              <Textarea
                lang={p.lang}
                name="comment"
                label={t("Motivo del retiro", "Reason for retiring it")}
                rows={2}
                maxLength={2000}
              />
              <ActionButton action="retire" warning>
                {t("Retirar trámite", "Retire procedure")}
              </ActionButton>
            </PostForm>
          ) : null}
        </div>
        <div class="govuk-grid-column-one-third">
          <WritingHelp lang={p.lang} help={p.help} missing={p.missing} />
        </div>
      </div>
    </Shell>
  );
}

export function DiffView(p: { lang: Lang; parts: { value: string; added: boolean; removed: boolean }[] }) {
  const t = translator(p.lang);
  if (!p.parts.some((x) => x.added || x.removed))
    return <p class="govuk-body">{t("No hay diferencias.", "There are no differences.")}</p>;
  return (
    <div class="vt-diff" lang="es">
      {p.parts.map((part) =>
        part.value
          .split("\n")
          .filter(Boolean)
          .map((line) =>
            part.added ? (
              <ins class="vt-diff__line vt-diff__line--added">
                <span class="govuk-visually-hidden">{t("Añadido: ", "Added: ")}</span>+ {line}
              </ins>
            ) : part.removed ? (
              <del class="vt-diff__line vt-diff__line--removed">
                <span class="govuk-visually-hidden">{t("Quitado: ", "Removed: ")}</span>− {line}
              </del>
            ) : (
              <span class="vt-diff__line">{line}</span>
            ),
          ),
      )}
    </div>
  );
}

export function VersionsPage(p: Common & { homoclave: string; versions: VersionRow[] }) {
  const t = translator(p.lang);
  const b = backOfficePaths(p.lang);
  const title = `${t("Versiones de", "Versions of")} ${p.homoclave}`;
  const latest = p.versions[0]?.version ?? 1;
  const previous = p.versions[1]?.version ?? latest;
  return (
    <Shell lang={p.lang} alternateHref={p.alternateHref} title={title}>
      <h1 class="govuk-heading-l">{title}</h1>
      <div class="vt-table-wrap" tabindex={0} role="region" aria-label={title}>
        <table class="govuk-table">
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">
                {t("Versión", "Version")}
              </th>
              <th scope="col" class="govuk-table__header">
                {t("Publicada", "Published")}
              </th>
              <th scope="col" class="govuk-table__header">
                {t("Por", "By")}
              </th>
              <th scope="col" class="govuk-table__header">
                {t("Estado", "State")}
              </th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {p.versions.map((v) => (
              <tr class="govuk-table__row">
                <td class="govuk-table__cell">{v.version}</td>
                <td class="govuk-table__cell">{v.publishedAt ? formatDate(v.publishedAt, p.lang) : "—"}</td>
                <td class="govuk-table__cell">{v.reviewedBy ?? t("importación", "import")}</td>
                <td class="govuk-table__cell">
                  {v.record.status === "retired" ? t("Retirado", "Retired") : t("Publicado", "Published")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {p.versions.length > 1 ? (
        <form method="get" action={b.compare(p.homoclave)}>
          <div class="govuk-form-group">
            <label class="govuk-label" for="from">
              {t("Comparar la versión", "Compare version")}
            </label>
            <select class="govuk-select" id="from" name="de">
              {p.versions.map((v) => (
                <option value={String(v.version)} selected={v.version === previous}>
                  {v.version}
                </option>
              ))}
            </select>
          </div>
          <div class="govuk-form-group">
            <label class="govuk-label" for="to">
              {t("con la versión", "with version")}
            </label>
            <select class="govuk-select" id="to" name="a">
              {p.versions.map((v) => (
                <option value={String(v.version)} selected={v.version === latest}>
                  {v.version}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
            {t("Comparar", "Compare")}
          </button>
        </form>
      ) : null}
      <p class="govuk-body">
        <a class="govuk-link" href={paths(p.lang).procedure(p.homoclave)}>
          {t("Ver la página pública", "See the public page")}
        </a>
      </p>
    </Shell>
  );
}

export function ComparePage(p: Common & { homoclave: string; comparison: Comparison }) {
  const t = translator(p.lang);
  const b = backOfficePaths(p.lang);
  const title = t(
    `${p.homoclave}: versión ${p.comparison.from.version} frente a ${p.comparison.to.version}`,
    `${p.homoclave}: version ${p.comparison.from.version} against ${p.comparison.to.version}`,
  );
  return (
    <Shell
      lang={p.lang}
      alternateHref={p.alternateHref}
      title={title}
      crumbs={[{ href: b.versions(p.homoclave), label: t("Versiones", "Versions") }]}
    >
      <h1 class="govuk-heading-l">{title}</h1>
      <DiffView lang={p.lang} parts={p.comparison.parts} />
    </Shell>
  );
}

export function CompletenessPage(
  p: Common & {
    acronym: string;
    percent: number;
    procedures: { homoclave: string; name: string; filled: number; total: number; missing: string[]; draft: boolean }[];
  },
) {
  const t = translator(p.lang);
  const b = backOfficePaths(p.lang);
  const title = t(`Completitud del catálogo de ${p.acronym}`, `How complete ${p.acronym}'s catalogue is`);
  return (
    <Shell lang={p.lang} alternateHref={p.alternateHref} title={title}>
      <h1 class="govuk-heading-l">{title}</h1>
      <p class="govuk-body-l">
        {t(
          `${p.percent} % de los datos obligatorios y recomendados están completos`,
          `${p.percent}% of mandatory and recommended data is filled in`,
        )}
      </p>
      <div class="vt-table-wrap" tabindex={0} role="region" aria-label={title}>
        <table class="govuk-table">
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">
                {t("Trámite", "Procedure")}
              </th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">
                %
              </th>
              <th scope="col" class="govuk-table__header">
                {t("Falta", "Missing")}
              </th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {p.procedures.map((r) => (
              <tr class="govuk-table__row">
                <td class="govuk-table__cell">
                  <a class="govuk-link" href={b.procedure(r.homoclave)}>
                    {r.homoclave}
                  </a>{" "}
                  {r.name}
                  {r.draft ? ` (${t("borrador", "draft")})` : ""}
                </td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{Math.round((r.filled / r.total) * 100)}</td>
                <td class="govuk-table__cell">{r.missing.join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Shell>
  );
}

export function ImportPage(
  p: Common & {
    csrf: string;
    institutions: string[];
    report?:
      | { created: number; updated: number; errors: { field: string; message: string; line?: number | undefined }[] }
      | undefined;
    message?: string | undefined;
  },
) {
  const t = translator(p.lang);
  const b = backOfficePaths(p.lang);
  const title = t("Importar trámites", "Import procedures");
  return (
    <Shell lang={p.lang} alternateHref={p.alternateHref} title={title}>
      <ErrorSummary lang={p.lang} errors={{}} message={p.message} />
      <h1 class="govuk-heading-l">{title}</h1>
      {p.report ? (
        p.report.errors.length ? (
          <>
            <h2 class="govuk-heading-m">
              {t("El archivo tiene errores; no se guardó nada", "The file has errors; nothing was saved")}
            </h2>
            <ul class="govuk-list govuk-list--bullet">
              {p.report.errors.slice(0, 100).map((e) => (
                <li>
                  {e.line ? t(`Línea ${e.line}: `, `Line ${e.line}: `) : ""}
                  {e.field}: {e.message}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <ConfirmationPanel
            title={t(
              `${p.report.created} nuevos, ${p.report.updated} actualizados`,
              `${p.report.created} new, ${p.report.updated} updated`,
            )}
            headingLevel={2}
          />
        )
      ) : null}
      <p class="govuk-body">
        {t(
          `Sube un archivo JSON (ventanilla-catalogue/1) o CSV con trámites de ${p.institutions.join(", ")}. Se valida todo antes de guardar; si algo falla no se guarda nada. Cada trámite importado queda publicado y se guarda como una versión.`,
          `Upload a JSON (ventanilla-catalogue/1) or CSV file with procedures of ${p.institutions.join(", ")}. Everything is checked before saving; if anything fails nothing is saved. Each imported procedure is published and kept as a version.`,
        )}
      </p>
      <form method="post" action={b.importFile} enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value={p.csrf} />
        <div class="govuk-form-group">
          <label class="govuk-label" for="file">
            {t("Archivo", "File")}
          </label>
          <input
            class="govuk-file-upload"
            id="file"
            name="file"
            type="file"
            accept=".json,.csv,application/json,text/csv"
          />
        </div>
        <Button>{t("Importar", "Import")}</Button>
      </form>
    </Shell>
  );
}
