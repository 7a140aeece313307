/** Getting a database ready to serve: migrations, reference data and, on an empty database, the demo catalogue. */
import { createDemoStaff } from "./domains/accounts/demo.js";
import { isEmpty } from "./domains/catalogue/catalogue.js";
import { loadDemoCatalogue } from "./domains/catalogue/demo.js";
import { loadDemoForms } from "./domains/cases/demo.js";
import { ensureGeography } from "./domains/geography/geography.js";
import type { Ctx } from "./platform/context.js";
import { migrate } from "./platform/db/migrate.js";

export async function prepareDatabase(ctx: Ctx): Promise<void> {
  const applied = await migrate(ctx.db);
  if (applied.length) ctx.log.info({ applied }, "migrations applied");
  const geo = await ensureGeography(ctx);
  if (geo) ctx.log.info(geo, "INEGI states and municipalities loaded");
  if (ctx.config.SEED_DEMO === "auto" && (await isEmpty(ctx))) {
    const report = await loadDemoCatalogue(ctx);
    ctx.log.info(
      { institutions: report.institutions, procedures: report.procedures, invalid: report.invalidRecords },
      "demo catalogue loaded",
    );
    const forms = await loadDemoForms(ctx);
    ctx.log.info({ forms }, "demo online forms put live");
    await createDemoStaff(ctx, "SRE", ["SRE", "SEP"]);
  }
}
