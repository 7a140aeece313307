/** Who may do what with online forms, one rule a line. */
import { hasRole, staffReady, type Viewer } from "../accounts/sessions.js";

/** Build and change the draft form of an institution's procedure. */
export const canBuildForms = (v: Viewer, institution: string) =>
  staffReady(v) && (hasRole(v, institution, "editor", "reviewer", "institution-admin") || v.isPlatformAdmin);
/** Put a form live (people can then apply with it). */
export const canPublishForms = (v: Viewer, institution: string) =>
  staffReady(v) && (hasRole(v, institution, "reviewer", "institution-admin") || v.isPlatformAdmin);
