/** Validation of RDF output with the official CPSV-AP 3.2.0 SHACL shapes (a copy of the artefact in test/standards). */
import { readFileSync } from "node:fs";
import { Parser, Store, Writer, type Quad } from "n3";
import SHACLValidator from "rdf-validate-shacl";

const shapes = new Store(
  new Parser().parse(readFileSync(new URL("./standards/cpsv-ap-3.2.0/cpsv-ap-SHACL.ttl", import.meta.url), "utf8")),
);

/** Validates against the official shapes; each violation as one readable line. */
export async function validate(quads: Quad[]): Promise<{ conforms: boolean; violations: string[] }> {
  const report = await new SHACLValidator(shapes).validate(new Store(quads));
  const violations = report.results.map(
    (r) =>
      `${r.focusNode?.value} ${r.path?.value ?? "(node)"}: ${r.message.map((m) => m.value).join("; ")} ` +
      `[${r.sourceConstraintComponent?.value.replace("http://www.w3.org/ns/shacl#", "sh:")}]`,
  );
  return { conforms: report.conforms, violations };
}

/** Quads as sorted N-Triples lines: a comparison that ignores order. */
export function lines(quads: Quad[]): string[] {
  return new Writer({ format: "N-Triples" }).quadsToString(quads).trim().split("\n").sort();
}

/** `jsonld` ships no types; this is the one function the test uses. */
type JsonLdProcessor = { toRDF(input: object, options: { format: "application/n-quads" }): Promise<string> };
export async function jsonLdToQuads(doc: object): Promise<Quad[]> {
  const specifier = "jsonld";
  const jsonld = ((await import(specifier)) as { default: JsonLdProcessor }).default;
  return new Parser({ format: "N-Quads" }).parse(await jsonld.toRDF(doc, { format: "application/n-quads" }));
}
