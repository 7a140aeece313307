/** Who may do what with accounts, one rule a line. */
import { hasRole, staffReady, type Viewer } from "./sessions.js";

/** Add and remove staff of an institution and their roles. */
export const canManageStaff = (v: Viewer, institution: string) =>
  staffReady(v) && (hasRole(v, institution, "institution-admin") || v.isPlatformAdmin);
/** Confirm a person's identity after checking a document (raises them to "verificada"). */
export const canVerifyIdentity = (v: Viewer) =>
  staffReady(v) && (v.isPlatformAdmin || v.roles.some((r) => r.role === "caseworker" || r.role === "case-manager"));
/** Register institutions' systems as OpenID Connect clients. */
export const canRegisterOidcClients = (v: Viewer) => staffReady(v) && v.isPlatformAdmin;
