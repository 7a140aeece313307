/** JSON routes of the cases domain: the public verification of a resolution document. */
import { Type } from "@sinclair/typebox";
import type { Ctx } from "../../platform/context.js";
import { DomainError } from "../../platform/errors.js";
import { ErrorBody, type App } from "../../platform/http/server.js";
import { verifyResolution } from "./casework.js";

const Localized = Type.Object({ es: Type.String(), en: Type.Optional(Type.String()) });

export async function casesApi(app: App, ctx: Ctx): Promise<void> {
  app.get(
    "/api/v1/resolutions/:code",
    {
      config: { rateLimit: { max: 30, timeWindow: "1 minute" } },
      schema: {
        summary: "Verify a resolution document",
        description:
          "Whether a verification code printed on a resolution belongs to a document the platform issued, and what it says.",
        tags: ["cases"],
        params: Type.Object({ code: Type.String({ pattern: "^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$" }) }),
        response: {
          200: Type.Object({
            verificationCode: Type.String(),
            folio: Type.String(),
            homoclave: Type.String(),
            procedure: Localized,
            institution: Localized,
            outcome: Type.Union([Type.Literal("favourable"), Type.Literal("unfavourable")]),
            resolvedAt: Type.String({ format: "date-time" }),
            signedBy: Type.String(),
          }),
          400: ErrorBody,
          404: ErrorBody,
          429: ErrorBody,
        },
      },
    },
    async (req) => {
      const r = await verifyResolution(ctx, req.params.code);
      if (!r)
        throw new DomainError("not_found", {
          es: "Ningún documento tiene ese código de verificación.",
          en: "No document has that verification code.",
        });
      return {
        verificationCode: r.verificationCode,
        folio: r.folio,
        homoclave: r.homoclave,
        procedure: r.citizenName,
        institution: r.institutionName,
        outcome: r.outcome,
        resolvedAt: r.resolvedAt,
        signedBy: r.signerName,
      };
    },
  );
}
