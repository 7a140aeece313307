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

  it("adds synonyms of phrases found in the query, by word or by stem", () => {
    const syn = prepareSynonyms([
      { terms: ["INE", "credencial para votar"], stems: ["ine", "credencial para vot"] },
      { terms: ["licencia de manejo", "licencia de conducir"], stems: ["licenci de manej", "licenci de conduc"] },
      { terms: ["pensión", "jubilación"], stems: ["pension", "jubilacion"] },
    ]);
    expect(parseQuery(tokenize("renovar credencial para votar"), [], syn).alternatives).toEqual([["ine"]]);
    expect(parseQuery(tokenize("licencia de manejo"), [], syn).alternatives).toEqual([["licencia", "de", "conducir"]]);
    expect(parseQuery(tokenize("licencia"), ["licenci"], syn).alternatives).toEqual([]);
    // "jubilarme" is not in the list, but its stem begins one that is.
    expect(parseQuery(["quiero", "jubilarme"], ["quier", "jubil"], syn).alternatives).toEqual([["pension"]]);
  });

  it("writes an OR query with phrases quoted", () => {
    expect(toWebsearch(["ine"], [["credencial", "para", "votar"]])).toBe('ine or "credencial para votar"');
  });
});
