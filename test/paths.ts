/** Where the test suite keeps its scratch files and how it names its databases. */
import { join } from "node:path";

export const TMP_DIR = join(new URL("..", import.meta.url).pathname, ".tmp");

export const templateName = () => `vt_template_${process.pid}`;

/** The same server, database `postgres`, for CREATE/DROP DATABASE. */
export function adminUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = "/postgres";
  return url.toString();
}
