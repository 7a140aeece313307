/**
 * Closures beyond the law's list of non-working days: each institution publishes its own in the
 * Diario Oficial (e.g. Holy Thursday and Friday). Legal deadlines skip them from then on.
 */
import type { Ctx } from "../../platform/context.js";
import { DomainError } from "../../platform/errors.js";
import * as q from "./queries.js";

export async function addClosedDay(
  ctx: Ctx,
  input: { day: string; reason: string; institution?: string | undefined },
): Promise<boolean> {
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(input.day) && !Number.isNaN(Date.parse(`${input.day}T00:00:00Z`));
  if (!valid || new Date(`${input.day}T00:00:00Z`).toISOString().slice(0, 10) !== input.day)
    throw new DomainError("invalid", "The day must be a date written YYYY-MM-DD.");
  const reason = input.reason.trim();
  if (!reason || reason.length > 300) throw new DomainError("invalid", "Give a --reason of at most 300 characters.");
  const added = await q.insertClosedDay(ctx.db, input.day, input.institution ?? null, reason);
  if (!added && input.institution && !(await q.listClosedDays(ctx.db)).some((d) => d.day === input.day))
    throw new DomainError("not_found", `There is no institution ${input.institution}.`);
  return added;
}

export const listClosedDays = (ctx: Ctx) => q.listClosedDays(ctx.db);
