import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkCurp, curpCheckDigit } from "./curp.js";

// Published test vectors (python-stdnum), copied into test/standards (see its README).
const vectors = JSON.parse(
  readFileSync(new URL("../../../test/standards/mx-ids/stdnum-mx-test-vectors.json", import.meta.url), "utf8"),
) as { curp: { valid: string[]; invalid: Record<string, string> } };

const PROBLEM_BY_REASON: Record<string, string> = {
  checksum: "checksum",
  length: "length",
  format: "format",
  "blacklisted first 4 letters": "blocked",
  date: "date",
  gender: "sex",
  state: "state",
};

describe("CURP", () => {
  it.each(vectors.curp.valid)("accepts the valid CURP %s", (curp) => {
    expect(checkCurp(curp)).toMatchObject({ ok: true });
  });

  it.each(Object.entries(vectors.curp.invalid))("refuses %s (%s)", (curp, reason) => {
    expect(checkCurp(curp)).toEqual({ ok: false, problem: PROBLEM_BY_REASON[reason] });
  });

  it("reads the birth date, century, sex and state", () => {
    expect(checkCurp("HEGG560427MVZRRL04")).toEqual({
      ok: true,
      facts: { birthDate: "1956-04-27", sex: "M", state: "VZ" },
    });
    // A letter in position 17 means born from 2000 on.
    const first17 = "GOMA040229HJCMRNA";
    const curp = `${first17}${curpCheckDigit(first17)}`;
    expect(checkCurp(curp)).toMatchObject({ ok: true, facts: { birthDate: "2004-02-29", sex: "H", state: "JC" } });
  });

  it("refuses a 29 February that did not happen and accepts spaces and lower case", () => {
    const first17 = "GOMA010229HJCMRNA";
    expect(checkCurp(`${first17}${curpCheckDigit(first17)}`)).toEqual({ ok: false, problem: "date" });
    expect(checkCurp("  hegg560427mvzrrl04 ")).toMatchObject({ ok: true });
  });

  it("refuses hostile input without throwing", () => {
    for (const s of ["", "' or 1=1 --", "<script>alert(1)</script>", "🙂".repeat(18), "A".repeat(10_000)]) {
      expect(checkCurp(s).ok).toBe(false);
    }
  });
});
