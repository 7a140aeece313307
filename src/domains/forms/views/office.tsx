/**
 * The form builder's pages around the editors: the institution's forms, one form's overview with
 * its versions, the preview, import and confirmations; and the pieces every page of the builder
 * shares (shell with its error summary, heading, buttons), which views/builder.tsx uses too.
 */
import type { ComponentChildren } from "preact";
import { ScrollRegion, SuccessBanner, WarningText } from "../../../platform/views/components.js";
import { ActionButton, PostForm, Textarea } from "../../../platform/views/forms.js";
import { formatDate, pick, translator, type Lang } from "../../../platform/views/i18n.js";
import { backOfficePaths } from "../../catalogue/paths.js";
import { PageShell } from "../../catalogue/views/common.js";
import type { Problems } from "../builder-input.js";
import type { Condition, FormDefinition, Page } from "../definition.js";
import type { FormRow } from "../forms.js";
import { formOfficePaths } from "../paths.js";
import { pageHeadingIsQuestion, QuestionFields } from "./questions.js";

export const l = (pair: [string, string], lang: Lang) => pair[lang === "en" ? 1 : 0];

const NOTICES: Record<string, [string, string]> = {
  guardado: ["Cambios guardados en el borrador.", "Changes saved to the draft."],
  creado: ["Borrador creado.", "Draft created."],
  importado: ["Definición importada en el borrador.", "Definition imported into the draft."],
  publicado: [
    "Publicado: es el formulario con el que la gente hace el trámite en línea.",
    "Published: people now apply online with this form.",
  ],
  descartado: ["Borrador descartado.", "Draft discarded."],
  conservado: [
    "El borrador no se descartó porque alguien ya empezó una solicitud con él.",
    "The draft was not discarded because someone already started an application with it.",
  ],
};
/** The notice a redirect asks for (`?aviso=guardado`), if it is one. */
export const noticeText = (key: string, lang: Lang) =>
  Object.hasOwn(NOTICES, key) ? l(NOTICES[key]!, lang) : undefined;

/** "Se muestra solo si «¿Eres mayor de edad?» es «No»", for the draft's pages and the preview. */
export function conditionText(def: FormDefinition, conditions: Condition[], lang: Lang): string {
  const t = translator(lang);
  const all = def.pages.flatMap((p) => p.questions);
  const parts = conditions.map((c) => {
    const q = all.find((x) => x.id === c.question);
    const answer = (v: string) =>
      q?.type === "yesno"
        ? v === "yes"
          ? t("Sí", "Yes")
          : "No"
        : pick(q?.options?.find((o) => o.value === v)?.label ?? { es: v }, lang);
    const answers = c.in.map((v) => `«${answer(v)}»`).join(t(" o ", " or "));
    return t(
      `«${q ? pick(q.label, lang) : c.question}» es ${answers}`,
      `‘${q ? pick(q.label, lang) : c.question}’ is ${answers}`,
    );
  });
  return t(`Se muestra solo si ${parts.join(" y ")}.`, `Shown only if ${parts.join(" and ")}.`);
}

