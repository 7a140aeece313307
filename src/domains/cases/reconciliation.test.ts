import { describe, expect, it } from "vitest";
import { DomainError } from "../../platform/errors.js";
import { paymentReference } from "./payment-reference.js";
import { parseReconciliation } from "./reconciliation.js";

const HEADER = "referencia,importe,fecha_pago,banco,operacion";
const today = "2026-04-15";
const ref = (folioNumber: number) =>
  paymentReference({ institutionCode: "006", folioNumber, amountCentavos: 123450, expiresOn: "2026-04-30" }).reference;

function refusal(text: string, options = {}): DomainError {
  try {
    parseReconciliation(text, { today, ...options });
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("the file was accepted");
}

describe("bank reconciliation file", () => {
  it("reads good lines with UTF-8 BOM and CRLF", () => {
    const text = `\uFEFF${HEADER}\r\n${ref(1)},1234.50,2026-04-12,BANORTE,884213\r\n${ref(2)},0.99,2026-04-15,BBVA México,A-77\r\n`;
    const { lines, problems } = parseReconciliation(text, { today });
    expect(problems).toEqual([]);
    expect(lines).toEqual([
      {
        line: 2,
        reference: ref(1),
        amountCentavos: 123450,
        paidOn: "2026-04-12",
        bank: "BANORTE",
        operation: "884213",
      },
      { line: 3, reference: ref(2), amountCentavos: 99, paidOn: "2026-04-15", bank: "BBVA México", operation: "A-77" },
    ]);
  });

  it("computes centavos without floating-point error and up to 99,999,999.99", () => {
    const text = `${HEADER}\n${ref(1)},0.29,2026-04-01,B,1\n${ref(2)},99999999.99,2026-04-01,B,2`;
    expect(parseReconciliation(text, { today }).lines.map((l) => l.amountCentavos)).toEqual([29, 9_999_999_999]);
  });

  it("accepts a header in capitals and references grouped with spaces", () => {
    const grouped = ref(5).replace(/(\d{4})(?=\d)/g, "$1 ");
    const { lines } = parseReconciliation(`${HEADER.toUpperCase()}\n"${grouped}",10.00,2026-04-01,B,1\n`, { today });
    expect(lines[0]?.reference).toBe(ref(5));
  });

  it("reports every broken line with its number and keeps the good ones", () => {
    const good = ref(7);
    const badCheck = good.slice(0, 19) + String((Number(good[19]) + 1) % 10);
    const text = [
      HEADER,
      `${good},100.00,2026-04-01,BANORTE,1`, // 2 good
      `${ref(8)},100.00,2026-04-01,BANORTE`, // 3 four columns
      `${badCheck},100.00,2026-04-01,BANORTE,3`, // 4 check digit
      `${ref(9)},1,234.50,2026-04-01,BANORTE,4`, // 5 comma in the amount: six columns
      `${ref(9)},1234.5,2026-04-01,BANORTE,5`, // 6 one decimal
      `${ref(9)},0.00,2026-04-01,BANORTE,6`, // 7 zero
      `${ref(9)},100.00,2026-02-30,BANORTE,7`, // 8 no such date
      `${ref(9)},100.00,15/04/2026,BANORTE,8`, // 9 wrong format
      `${ref(9)},100.00,2026-04-16,BANORTE,9`, // 10 future
      `${ref(9)},100.00,2026-04-01,BANORTE,1`, // 11 duplicate of line 2
      `${ref(9)},100.00,2026-04-01,BBVA,1`, // 12 same number, another bank: fine
      `${ref(9)},100.00,2026-04-01,,`, // 13 bank and operation missing
      `${ref(9)},"100.00,2026-04-01,BANORTE,13`, // 14 unclosed quote
      `${ref(9)},1"00.00,2026-04-01,BANORTE,14`, // 15 quote inside a field
      `${ref(9)},"100.00",2026-04-01,"BANORTE, S.A.",15`, // 16 good, quoted
    ].join("\n");
    const { lines, problems } = parseReconciliation(text, { today });
    expect(lines.map((l) => l.line)).toEqual([2, 12, 16]);
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 13, 14, 15]);
    const at = (line: number) => problems.find((p) => p.line === line)!;
    expect(at(3).es).toMatch(/4 columnas/);
    expect(at(3).en).toMatch(/4 columns/);
    expect(at(4).es).toMatch(/referencia/);
    expect(at(6).en).toMatch(/two decimals/);
    expect(at(10).es).toMatch(/posterior a hoy/);
    expect(at(11).es).toMatch(/ya aparece en la línea 2/);
    expect(at(11).en).toMatch(/already appears on line 2/);
    expect(at(14).es).toMatch(/comillas/);
    expect(at(15).en).toMatch(/quotes/);
    expect(lines[2]?.bank).toBe("BANORTE, S.A.");
  });

  it("does not let an unclosed quote swallow the lines after it", () => {
    const text = [
      HEADER,
      `${ref(1)},"1.00,2026-04-01,B,1`,
      `${ref(2)},1.00,2026-04-01,B,2`,
      `${ref(3)},1.00,2026-04-01,B,3`,
    ];
    const { lines, problems } = parseReconciliation(text.join("\r\n"), { today });
    expect(problems.map((p) => p.line)).toEqual([2]);
    expect(lines.map((l) => l.line)).toEqual([3, 4]);
  });

  it("skips blank lines but counts them in line numbers", () => {
    const { lines } = parseReconciliation(`${HEADER}\n\n${ref(1)},1.00,2026-04-01,B,1\n\n`, { today });
    expect(lines[0]?.line).toBe(3);
  });

  it("refuses an empty file", () => {
    for (const text of ["", "\uFEFF", "\r\n\r\n  "]) {
      const e = refusal(text);
      expect(e.code).toBe("invalid");
      expect(e.localized.es).toMatch(/vacío/);
    }
  });

  it("refuses a file without the header", () => {
    const e = refusal(`${ref(1)},1.00,2026-04-01,B,1\n`);
    expect(e.code).toBe("invalid");
    expect(e.localized.en).toContain(HEADER);
    expect(refusal("referencia,importe,fecha,banco,operacion\n").code).toBe("invalid");
  });

  it("accepts a header with no payments as an empty reconciliation", () => {
    expect(parseReconciliation(`${HEADER}\r\n`, { today })).toEqual({ lines: [], problems: [] });
  });

  it("refuses binary content and text that was not UTF-8", () => {
    expect(refusal(`${HEADER}\n\u0000\u0001\u0002PK`).localized.en).toMatch(/UTF-8/);
    expect(refusal(`${HEADER}\n${ref(1)},1.00,2026-04-01,Banco Azteca \uFFFD,1`).code).toBe("invalid");
  });

  it("refuses a payment dated after today in Mexico City by default", () => {
    const tomorrow = new Date(Date.now() + 36 * 3600 * 1000).toISOString().slice(0, 10);
    const { problems } = parseReconciliation(`${HEADER}\n${ref(1)},1.00,${tomorrow},B,1\n`);
    expect(problems.map((p) => p.en)).toEqual([`The payment date ${tomorrow} is later than today.`]);
  });

  it("refuses a file over maxLines", () => {
    const body = Array.from({ length: 11 }, (_, i) => `${ref(i + 1)},1.00,2026-04-01,B,${i}`).join("\n");
    expect(refusal(`${HEADER}\n${body}\n`, { maxLines: 10 }).code).toBe("too_large");
    expect(parseReconciliation(`${HEADER}\n${body}\n`, { today, maxLines: 11 }).lines).toHaveLength(11);
  });

  it("reads a 100,000-line file", () => {
    const one = ref(1);
    const body = Array.from({ length: 100_000 }, (_, i) => `${one},1.00,2026-04-01,B,${i}`).join("\n");
    const { lines, problems } = parseReconciliation(`${HEADER}\n${body}`, { today });
    expect(problems).toEqual([]);
    expect(lines).toHaveLength(100_000);
  });
});
