/**
 * Payments: the reference people pay with (payment-reference.ts) and the bank's reconciliation
 * file that marks them paid. Importing the same file twice changes nothing the second time;
 * a file with broken lines is refused whole, with every problem listed by line.
 */
import { createHash } from "node:crypto";
import { appendAudit } from "../../platform/audit.js";
import { inTransaction, type Ctx } from "../../platform/context.js";
import { DomainError } from "../../platform/errors.js";
import { enqueue } from "../../platform/jobs/queue.js";
import type { Viewer } from "../accounts/sessions.js";
import { act } from "./casework.js";
import { notifyApplicant } from "./jobs.js";
import { canReconcilePayments } from "./policies.js";
import * as q from "./queries.js";
import { parseReconciliation } from "./reconciliation.js";

export const RECONCILIATION_MAX_BYTES = 5 * 1024 * 1024;

export interface ReconciliationReport {
  lines: number;
  matched: { line: number; reference: string; folio: string }[];
  alreadyPaid: { line: number; reference: string }[];
  unknown: { line: number; reference: string }[];
  mismatched: { line: number; reference: string; expectedCentavos: number; paidCentavos: number }[];
}

export async function importReconciliation(
  ctx: Ctx,
  viewer: Viewer,
  institution: string,
  file: { name: string; text: string },
): Promise<ReconciliationReport> {
  if (!canReconcilePayments(viewer, institution))
    throw new DomainError("forbidden", {
      es: "Tu rol no permite conciliar pagos de esta institución.",
      en: "Your role does not allow reconciling this institution's payments.",
    });
  const institutionId = viewer.roles.find((r) => r.institution === institution)!.institutionId;
  const parsed = parseReconciliation(file.text, { maxLines: 100_000 });
  if (parsed.problems.length)
    throw new DomainError(
      "invalid",
      {
        es: `El archivo tiene ${parsed.problems.length} línea(s) con problemas; no se registró ningún pago. Corrígelas y vuelve a subirlo.`,
        en: `The file has ${parsed.problems.length} line(s) with problems; no payment was recorded. Fix them and upload it again.`,
      },
      parsed.problems
        .slice(0, 200)
        .map((p) => ({ field: "file", line: p.line, message: p.en, localized: { es: p.es, en: p.en } })),
    );
  return inTransaction(ctx, async (tx) => {
    const report: ReconciliationReport = {
      lines: parsed.lines.length,
      matched: [],
      alreadyPaid: [],
      unknown: [],
      mismatched: [],
    };
    const reconciliationId = await q.insertReconciliation(tx.db, {
      uploadedBy: viewer.userId,
      at: tx.clock(),
      fileName: file.name.slice(0, 200),
      sha256: createHash("sha256").update(file.text).digest("hex"),
      lines: parsed.lines.length,
      matched: 0,
      alreadyPaid: 0,
      report: {},
    });
    const payments = new Map(
      (
        await q.paymentsByReference(
          tx.db,
          parsed.lines.map((l) => l.reference),
        )
      ).map((p) => [p.reference, p]),
    );
    for (const line of parsed.lines) {
      const payment = payments.get(line.reference);
      const app = payment ? await q.applicationById(tx.db, payment.applicationId) : undefined;
      // Another institution's references are as unknown to this one as references that do not exist.
      if (!payment || !app || app.institutionId !== institutionId)
        report.unknown.push({ line: line.line, reference: line.reference });
      else if (payment.status === "paid") report.alreadyPaid.push({ line: line.line, reference: line.reference });
      else if (payment.amountCentavos !== line.amountCentavos)
        report.mismatched.push({
          line: line.line,
          reference: line.reference,
          expectedCentavos: payment.amountCentavos,
          paidCentavos: line.amountCentavos,
        });
      else {
        await q.markPaid(tx.db, payment.id, {
          paidOn: line.paidOn,
          bank: line.bank,
          operation: line.operation,
          reconciliationId,
        });
        payment.status = "paid";
        if (app.status === "awaiting_payment") {
          await act(tx, app.id, { action: "payment_received", by: "system", actorId: null, body: line.reference });
          await enqueue(tx.db, notifyApplicant, { applicationId: app.id, event: "payment_received" });
        }
        report.matched.push({ line: line.line, reference: line.reference, folio: app.folio });
      }
    }
    await q.setReconciliationReport(tx.db, reconciliationId, report.matched.length, report.alreadyPaid.length, report);
    await appendAudit(
      tx.db,
      {
        actorId: viewer.userId,
        action: "payments.reconcile",
        subject: `institution:${institution}`,
        detail: {
          reconciliationId,
          matched: report.matched.length,
          unknown: report.unknown.length,
          mismatched: report.mismatched.length,
        },
      },
      tx.clock(),
    );
    return report;
  });
}
