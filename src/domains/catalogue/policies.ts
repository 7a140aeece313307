/** Who may do what in the catalogue, one rule a line. */
import { hasRole, staffReady, type Viewer } from "../accounts/sessions.js";
import type { Principal } from "../accounts/tokens.js";

const has = (p: Principal, scope: string) => p.scopes.includes(scope);
const platformWide = (p: Principal) => p.institution === null;

/** Import procedures: only those of the token's own institution, unless the token is platform-wide. */
export const canWriteProcedure = (p: Principal, institution: string) =>
  has(p, "catalogue:write") && (platformWide(p) || p.institution === institution);
/** Create or change institutions and life events: platform-wide writers only. */
export const canWriteInstitution = (p: Principal, acronym: string) =>
  has(p, "catalogue:write") && (platformWide(p) || p.institution === acronym);
export const canWriteLifeEvents = (p: Principal) => has(p, "catalogue:write") && platformWide(p);
/** Edit the synonym list that search uses. */
export const canEditSynonyms = (p: Principal) => has(p, "catalogue:admin") && platformWide(p);

// ---------------------------------------------------------------- people (staff with a session)

/** Draft and change procedures of an institution. */
export const canEditProcedures = (v: Viewer, institution: string) =>
  staffReady(v) && hasRole(v, institution, "editor", "reviewer");
/** Publish, send back or retire procedures of an institution. */
export const canReviewProcedures = (v: Viewer, institution: string) =>
  staffReady(v) && hasRole(v, institution, "reviewer");
/** Import a file of procedures, which publishes them: reviewers only. */
export const canImportProcedures = (v: Viewer, institution: string) => canReviewProcedures(v, institution);
/** See how complete an institution's catalogue is. */
export const canSeeCompleteness = (v: Viewer, institution: string) =>
  staffReady(v) && (hasRole(v, institution, "institution-admin", "reviewer") || v.isPlatformAdmin);
