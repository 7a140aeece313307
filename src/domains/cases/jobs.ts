/**
 * Background work of the cases domain: notifications by email (in the person's language),
 * rendering resolution PDFs, reminders of approaching deadlines and the removal of expired drafts.
 * Each handler is safe to run twice.
 */
import { addBusinessDays, mexicoDate } from "../../platform/business-days.js";
import { inTransaction, type Ctx } from "../../platform/context.js";
import { defineJob, enqueue } from "../../platform/jobs/queue.js";
import { queueMail } from "../../platform/mail.js";
import { DUE_SOON_DAYS } from "./deadlines.js";
import { storageOf } from "./files.js";
import { caseMail, deadlineMail, type CaseEvent } from "./mail.js";
import { resolutionPdf } from "./pdf.js";
import * as q from "./queries.js";
import { Readable } from "node:stream";

export const notifyApplicant = defineJob<{ applicationId: number; event: CaseEvent }>({
  name: "cases.notify",
  run: async (ctx, { applicationId, event }) => {
    const app = await q.applicationById(ctx.db, applicationId);
    if (!app) return;
    const [request, payment] = await Promise.all([
      q.openInformationRequest(ctx.db, app.id),
      q.paymentOf(ctx.db, app.id),
    ]);
    await queueMail(ctx.db, caseMail(ctx.config.PUBLIC_URL, app, event, { request, payment }));
  },
});

export const renderResolution = defineJob<{ applicationId: number }>({
  name: "cases.render-resolution",
  run: async (ctx, { applicationId }) => {
    const resolution = await q.resolutionOf(ctx.db, applicationId);
    const app = await q.applicationById(ctx.db, applicationId);
    if (!resolution || !app || resolution.storageKey) return;
    const lang = app.lang;
    const pdf = await resolutionPdf({
      lang,
      folio: app.folio,
      procedureName: (lang === "en" && app.citizenName.en) || app.citizenName.es,
      institutionName: (lang === "en" && app.institutionName.en) || app.institutionName.es,
      outcome: resolution.outcome,
      resolvedAt: new Date(resolution.resolvedAt),
      reasons: resolution.reasons,
      signedBy: resolution.signerName,
      verificationCode: resolution.verificationCode,
      verifyUrl: verifyUrl(ctx.config.PUBLIC_URL, resolution.verificationCode),
    });
    const key = `resolutions/${app.publicId}`;
    await storageOf(ctx).put(key, Readable.from([pdf]), { maxBytes: 20 * 1024 * 1024, allowedKinds: ["pdf"] });
    await q.setResolutionFile(ctx.db, applicationId, key);
  },
});

export const verifyUrl = (base: string, code: string) => `${base.replace(/\/$/, "")}/verificar/${code}`;

/** Hourly: cases whose deadline is near get one reminder per deadline, to the assignee or the case-managers. */
export const remindDeadlines = defineJob<Record<string, never>>({
  name: "cases.remind-deadlines",
  run: async (ctx) => {
    const dueBy = addBusinessDays(mexicoDate(ctx.clock()), DUE_SOON_DAYS);
    for (const c of await q.casesToRemind(ctx.db, dueBy, 500))
      await inTransaction(ctx, async (tx) => {
        const app = (await q.applicationById(tx.db, c.id, true))!;
        if (app.deadline !== c.deadline || app.remindedFor === c.deadline) return;
        const recipients = app.assignedTo
          ? (await q.staffOfInstitution(tx.db, app.institutionId, ["caseworker", "case-manager"])).filter(
              (s) => s.id === app.assignedTo,
            )
          : await q.staffOfInstitution(tx.db, app.institutionId, ["case-manager"]);
        for (const r of recipients) await queueMail(tx.db, deadlineMail(ctx.config.PUBLIC_URL, app, r));
        await enqueue(tx.db, notifyApplicant, { applicationId: app.id, event: "deadline_soon" });
        await q.markReminded(tx.db, app.id, c.deadline);
      });
  },
});

/** Hourly: drafts past their time go, with their files. */
export const purgeExpiredDrafts = defineJob<Record<string, never>>({
  name: "cases.purge-drafts",
  run: async (ctx) => {
    const keys = await inTransaction(ctx, (tx) => q.purgeExpiredDrafts(tx.db, tx.clock()));
    for (const key of keys)
      await storageOf(ctx)
        .delete(key)
        .catch(() => undefined);
    if (keys.length) ctx.log.info({ files: keys.length }, "expired drafts removed");
  },
});

export function receiptUrl(base: string, publicId: string, lang: "es" | "en") {
  return `${base.replace(/\/$/, "")}${lang === "en" ? "/en/account/applications" : "/cuenta/tramites"}/${publicId}`;
}
export type { Ctx };
