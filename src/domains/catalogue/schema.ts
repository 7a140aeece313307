/**
 * Input and output schemas of the catalogue domain: one source for validation,
 * TypeScript types and the OpenAPI document.
 *
 * The import format (`ventanilla-catalogue/1`) is documented in docs/IMPORT.md.
 */
import { Type, type Static, type TSchema } from "@sinclair/typebox";

/** A closed list of strings, as a JSON Schema enum (readable in OpenAPI) with its literal type. */
export const StringEnum = <T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number] } = {},
) => Type.Unsafe<T[number]>({ type: "string", enum: [...values], ...options });

const LANG_KEY = "^[a-z]{2,3}(-[A-Z]{2})?$";

/** Text in several languages. Spanish (`es`) is required; any other language is optional. */
export const LocalizedText = (maxLength = 4000) =>
  Type.Unsafe<LocalizedText>(
    Type.Object(
      { es: Type.String({ minLength: 1, maxLength }) },
      {
        additionalProperties: Type.String({ maxLength }),
        propertyNames: { pattern: LANG_KEY },
        description: "Text per language: `es` is required, `en` and other languages optional.",
      },
    ),
  );
export type LocalizedText = { es: string; [lang: string]: string };

export const LocalizedList = Type.Unsafe<LocalizedList>(
  Type.Object(
    { es: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 }) },
    {
      additionalProperties: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 }),
      propertyNames: { pattern: LANG_KEY },
    },
  ),
);
export type LocalizedList = { es: string[]; [lang: string]: string[] };

export const HOMOCLAVE_PATTERN = "^[A-Z][A-Z0-9]{1,15}(-[A-Z0-9]{1,10}){1,4}$";
export const Homoclave = Type.String({
  pattern: HOMOCLAVE_PATTERN,
  maxLength: 24,
  description: "National catalogue key, e.g. `SRE-02-001` or `IMSS-02-023-A`.",
  examples: ["SRE-02-001"],
});

export const Slug = Type.String({ pattern: "^[a-z0-9]+(-[a-z0-9]+)*$", minLength: 2, maxLength: 80 });
export const Acronym = Type.String({ pattern: "^[A-Z0-9][A-Z0-9&-]{1,19}$", description: "Siglas, e.g. `SRE`." });
const Url = Type.String({ format: "uri", pattern: "^https?://", maxLength: 2000 });
const IsoDate = Type.String({ format: "date", description: "YYYY-MM-DD" });

