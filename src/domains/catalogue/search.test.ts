import { describe, expect, it } from "vitest";
import { normalize, parseQuery, prepareSynonyms, toWebsearch, tokenize } from "./search.js";

describe("query parsing", () => {
  it("normalises accents, case and control characters", () => {
    expect(normalize("Trámite ÑANDÚ\u0000x")).toBe("tramite nandu x");
  });

  it("keeps only words, so operators and markup cannot reach the query", () => {
    expect(tokenize(`"a' | b & !c:* <script>`)).toEqual(["a", "b", "c", "script"]);
    expect(tokenize("😀😀")).toEqual([]);
    expect(tokenize("x ".repeat(100))).toHaveLength(24);
  });

  it("adds synonyms of phrases found in the query", () => {
    const syn = prepareSynonyms([
      ["INE", "credencial para votar"],
      ["licencia de manejo", "licencia de conducir"],
    ]);
    const q = parseQuery("renovar credencial para votar", syn);
    expect(q.alternatives).toEqual([["ine"]]);
    expect(parseQuery("licencia de manejo", syn).alternatives).toEqual([["licencia", "de", "conducir"]]);
    expect(parseQuery("licencia", syn).alternatives).toEqual([]);
  });

  it("writes an OR query with phrases quoted", () => {
    expect(toWebsearch(["ine"], [["credencial", "para", "votar"]])).toBe('ine or "credencial para votar"');
  });
});