/** A database timestamp as a date people read. */
const when = (s: string | null, lang: Lang) =>
  s ? formatDate(s.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00"), lang) : "";

// ---------------------------------------------------------------------------------------------
// Shared pieces

export interface Common {
  lang: Lang;
  alternateHref: string;
}

/** A page of the builder: breadcrumbs down to the form, and the error summary first when there are problems. */
export function Shell(
  p: Common & { title: string; homoclave?: string; problems?: Partial<Problems>; children: ComponentChildren },
) {
  const t = translator(p.lang);
  const f = formOfficePaths(p.lang);
  const [errors, loose, message] = [p.problems?.errors ?? {}, p.problems?.loose ?? [], p.problems?.message];
  const error = Object.keys(errors).length > 0 || loose.length > 0 || !!message;
  const crumbs = [
    { href: backOfficePaths(p.lang).home, label: t("Gestión", "Back office") },
    { href: f.list, label: t("Formularios", "Forms") },
    ...(p.homoclave ? [{ href: f.form(p.homoclave), label: p.homoclave }] : []),
  ];
  return (
    <PageShell
      lang={p.lang}
      title={error ? `${t("Error", "Error")}: ${p.title}` : p.title}
      alternateHref={p.alternateHref}
      breadcrumbs={crumbs}
    >
      {error ? <ErrorSummary lang={p.lang} errors={errors} loose={loose} message={message} /> : null}
      {p.children}
    </PageShell>
  );
}

/** The error summary: problems with a field link to it; the others (on other pages) are listed as they are. */
function ErrorSummary(p: Problems & { lang: Lang }) {
  const linked = Object.entries(p.errors);
  return (
    <div class="govuk-error-summary" data-module="govuk-error-summary">
      <div role="alert">
        <h2 class="govuk-error-summary__title">{translator(p.lang)("Hay un problema", "There is a problem")}</h2>
        <div class="govuk-error-summary__body">
          {linked.length || p.loose.length ? (
            <ul class="govuk-list govuk-error-summary__list">
              {linked.map(([field, message]) => (
                <li>
                  <a href={`#${field}`}>{message}</a>
                </li>
              ))}
              {p.loose.map((m) => (
                <li>{m}</li>
              ))}
            </ul>
          ) : (
            <p class="govuk-body">{p.message}</p>
          )}
        </div>
      </div>
    </div>
  );
}

export const Hidden = (p: { children: ComponentChildren }) => <span class="govuk-visually-hidden">{p.children}</span>;

export function Heading(p: { lang: Lang; caption: string; title: string; notice?: string | undefined }) {
  return (
    <>
      {p.notice ? <SuccessBanner title={translator(p.lang)("Listo", "Done")}>{p.notice}</SuccessBanner> : null}
      <span class="govuk-caption-l">{p.caption}</span>
      <h1 class="govuk-heading-l">{p.title}</h1>
    </>
  );
}

export const LinkButton = (p: { href: string; kind?: "secondary" | "warning"; children: ComponentChildren }) => (
  <a
    class={`govuk-button${p.kind ? ` govuk-button--${p.kind}` : ""}`}
    href={p.href}
    role="button"
    draggable={false}
    data-module="govuk-button"
  >
    {p.children}
  </a>
);

/** Preview, export, import, publish and discard, as far as they apply. */
export function FormActions(p: { lang: Lang; homoclave: string; shown: boolean; draft: boolean; canPublish: boolean }) {
  const t = translator(p.lang);
  const f = formOfficePaths(p.lang);
  const h = p.homoclave;
  const links: [boolean, string, string, "secondary" | "warning" | undefined][] = [
    [p.shown, f.previewStart(h), t("Vista previa", "Preview"), "secondary"],
    [p.shown, f.exportJson(h), t("Exportar JSON", "Export JSON"), "secondary"],
    [true, f.importJson(h), t("Importar JSON", "Import JSON"), "secondary"],
    [p.draft && p.canPublish, f.publish(h), t("Publicar", "Publish"), undefined],
    [p.draft, f.discard(h), t("Descartar borrador", "Discard draft"), "warning"],
  ];
  return (
    <>
      {links.map(([show, href, label, kind]) =>
        show ? (
          <LinkButton href={href} {...(kind ? { kind } : {})}>
            {label}
          </LinkButton>
        ) : null,
      )}
    </>
  );
}

const Header = (p: { scope: "col" | "row"; children: ComponentChildren }) => (
  <th scope={p.scope} class="govuk-table__header">
    {p.children}
  </th>
);

/** A table whose rows are named by their first cell (the links in a row are read in its context). */
function Table(p: { caption: string; head: string[]; rows: ComponentChildren[][] }) {
  return (
    <ScrollRegion label={p.caption}>
      <table class="govuk-table">
        <caption class="govuk-table__caption govuk-table__caption--s">{p.caption}</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            {p.head.map((h) => (
              <Header scope="col">{h}</Header>
            ))}
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {p.rows.map(([first, ...rest]) => (
            <tr class="govuk-table__row">
              <Header scope="row">{first}</Header>
              {rest.map((c) => (
                <td class="govuk-table__cell">{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

// ---------------------------------------------------------------------------------------------
// The institution's forms, and one procedure's form

export type FormListItem = {
  homoclave: string;
  citizenName: { es: string; en?: string };
  live: number | null;
  draft: number | null;
};

export function ListPage(p: Common & { institution: string; institutions: string[]; items: FormListItem[] }) {
  const t = translator(p.lang);
  const f = formOfficePaths(p.lang);
  const title = t(`Formularios en línea de ${p.institution}`, `${p.institution} online forms`);
  return (
    <Shell lang={p.lang} alternateHref={p.alternateHref} title={title}>
      <Heading lang={p.lang} caption={t("Constructor de formularios", "Form builder")} title={title} />
      <p class="govuk-body">
        {t(
          "Elige un trámite publicado para crear o cambiar el formulario con el que la gente lo hace en línea. No necesitas programar.",
          "Choose a published procedure to build or change the form people use to apply online. No coding needed.",
        )}
      </p>
      {p.institutions.length > 1 ? (
        <nav aria-label={t("Otras instituciones", "Other institutions")}>
          <ul class="govuk-list">
            {p.institutions.map((i) => (
              <li>
                <a
                  class="govuk-link"
                  href={`${f.list}?institucion=${i}`}
                  aria-current={i === p.institution ? "page" : undefined}
                >
                  {t(`Formularios de ${i}`, `${i} forms`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <Table
        caption={t("Trámites publicados", "Published procedures")}
        head={[t("Homoclave", "Key"), t("Trámite", "Procedure"), t("En uso", "Live"), t("Borrador", "Draft")]}
        rows={p.items.map((i) => [
          <a class="govuk-link" href={f.form(i.homoclave)}>
            {i.homoclave}
          </a>,
          pick(i.citizenName, p.lang),
          i.live ? t(`Versión ${i.live}`, `Version ${i.live}`) : t("Sin formulario en línea", "No online form"),
          i.draft ? t(`Versión ${i.draft}`, `Version ${i.draft}`) : "—",
        ])}
      />
    </Shell>
  );
}

const STATE: Record<string, [string, string]> = {
  draft: ["Borrador", "Draft"],
  live: ["En uso", "Live"],
  retired: ["Retirada", "Retired"],
};

export function FormPage(
  p: Common & {
    csrf: string;
    homoclave: string;
    procedureName: string;
    versions: Omit<FormRow, "definition">[];
    canPublish: boolean;
    notice?: string | undefined;
  },
) {
  const t = translator(p.lang);
  const f = formOfficePaths(p.lang);
  const h = p.homoclave;
  const draft = p.versions.find((v) => v.state === "draft");
  const live = p.versions.find((v) => v.state === "live");
  const title = t("Formulario en línea", "Online form");
  const row = (key: string, value: string) => (
    <div class="govuk-summary-list__row">
      <dt class="govuk-summary-list__key">{key}</dt>
      <dd class="govuk-summary-list__value">{value}</dd>
    </div>
  );
  /** "Versión 2, publicada el …": a version and when it was published or changed. */
  const since = (version: number, at: string | null, es: string, en: string) =>
    t(`Versión ${version}, ${es} el ${when(at, p.lang)}`, `Version ${version}, ${en} on ${when(at, p.lang)}`);
  return (
    <Shell lang={p.lang} alternateHref={p.alternateHref} title={`${title}: ${h}`} homoclave={h}>
      <Heading lang={p.lang} caption={`${h} · ${p.procedureName}`} title={title} notice={p.notice} />
      <dl class="govuk-summary-list">
        {row(
          t("En uso", "Live"),
          live
            ? since(live.version, live.publishedAt, "publicada", "published")
            : t("Ninguna: todavía no se puede hacer este trámite en línea.", "None: people cannot apply online yet."),
        )}
        {row(
          t("Borrador", "Draft"),
          draft
            ? since(draft.version, draft.updatedAt, "cambiada", "changed")
            : t("No hay borrador.", "There is no draft."),
        )}
      </dl>
      <div class="govuk-button-group">
        {draft ? (
          <LinkButton href={f.draft(h)}>{t("Editar el borrador", "Edit the draft")}</LinkButton>
        ) : (
          <PostForm action={f.draft(h)} csrf={p.csrf}>
            <ActionButton action="open">
              {live
                ? t(
                    `Crear un borrador a partir de la versión ${live.version}`,
                    `Create a draft from version ${live.version}`,
                  )
                : t("Crear el formulario a partir del trámite", "Create the form from the procedure")}
            </ActionButton>
          </PostForm>
        )}
        <FormActions lang={p.lang} homoclave={h} shown={!!(draft || live)} draft={!!draft} canPublish={p.canPublish} />
      </div>
      {p.versions.length ? (
        <Table
          caption={t("Versiones", "Versions")}
          head={[
            t("Versión", "Version"),
            t("Estado", "State"),
            t("Cambiada", "Changed"),
            t("Publicada", "Published"),
            t("Archivo", "File"),
          ]}
          rows={p.versions.map((v) => [
            String(v.version),
            l(STATE[v.state] ?? [v.state, v.state], p.lang),
            when(v.updatedAt, p.lang),
            when(v.publishedAt, p.lang) || "—",
            <>
              <a class="govuk-link" href={`${f.exportJson(h)}?version=${v.version}`}>
                JSON
              </a>
              {" · "}
              <a class="govuk-link" href={`${f.previewStart(h)}?version=${v.version}`}>
                {t("Vista previa", "Preview")}
              </a>
            </>,
          ])}
        />
      ) : null}
    </Shell>
  );
}

// ---------------------------------------------------------------------------------------------
// Preview, import and confirmations

export function PreviewPage(
  p: Common & {
    homoclave: string;
    version: number;
    definition: FormDefinition;
    page: Page;
    href: (id: string) => string;
  },
) {
  const t = translator(p.lang);
  const pages = p.definition.pages;
  const at = pages.indexOf(p.page);
  const title = pick(p.page.title, p.lang);
  const link = (page: Page | undefined, rel: "prev" | "next") =>
    page ? (
      <div class={`govuk-pagination__${rel}`}>
        <a class="govuk-link govuk-pagination__link" href={p.href(page.id)} rel={rel}>
          <span class="govuk-pagination__link-title">
            {rel === "prev" ? t("Página anterior", "Previous page") : t("Página siguiente", "Next page")}
          </span>
          <Hidden>:</Hidden> <span class="govuk-pagination__link-label">{pick(page.title, p.lang)}</span>
        </a>
      </div>
    ) : null;
  const paragraphs = pick(p.page.body, p.lang)
    .split(/\n\s*\n/)
    .filter((s) => s.trim());
  return (
    <Shell
      lang={p.lang}
      alternateHref={p.alternateHref}
      title={`${t("Vista previa", "Preview")}: ${title}`}
      homoclave={p.homoclave}
    >
      <div class="govuk-inset-text">
        <strong>{t("Vista previa", "Preview")}</strong>
        {t(
          ` de la versión ${p.version}, página ${at + 1} de ${pages.length}. Nada de lo que escribas aquí se guarda ni se envía.`,
          ` of version ${p.version}, page ${at + 1} of ${pages.length}. Nothing you type here is saved or sent.`,
        )}
        {p.page.showIf ? ` ${conditionText(p.definition, p.page.showIf, p.lang)}` : ""}
        {p.page.kind === "exit"
          ? ` ${t("Es una página de salida: el formulario termina aquí.", "It is an exit page: the form ends here.")}`
          : ""}
      </div>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          {pageHeadingIsQuestion(p.page) ? null : <h1 class="govuk-heading-l">{title}</h1>}
          {paragraphs.map((s) => (
            <p class="govuk-body">{s.trim()}</p>
          ))}
          <form action={p.href(p.page.id)} method="get" novalidate>
            <QuestionFields lang={p.lang} page={p.page} answers={{}} errors={{}} prefilled={[]} />
            {p.page.kind === "exit" ? null : (
              <button type="submit" class="govuk-button" data-module="govuk-button" disabled aria-disabled="true">
                {t("Continuar", "Continue")}
              </button>
            )}
          </form>
        </div>
      </div>
      <nav class="govuk-pagination govuk-pagination--block" aria-label={t("Páginas del formulario", "Form pages")}>
        {link(pages[at - 1], "prev")}
        {link(pages[at + 1], "next")}
      </nav>
    </Shell>
  );
}

export function ImportPage(
  p: Common & { csrf: string; homoclave: string; text: string; problems: string[]; message?: string | undefined },
) {
  const t = translator(p.lang);
  const title = t("Importar un formulario en JSON", "Import a form as JSON");
  return (
    <Shell
      lang={p.lang}
      alternateHref={p.alternateHref}
      title={title}
      homoclave={p.homoclave}
      problems={{ loose: p.problems, message: p.message }}
    >
      <Heading lang={p.lang} caption={p.homoclave} title={title} />
      <p class="govuk-body">
        {t(
          "Sube un archivo exportado de Ventanilla (formato ventanilla-form/1, hasta 512 KB) o pega su contenido. Reemplaza el borrador del formulario (se crea uno si no hay); la versión en uso no cambia hasta que se publique. Si algo no es válido, no se guarda nada.",
          "Upload a file exported from Ventanilla (format ventanilla-form/1, up to 512 KB) or paste its content. It replaces the form's draft (one is created if there is none); the live version does not change until it is published. If anything is not valid, nothing is saved.",
        )}
      </p>
      <form
        method="post"
        action={formOfficePaths(p.lang).importJson(p.homoclave)}
        enctype="multipart/form-data"
        novalidate
      >
        <input type="hidden" name="_csrf" value={p.csrf} />
        <div class="govuk-form-group">
          <label class="govuk-label" for="file">
            {t("Archivo JSON", "JSON file")}
          </label>
          <input class="govuk-file-upload" id="file" name="file" type="file" accept=".json,application/json" />
        </div>
        <Textarea
          lang={p.lang}
          name="definition"
          label={t("O pega el JSON aquí", "Or paste the JSON here")}
          value={p.text}
          rows={8}
          spellcheck={false}
        />
        <button type="submit" class="govuk-button" data-module="govuk-button">
          {t("Importar", "Import")}
        </button>
      </form>
    </Shell>
  );
}

/** What a confirmation page asks about: deleting a page of the draft, publishing the draft, or discarding it. */
export type Confirmation =
  | { kind: "delete-page"; page: Page }
  | { kind: "publish"; draft: FormRow; live: FormRow | undefined; problems: string[] }
  | { kind: "discard"; version: number };

export function ConfirmPage(p: Common & { csrf: string; homoclave: string; confirm: Confirmation }) {
  const t = translator(p.lang);
  const f = formOfficePaths(p.lang);
  const h = p.homoclave;
  const c = p.confirm;
  const problems = c.kind === "publish" ? c.problems : [];
  const { title, action, value, button, body } =
    c.kind === "delete-page"
      ? {
          title: t(
            `¿Borrar la página «${c.page.title.es}»?`,
            `Delete the page ‘${c.page.title.en ?? c.page.title.es}’?`,
          ),
          action: f.draft(h),
          value: `page-delete-confirm:${c.page.id}`,
          button: t("Sí, borrar la página", "Yes, delete the page"),
          body: t(
            `Se borran también sus ${c.page.questions.length} preguntas. Solo cambia el borrador.`,
            `Its ${c.page.questions.length} questions are deleted too. Only the draft changes.`,
          ),
        }
      : c.kind === "publish"
        ? {
            title: t(
              `¿Publicar la versión ${c.draft.version} del formulario?`,
              `Publish version ${c.draft.version} of the form?`,
            ),
            action: f.publish(h),
            value: "publish",
            button: t("Sí, publicar", "Yes, publish"),
            body: <PublishChanges lang={p.lang} draft={c.draft} live={c.live} />,
          }
        : {
            title: t(`¿Descartar el borrador (versión ${c.version})?`, `Discard the draft (version ${c.version})?`),
            action: f.discard(h),
            value: "discard",
            button: t("Sí, descartar el borrador", "Yes, discard the draft"),
            body: t(
              "Se pierden todos sus cambios. La versión en uso, si la hay, no cambia.",
              "All its changes are lost. The live version, if there is one, does not change.",
            ),
          };
  return (
    <Shell lang={p.lang} alternateHref={p.alternateHref} title={title} homoclave={h} problems={{ loose: problems }}>
      <Heading lang={p.lang} caption={h} title={title} />
      {typeof body === "string" ? <p class="govuk-body">{body}</p> : body}
      <PostForm action={action} csrf={p.csrf}>
        <div class="govuk-button-group">
          {problems.length ? null : (
            <ActionButton action={value} warning={c.kind !== "publish"}>
              {button}
            </ActionButton>
          )}
          <a class="govuk-link" href={f.draft(h)}>
            {t("Cancelar", "Cancel")}
          </a>
        </div>
      </PostForm>
    </Shell>
  );
}

/** What publishing changes, compared with the live version, for the confirmation. */
function PublishChanges(p: { lang: Lang; draft: FormRow; live: FormRow | undefined }) {
  const t = translator(p.lang);
  const ids = (d: FormDefinition | undefined) =>
    new Map((d?.pages ?? []).flatMap((pg) => pg.questions).map((q) => [q.id, q]));
  const [now, before] = [ids(p.draft.definition), ids(p.live?.definition)];
  const label = (q: { label: { es: string; en?: string } }) => pick(q.label, p.lang);
  const added = [...now.values()].filter((q) => !before.has(q.id)).map(label);
  const removed = [...before.values()].filter((q) => !now.has(q.id)).map(label);
  const changed = [...now.values()]
    .filter((q) => before.has(q.id) && JSON.stringify(q) !== JSON.stringify(before.get(q.id)))
    .map(label);
  const list = (title: string, items: string[]) =>
    items.length ? (
      <>
        <h2 class="govuk-heading-s">{title}</h2>
        <ul class="govuk-list govuk-list--bullet">
          {items.map((s) => (
            <li>{s}</li>
          ))}
        </ul>
      </>
    ) : null;
  return (
    <>
      <p class="govuk-body">
        {t(
          `La versión ${p.draft.version} (${p.draft.definition.pages.length} páginas) será la que la gente use para hacer el trámite en línea.`,
          `Version ${p.draft.version} (${p.draft.definition.pages.length} pages) becomes the one people use to apply online.`,
        )}
      </p>
      <WarningText label={t("Atención", "Warning")}>
        {p.live
          ? t(
              `Reemplaza la versión ${p.live.version}, que está en uso. Las solicitudes ya enviadas conservan la versión con la que se hicieron, pero quienes estén llenando una solicitud con la versión ${p.live.version} tendrán que empezarla de nuevo.`,
              `It replaces version ${p.live.version}, which is live. Applications already sent keep the version they were made with, but anyone filling in an application with version ${p.live.version} will have to start it again.`,
            )
          : t("Desde ese momento el trámite se podrá hacer en línea.", "From then on people can apply online.")}
      </WarningText>
      {list(t("Preguntas nuevas", "New questions"), added)}
      {list(t("Preguntas que se quitan", "Questions removed"), removed)}
      {list(t("Preguntas que cambian", "Questions changed"), changed)}
    </>
  );
}