export const INSTITUTION_KINDS = [
  "ministry",
  "deconcentrated_body",
  "decentralised_body",
  "state_enterprise",
  "autonomous_body",
  "state_government",
  "municipal_government",
] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export const Jurisdiction = Type.Union([
  Type.Object({ level: Type.Literal("federal") }, { additionalProperties: false }),
  Type.Object(
    { level: Type.Literal("state"), stateCode: Type.String({ pattern: "^[0-9]{2}$", description: "INEGI cve_ent" }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      level: Type.Literal("municipal"),
      municipalityCode: Type.String({ pattern: "^[0-9]{5}$", description: "INEGI cve_ent + cve_mun" }),
    },
    { additionalProperties: false },
  ),
]);
export type Jurisdiction = Static<typeof Jurisdiction>;

export const InstitutionInput = Type.Object(
  {
    acronym: Acronym,
    name: LocalizedText(300),
    kind: StringEnum(INSTITUTION_KINDS),
    sector: Type.String({ minLength: 1, maxLength: 120, description: "Sector or ramo, e.g. `Relaciones Exteriores`." }),
    ramo: Type.Optional(Type.String({ pattern: "^[0-9]{2}$", description: "Budget ramo number, e.g. `05`." })),
    jurisdiction: Jurisdiction,
    website: Type.Optional(Url),
    contact: Type.Optional(
      Type.Object(
        {
          email: Type.Optional(Type.String({ format: "email", maxLength: 200 })),
          phone: Type.Optional(Type.String({ maxLength: 60 })),
          address: Type.Optional(Type.String({ maxLength: 400 })),
        },
        { additionalProperties: false },
      ),
    ),
    demo: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type InstitutionInput = Static<typeof InstitutionInput>;

export const LifeEventInput = Type.Object(
  {
    slug: Slug,
    name: LocalizedText(120),
    description: LocalizedText(600),
    order: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    demo: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type LifeEventInput = Static<typeof LifeEventInput>;

export const Requirement = Type.Object(
  {
    name: LocalizedText(400),
    original: Type.Boolean({ description: "An original must be shown." }),
    copies: Type.Integer({ minimum: 0, maximum: 20, description: "Number of photocopies asked for." }),
    uploadable: Type.Boolean({ description: "Can be uploaded when applying online." }),
    notes: Type.Optional(LocalizedText(1000)),
  },
  { additionalProperties: false },
);
export type Requirement = Static<typeof Requirement>;

export const Cost = Type.Union([
  Type.Object({ type: Type.Literal("free") }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal("fixed"),
      amountMxn: Type.Number({ exclusiveMinimum: 0, maximum: 100_000_000 }),
      paymentPlaces: Type.Optional(LocalizedText(600)),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal("formula"),
      description: LocalizedText(1000),
      paymentPlaces: Type.Optional(LocalizedText(600)),
    },
    { additionalProperties: false },
  ),
]);
export type Cost = Static<typeof Cost>;

export const Office = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    address: Type.String({ minLength: 1, maxLength: 400 }),
    hours: Type.String({
      minLength: 1,
      maxLength: 200,
      description: "Opening hours, e.g. `Lunes a viernes de 9:00 a 15:00`.",
    }),
    municipalityCode: Type.Optional(Type.String({ pattern: "^[0-9]{5}$" })),
    phone: Type.Optional(Type.String({ maxLength: 60 })),
  },
  { additionalProperties: false },
);
export type Office = Static<typeof Office>;

export const Channels = Type.Object(
  {
    online: Type.Optional(Type.Object({ url: Url }, { additionalProperties: false })),
    inPerson: Type.Optional(Type.Array(Office, { maxItems: 50 })),
    phone: Type.Optional(
      Type.Array(
        Type.Object(
          {
            number: Type.String({ minLength: 3, maxLength: 60 }),
            hours: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 10 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type Channels = Static<typeof Channels>;

export const LegalBasis = Type.Object(
  {
    law: Type.String({ minLength: 1, maxLength: 300 }),
    article: Type.String({ minLength: 1, maxLength: 200 }),
    url: Type.Optional(Url),
  },
  { additionalProperties: false },
);

export const PROCEDURE_KINDS = ["tramite", "servicio"] as const;
export const AUDIENCES = ["persona_fisica", "persona_moral"] as const;
export const SILENCE_RULES = ["afirmativa_ficta", "negativa_ficta", "none"] as const;
export const STATUSES = ["draft", "published", "retired"] as const;
/** The identity a person needs to do the procedure online: none, a confirmed email, or an identity checked by an officer. */
export const ASSURANCE_LEVELS = ["ninguna", "basica", "verificada"] as const;
export type ProcedureStatus = (typeof STATUSES)[number];

const literals = StringEnum;

export const ProcedureInput = Type.Object(
  {
    homoclave: Homoclave,
    institution: Acronym,
    kind: literals(PROCEDURE_KINDS),
    status: Type.Optional(literals(STATUSES)),
    audience: Type.Array(literals(AUDIENCES), { minItems: 1, maxItems: 2, uniqueItems: true }),
    officialName: LocalizedText(500),
    citizenName: LocalizedText(200),
    description: LocalizedText(4000),
    whenApplies: Type.Optional(LocalizedText(2000)),
    result: Type.Optional(LocalizedText(1000)),
    requirements: Type.Array(Requirement, { maxItems: 60 }),
    steps: Type.Array(LocalizedText(1000), { maxItems: 40 }),
    cost: Cost,
    maxResolutionDays: Type.Union([Type.Integer({ minimum: 0, maximum: 3650 }), Type.Null()], {
      description: "Maximum resolution time in business days; null when the result is immediate or not set by law.",
    }),
    silenceRule: literals(SILENCE_RULES),
    requiredAssurance: Type.Optional(
      StringEnum(ASSURANCE_LEVELS, {
        description:
          "Identity needed to do it online: `ninguna` (no account), `basica` (confirmed email) or `verificada` (identity checked by an officer). Absent: `basica`.",
      }),
    ),
    validity: Type.Optional(LocalizedText(500)),
    channels: Channels,
    legalBasis: Type.Array(LegalBasis, { minItems: 1, maxItems: 30 }),
    lifeEvents: Type.Array(Slug, { maxItems: 20, uniqueItems: true }),
    keywords: Type.Optional(LocalizedList),
    lastReviewed: IsoDate,
    popularity: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: "Yearly requests, for 'most used'." }),
    ),
    demo: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ProcedureInput = Static<typeof ProcedureInput>;

export const IMPORT_FORMAT = "ventanilla-catalogue/1";
export const CatalogueImport = Type.Object(
  {
    format: Type.Literal(IMPORT_FORMAT),
    institutions: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 20_000 })),
    lifeEvents: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 1_000 })),
    procedures: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 200_000 })),
  },
  { additionalProperties: false },
);

/** Helper for API envelopes. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
