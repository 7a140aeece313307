/**
 * The legal deadline of a case: the procedure's maximum time in business days, counted from
 * the day after the clock starts (receipt, or payment when the procedure waits for it),
 * stopped while the institution waits for information the person must give (prevención,
 * art. 17-A LFPA) and resumed the day they answer. When it passes unresolved, the silence
 * rule of the procedure applies: afirmativa ficta (approved) or negativa ficta (refused).
 */
import { addBusinessDays, businessDaysBetween, type IsoDate } from "../../platform/business-days.js";
import { clockRuns, isOpen, type CaseStatus } from "./states.js";

export interface Clock {
  /** The day the clock (re)started, or null before it starts. */
  clockStartedOn: IsoDate | null;
  /** Business days used before the last (re)start. */
  daysUsed: number;
  maxDays: number | null;
  deadline: IsoDate | null;
}

/** Starts (or restarts after a prevención) the clock on a day. */
export function startClock(clock: Clock, on: IsoDate, closed: ReadonlySet<IsoDate>): Clock {
  const deadline =
    clock.maxDays === null ? null : addBusinessDays(on, Math.max(0, clock.maxDays - clock.daysUsed), closed);
  return { ...clock, clockStartedOn: on, deadline };
}

/** Stops the clock on a day: the business days used so far are kept, the deadline is unknown until it restarts. */
export function pauseClock(clock: Clock, on: IsoDate, closed: ReadonlySet<IsoDate>): Clock {
  const used = clock.clockStartedOn ? businessDaysBetween(clock.clockStartedOn, on, closed) : 0;
  return { ...clock, daysUsed: clock.daysUsed + used, clockStartedOn: null, deadline: null };
}

export type DeadlineState = "not_started" | "paused" | "on_time" | "due_soon" | "overdue" | "closed";

export interface DeadlineView {
  state: DeadlineState;
  deadline: IsoDate | null;
  /** Business days left (negative when overdue), when the clock runs. */
  daysLeft: number | null;
  /** The silence that applies once the deadline has passed unresolved. */
  ficta: "afirmativa" | "negativa" | null;
}

/** Days before the deadline from which a case counts as due soon (and people are reminded). */
export const DUE_SOON_DAYS = 3;

export function deadlineView(
  c: { status: CaseStatus; deadline: IsoDate | null; silenceRule: string },
  today: IsoDate,
  closed: ReadonlySet<IsoDate>,
): DeadlineView {
  if (!isOpen(c.status)) return { state: "closed", deadline: c.deadline, daysLeft: null, ficta: null };
  if (c.status === "information_requested") return { state: "paused", deadline: null, daysLeft: null, ficta: null };
  if (!clockRuns(c.status) || !c.deadline) return { state: "not_started", deadline: null, daysLeft: null, ficta: null };
  const daysLeft =
    today <= c.deadline
      ? businessDaysBetween(today, c.deadline, closed)
      : -businessDaysBetween(c.deadline, today, closed);
  const overdue = today > c.deadline;
  const ficta = !overdue
    ? null
    : c.silenceRule === "afirmativa_ficta"
      ? "afirmativa"
      : c.silenceRule === "negativa_ficta"
        ? "negativa"
        : null;
  return {
    state: overdue ? "overdue" : daysLeft <= DUE_SOON_DAYS ? "due_soon" : "on_time",
    deadline: c.deadline,
    daysLeft,
    ficta,
  };
}
