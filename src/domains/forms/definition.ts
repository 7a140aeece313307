/**
 * The JSON definition of an online form (format `ventanilla-form/1`): what staff build in the
 * form builder, export and import. One schema gives validation, types and the OpenAPI document.
 *
 * A form is a list of pages; each page holds one or more questions. A page may be shown only
 * when an earlier answer says so (`showIf`), and a page of kind `exit` ends the form with an
 * explanation (the person cannot apply online, e.g. "this procedure is only for adults").
 */
import { Type, type Static } from "@sinclair/typebox";
import { LocalizedText, StringEnum } from "../catalogue/schema.js";

export const FORM_FORMAT = "ventanilla-form/1";

export const QUESTION_TYPES = [
  "text",
  "textarea",
  "number",
  "date",
  "yesno",
  "radio",
  "checkboxes",
  "select",
  "email",
  "phone",
  "curp",
  "rfc",
  "address",
  "file",
  "declaration",
  "group",
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** Facts the platform already holds about the person, offered as answers (once-only). */
export const PREFILL_SOURCES = [
  "givenNames",
  "surnames",
  "fullName",
  "curp",
  "email",
  "birthDate",
  "phone",
  "rfc",
  "address",
] as const;
export type PrefillSource = (typeof PREFILL_SOURCES)[number];

/** File kinds a form may accept; each is recognised from the file's first bytes, not its name. */
export const FILE_KINDS = ["pdf", "jpg", "png"] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export const QUESTION_ID = "^[a-z][a-z0-9_]{0,39}$";
const Id = Type.String({ pattern: QUESTION_ID, description: "Stable key of the answer, e.g. `nombre`." });

const Option = Type.Object(
  { value: Type.String({ pattern: "^[a-z0-9][a-z0-9_-]{0,39}$" }), label: LocalizedText(300) },
  { additionalProperties: false },
);

const FileRules = Type.Object(
  {
    maxBytes: Type.Integer({ minimum: 1, maximum: 20 * 1024 * 1024, description: "Largest file accepted." }),
    kinds: Type.Array(StringEnum(FILE_KINDS), { minItems: 1, uniqueItems: true }),
  },
  { additionalProperties: false },
);

const questionFields = {
  id: Id,
  type: StringEnum(QUESTION_TYPES),
  label: LocalizedText(300),
  hint: Type.Optional(LocalizedText(1000)),
  /** Defaults to true. */
  required: Type.Optional(Type.Boolean()),
  minLength: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  /** For numbers the value; for dates an ISO date or a number of days relative to today (e.g. -36500). */
  min: Type.Optional(Type.Union([Type.Number(), Type.String({ format: "date" })])),
  max: Type.Optional(Type.Union([Type.Number(), Type.String({ format: "date" })])),
  /** A regular expression the whole answer must match (text questions). */
  pattern: Type.Optional(Type.String({ maxLength: 200 })),
  patternMessage: Type.Optional(LocalizedText(300)),
  options: Type.Optional(Type.Array(Option, { minItems: 1, maxItems: 200 })),
  file: Type.Optional(FileRules),
  prefill: Type.Optional(StringEnum(PREFILL_SOURCES)),
  /** Repeatable groups: how many items, at least and at most. */
  minItems: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })),
  maxItems: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
};

/** A question inside a repeatable group (groups do not nest). */
export const GroupQuestion = Type.Object(
  { ...questionFields, type: StringEnum(QUESTION_TYPES.filter((t) => t !== "group" && t !== "file")) },
  { additionalProperties: false },
);

export const Question = Type.Object(
  { ...questionFields, fields: Type.Optional(Type.Array(GroupQuestion, { minItems: 1, maxItems: 20 })) },
  { additionalProperties: false },
);
export type Question = Static<typeof Question>;
export type GroupQuestion = Static<typeof GroupQuestion>;

/** Show a page only when an earlier question's answer equals one of `in` (yes/no answers are "yes"/"no"). */
export const Condition = Type.Object(
  { question: Id, in: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 50 }) },
  { additionalProperties: false },
);
export type Condition = Static<typeof Condition>;

export const Page = Type.Object(
  {
    id: Id,
    kind: Type.Optional(StringEnum(["questions", "exit"] as const)),
    title: LocalizedText(300),
    /** Text shown above the questions; on an exit page, why the form ends and what to do instead. */
    body: Type.Optional(LocalizedText(4000)),
    questions: Type.Array(Question, { maxItems: 30 }),
    showIf: Type.Optional(Type.Array(Condition, { minItems: 1, maxItems: 10, description: "All must hold." })),
  },
  { additionalProperties: false },
);
export type Page = Static<typeof Page>;

export const FormDefinition = Type.Object(
  {
    format: Type.Literal(FORM_FORMAT),
    pages: Type.Array(Page, { minItems: 1, maxItems: 60 }),
    /** The declaration the person makes on the "check your answers" page before sending. */
    declaration: Type.Optional(LocalizedText(2000)),
  },
  { additionalProperties: false },
);
export type FormDefinition = Static<typeof FormDefinition>;

/** A stored file, as recorded in the answers. The bytes live in storage under `key`. */
export interface FileAnswer {
  uploadId: string;
  name: string;
  bytes: number;
  contentType: string;
}

export interface AddressAnswer {
  street: string;
  settlement: string;
  postalCode: string;
  stateCode: string;
  municipalityCode: string;
  /** The municipality's name when the answer was given, so summaries and receipts need no lookup. */
  municipalityName?: string;
}

export type ScalarAnswer = string | number | boolean | string[] | AddressAnswer | FileAnswer;
export type Answer = ScalarAnswer | Record<string, ScalarAnswer>[];
/** Answers by question id. Absent means not answered (or on a page not shown). */
export type Answers = Record<string, Answer>;
