/**
 * The documents a case produces, as PDF: the acknowledgement of receipt ("acuse de recibo"),
 * the payment form ("hoja de ayuda para el pago", in the style of the federal e5cinco) and
 * the resolution with its verification QR code.
 *
 * The standard Helvetica and Courier fonts need nothing installed and their WinAnsi encoding
 * has every Spanish letter and sign (á, ñ, ü, ¿, ¡, «»); characters beyond it are
 * transliterated by winAnsi() rather than printed as garbage. Documents carry their
 * language and title (for screen readers) and take their dates from the input, so the
 * same input gives the same bytes.
 */
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import { formatDate, formatMoney, translator, type Lang, type T } from "../../platform/views/i18n.js";
import { formatReference } from "./payment-reference.js";

type Doc = PDFKit.PDFDocument;

export interface ReceiptInput {
  lang: Lang;
  folio: string;
  procedureName: string;
  institutionName: string;
  submittedAt: Date;
  /** YYYY-MM-DD, the legal deadline for the answer; null when the law sets none. */
  deadline: string | null;
  /** What the law says the institution's silence means at the deadline. */
  silence: "afirmativa" | "negativa" | null;
  rows: { label: string; value: string }[];
  verifyUrl?: string;
}

export interface PaymentSlipInput {
  lang: Lang;
  reference: string;
  chain: string;
  /** Pesos, e.g. 1234.5. */
  amount: number;
  concept: string;
  institutionName: string;
  /** YYYY-MM-DD. */
  expiresOn: string;
  folio: string;
  /** When the slip was issued, for the document's metadata; default now. */
  issuedAt?: Date;
}

export interface ResolutionInput {
  lang: Lang;
  folio: string;
  procedureName: string;
  institutionName: string;
  outcome: "favourable" | "unfavourable";
  resolvedAt: Date;
  reasons: string;
  signedBy: string;
  verificationCode: string;
  verifyUrl: string;
}

const COLOR = { brand: "#691c32", text: "#0b0c0c", muted: "#505a5f", rule: "#b1b4b6", panel: "#f3f2f1" };
const MARGIN = 56;
const FONT = { regular: "Helvetica", bold: "Helvetica-Bold", code: "Courier-Bold" };

// ---------------------------------------------------------------------------------------------
// Text the standard fonts can print

// The 27 characters WinAnsi adds to Latin-1 in 0x80–0x9F.
const WIN_ANSI_EXTRA = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ";
const NOT_WIN_ANSI = new RegExp(`[^\\n\\x20-\\x7e\\xa0-\\xff${WIN_ANSI_EXTRA}]`, "gu");
// Letters of Mexican languages' alphabets (the saltillo, barred vowels) and common symbols.
const NEAREST: Readonly<Record<string, string>> = {
  ꞌ: "'",
  Ꞌ: "'",
  ʼ: "'",
  ʻ: "'",
  ɨ: "i",
  Ɨ: "I",
  ʉ: "u",
  Ʉ: "U",
  ɛ: "e",
  ɔ: "o",
  "‐": "-",
  "‑": "-",
  "−": "-",
  "→": "->",
  "←": "<-",
  "≤": "<=",
  "≥": ">=",
  "\t": " ",
};

/** `text` in characters Helvetica's WinAnsi encoding has: accents dropped or "?" for the rest. */
export function winAnsi(text: string): string {
  return text
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(NOT_WIN_ANSI, (ch) => {
      if (NEAREST[ch]) return NEAREST[ch];
      const bare = ch.normalize("NFD").replace(/\p{M}/gu, "");
      return bare && !bare.match(NOT_WIN_ANSI) ? bare : "?";
    });
}

// ---------------------------------------------------------------------------------------------
// Documents

interface Meta {
  lang: Lang;
  title: string;
  subject: string;
  createdAt: Date;
  /** Printed at the foot of every page with the page number. */
  footer: string;
}

