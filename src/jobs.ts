/**
 * Every domain's background jobs and schedules, in one list (as app.ts lists every domain's
 * routes). The worker runs these; in the web process too unless JOBS_IN_WEB=false.
 */
import { purgeStaleAccounts } from "./domains/accounts/jobs.js";
import { notifyApplicant, purgeExpiredDrafts, remindDeadlines, renderResolution } from "./domains/cases/jobs.js";
import type { JobDefinition, Schedule } from "./platform/jobs/queue.js";

export const JOBS = [
  purgeStaleAccounts,
  notifyApplicant,
  renderResolution,
  remindDeadlines,
  purgeExpiredDrafts,
] as JobDefinition<never>[];

export const SCHEDULES: Schedule[] = [
  { job: purgeStaleAccounts as JobDefinition<never>, everySeconds: 3600 },
  { job: remindDeadlines as JobDefinition<never>, everySeconds: 3600 },
  { job: purgeExpiredDrafts as JobDefinition<never>, everySeconds: 3600 },
];
