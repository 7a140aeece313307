/**
 * The procedure editor: every field of the catalogue in one accessible form, with
 * repeatable groups that grow by a button (no JavaScript needed) and plain-language help.
 */
import { SuccessBanner } from "../../../platform/views/components.js";
import {
  ActionButton,
  Checkbox,
  Choices,
  ErrorSummary,
  PostForm,
  Textarea,
  TextInput,
  type FieldErrors,
} from "../../../platform/views/forms.js";
import { translator, type Lang } from "../../../platform/views/i18n.js";
import type { DraftRecord } from "../procedure-form.js";
import type { ReadabilityReport } from "../readability.js";
import type { VersionRow } from "../queries.js";
import { PageShell } from "./common.js";
import { backOfficePaths } from "../paths.js";

export interface EditorProps {
  lang: Lang;
  alternateHref: string;
  csrf: string;
  action: string;
  isNew: boolean;
  institution: string;
  /** For a new procedure: the institutions the person edits for. */
  institutionChoices?: string[];
  record: DraftRecord;
  draft: VersionRow | null;
  lifeEvents: { slug: string; name: string }[];
  /** Empty rows to show after the filled ones, per group. */
  extra: Partial<Record<"requirements" | "steps" | "offices" | "phones" | "legalBasis", number>>;
  errors: FieldErrors;
  message?: string | undefined;
  help: ReadabilityReport;
  missing: { field: string; message: string }[];
  notice?: string | undefined;
}

const BAND: Record<NonNullable<ReadabilityReport["band"]>, [string, string]> = {
  "muy-dificil": ["muy difícil", "very hard"],
  dificil: ["difícil", "hard"],
  "algo-dificil": ["algo difícil", "fairly hard"],
  normal: ["normal", "standard"],
  "algo-facil": ["algo fácil", "fairly easy"],
  facil: ["fácil", "easy"],
  "muy-facil": ["muy fácil", "very easy"],
};

function count(filled: number, extra: number | undefined) {
  return filled + (extra ?? (filled ? 0 : 1));
}

