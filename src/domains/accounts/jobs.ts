/** Background work of the accounts domain, run by the job worker. */
import { defineJob } from "../../platform/jobs/queue.js";
import { purgeStaleAccountData } from "./accounts.js";

/** Hourly: ended sessions, old sign-in attempts and spent links go. */
export const purgeStaleAccounts = defineJob<Record<string, never>>({
  name: "accounts.purge-stale",
  run: async (ctx) => {
    const removed = await purgeStaleAccountData(ctx);
    if (removed) ctx.log.info({ removed }, "stale sessions, sign-in attempts and links removed");
  },
});
