import { describe, expect, it } from "vitest";
import { addBusinessDays, holidays, isBusinessDay } from "./business-days.js";

describe("business days", () => {
  it("knows the mandatory rest days of a year", () => {
    expect([...holidays(2026)].sort()).toEqual([
      "2026-01-01",
      "2026-02-02",
      "2026-03-16",
      "2026-05-01",
      "2026-09-16",
      "2026-11-16",
      "2026-12-25",
    ]);
    expect(isBusinessDay(new Date("2026-11-16T12:00:00Z"))).toBe(false);
    expect(isBusinessDay(new Date("2026-11-17T12:00:00Z"))).toBe(true);
    expect(isBusinessDay(new Date("2026-11-28T12:00:00Z"))).toBe(false); // Saturday
  });

  it("counts 20 business days from the day after receipt, skipping weekends and rest days", () => {
    // Received Friday 13 November 2026: Monday 16 is a rest day.
    expect(addBusinessDays(new Date("2026-11-13T18:00:00Z"), 1)).toBe("2026-11-17");
    expect(addBusinessDays(new Date("2026-11-13T18:00:00Z"), 20)).toBe("2026-12-14");
    // Across Christmas and New Year.
    expect(addBusinessDays(new Date("2026-12-21T10:00:00Z"), 5)).toBe("2026-12-29");
    expect(addBusinessDays(new Date("2026-12-30T10:00:00Z"), 2)).toBe("2027-01-04");
  });
});
