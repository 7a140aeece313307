/**
 * Converts the real municipal catalogue of Juárez, Nuevo León (seed/sources/juarez-nl-tramites.csv,
 * from the "Soy Juarense" app) into Ventanilla's import format:
 *   npx tsx scripts/convert-juarez.ts > seed/catalogue/procedures/MUN-JUAREZ-NL.json
 * In the source, `~~` stands for a comma and `||` separates list items. Municipal keys such as
 * `SAMJ/01` become `SAMJ-01` (a slash cannot sit in a URL path segment). The modality is kept in the
 * description only: the source has no addresses or online addresses.
 */
import { parse } from "csv-parse/sync";
import { readFileSync } from "node:fs";

const rows = parse(readFileSync("seed/sources/juarez-nl-tramites.csv"), { columns: true, bom: true }) as Record<
  string,
  string
>[];
const clean = (s = "") => s.replaceAll("~~", ",").replace(/\s+/g, " ").trim();
const items = (s = "") => s.split("||").map(clean).filter(Boolean);
const ACRONYM = "MUN-JUAREZ-NL";

const seen = new Map<string, number>();
const procedures = rows.map((r) => {
  const key = clean(r.homoclave)
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "-");
  // The source repeats a few keys; later ones get a letter, as the national catalogue does (-A, -B).
  const n = (seen.get(key) ?? 0) + 1;
  seen.set(key, n);
  const name = clean(r.nombre).replace(/\.$/, "");
  const cost = clean(r.costo);
  const days = /(\d+)\s*(?:-\s*(\d+))?\s*días hábiles/.exec(clean(r.tardanza));
  const online = /línea/i.test(r.modalidad ?? "");
  const copies = Number(/(\d+)\s*copia/.exec(r.copias ?? "")?.[1] ?? 0);
  const basis = clean(r.fundamento);
  const article = /^(Art[íi]culos?\s+[^,]*?)(?: del | de la | de los |,)/i.exec(basis)?.[1];
  return {
    homoclave: n === 1 ? key : `${key}-${String.fromCharCode(64 + n)}`,
    institution: ACRONYM,
    kind: /apoyo|asesor|atenci|curso|beca|programa|servicio/i.test(name) ? "servicio" : "tramite",
    status: "published",
    audience: /persona moral/i.test(r.quien ?? "") ? ["persona_fisica", "persona_moral"] : ["persona_fisica"],
    officialName: { es: name },
    citizenName: { es: name },
    description: { es: clean(r.descripcion) || name },
    ...(clean(r.cuando) ? { whenApplies: { es: clean(r.cuando) } } : {}),
    ...(clean(r.resultado) ? { result: { es: clean(r.resultado) } } : {}),
    requirements: items(r.requisitos).map((req) => ({ name: { es: req }, original: true, copies, uploadable: online })),
    steps: items(r.proceso).map((s) => ({ es: s.replace(/^Paso \d+:\s*/i, "") })),
    cost: /^gratuit/i.test(cost)
      ? { type: "free" }
      : { type: "formula", description: { es: cost || "Monto asignado por la dirección de ingresos." } },
    maxResolutionDays: days ? Number(days[2] ?? days[1]) : null,
    silenceRule: "none",
    ...(clean(r.vigencia) ? { validity: { es: clean(r.vigencia) } } : {}),
    // The source names the modality but gives no address, phone or online address: none is invented here.
    channels: {},
    legalBasis: [
      { law: basis || "Reglamento Orgánico del Gobierno Municipal de Juárez, N.L.", article: article ?? "—" },
    ],
    lifeEvents: [],
    keywords: { es: [clean(r.dependencia), clean(r.secretaria), "juárez", "nuevo león", "municipio"].filter(Boolean) },
    lastReviewed: "2024-01-15",
    demo: true,
  };
});

process.stdout.write(
  JSON.stringify(
    {
      format: "ventanilla-catalogue/1",
      institutions: [
        {
          acronym: ACRONYM,
          name: { es: "Municipio de Juárez, Nuevo León", en: "Municipality of Juárez, Nuevo León" },
          kind: "municipal_government",
          sector: "Gobierno municipal",
          jurisdiction: { level: "municipal", municipalityCode: "19031" },
          website: "https://juarez-nl.gob.mx",
          demo: true,
        },
      ],
      procedures,
    },
    null,
    1,
  ) + "\n",
);