/** Runs `draw` on a fresh A4 document and returns the finished bytes. */
async function render(meta: Meta, draw: (doc: Doc, t: T) => void | Promise<void>): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    bufferPages: true,
    lang: meta.lang === "en" ? "en" : "es-MX",
    displayTitle: true,
    info: {
      Title: meta.title,
      Author: "Ventanilla",
      Creator: "Ventanilla",
      Subject: meta.subject,
      CreationDate: meta.createdAt,
      ModDate: meta.createdAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.fillColor(COLOR.text);
  await draw(doc, translator(meta.lang));
  pageFooters(doc, meta.footer, translator(meta.lang));
  doc.end();
  return finished;
}

function pageFooters(doc: Doc, text: string, t: T): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would otherwise start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(FONT.regular)
      .fontSize(8)
      .fillColor(COLOR.muted)
      .text(
        `${winAnsi(text)} · ${t("Página", "Page")} ${i + 1} ${t("de", "of")} ${count}`,
        MARGIN,
        doc.page.height - MARGIN + 20,
        {
          width: contentWidth(doc),
          align: "center",
          lineBreak: false,
        },
      );
    doc.page.margins.bottom = bottom;
  }
}

const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const pageBottom = (doc: Doc) => doc.page.height - doc.page.margins.bottom;

function header(doc: Doc, institutionName: string, title: string, subtitle?: string): void {
  doc.font(FONT.bold).fontSize(10).fillColor(COLOR.brand).text("VENTANILLA", { characterSpacing: 1 });
  doc.font(FONT.regular).fontSize(10).fillColor(COLOR.muted).text(winAnsi(institutionName));
  const y = doc.y + 6;
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + contentWidth(doc), y)
    .lineWidth(3)
    .strokeColor(COLOR.brand)
    .stroke();
  doc.y = y + 14;
  doc.font(FONT.bold).fontSize(20).fillColor(COLOR.text).text(title);
  if (subtitle) doc.font(FONT.regular).fontSize(11).fillColor(COLOR.muted).text(subtitle);
  doc.moveDown(0.8);
}

function heading(doc: Doc, text: string): void {
  ensureSpace(doc, 60);
  doc.moveDown(0.6).font(FONT.bold).fontSize(13).fillColor(COLOR.text).text(text).moveDown(0.3);
}

function paragraph(doc: Doc, text: string, size = 10.5): void {
  doc
    .font(FONT.regular)
    .fontSize(size)
    .fillColor(COLOR.text)
    .text(winAnsi(text), MARGIN, doc.y, {
      width: contentWidth(doc),
      lineGap: 2,
      paragraphGap: 4,
    });
}

/** A label in grey over its value in bold; `font` lets codes use a fixed-width face. */
function field(doc: Doc, label: string, value: string, opts: { size?: number; font?: string; width?: number } = {}) {
  const width = opts.width ?? contentWidth(doc);
  doc.font(FONT.regular).fontSize(9).fillColor(COLOR.muted).text(label, MARGIN, doc.y, { width });
  doc
    .font(opts.font ?? FONT.bold)
    .fontSize(opts.size ?? 11)
    .fillColor(COLOR.text)
    .text(winAnsi(value), { width });
  doc.moveDown(0.5);
}

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > pageBottom(doc)) doc.addPage();
}

function rule(doc: Doc, y = doc.y): void {
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + contentWidth(doc), y)
    .lineWidth(0.5)
    .strokeColor(COLOR.rule)
    .stroke();
}

// ---------------------------------------------------------------------------------------------
// The answers table: long values wrap, rows flow onto new pages with the header repeated

const CELL = 6;

function tableHeader(doc: Doc, t: T, labelWidth: number): void {
  const y = doc.y;
  doc.font(FONT.bold).fontSize(9).fillColor(COLOR.muted);
  doc.text(t("Pregunta", "Question"), MARGIN + CELL, y, { width: labelWidth - 2 * CELL });
  doc.text(t("Respuesta", "Answer"), MARGIN + labelWidth + CELL, y, {
    width: contentWidth(doc) - labelWidth - 2 * CELL,
  });
  doc.y = y + 16;
  rule(doc);
}

