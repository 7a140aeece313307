/**
 * Demo online forms for a fresh install: two procedures that can be applied for at once, one
 * free with conditional pages and uploads (SRE), one with a fixed fee that waits for payment (SEP).
 */
import type { Ctx } from "../../platform/context.js";
import { getPublishedProcedure } from "../catalogue/catalogue.js";
import type { FormDefinition } from "../forms/definition.js";
import { installForm, starterDefinition } from "../forms/forms.js";

const t = (es: string, en: string) => ({ es, en });

/** The property purchase permit: asks who buys, routes companies to their own page, ends for nationals. */
function propertyPermit(base: FormDefinition): FormDefinition {
  const [applicant, documents] = base.pages;
  return {
    ...base,
    pages: [
      {
        id: "nacionalidad",
        title: t("¿Tienes la nacionalidad mexicana?", "Do you have Mexican nationality?"),
        questions: [
          {
            id: "es_mexicano",
            type: "yesno",
            label: t("¿Tienes la nacionalidad mexicana?", "Do you have Mexican nationality?"),
          },
        ],
      },
      {
        id: "no_aplica",
        kind: "exit",
        title: t("No necesitas este permiso", "You do not need this permit"),
        body: t(
          "Las personas con nacionalidad mexicana compran inmuebles sin permiso de la Secretaría de Relaciones Exteriores.",
          "People with Mexican nationality buy property without a permit from the Ministry of Foreign Affairs.",
        ),
        questions: [],
        showIf: [{ question: "es_mexicano", in: ["yes"] }],
      },
      { ...applicant!, showIf: [{ question: "es_mexicano", in: ["no"] }] },
      {
        id: "quien_compra",
        title: t("¿Quién compra?", "Who is buying?"),
        questions: [
          {
            id: "comprador",
            type: "radio",
            label: t("¿Quién compra?", "Who is buying?"),
            options: [
              { value: "persona", label: t("Yo, como persona", "Me, as a person") },
              { value: "empresa", label: t("Una empresa", "A company") },
            ],
          },
        ],
        showIf: [{ question: "es_mexicano", in: ["no"] }],
      },
      {
        id: "empresa",
        title: t("Datos de la empresa", "Company details"),
        questions: [
          { id: "razon_social", type: "text", label: t("Razón social", "Company name"), maxLength: 200 },
          { id: "rfc_empresa", type: "rfc", label: t("RFC de la empresa", "Company RFC"), prefill: "rfc" },
        ],
        showIf: [{ question: "comprador", in: ["empresa"] }],
      },
      {
        id: "inmueble",
        title: t("El inmueble", "The property"),
        questions: [
          { id: "ubicacion", type: "address", label: t("Dirección del inmueble", "Address of the property") },
          {
            id: "superficie",
            type: "number",
            label: t("Superficie en metros cuadrados", "Area in square metres"),
            min: 1,
            max: 10_000_000,
          },
          {
            id: "fecha_compra",
            type: "date",
            label: t("Fecha prevista de la compra", "Expected purchase date"),
            min: 0,
            required: false,
          },
        ],
        showIf: [{ question: "es_mexicano", in: ["no"] }],
      },
      ...(documents ? [{ ...documents, showIf: [{ question: "es_mexicano", in: ["no"] }] }] : []),
    ],
  };
}

export async function loadDemoForms(ctx: Ctx): Promise<string[]> {
  const installed: string[] = [];
  const property = await getPublishedProcedure(ctx, "SRE-01-001").catch(() => undefined);
  if (property) {
    await installForm(ctx, property.homoclave, propertyPermit(starterDefinition(property)));
    installed.push(property.homoclave);
  }
  const licence = await getPublishedProcedure(ctx, "SEP-23-003").catch(() => undefined);
  if (licence) {
    await installForm(ctx, licence.homoclave, starterDefinition(licence));
    installed.push(licence.homoclave);
  }
  return installed;
}
