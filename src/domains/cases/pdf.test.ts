import { PDFParse } from "pdf-parse";
import { describe, expect, it } from "vitest";
import { paymentReference } from "./payment-reference.js";
import { deadlineSentence, paymentSlipPdf, receiptPdf, resolutionPdf, winAnsi } from "./pdf.js";

interface Parsed {
  text: string;
  pages: number;
  info: Record<string, unknown>;
}

async function parse(pdf: Buffer): Promise<Parsed> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const text = await parser.getText();
    const info = await parser.getInfo();
    // pdf.js splits lines and sometimes words across text items: compare with spaces squeezed.
    return { text: text.text.replace(/\s+/g, " "), pages: text.total, info: info.info as Record<string, unknown> };
  } finally {
    await parser.destroy();
  }
}

const submittedAt = new Date("2026-03-15T16:32:00Z");
const receipt = {
  lang: "es" as const,
  folio: "VEN-2026-000123",
  procedureName: "Expedición de pasaporte ordinario",
  institutionName: "Secretaría de Relaciones Exteriores",
  submittedAt,
  deadline: "2026-04-30",
  silence: "afirmativa" as const,
  rows: [
    { label: "Nombre completo", value: "José Ñúñez Güemes" },
    { label: "¿Tienes pasaporte anterior?", value: "¡Sí!" },
    {
      label: "Domicilio",
      value: "Calle Niños Héroes 14, Col. Centro, Oaxaca de Juárez, Oaxaca, C.P. 68000. ".repeat(6),
    },
  ],
  verifyUrl: "https://ventanilla.gob.mx/verificar/ABC123",
};

describe("acuse de recibo", () => {
  it("shows the folio, the procedure, the date, the deadline and the answers, with accents", async () => {
    const { text, pages, info } = await parse(await receiptPdf(receipt));
    expect(pages).toBe(1);
    for (const s of [
      "Acuse de recibo",
      "VEN-2026-000123",
      "Expedición de pasaporte ordinario",
      "Secretaría de Relaciones Exteriores",
      "15 de marzo de 2026, 10:32",
      "30 de abril de 2026",
      "afirmativa ficta",
      "José Ñúñez Güemes",
      "¿Tienes pasaporte anterior?",
      "¡Sí!",
      "Calle Niños Héroes 14",
      "https://ventanilla.gob.mx/verificar/ABC123",
      "Página 1 de 1",
    ]) {
      expect(text).toContain(s);
    }
    expect(info).toMatchObject({ Title: "Acuse de recibo VEN-2026-000123", Author: "Ventanilla", Language: "es-MX" });
    expect(info.CreationDate).toBe("D:20260315163200Z");
  });

  it("flows 200 answers over several pages", async () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({
      label: `Pregunta ${i + 1}`,
      value: `Respuesta número ${i + 1}`,
    }));
    const { text, pages } = await parse(await receiptPdf({ ...receipt, rows }));
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain("Respuesta número 1 ");
    expect(text).toContain("Respuesta número 200");
    expect(text).toContain(`Página ${pages} de ${pages}`);
  });

  it("copes with an answer longer than a page", async () => {
    const long = Array.from({ length: 400 }, (_, i) => `línea ${i + 1} de una respuesta muy larga`).join(" ");
    const { text, pages } = await parse(
      await receiptPdf({ ...receipt, rows: [{ label: "Relato de hechos", value: long }] }),
    );
    expect(pages).toBeGreaterThan(2);
    expect(text).toContain("línea 1 de una");
    expect(text).toContain("línea 400 de una respuesta muy larga");
  });

  it("is in English, with the English language tag", async () => {
    const { text, info } = await parse(await receiptPdf({ ...receipt, lang: "en", silence: "negativa" }));
    expect(text).toContain("Acknowledgement of receipt");
    expect(text).toContain("15 March 2026 at 10:32 (Mexico City time)");
    expect(text).toContain("30 April 2026");
    expect(text).toContain("negativa ficta");
    expect(info.Language).toBe("en");
  });

  it("gives the same bytes for the same input", async () => {
    expect((await receiptPdf(receipt)).equals(await receiptPdf(receipt))).toBe(true);
  });

  it("says what the deadline means in plain words", () => {
    expect(deadlineSentence({ lang: "es", deadline: null, silence: "afirmativa" })).toBe(
      "La ley no fija un plazo para responder este trámite.",
    );
    expect(deadlineSentence({ lang: "es", deadline: "2026-04-30", silence: null })).toBe(
      "La dependencia debe responderte a más tardar el 30 de abril de 2026.",
    );
    expect(deadlineSentence({ lang: "es", deadline: "2026-04-30", silence: "negativa" })).toMatch(
      /rechazada .* impugnar/,
    );
    expect(deadlineSentence({ lang: "en", deadline: "2026-04-30", silence: "afirmativa" })).toMatch(/approved/);
  });
});

