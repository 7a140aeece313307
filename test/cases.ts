/** Fixtures for the cases domain: a fresh institution with a procedure whose form is live, and file bytes. */
import { Readable } from "node:stream";
import type { Ctx } from "../src/platform/context.js";
import { importCatalogue } from "../src/domains/catalogue/catalogue.js";
import type { ProcedureInput } from "../src/domains/catalogue/schema.js";
import { FORM_FORMAT, type FormDefinition } from "../src/domains/forms/definition.js";
import { installForm } from "../src/domains/forms/forms.js";
import { institution, procedure } from "./factories.js";

const t = (es: string, en: string) => ({ es, en });

/** Name, CURP (prefilled), a conditional page, an upload and a declaration. */
export function sampleDefinition(): FormDefinition {
  return {
    format: FORM_FORMAT,
    pages: [
      {
        id: "datos",
        title: t("Tus datos", "Your details"),
        questions: [
          { id: "nombre", type: "text", label: t("Nombre", "Given names"), prefill: "givenNames", maxLength: 120 },
          { id: "curp", type: "curp", label: t("CURP", "CURP"), prefill: "curp" },
          { id: "telefono", type: "phone", label: t("Teléfono", "Phone"), required: false, prefill: "phone" },
        ],
      },
      {
        id: "motivo",
        title: t("Motivo", "Reason"),
        questions: [
          {
            id: "tipo",
            type: "radio",
            label: t("¿Para qué la necesitas?", "What do you need it for?"),
            options: [
              { value: "trabajo", label: t("Trabajo", "Work") },
              { value: "otro", label: t("Otro", "Other") },
            ],
          },
        ],
      },
      {
        id: "detalle",
        title: t("Cuéntanos más", "Tell us more"),
        showIf: [{ question: "tipo", in: ["otro"] }],
        questions: [
          { id: "explicacion", type: "textarea", label: t("Explica el motivo", "Explain why"), maxLength: 500 },
        ],
      },
      {
        id: "documentos",
        title: t("Documentos", "Documents"),
        questions: [
          {
            id: "identificacion",
            type: "file",
            label: t("Identificación oficial", "Official ID"),
            file: { maxBytes: 1024 * 1024, kinds: ["pdf", "jpg", "png"] },
          },
        ],
      },
    ],
    declaration: t("Declaro que los datos son ciertos.", "I declare the details are true."),
  };
}

/** A fresh institution and procedure (free unless `cost` says otherwise) with `definition` live. */
export async function liveProcedure(
  ctx: Ctx,
  overrides: Partial<ProcedureInput> = {},
  definition: FormDefinition = sampleDefinition(),
): Promise<{ homoclave: string; institution: string; formId: number }> {
  const inst = institution();
  const proc = procedure(inst.acronym, { requiredAssurance: "basica", ...overrides });
  const report = await importCatalogue(ctx, { institutions: [{ value: inst }], procedures: [{ value: proc }] });
  if (report.invalidRecords) throw new Error(JSON.stringify(report));
  const formId = await installForm(ctx, proc.homoclave, definition);
  return { homoclave: proc.homoclave, institution: inst.acronym, formId };
}

/** A small real PDF (the first bytes are what type detection reads). */
export const PDF_BYTES = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj " +
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);
/** A Windows executable's first bytes, whatever its name says. */
export const EXE_BYTES = Buffer.concat([
  Buffer.from("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "latin1"),
  Buffer.alloc(200),
]);

export const streamOf = (bytes: Buffer) => Readable.from([bytes]);
