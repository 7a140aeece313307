/**
 * The life of a case, in one place: which status may follow which, and who may move it.
 * Every use case that changes a status goes through `transition`, so a rule lives here only.
 */
import { DomainError } from "../../platform/errors.js";

export const CASE_STATUSES = [
  "awaiting_payment",
  "received",
  "in_review",
  "information_requested",
  "resolved_favourable",
  "resolved_unfavourable",
  "withdrawn",
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Who acts: the person who applied, the institution's staff, or the platform itself (payments, jobs). */
export type Actor = "applicant" | "staff" | "system";

export type CaseAction =
  | "payment_received"
  | "start_review"
  | "request_information"
  | "answer_information"
  | "resolve_favourable"
  | "resolve_unfavourable"
  | "withdraw";

interface Rule {
  from: readonly CaseStatus[];
  to: CaseStatus;
  by: Actor;
}

const OPEN: readonly CaseStatus[] = ["awaiting_payment", "received", "in_review", "information_requested"];

export const RULES: Record<CaseAction, Rule> = {
  payment_received: { from: ["awaiting_payment"], to: "received", by: "system" },
  start_review: { from: ["received"], to: "in_review", by: "staff" },
  request_information: { from: ["in_review"], to: "information_requested", by: "staff" },
  answer_information: { from: ["information_requested"], to: "in_review", by: "applicant" },
  resolve_favourable: { from: ["in_review"], to: "resolved_favourable", by: "staff" },
  resolve_unfavourable: { from: ["in_review"], to: "resolved_unfavourable", by: "staff" },
  withdraw: { from: OPEN, to: "withdrawn", by: "applicant" },
};

export const isOpen = (s: CaseStatus) => OPEN.includes(s);
export const isResolved = (s: CaseStatus) => s === "resolved_favourable" || s === "resolved_unfavourable";
/** The legal clock runs only in these statuses (it waits for payment and stops during a prevención). */
export const clockRuns = (s: CaseStatus) => s === "received" || s === "in_review";

/** The actions an actor may take on a case in this status (for showing buttons). */
export function allowedActions(status: CaseStatus, by: Actor): CaseAction[] {
  return (Object.keys(RULES) as CaseAction[]).filter((a) => RULES[a].by === by && RULES[a].from.includes(status));
}

/** The status after the action, or a conflict when the rule does not allow it. */
export function transition(status: CaseStatus, action: CaseAction, by: Actor): CaseStatus {
  const rule = RULES[action];
  if (rule.by !== by || !rule.from.includes(status))
    throw new DomainError("conflict", {
      es: `Este expediente está ${STATUS_LABELS[status].es.toLowerCase()}; esa acción ya no es posible.`,
      en: `This case is ${STATUS_LABELS[status].en.toLowerCase()}; that action is no longer possible.`,
    });
  return rule.to;
}

export const STATUS_LABELS: Record<CaseStatus, { es: string; en: string }> = {
  awaiting_payment: { es: "Esperando el pago", en: "Waiting for payment" },
  received: { es: "Recibido", en: "Received" },
  in_review: { es: "En revisión", en: "In review" },
  information_requested: { es: "Información solicitada", en: "Information requested" },
  resolved_favourable: { es: "Resuelto a favor", en: "Approved" },
  resolved_unfavourable: { es: "Resuelto en contra", en: "Refused" },
  withdrawn: { es: "Retirado", en: "Withdrawn" },
};