function answersTable(doc: Doc, rows: ReceiptInput["rows"], t: T): void {
  const labelWidth = Math.round(contentWidth(doc) * 0.38);
  const valueWidth = contentWidth(doc) - labelWidth;
  const fullPage = pageBottom(doc) - doc.page.margins.top - 40;
  tableHeader(doc, t, labelWidth);
  for (const row of rows) {
    const label = winAnsi(row.label);
    const value = winAnsi(row.value.trim() || "—");
    doc.fontSize(10);
    const height =
      Math.max(
        doc.font(FONT.bold).heightOfString(label, { width: labelWidth - 2 * CELL }),
        doc.font(FONT.regular).heightOfString(value, { width: valueWidth - 2 * CELL }),
      ) +
      2 * CELL;
    // A value longer than a page cannot sit beside its label: it runs full width instead.
    if (height > fullPage) {
      longAnswer(doc, label, value);
      continue;
    }
    if (doc.y + height > pageBottom(doc)) {
      doc.addPage();
      tableHeader(doc, t, labelWidth);
    }
    const y = doc.y;
    doc
      .font(FONT.bold)
      .fillColor(COLOR.text)
      .text(label, MARGIN + CELL, y + CELL, { width: labelWidth - 2 * CELL });
    doc.font(FONT.regular).text(value, MARGIN + labelWidth + CELL, y + CELL, { width: valueWidth - 2 * CELL });
    doc.y = y + height;
    rule(doc);
  }
}

function longAnswer(doc: Doc, label: string, value: string): void {
  ensureSpace(doc, 60);
  doc.y += CELL;
  doc
    .font(FONT.bold)
    .fontSize(10)
    .fillColor(COLOR.text)
    .text(label, MARGIN + CELL, doc.y, { width: contentWidth(doc) - 2 * CELL });
  doc.font(FONT.regular).text(value, { width: contentWidth(doc) - 2 * CELL });
  doc.y += CELL;
  rule(doc);
}

// ---------------------------------------------------------------------------------------------
// Dates and sentences

