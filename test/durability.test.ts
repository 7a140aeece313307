/**
 * Nothing acknowledged is lost: a real server process on the embedded database takes an
 * import, answers 200, is killed with SIGKILL (no chance to flush or close), and the
 * next process finds the data. Also: a bad setting stops the start with a clear message.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { institution, procedure } from "./factories.js";

const root = new URL("..", import.meta.url).pathname;
// Node itself with tsx as a loader: one process, so a signal reaches the server and not a wrapper.
const node = process.execPath;
const tsx = ["--import", "tsx"];
const dataDir = mkdtempSync(join(tmpdir(), "ventanilla-durability-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const env = (port: number) => {
  const e: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    SEED_DEMO: "never",
    LOG_LEVEL: "warn",
  };
  delete e.DATABASE_URL;
  return e;
};

async function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(node, [...tsx, "src/main.ts", "web"], { cwd: root, env: env(port), stdio: "ignore" });
  children.push(child);
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("server did not start");
}

describe("durability (embedded database)", () => {
  it("keeps an acknowledged import after the process is killed", async () => {
    const created = spawnSync(node, [...tsx, "src/cli.ts", "token", "create", "--name", "durability"], {
      cwd: root,
      env: env(3999),
      encoding: "utf8",
    });
    expect(created.status, created.stderr).toBe(0);
    const token = created.stdout.trim().split("\n").at(-1)!;

    const port = await freePort();
    const server = await startServer(port);
    const inst = institution();
    const p = procedure(inst.acronym, { lifeEvents: [] });
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/imports`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ format: "ventanilla-catalogue/1", institutions: [inst], procedures: [p] }),
    });
    expect(res.status).toBe(200);
    server.kill("SIGKILL");
    await new Promise((r) => server.once("exit", r));

    const port2 = await freePort();
    const again = await startServer(port2);
    const found = await fetch(`http://127.0.0.1:${port2}/api/v1/procedures/${p.homoclave}`);
    expect(found.status).toBe(200);
    expect(((await found.json()) as { data: { institution: string } }).data.institution).toBe(inst.acronym);
    // A graceful stop: finishes what is in flight, closes the database, exits 0.
    const exited = new Promise<number | null>((r) => again.once("exit", (code) => r(code)));
    again.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 180_000);

  it("stops at start on a bad setting, naming it", () => {
    const r = spawnSync(node, [...tsx, "src/main.ts", "web"], {
      cwd: root,
      env: { ...env(3999), PORT: "muchos" },
      encoding: "utf8",
    });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain('PORT="muchos" is invalid');
  });
});
