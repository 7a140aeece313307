import { describe, expect, it } from "vitest";
import { deadlineView, pauseClock, startClock, type Clock } from "./deadlines.js";

const none = new Set<string>();
const fresh = (maxDays: number | null): Clock => ({ clockStartedOn: null, daysUsed: 0, maxDays, deadline: null });

describe("legal deadline", () => {
  it("counts the maximum business days from the day after receipt", () => {
    // Received Friday 13 November 2026; Monday 16 is a holiday.
    const c = startClock(fresh(10), "2026-11-13", none);
    expect(c.deadline).toBe("2026-11-30");
  });

  it("stops during a prevención and resumes with the days left", () => {
    let c = startClock(fresh(10), "2026-11-13", none); // deadline 30 Nov
    c = pauseClock(c, "2026-11-19", none); // 17, 18, 19 used: 3 days
    expect(c).toMatchObject({ daysUsed: 3, deadline: null, clockStartedOn: null });
    c = startClock(c, "2026-12-07", none); // answered 7 Dec: 7 days left
    expect(c.deadline).toBe("2026-12-16");
    // A second prevención keeps counting what was used before.
    c = pauseClock(c, "2026-12-08", none);
    expect(c.daysUsed).toBe(4);
    c = startClock(c, "2026-12-21", none); // 6 left, skipping 25 December
    expect(c.deadline).toBe("2026-12-30");
  });

  it("shows the ficta that applies once the deadline passes unresolved", () => {
    const base = { deadline: "2026-11-30", silenceRule: "afirmativa_ficta" };
    expect(deadlineView({ ...base, status: "in_review" }, "2026-11-20", none)).toMatchObject({
      state: "on_time",
      daysLeft: 6,
      ficta: null,
    });
    expect(deadlineView({ ...base, status: "in_review" }, "2026-11-26", none).state).toBe("due_soon");
    expect(deadlineView({ ...base, status: "in_review" }, "2026-12-02", none)).toMatchObject({
      state: "overdue",
      daysLeft: -2,
      ficta: "afirmativa",
    });
    expect(deadlineView({ ...base, silenceRule: "negativa_ficta", status: "received" }, "2026-12-02", none).ficta).toBe(
      "negativa",
    );
    expect(deadlineView({ ...base, status: "resolved_favourable" }, "2026-12-02", none).state).toBe("closed");
    expect(deadlineView({ ...base, status: "information_requested" }, "2026-12-02", none).state).toBe("paused");
    expect(deadlineView({ ...base, status: "awaiting_payment", deadline: null }, "2026-12-02", none).state).toBe(
      "not_started",
    );
  });
});