describe("hoja de ayuda para el pago", () => {
  const { reference, chain } = paymentReference({
    institutionCode: "006",
    folioNumber: 123,
    amountCentavos: 123456789,
    expiresOn: "2026-03-31",
  });
  const slip = {
    lang: "es" as const,
    reference,
    chain,
    amount: 1234567.89,
    concept: "Derechos por expedición de pasaporte (6 años)",
    institutionName: "Secretaría de Relaciones Exteriores",
    expiresOn: "2026-03-31",
    folio: "VEN-2026-000123",
    issuedAt: new Date("2026-03-16T12:00:00Z"),
  };

  it("shows the reference, the chain, the amount in MXN, the expiry and how to pay", async () => {
    const { text, info } = await parse(await paymentSlipPdf(slip));
    for (const s of [
      "Hoja de ayuda para el pago",
      "Clave de referencia",
      reference.replace(/(\d{4})(?=\d)/g, "$1 "),
      "Cadena de la dependencia",
      chain,
      "$1,234,567.89 MXN",
      "31 de marzo de 2026",
      "Derechos por expedición de pasaporte (6 años)",
      "VEN-2026-000123",
      "En el banco",
      "Por internet",
      "no es un comprobante de pago",
    ]) {
      expect(text).toContain(s);
    }
    expect(info).toMatchObject({ Author: "Ventanilla", CreationDate: "D:20260316120000Z" });
  });

  it("rounds a peso amount to centavos", async () => {
    const { text } = await parse(await paymentSlipPdf({ ...slip, amount: 0.1 + 0.2, lang: "en" }));
    expect(text).toContain("$0.30 MXN");
    expect(text).toContain("Payment form");
    expect(text).toContain("31 March 2026");
  });
});

describe("resolución", () => {
  const resolution = {
    lang: "es" as const,
    folio: "VEN-2026-000123",
    procedureName: "Licencia de construcción",
    institutionName: "Secretaría de Desarrollo Urbano",
    outcome: "unfavourable" as const,
    resolvedAt: new Date("2026-05-02T18:00:00Z"),
    reasons:
      "Con fundamento en el artículo 16 de la Ley Federal de Procedimiento Administrativo, se resuelve lo siguiente.\n\nEl plano presentado no cumple con la norma técnica; faltó la firma del perito responsable.",
    signedBy: "Lic. María Fernández Ibáñez, Directora de Licencias",
    verificationCode: "7KQ9-M2XD-4PLA",
    verifyUrl: "https://ventanilla.gob.mx/verificar/7KQ9-M2XD-4PLA",
  };

  it("shows the outcome, the reasons, who signed and how to verify it", async () => {
    const pdf = await resolutionPdf(resolution);
    const { text, info } = await parse(pdf);
    for (const s of [
      "Resolución",
      "VEN-2026-000123",
      "No favorable",
      "artículo 16 de la Ley Federal",
      "faltó la firma del perito",
      "Lic. María Fernández Ibáñez",
      "Código de verificación",
      "7KQ9-M2XD-4PLA",
      "https://ventanilla.gob.mx/verificar/7KQ9-M2XD-4PLA",
      "puedes impugnarla",
    ]) {
      expect(text).toContain(s);
    }
    expect(info).toMatchObject({
      Title: "Resolución VEN-2026-000123",
      Author: "Ventanilla",
      CreationDate: "D:20260502180000Z",
    });
    expect(pdf.includes(Buffer.from("/Subtype /Image"))).toBe(true); // the QR code
  });

  it("says a favourable outcome in English", async () => {
    const { text } = await parse(await resolutionPdf({ ...resolution, lang: "en", outcome: "favourable" }));
    expect(text).toContain("Favourable: your application is approved.");
    expect(text).not.toContain("challenge");
  });
});

describe("winAnsi", () => {
  it("keeps Spanish and turns what the standard fonts lack into the nearest letter", () => {
    expect(winAnsi("¿Qué año? ¡Olé! Güero «niño» — 10 €")).toBe("¿Qué año? ¡Olé! Güero «niño» — 10 €");
    expect(winAnsi("saʼa ñaꞌa ɨ → ő 😀")).toBe("sa'a ña'a i -> o ?");
    expect(winAnsi("a\r\nb\tc")).toBe("a\nb c");
  });
});
