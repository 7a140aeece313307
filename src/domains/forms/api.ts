/** JSON routes of the forms domain: the live form of a procedure, for institutions' systems and other front ends. */
import { Type } from "@sinclair/typebox";
import type { Ctx } from "../../platform/context.js";
import { DomainError } from "../../platform/errors.js";
import { ErrorBody, type App } from "../../platform/http/server.js";
import { HOMOCLAVE_PATTERN } from "../catalogue/schema.js";
import { FormDefinition } from "./definition.js";
import { liveForm } from "./forms.js";

export async function formsApi(app: App, ctx: Ctx): Promise<void> {
  app.get(
    "/api/v1/procedures/:homoclave/form",
    {
      schema: {
        summary: "The live online form of a procedure",
        description:
          "The definition (`ventanilla-form/1`) people apply with now: pages, questions, validation rules and conditions.",
        tags: ["forms"],
        params: Type.Object({ homoclave: Type.String({ pattern: HOMOCLAVE_PATTERN, maxLength: 24 }) }),
        response: {
          200: Type.Object({ homoclave: Type.String(), version: Type.Integer(), definition: FormDefinition }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const form = await liveForm(ctx, req.params.homoclave);
      if (!form)
        throw new DomainError("not_found", {
          es: "Ese trámite no tiene un formulario en línea.",
          en: "That procedure has no online form.",
        });
      reply.header("cache-control", "public, max-age=300");
      return { homoclave: form.homoclave, version: form.version, definition: form.definition };
    },
  );
}
