import { describe, expect, it } from "vitest";
import { addBusinessDays, businessDaysBetween, holidays, isBusinessDay, mexicoDate } from "./business-days.js";

describe("business days (art. 28 LFPA)", () => {
  it("knows the official non-working days of 2026 and 2027", () => {
    expect([...holidays(2026)].sort()).toEqual([
      "2026-01-01",
      "2026-02-02",
      "2026-03-16",
      "2026-05-01",
      "2026-05-05",
      "2026-09-16",
      "2026-11-16",
      "2026-12-25",
    ]);
    expect([...holidays(2027)].sort()).toEqual([
      "2027-01-01",
      "2027-02-01",
      "2027-03-15",
      "2027-05-01",
      "2027-05-05",
      "2027-09-16",
      "2027-11-15",
      "2027-12-25",
    ]);
    // 1 December only when the federal executive changes hands.
    expect(holidays(2030).has("2030-12-01")).toBe(true);
    expect(holidays(2026).has("2026-12-01")).toBe(false);
    expect(isBusinessDay("2026-11-16")).toBe(false);
    expect(isBusinessDay("2026-11-17")).toBe(true);
    expect(isBusinessDay("2026-11-28")).toBe(false); // Saturday
    expect(isBusinessDay("2026-11-17", new Set(["2026-11-17"]))).toBe(false); // a published closure
  });

  it("counts from the day after receipt, skipping weekends, holidays and published closures", () => {
    // Received Friday 13 November 2026: Monday 16 is a rest day.
    expect(addBusinessDays("2026-11-13", 1)).toBe("2026-11-17");
    expect(addBusinessDays("2026-11-13", 20)).toBe("2026-12-14");
    expect(addBusinessDays("2026-12-21", 5)).toBe("2026-12-29");
    expect(addBusinessDays("2026-12-30", 2)).toBe("2027-01-04");
    // 5 May 2026 is a Tuesday and does not count.
    expect(addBusinessDays("2026-04-30", 2)).toBe("2026-05-06");
    // Holy Thursday and Friday 2027 closed by an institution's DOF notice.
    expect(addBusinessDays("2027-03-24", 2, new Set(["2027-03-25", "2027-03-26"]))).toBe("2027-03-30");
    expect(addBusinessDays(new Date("2026-11-13T18:00:00Z"), 1)).toBe("2026-11-17");
  });

  it("counts the business days between two dates", () => {
    expect(businessDaysBetween("2026-11-13", "2026-11-17")).toBe(1);
    expect(businessDaysBetween("2026-11-13", "2026-12-14")).toBe(20);
    expect(businessDaysBetween("2026-11-13", "2026-11-13")).toBe(0);
    expect(businessDaysBetween("2026-11-20", "2026-11-13")).toBe(0);
  });

  it("dates an instant in Mexico City, not UTC", () => {
    // 23:30 on 16 November in Mexico City is already 17 November in UTC.
    expect(mexicoDate(new Date("2026-11-17T05:30:00Z"))).toBe("2026-11-16");
    expect(mexicoDate(new Date("2026-11-17T06:30:00Z"))).toBe("2026-11-17");
  });
});
