import { describe, expect, it } from "vitest";
import { DomainError } from "../../platform/errors.js";
import {
  formatReference,
  isValidChain,
  isValidReference,
  mod97CheckDigits,
  parseChain,
  parseReference,
  paymentReference,
} from "./payment-reference.js";

const base = { institutionCode: "006", folioNumber: 12345, amountCentavos: 123450, expiresOn: "2026-04-30" };

/** Every string that differs from `s` in exactly one digit. */
function oneDigitChanges(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    for (let d = 0; d <= 9; d++) if (String(d) !== s[i]) out.push(s.slice(0, i) + d + s.slice(i + 1));
  }
  return out;
}

/** Every string made by swapping two adjacent, different digits of `s`. */
function adjacentSwaps(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length - 1; i++) {
    if (s[i] !== s[i + 1]) out.push(s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2));
  }
  return out;
}

describe("payment references", () => {
  it("computes ISO 7064 MOD 97-10 check digits as IBAN does", () => {
    // The IBAN example GB82 WEST 1234 5698 7654 32, letters as numbers and the country moved to the end.
    expect(mod97CheckDigits("32142829123456987654321611")).toBe("82");
  });

  it("builds a 20-digit reference and a 34-digit chain that round-trip", () => {
    const { reference, chain } = paymentReference(base);
    expect(reference).toMatch(/^\d{20}$/);
    expect(reference).toBe("00600001234526043040");
    expect(chain).toBe("1006000001234500001234502026043031");
    expect(chain).toMatch(/^\d{34}$/);
    expect(isValidReference(reference)).toBe(true);
    expect(isValidChain(chain)).toBe(true);
    expect(parseReference(reference)).toEqual({ institutionCode: "006", folioNumber: 12345, expiresOn: "2026-04-30" });
    expect(parseChain(chain)).toEqual(base);
  });

  it("accepts the grouped form people type and slips print", () => {
    const { reference } = paymentReference(base);
    const grouped = formatReference(reference);
    expect(grouped).toMatch(/^\d{4}( \d{4}){4}$/);
    expect(isValidReference(grouped)).toBe(true);
    expect(isValidReference(grouped.replaceAll(" ", "-"))).toBe(true);
  });

  it("round-trips the extremes of every field", () => {
    for (const input of [
      { institutionCode: "000", folioNumber: 1, amountCentavos: 1, expiresOn: "2000-01-01" },
      { institutionCode: "999", folioNumber: 999_999_999, amountCentavos: 9_999_999_999, expiresOn: "2099-12-31" },
      { institutionCode: "042", folioNumber: 7, amountCentavos: 9_999_999_999, expiresOn: "2028-02-29" },
    ]) {
      const { reference, chain } = paymentReference(input);
      expect(parseChain(chain)).toEqual(input);
      expect(parseReference(reference)?.folioNumber).toBe(input.folioNumber);
    }
  });

  it("detects every one-digit change and every adjacent transposition", () => {
    for (const folioNumber of [1, 12345, 987_654_321]) {
      const { reference, chain } = paymentReference({ ...base, folioNumber });
      for (const bad of [...oneDigitChanges(reference), ...adjacentSwaps(reference)]) {
        expect(isValidReference(bad), bad).toBe(false);
      }
      for (const bad of [...oneDigitChanges(chain), ...adjacentSwaps(chain)]) {
        expect(isValidChain(bad), bad).toBe(false);
      }
    }
  });

  it("refuses references of the wrong shape", () => {
    for (const bad of ["", "abc", "1".repeat(19), "1".repeat(21), "0060000123452604300A"]) {
      expect(isValidReference(bad)).toBe(false);
    }
    expect(parseReference("not a reference")).toBeNull();
    expect(parseChain("1".repeat(34))).toBeNull();
  });

  it.each([
    { institutionCode: "6" },
    { institutionCode: "ABC" },
    { folioNumber: 0 },
    { folioNumber: 1_000_000_000 },
    { folioNumber: 1.5 },
    { amountCentavos: 0 },
    { amountCentavos: 10_000_000_000 },
    { amountCentavos: 12.5 },
    { expiresOn: "2026-02-30" },
    { expiresOn: "1999-12-31" },
    { expiresOn: "30/04/2026" },
  ])("refuses bad input %o with a bilingual message", (change) => {
    const attempt = () => paymentReference({ ...base, ...change });
    expect(attempt).toThrow(DomainError);
    try {
      attempt();
    } catch (e) {
      expect((e as DomainError).code).toBe("invalid");
      expect((e as DomainError).localized.es).not.toBe((e as DomainError).localized.en);
    }
  });

  it("gives a different reference for a new expiry of the same folio", () => {
    const a = paymentReference(base);
    const b = paymentReference({ ...base, expiresOn: "2026-05-31" });
    expect(a.reference).not.toBe(b.reference);
    expect(a.chain).not.toBe(b.chain);
  });
});
