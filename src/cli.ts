/**
 * Operator commands: `npm run cli -- <command>`.
 *   import <file.json|file.csv> [--partial]   validate and import a catalogue file
 *   token create --name NAME [--institution SIGLAS] [--scope catalogue:write] ...
 *   token revoke <id>
 *   oidc client create --name NAME --redirect-uri URI [--redirect-uri URI ...]
 *                                             register an institution's system for "Sign in with Ventanilla"
 *   oidc keys rotate                          new OpenID Connect signing key (old ones stay published a while)
 *   staff create --email EMAIL --given-names N --surnames S [--institution SIGLAS --role ROLE] [--admin]
 *                                             a staff account; prints the one-time link to choose a password
 *                                             (--admin: platform admin, who handles ARCO requests and OIDC clients)
 *   demo                                      load the demo catalogue (again)
 *   closed-day add YYYY-MM-DD --reason TEXT [--institution SIGLAS]
 *                                             a closure published in the DOF: legal deadlines skip it
 *   closed-day list
 */
import { readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import pino from "pino";
import { ConfigError, loadConfig } from "./config.js";
import { registerOidcClientAsOperator, rotateSigningKeys } from "./domains/accounts/oidc.js";
import { ROLES, type Role } from "./domains/accounts/sessions.js";
import { createStaffAccount } from "./domains/accounts/staff.js";
import { createApiToken, revokeApiToken } from "./domains/accounts/tokens.js";
import { addClosedDay, listClosedDays } from "./domains/cases/calendar.js";
import { importCatalogue, recordsFromJson, type ImportReport } from "./domains/catalogue/catalogue.js";
import { recordsFromCsv } from "./domains/catalogue/csv.js";
import { loadDemoCatalogue } from "./domains/catalogue/demo.js";
import { makeCtx, type Ctx } from "./platform/context.js";
import { openDatabase } from "./platform/db/index.js";
import { DomainError } from "./platform/errors.js";
import { prepareDatabase } from "./prepare.js";

const MAX_FILE = 200 * 1024 * 1024;

function printReport(report: ImportReport): void {
  const out = process.stdout;
  for (const e of report.errors) {
    out.write(`  ${e.line ? `line ${e.line}, ` : ""}record ${e.record}: ${e.field}: ${e.message}\n`);
  }
  if (report.written) {
    out.write(
      `Imported: ${report.institutions.created} institutions created, ${report.institutions.updated} updated; ` +
        `${report.lifeEvents} life events; ${report.procedures.created} procedures created, ${report.procedures.updated} updated.\n`,
    );
    if (report.invalidRecords) out.write(`${report.invalidRecords} invalid records were left out (listed above).\n`);
  } else {
    out.write(
      `Nothing was written: ${report.invalidRecords} records are invalid (listed above). Use --partial to import the valid ones.\n`,
    );
  }
}

async function importFile(ctx: Ctx, file: string, partial: boolean): Promise<number> {
  const size = statSync(file).size;
  if (size > MAX_FILE) throw new DomainError("too_large", `The file is larger than ${MAX_FILE / 1024 / 1024} MB.`);
  const content = readFileSync(file);
  let input;
  if (/\.csv$/i.test(file)) input = { procedures: recordsFromCsv(content) };
  else {
    let doc: unknown;
    try {
      doc = JSON.parse(content.toString("utf8"));
    } catch (err) {
      throw new DomainError("invalid", `The file is not valid JSON: ${(err as Error).message}`);
    }
    input = recordsFromJson(doc);
  }
  const report = await importCatalogue(ctx, { ...input, partial });
  printReport(report);
  return report.written ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      partial: { type: "boolean", default: false },
      name: { type: "string" },
      institution: { type: "string" },
      scope: { type: "string", multiple: true },
      "redirect-uri": { type: "string", multiple: true },
      email: { type: "string" },
      "given-names": { type: "string" },
      surnames: { type: "string" },
      role: { type: "string" },
      admin: { type: "boolean", default: false },
      reason: { type: "string" },
    },
  });
  const [command, sub] = positionals;
  if (!command || command === "help") {
    process.stdout.write(
      readFileSync(new URL(import.meta.url))
        .toString()
        .split("*/")[0]!
        .replace(/^\/\*\*?|^ \* ?/gm, "") + "\n",
    );
    return command ? 0 : 64;
  }
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" });
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
  const ctx = makeCtx(config, database.db, pino({ level: config.LOG_LEVEL }));
  try {
    await prepareDatabase(ctx);
    switch (command) {
      case "import":
        if (!sub) throw new DomainError("invalid", "Say which file to import: npm run cli -- import <file>");
        return await importFile(ctx, sub, values.partial ?? false);
      case "demo":
        printReport(await loadDemoCatalogue(ctx));
        return 0;
      case "token":
        if (sub === "create") {
          if (!values.name) throw new DomainError("invalid", "Give the token a --name.");
          const t = await createApiToken(ctx, {
            name: values.name,
            institution: values.institution,
            scopes: values.scope ?? ["catalogue:write"],
          });
          process.stdout.write(`Token ${t.id} (shown once, keep it safe):\n${t.token}\n`);
          return 0;
        }
        if (sub === "revoke") {
          const id = Number(positionals[2]);
          if (!Number.isInteger(id) || id < 1) throw new DomainError("invalid", "Say which token id to revoke.");
          await revokeApiToken(ctx, id);
          process.stdout.write(`Token ${id} revoked.\n`);
          return 0;
        }
        throw new DomainError(
          "invalid",
          "Use: token create --name NAME [--institution SIGLAS] [--scope S] | token revoke ID",
        );
      case "oidc":
        if (sub === "client" && positionals[2] === "create") {
          if (!values.name) throw new DomainError("invalid", "Give the application a --name.");
          const c = await registerOidcClientAsOperator(ctx, {
            name: values.name,
            redirectUris: values["redirect-uri"] ?? [],
          }).catch((err: unknown) => {
            // One line per problem (name, redirect URIs), not only the summary.
            if (err instanceof DomainError && err.details.length > 1) {
              throw new DomainError(err.code, err.details.map((d) => d.message).join("\n"));
            }
            throw err;
          });
          process.stdout.write(
            `Client "${c.name}" registered. Redirect URIs: ${c.redirectUris.join(", ")}\n` +
              `client_id:     ${c.clientId}\n` +
              `client_secret: ${c.clientSecret}\n` +
              "The secret is shown once: give it to the institution through a safe channel.\n" +
              `Discovery: ${ctx.config.PUBLIC_URL}/oidc/.well-known/openid-configuration\n`,
          );
          return 0;
        }
        if (sub === "keys" && positionals[2] === "rotate") {
          const r = await rotateSigningKeys(ctx);
          process.stdout.write(
            `New signing key ${r.kid} signs from now on. Published: ${r.published.join(", ")}.` +
              (r.retired.length ? ` Retired: ${r.retired.join(", ")}.` : "") +
              "\n",
          );
          return 0;
        }
        throw new DomainError(
          "invalid",
          "Use: oidc client create --name NAME --redirect-uri URI [--redirect-uri URI ...] | oidc keys rotate",
        );
      case "staff": {
        if (sub !== "create" || !values.email || !values["given-names"] || !values.surnames) {
          throw new DomainError(
            "invalid",
            "Use: staff create --email EMAIL --given-names N --surnames S [--institution SIGLAS --role ROLE] [--admin]",
          );
        }
        if (!!values.institution !== !!values.role) {
          throw new DomainError("invalid", "Give --institution and --role together.");
        }
        if (values.role && !(ROLES as readonly string[]).includes(values.role)) {
          throw new DomainError("invalid", `--role must be one of: ${ROLES.join(", ")}`);
        }
        const r = await createStaffAccount(ctx, {
          email: values.email,
          givenNames: values["given-names"],
          surnames: values.surnames,
          platformAdmin: values.admin ?? false,
          roles: values.institution ? [{ institution: values.institution, role: values.role as Role }] : [],
        });
        process.stdout.write(
          `Staff account ${r.userId} created. Send this one-time link to choose a password (valid 72 hours):
` +
            `${r.invitationUrl}
(It was also queued as an email.) They add an authenticator app at first sign-in.
`,
        );
        return 0;
      }
      case "closed-day": {
        if (sub === "add" && positionals[2]) {
          const added = await addClosedDay(ctx, {
            day: positionals[2],
            reason: values.reason ?? "",
            institution: values.institution,
          });
          process.stdout.write(
            added ? `Closed day ${positionals[2]} added.\n` : `${positionals[2]} was already closed.\n`,
          );
          return 0;
        }
        if (sub === "list") {
          for (const d of await listClosedDays(ctx))
            process.stdout.write(`${d.day}\t${d.institution ?? "(todas)"}\t${d.reason}\n`);
          return 0;
        }
        throw new DomainError(
          "invalid",
          "Use: closed-day add YYYY-MM-DD --reason TEXT [--institution SIGLAS] | closed-day list",
        );
      }
      default:
        throw new DomainError("invalid", `Unknown command "${command}". Run: npm run cli -- help`);
    }
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof DomainError || err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else if ((err as NodeJS.ErrnoException).code === "ENOENT")
      process.stderr.write(`No such file: ${(err as NodeJS.ErrnoException).path}\n`);
    else if ((err as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION")
      process.stderr.write(`${(err as Error).message}\n`);
    else process.stderr.write(`Failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