export function WritingHelp(props: {
  lang: Lang;
  help: ReadabilityReport;
  missing: { field: string; message: string }[];
}) {
  const t = translator(props.lang);
  const h = props.help;
  return (
    <aside class="vt-help" aria-labelledby="help-title">
      <h2 class="govuk-heading-s" id="help-title">
        {t("Ayuda para escribir claro", "Help to write plainly")}
      </h2>
      <p class="govuk-body-s">
        {h.score === null
          ? t("Escribe más texto para calcular la legibilidad.", "Write more text to measure readability.")
          : t(
              `Legibilidad (Fernández-Huerta): ${h.score}, ${BAND[h.band!][0]}. Para el público general apunta a 60 o más.`,
              `Readability (Fernández-Huerta): ${h.score}, ${BAND[h.band!][1]}. For the general public aim at 60 or more.`,
            )}
      </p>
      {h.longSentences.length ? (
        <>
          <p class="govuk-body-s">
            {t(
              `Oraciones de más de 30 palabras (${h.longSentences.length}): divídelas.`,
              `Sentences over 30 words (${h.longSentences.length}): split them.`,
            )}
          </p>
          <ul class="govuk-list govuk-list--bullet govuk-body-s">
            {h.longSentences.slice(0, 5).map((s) => (
              <li lang="es">{s.length > 160 ? `${s.slice(0, 160)}…` : s}</li>
            ))}
          </ul>
        </>
      ) : null}
      {h.jargon.length ? (
        <>
          <p class="govuk-body-s">{t("Palabras de oficina que puedes cambiar:", "Office words you can change:")}</p>
          <ul class="govuk-list govuk-list--bullet govuk-body-s">
            {h.jargon.map((j) => (
              <li lang="es">
                «{j.phrase}» → «{j.instead}»
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {props.missing.length ? (
        <>
          <h3 class="govuk-heading-s">{t("Falta para enviar a revisión", "Missing before review")}</h3>
          <ul class="govuk-list govuk-list--bullet govuk-body-s">
            {props.missing.map((m) => (
              <li>
                <a class="govuk-link" href={`#${m.field}`}>
                  {m.field}
                </a>
                : {m.message}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p class="govuk-body-s">{t("Tiene todo lo obligatorio.", "It has everything mandatory.")}</p>
      )}
    </aside>
  );
}

export function EditorPage(p: EditorProps) {
  const t = translator(p.lang);
  const r = p.record;
  const e = p.errors;
  const b = backOfficePaths(p.lang);
  const title = p.isNew ? t("Nuevo trámite", "New procedure") : `${t("Editar", "Edit")} ${r.homoclave ?? ""}`;
  const input = (
    name: string,
    label: string,
    value: string | number | undefined,
    extra: Partial<Parameters<typeof TextInput>[0]> = {},
  ) => (
    <TextInput
      lang={p.lang}
      name={name}
      label={label}
      value={value === undefined ? "" : String(value)}
      error={e[name]}
      maxLength={4000}
      {...extra}
    />
  );
  const area = (name: string, label: string, value: string | undefined, rows = 3, hint?: string) => (
    <Textarea
      lang={p.lang}
      name={name}
      label={label}
      value={value}
      error={e[name]}
      rows={rows}
      maxLength={4000}
      {...(hint ? { hint } : {})}
    />
  );
  const requirements = r.requirements ?? [];
  const steps = r.steps ?? [];
  const offices = r.channels?.inPerson ?? [];
  const phones = r.channels?.phone ?? [];
  const laws = r.legalBasis ?? [];
  const cost = r.cost;
  return (
    <PageShell
      lang={p.lang}
      title={title}
      alternateHref={p.alternateHref}
      breadcrumbs={[{ href: b.home, label: t("Gestión", "Back office") }]}
    >
      <ErrorSummary lang={p.lang} errors={e} message={p.message} />
      {p.notice ? <SuccessBanner title={t("Listo", "Done")}>{p.notice}</SuccessBanner> : null}
      <span class="govuk-caption-l">{p.institution}</span>
      <h1 class="govuk-heading-l">{title}</h1>
      {p.draft?.state === "sent_back" && p.draft.reviewComment ? (
        <div class="govuk-inset-text">
          <strong>{t("Comentario de revisión:", "Review comment:")}</strong> {p.draft.reviewComment}
        </div>
      ) : null}
      {p.draft?.state === "in_review" ? (
        <div class="govuk-inset-text">{t("Este borrador está en revisión.", "This draft is in review.")}</div>
      ) : null}
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <PostForm action={p.action} csrf={p.csrf}>
            <h2 class="govuk-heading-m">{t("Identificación", "Identification")}</h2>
            {p.isNew && (p.institutionChoices?.length ?? 0) > 1 ? (
              <Choices
                lang={p.lang}
                name="institution"
                legend={t("Institución", "Institution")}
                choices={p.institutionChoices!.map((i) => ({ value: i, label: i }))}
                selected={[p.institution]}
                error={e.institution}
                small
              />
            ) : p.isNew ? (
              <input type="hidden" name="institution" value={p.institution} />
            ) : null}
            {p.isNew
              ? input("homoclave", t("Homoclave", "Key (homoclave)"), r.homoclave, {
                  hint: t(
                    "Por ejemplo SRE-02-001. No cambia después.",
                    "For example SRE-02-001. It does not change later.",
                  ),
                  width: 10,
                  upper: true,
                  spellcheck: false,
                })
              : null}
            <Choices
              lang={p.lang}
              name="kind"
              legend={t("Tipo", "Kind")}
              choices={[
                {
                  value: "tramite",
                  label: t("Trámite (una obligación o un permiso)", "Trámite (an obligation or a permit)"),
                },
                {
                  value: "servicio",
                  label: t("Servicio (algo que la institución ofrece)", "Servicio (something the institution offers)"),
                },
              ]}
              selected={r.kind ? [r.kind] : []}
              error={e.kind}
              small
            />
            <Choices
              lang={p.lang}
              name="audience"
              legend={t("¿Quién lo puede pedir?", "Who can apply?")}
              choices={[
                { value: "persona_fisica", label: t("Personas (persona física)", "People (persona física)") },
                {
                  value: "persona_moral",
                  label: t("Empresas y organizaciones (persona moral)", "Companies and organisations (persona moral)"),
                },
              ]}
              selected={r.audience ?? []}
              error={e.audience}
              multiple
              small
            />
            <h2 class="govuk-heading-m">{t("Nombre y descripción", "Name and description")}</h2>
            {input("citizenName.es", t("Nombre en palabras de la gente", "Name in people's words"), r.citizenName?.es, {
              hint: t("Empieza con un verbo: «Sacar tu pasaporte».", "Start with a verb: «Get your passport»."),
            })}
            {input("citizenName.en", t("Nombre en inglés (opcional)", "Name in English (optional)"), r.citizenName?.en)}
            {input("officialName.es", t("Nombre oficial", "Official name"), r.officialName?.es)}
            {area("description.es", t("Descripción", "Description"), r.description?.es, 5)}
            {area(
              "description.en",
              t("Descripción en inglés (opcional)", "Description in English (optional)"),
              r.description?.en,
              3,
            )}
            {area("whenApplies.es", t("Cuándo aplica", "When it applies"), r.whenApplies?.es)}
            {area("result.es", t("Qué obtienes", "What you get"), r.result?.es, 2)}
            {area("validity.es", t("Vigencia del resultado", "How long the result is valid"), r.validity?.es, 2)}

            <h2 class="govuk-heading-m">{t("Requisitos", "Requirements")}</h2>
            {Array.from({ length: count(requirements.length, p.extra.requirements) }, (_, i) => {
              const q = requirements[i];
              return (
                <fieldset class="govuk-fieldset vt-row">
                  <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
                    {t(`Requisito ${i + 1}`, `Requirement ${i + 1}`)}
                  </legend>
                  {input(`requirements.${i}.name.es`, t("Documento", "Document"), q?.name.es)}
                  {input(
                    `requirements.${i}.name.en`,
                    t("Documento en inglés (opcional)", "Document in English (optional)"),
                    q?.name.en,
                  )}
                  <Checkbox
                    name={`requirements.${i}.original`}
                    label={t("Se pide el original", "The original is asked for")}
                    checked={!!q?.original}
                  />
                  <Checkbox
                    name={`requirements.${i}.uploadable`}
                    label={t("Se puede subir en línea", "Can be uploaded online")}
                    checked={!!q?.uploadable}
                  />
                  {input(`requirements.${i}.copies`, t("Número de copias", "Number of copies"), q?.copies ?? 0, {
                    width: 5,
                    inputMode: "numeric",
                  })}
                  {input(`requirements.${i}.notes.es`, t("Notas (opcional)", "Notes (optional)"), q?.notes?.es)}
                </fieldset>
              );
            })}
            <ActionButton action="add-requirements" secondary>
              {t("Añadir otro requisito", "Add another requirement")}
            </ActionButton>

            <h2 class="govuk-heading-m">{t("Pasos", "Steps")}</h2>
            {Array.from({ length: count(steps.length, p.extra.steps) }, (_, i) => (
              <fieldset class="govuk-fieldset vt-row">
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
                  {t(`Paso ${i + 1}`, `Step ${i + 1}`)}
                </legend>
                {area(`steps.${i}.es`, t("Qué hace la persona", "What the person does"), steps[i]?.es, 2)}
                {input(`steps.${i}.en`, t("En inglés (opcional)", "In English (optional)"), steps[i]?.en)}
              </fieldset>
            ))}
            <ActionButton action="add-steps" secondary>
              {t("Añadir otro paso", "Add another step")}
            </ActionButton>

            <h2 class="govuk-heading-m">{t("Costo", "Cost")}</h2>
            <Choices
              lang={p.lang}
              name="cost.type"
              legend={t("¿Cuánto cuesta?", "How much does it cost?")}
              choices={[
                { value: "free", label: t("Es gratuito", "It is free") },
                { value: "fixed", label: t("Monto fijo", "A fixed amount") },
                { value: "formula", label: t("Depende (se explica en palabras)", "It depends (explained in words)") },
              ]}
              selected={cost ? [cost.type] : []}
              error={e["cost.type"]}
              small
            />
            {input(
              "cost.amountMxn",
              t("Monto en pesos (si es fijo)", "Amount in pesos (if fixed)"),
              cost?.type === "fixed" ? cost.amountMxn : undefined,
              { width: 10, inputMode: "numeric" },
            )}
            {area(
              "cost.description.es",
              t("Cómo se calcula (si depende)", "How it is worked out (if it depends)"),
              cost?.type === "formula" ? cost.description.es : undefined,
              2,
            )}
            {input(
              "cost.paymentPlaces.es",
              t("Dónde se paga", "Where to pay"),
              cost && cost.type !== "free" ? cost.paymentPlaces?.es : undefined,
            )}

            <h2 class="govuk-heading-m">{t("Plazo y respuesta", "Time limit and answer")}</h2>
            {input(
              "maxResolutionDays",
              t("Plazo máximo de respuesta, en días hábiles", "Maximum time to answer, in business days"),
              r.maxResolutionDays === null ? "" : r.maxResolutionDays,
              {
                width: 5,
                inputMode: "numeric",
                hint: t("Déjalo vacío si la respuesta es inmediata.", "Leave it empty if the answer is immediate."),
              },
            )}
            <Choices
              lang={p.lang}
              name="silenceRule"
              legend={t("Si la institución no responde a tiempo", "If the institution does not answer in time")}
              choices={[
                {
                  value: "afirmativa_ficta",
                  label: t("Afirmativa ficta: se entiende que sí", "Afirmativa ficta: it counts as a yes"),
                },
                {
                  value: "negativa_ficta",
                  label: t("Negativa ficta: se entiende que no", "Negativa ficta: it counts as a no"),
                },
                { value: "none", label: t("No aplica", "Does not apply") },
              ]}
              selected={r.silenceRule ? [r.silenceRule] : []}
              error={e.silenceRule}
              small
            />
            <Choices
              lang={p.lang}
              name="requiredAssurance"
              legend={t("Identidad que se necesita para hacerlo en línea", "Identity needed to do it online")}
              choices={[
                { value: "ninguna", label: t("Ninguna: no hace falta cuenta", "None: no account needed") },
                {
                  value: "basica",
                  label: t("Básica: cuenta con correo confirmado", "Basic: an account with a confirmed email"),
                },
                {
                  value: "verificada",
                  label: t(
                    "Verificada: identidad revisada por una persona servidora pública",
                    "Verified: identity checked by a public servant",
                  ),
                },
              ]}
              selected={[r.requiredAssurance ?? "basica"]}
              error={e.requiredAssurance}
              small
            />

            <h2 class="govuk-heading-m">{t("Dónde se hace", "Where it is done")}</h2>
            {input(
              "channels.online.url",
              t("Dirección para hacerlo en línea (si se puede)", "Address to do it online (if possible)"),
              r.channels?.online?.url,
              {
                hint: "https://…",
                spellcheck: false,
              },
            )}
            {Array.from({ length: count(offices.length, p.extra.offices) }, (_, i) => {
              const o = offices[i];
              return (
                <fieldset class="govuk-fieldset vt-row">
                  <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
                    {t(`Oficina ${i + 1}`, `Office ${i + 1}`)}
                  </legend>
                  {input(`channels.inPerson.${i}.name`, t("Nombre", "Name"), o?.name)}
                  {input(`channels.inPerson.${i}.address`, t("Dirección", "Address"), o?.address)}
                  {input(`channels.inPerson.${i}.hours`, t("Horario", "Opening hours"), o?.hours, {
                    hint: t("Lunes a viernes de 9:00 a 15:00", "Monday to Friday 9:00 to 15:00"),
                  })}
                  {input(`channels.inPerson.${i}.phone`, t("Teléfono (opcional)", "Phone (optional)"), o?.phone, {
                    width: 20,
                    type: "tel",
                  })}
                  {input(
                    `channels.inPerson.${i}.municipalityCode`,
                    t("Clave INEGI del municipio (opcional)", "INEGI municipality code (optional)"),
                    o?.municipalityCode,
                    { width: 5, inputMode: "numeric" },
                  )}
                </fieldset>
              );
            })}
            <ActionButton action="add-offices" secondary>
              {t("Añadir otra oficina", "Add another office")}
            </ActionButton>
            {Array.from({ length: count(phones.length, p.extra.phones) }, (_, i) => (
              <fieldset class="govuk-fieldset vt-row">
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
                  {t(`Teléfono de atención ${i + 1}`, `Help line ${i + 1}`)}
                </legend>
                {input(`channels.phone.${i}.number`, t("Número", "Number"), phones[i]?.number, {
                  width: 20,
                  type: "tel",
                })}
                {input(`channels.phone.${i}.hours`, t("Horario (opcional)", "Hours (optional)"), phones[i]?.hours)}
              </fieldset>
            ))}
            <ActionButton action="add-phones" secondary>
              {t("Añadir otro teléfono", "Add another phone")}
            </ActionButton>

            <h2 class="govuk-heading-m">{t("Fundamento legal", "Legal basis")}</h2>
            {Array.from({ length: count(laws.length, p.extra.legalBasis) }, (_, i) => (
              <fieldset class="govuk-fieldset vt-row">
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
                  {t(`Fundamento ${i + 1}`, `Legal basis ${i + 1}`)}
                </legend>
                {input(`legalBasis.${i}.law`, t("Ley o reglamento", "Law or regulation"), laws[i]?.law)}
                {input(`legalBasis.${i}.article`, t("Artículo", "Article"), laws[i]?.article, { width: 20 })}
                {input(`legalBasis.${i}.url`, t("Enlace (opcional)", "Link (optional)"), laws[i]?.url, {
                  spellcheck: false,
                })}
              </fieldset>
            ))}
            <ActionButton action="add-legalBasis" secondary>
              {t("Añadir otro fundamento", "Add another legal basis")}
            </ActionButton>

            <h2 class="govuk-heading-m">{t("Cómo lo encuentra la gente", "How people find it")}</h2>
            <Choices
              lang={p.lang}
              name="lifeEvents"
              legend={t("Momentos de vida", "Life events")}
              choices={p.lifeEvents.map((l) => ({ value: l.slug, label: l.name }))}
              selected={r.lifeEvents ?? []}
              error={e.lifeEvents}
              multiple
              small
            />
            {area(
              "keywords.es",
              t("Palabras clave", "Keywords"),
              r.keywords?.es.join(", "),
              2,
              t("Separadas por comas: las palabras que usa la gente.", "Separated by commas: the words people use."),
            )}
            {area(
              "keywords.en",
              t("Palabras clave en inglés (opcional)", "Keywords in English (optional)"),
              r.keywords?.en?.join(", "),
              2,
            )}

            <div class="govuk-button-group">
              <ActionButton action="save">{t("Guardar borrador", "Save draft")}</ActionButton>
              <ActionButton action="submit" secondary>
                {t("Guardar y enviar a revisión", "Save and send for review")}
              </ActionButton>
            </div>
          </PostForm>
        </div>
        <div class="govuk-grid-column-one-third">
          <WritingHelp lang={p.lang} help={p.help} missing={p.missing} />
        </div>
      </div>
    </PageShell>
  );
}
