import { describe, expect, it } from "vitest";
import { readability, syllables } from "./readability.js";

describe("readability", () => {
  it("counts Spanish syllables with diphthongs and hiatus", () => {
    expect(syllables("pasaporte")).toBe(4);
    expect(syllables("ciudad")).toBe(2); // diphthong "iu"
    expect(syllables("país")).toBe(2); // accented weak vowel: hiatus
    expect(syllables("poeta")).toBe(3); // two strong vowels: hiatus
    expect(syllables("que")).toBe(1);
    expect(syllables("día")).toBe(2);
    expect(syllables("CURP")).toBe(1);
  });

  it("scores plain text higher than administrative text", () => {
    const plain = readability(
      "Pide tu pasaporte en línea. Paga el derecho en el banco. Lleva tu acta y tu INE a la cita. Te lo dan el mismo día.",
    );
    const dense = readability(
      "De conformidad con las disposiciones administrativas aplicables, el solicitante deberá acreditar fehacientemente su identidad mediante la presentación de documentación oficial vigente, previo a la emisión del documento correspondiente, en términos de la normatividad.",
    );
    expect(plain.score).not.toBeNull();
    expect(dense.score).not.toBeNull();
    expect(plain.score!).toBeGreaterThan(70);
    expect(dense.score!).toBeLessThan(40);
    expect(dense.jargon.map((j) => j.phrase)).toEqual(
      expect.arrayContaining(["de conformidad con", "en términos de", "previo a", "solicitante", "mediante"]),
    );
    expect(plain.jargon).toEqual([]);
  });

  it("flags sentences longer than 30 words and does not judge very short texts", () => {
    const long = Array.from({ length: 35 }, () => "palabra").join(" ") + ".";
    expect(readability(long).longSentences).toHaveLength(1);
    expect(readability("Muy corto.").score).toBeNull();
    expect(readability("").words).toBe(0);
  });
});
