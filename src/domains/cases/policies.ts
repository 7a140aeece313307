/** Who may do what with cases, one rule a line. A person's own applications are checked by owner id in use cases. */
import { hasRole, staffReady, type Viewer } from "../accounts/sessions.js";

/** See an institution's cases (inbox, case pages, documents). */
export const canSeeCases = (v: Viewer, institution: string) =>
  staffReady(v) && hasRole(v, institution, "caseworker", "case-manager");
/** Assign and reassign an institution's cases. */
export const canAssignCases = (v: Viewer, institution: string) =>
  staffReady(v) && hasRole(v, institution, "case-manager");
/** Act on a case (review, ask for information, resolve): the assigned caseworker, or a case-manager. */
export const canWorkCase = (v: Viewer, c: { institution: string; assignedTo: number | null }) =>
  canAssignCases(v, c.institution) || (canSeeCases(v, c.institution) && c.assignedTo === v.userId);
/** Take an unassigned case for oneself. */
export const canTakeCase = (v: Viewer, c: { institution: string; assignedTo: number | null }) =>
  canSeeCases(v, c.institution) && c.assignedTo === null;
/** Import the bank's reconciliation file for an institution's payments. */
export const canReconcilePayments = (v: Viewer, institution: string) =>
  staffReady(v) && hasRole(v, institution, "case-manager", "institution-admin");