/** "15 de marzo de 2026, 10:32 h": the 24-hour clock official documents use, in Mexico City time. */
function formatDateTime(at: Date, lang: Lang): string {
  const zone = { timeZone: "America/Mexico_City" } as const;
  const locale = lang === "en" ? "en-GB" : "es-MX";
  const day = new Intl.DateTimeFormat(locale, { ...zone, dateStyle: "long" }).format(at);
  const time = new Intl.DateTimeFormat(locale, {
    ...zone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
  return lang === "en" ? `${day} at ${time} (Mexico City time)` : `${day}, ${time} h (hora del centro de México)`;
}

/** What the deadline means, in a sentence a person can act on. */
export function deadlineSentence(input: Pick<ReceiptInput, "lang" | "deadline" | "silence">): string {
  const t = translator(input.lang);
  if (!input.deadline)
    return t(
      "La ley no fija un plazo para responder este trámite.",
      "The law sets no deadline for answering this application.",
    );
  const by = formatDate(input.deadline, input.lang);
  const must = t(`La dependencia debe responderte a más tardar el ${by}.`, `The institution must answer you by ${by}.`);
  if (input.silence === "afirmativa")
    return `${must} ${t(
      "Si no lo hace, la ley da por aprobada tu solicitud (afirmativa ficta).",
      "If it does not, the law treats your application as approved (afirmativa ficta).",
    )}`;
  if (input.silence === "negativa")
    return `${must} ${t(
      "Si no lo hace, la ley da por rechazada tu solicitud (negativa ficta) y puedes impugnar ese rechazo.",
      "If it does not, the law treats your application as refused (negativa ficta), and you can challenge that refusal.",
    )}`;
  return must;
}

// ---------------------------------------------------------------------------------------------
// The three documents

export function receiptPdf(input: ReceiptInput): Promise<Buffer> {
  const t = translator(input.lang);
  const title = t("Acuse de recibo", "Acknowledgement of receipt");
  const meta = {
    lang: input.lang,
    title: `${title} ${input.folio}`,
    subject: input.procedureName,
    createdAt: input.submittedAt,
  };
  return render({ ...meta, footer: `${title} · ${t("Folio", "Reference")} ${input.folio}` }, (doc) => {
    header(doc, input.institutionName, title);
    paragraph(
      doc,
      t(
        "Recibimos tu solicitud. Conserva este acuse: es tu comprobante de que la presentaste y de cuándo lo hiciste.",
        "We have received your application. Keep this acknowledgement: it proves that you applied and when.",
      ),
    );
    doc.moveDown(0.5);
    field(doc, t("Folio", "Reference number"), input.folio, { size: 16, font: FONT.code });
    field(doc, t("Trámite", "Service"), input.procedureName);
    field(doc, t("Fecha y hora de recepción", "Received on"), formatDateTime(input.submittedAt, input.lang));
    heading(doc, t("Plazo de respuesta", "When you will get an answer"));
    paragraph(doc, deadlineSentence(input));
    heading(doc, t("Tus respuestas", "Your answers"));
    if (input.rows.length) answersTable(doc, input.rows, t);
    else paragraph(doc, t("Este trámite no pidió datos.", "This service asked for no information."));
    if (input.verifyUrl) {
      doc.moveDown();
      paragraph(
        doc,
        t(
          `Consulta tu trámite y verifica este acuse en ${input.verifyUrl}`,
          `Follow your application and check this acknowledgement at ${input.verifyUrl}`,
        ),
        9.5,
      );
    }
  });
}

export function paymentSlipPdf(input: PaymentSlipInput): Promise<Buffer> {
  const t = translator(input.lang);
  const title = t("Hoja de ayuda para el pago", "Payment form");
  const amount = `${formatMoney(Math.round(input.amount * 100) / 100, "es")} MXN`;
  const expires = formatDate(input.expiresOn, input.lang);
  const reference = formatReference(input.reference);
  const meta = {
    lang: input.lang,
    title: `${title} ${input.folio}`,
    subject: input.concept,
    createdAt: input.issuedAt ?? new Date(),
  };
  return render(
    { ...meta, footer: t("Esta hoja no es un comprobante de pago", "This form is not a proof of payment") },
    async (doc) => {
      header(
        doc,
        input.institutionName,
        title,
        t("Pago en ventanilla bancaria o por internet", "Pay at a bank branch or online"),
      );
      const top = doc.y;
      const qrSize = 110;
      const left = contentWidth(doc) - qrSize - 16;
      field(doc, t("Folio del trámite", "Application reference"), input.folio, { width: left });
      field(doc, t("Concepto", "For"), input.concept, { width: left });
      field(doc, t("Importe a pagar", "Amount to pay"), amount, { size: 18, width: left });
      field(doc, t("Paga a más tardar el", "Pay by"), expires, { size: 13, width: left });
      doc.image(
        await QRCode.toBuffer(input.reference, { type: "png", margin: 1, width: 220 }),
        MARGIN + left + 16,
        top,
        { width: qrSize },
      );
      doc.y = Math.max(doc.y, top + qrSize + 8);
      field(doc, t("Clave de referencia", "Payment reference"), reference, { size: 18, font: FONT.code });
      field(doc, t("Cadena de la dependencia", "Institution code string"), input.chain, { size: 13, font: FONT.code });
      heading(doc, t("Cómo pagar", "How to pay"));
      for (const [n, step] of paymentSteps(t, expires).entries()) paragraph(doc, `${n + 1}. ${step}`);
      heading(doc, t("Antes de pagar", "Before you pay"));
      paragraph(
        doc,
        t(
          `Paga exactamente ${amount}: un pago por otra cantidad no se puede aplicar a tu trámite.`,
          `Pay exactly ${amount}: a payment of any other amount cannot be applied to your application.`,
        ),
      );
      paragraph(
        doc,
        t(
          `Después del ${expires} esta hoja deja de valer; entra a Ventanilla para obtener una nueva.`,
          `After ${expires} this form is no longer valid; sign in to Ventanilla to get a new one.`,
        ),
      );
    },
  );
}

function paymentSteps(t: T, expires: string): string[] {
  return [
    t(
      "En el banco: presenta esta hoja en la ventanilla de cualquier banco autorizado para recibir pagos de derechos, productos y aprovechamientos (DPA). Quien te atienda captura la clave de referencia y la cadena de la dependencia.",
      "At a bank: take this form to the counter of any bank authorised to receive federal fee payments (derechos, productos y aprovechamientos, DPA). The cashier enters the payment reference and the institution code string.",
    ),
    t(
      "Por internet: en la banca en línea de tu banco, elige el pago de derechos, productos y aprovechamientos (DPA o e5cinco) y escribe la clave de referencia, la cadena de la dependencia y el importe tal como aparecen aquí.",
      "Online: in your bank's online banking, choose the payment of federal fees (DPA or e5cinco) and type the payment reference, the institution code string and the amount exactly as they appear here.",
    ),
    t(
      `Hazlo a más tardar el ${expires} y guarda el comprobante del banco. No necesitas enviárnoslo: tu trámite avanza cuando el banco nos confirma el pago.`,
      `Do it by ${expires} and keep the bank's receipt. You do not need to send it to us: your application moves on when the bank confirms the payment.`,
    ),
  ];
}

export function resolutionPdf(input: ResolutionInput): Promise<Buffer> {
  const t = translator(input.lang);
  const title = t("Resolución", "Resolution");
  const meta = {
    lang: input.lang,
    title: `${title} ${input.folio}`,
    subject: input.procedureName,
    createdAt: input.resolvedAt,
  };
  const outcome =
    input.outcome === "favourable"
      ? t("Favorable: se aprueba tu solicitud.", "Favourable: your application is approved.")
      : t("No favorable: se niega tu solicitud.", "Unfavourable: your application is refused.");
  return render(
    { ...meta, footer: `${title} · ${t("Folio", "Reference")} ${input.folio} · ${input.verificationCode}` },
    async (doc) => {
      header(doc, input.institutionName, title);
      field(doc, t("Folio", "Reference number"), input.folio, { size: 14, font: FONT.code });
      field(doc, t("Trámite", "Service"), input.procedureName);
      field(doc, t("Fecha de la resolución", "Decided on"), formatDateTime(input.resolvedAt, input.lang));
      field(doc, t("Sentido de la resolución", "Decision"), outcome, { size: 13 });
      heading(doc, t("Fundamentos y motivos", "Grounds and reasons"));
      for (const part of input.reasons.split(/\n\s*\n/)) paragraph(doc, part.trim());
      doc.moveDown(0.5);
      field(doc, t("Resolvió", "Decided by"), input.signedBy);
      if (input.outcome === "unfavourable") {
        paragraph(
          doc,
          t(
            "Si no estás de acuerdo con esta resolución, puedes impugnarla. Pregunta en la dependencia por los medios y plazos para hacerlo.",
            "If you disagree with this resolution, you can challenge it. Ask the institution how and by when.",
          ),
          9.5,
        );
      }
      await verificationBox(doc, input, t);
    },
  );
}

/** The QR code and the code in print, so the document can be checked online. */
async function verificationBox(doc: Doc, input: ResolutionInput, t: T): Promise<void> {
  const size = 100;
  ensureSpace(doc, size + 40);
  doc.moveDown();
  const top = doc.y;
  doc
    .rect(MARGIN, top, contentWidth(doc), size + 20)
    .fillColor(COLOR.panel)
    .fill();
  doc.image(await QRCode.toBuffer(input.verifyUrl, { type: "png", margin: 1, width: 200 }), MARGIN + 10, top + 10, {
    width: size,
  });
  const x = MARGIN + size + 24;
  const width = contentWidth(doc) - size - 34;
  doc
    .font(FONT.regular)
    .fontSize(9)
    .fillColor(COLOR.muted)
    .text(t("Código de verificación", "Verification code"), x, top + 14, { width });
  doc.font(FONT.code).fontSize(15).fillColor(COLOR.text).text(winAnsi(input.verificationCode), x, doc.y, { width });
  doc
    .font(FONT.regular)
    .fontSize(9.5)
    .text(
      winAnsi(
        t(
          `Para comprobar que este documento es auténtico, escanea el código QR o entra a ${input.verifyUrl}`,
          `To check that this document is genuine, scan the QR code or go to ${input.verifyUrl}`,
        ),
      ),
      x,
      doc.y + 6,
      { width },
    );
  doc.y = top + size + 30;
  doc.x = MARGIN;
}
