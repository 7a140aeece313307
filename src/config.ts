/**
 * Every setting of Ventanilla, read from environment variables through one schema,
 * checked at boot and frozen. A bad value stops the start with a message that
 * names the variable and what it expects.
 */
import { Type, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { resolve } from "node:path";

const Settings = Type.Object({
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3000, description: "TCP port the web role listens on." }),
  HOST: Type.String({ default: "0.0.0.0", description: "Address the web role binds to." }),
  DATA_DIR: Type.String({
    minLength: 1,
    default: "./data",
    description: "Where the embedded database (PGlite) and uploads live.",
  }),
  DATABASE_URL: Type.Optional(
    Type.String({
      pattern: "^postgres(ql)?://",
      description: "A PostgreSQL server (postgres://user:pass@host:5432/db). Unset: embedded PGlite under DATA_DIR.",
    }),
  ),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 20, description: "Connections per process." }),
  PUBLIC_URL: Type.String({
    pattern: "^https?://[^/]+$",
    default: "http://localhost:3000",
    description: "The public origin of the site, used in exports and sitemaps (no trailing slash).",
  }),
  LOG_LEVEL: Type.Union(
    ["fatal", "error", "warn", "info", "debug", "trace", "silent"].map((l) => Type.Literal(l)),
    { default: "info", description: "pino log level." },
  ),
  SEED_DEMO: Type.Union([Type.Literal("auto"), Type.Literal("never")], {
    default: "auto",
    description: "auto: load the demo catalogue when the database is empty; never: do not.",
  }),
  SEARCH_RATE_LIMIT: Type.Integer({
    minimum: 1,
    maximum: 100000,
    default: 120,
    description: "Searches per minute allowed per client address.",
  }),
  TRUST_PROXY: Type.Boolean({ default: false, description: "Trust X-Forwarded-* headers (behind a load balancer)." }),
  MAIL_URL: Type.Optional(
    Type.String({
      pattern: "^smtps?://",
      description: "SMTP server for outgoing mail (smtp://user:pass@host:587). Unset: mail is written to the log.",
    }),
  ),
  MAIL_FROM: Type.String({
    minLength: 3,
    default: "Ventanilla <no-responder@ventanilla.localhost>",
    description: "The From address of outgoing mail.",
  }),
  JOBS_IN_WEB: Type.Boolean({
    default: true,
    description:
      "Run background jobs in the web process too. Set false when separate `npm run worker` processes run them (PostgreSQL only).",
  }),
  SESSION_IDLE_MINUTES: Type.Integer({
    minimum: 5,
    maximum: 1440,
    default: 30,
    description: "A session ends after this many minutes without a request.",
  }),
  SESSION_MAX_HOURS: Type.Integer({
    minimum: 1,
    maximum: 720,
    default: 12,
    description: "A session ends this many hours after sign-in, however active.",
  }),
  STORAGE_S3_BUCKET: Type.Optional(
    Type.String({
      pattern: "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
      description: "Keep uploads in this S3 (or S3-compatible) bucket. Unset: on local disk under DATA_DIR/uploads.",
    }),
  ),
  STORAGE_S3_ENDPOINT: Type.Optional(
    Type.String({
      pattern: "^https?://[^/]+/?$",
      description: "An S3-compatible server (https://s3.example.com). Unset: Amazon S3 in STORAGE_S3_REGION.",
    }),
  ),
  STORAGE_S3_REGION: Type.String({
    minLength: 1,
    default: "us-east-1",
    description: "The bucket's region; most S3-compatible servers accept the default.",
  }),
  STORAGE_S3_ACCESS_KEY_ID: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "Access key for the bucket, with STORAGE_S3_SECRET_ACCESS_KEY. Unset: the AWS SDK's default credentials (environment, instance role).",
    }),
  ),
  STORAGE_S3_SECRET_ACCESS_KEY: Type.Optional(
    Type.String({ minLength: 1, description: "Secret of STORAGE_S3_ACCESS_KEY_ID." }),
  ),
  STORAGE_S3_FORCE_PATH_STYLE: Type.Boolean({
    default: false,
    description:
      "Address the bucket as ENDPOINT/BUCKET instead of BUCKET.ENDPOINT (MinIO and most S3-compatible servers need true).",
  }),
});
export type Config = Readonly<Static<typeof Settings> & { dataDir: string }>;

export class ConfigError extends Error {}

/** Parses the environment into a frozen Config, or throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(Settings.properties)) {
    const value = env[key];
    if (value === undefined || value === "") continue;
    const type = (schema as { type?: string }).type;
    if (type === "integer") raw[key] = /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    else if (type === "boolean")
      raw[key] = value === "true" || value === "1" ? true : value === "false" || value === "0" ? false : value;
    else raw[key] = value;
  }
  const withDefaults = Value.Default(Settings, raw);
  const problems = [...Value.Errors(Settings, withDefaults)].map((e) => {
    const name = e.path.replace(/^\//, "");
    const schema = (Settings.properties as Record<string, { description?: string }>)[name];
    return `${name}=${JSON.stringify(env[name] ?? "")} is invalid: ${e.message}. ${schema?.description ?? ""}`.trim();
  });
  if (Boolean(env.STORAGE_S3_ACCESS_KEY_ID) !== Boolean(env.STORAGE_S3_SECRET_ACCESS_KEY)) {
    problems.push("STORAGE_S3_ACCESS_KEY_ID and STORAGE_S3_SECRET_ACCESS_KEY go together: set both or neither.");
  }
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
  const settings = withDefaults as Static<typeof Settings>;
  return Object.freeze({ ...settings, dataDir: resolve(settings.DATA_DIR) });
}
