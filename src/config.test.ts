import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("configuration", () => {
  it("has working defaults", () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATA_DIR).toBe("./data");
    expect(c.DATABASE_URL).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it("reads PORT, DATA_DIR and DATABASE_URL", () => {
    const c = loadConfig({ PORT: "8080", DATA_DIR: "/tmp/v", DATABASE_URL: "postgres://u@h:5432/db" });
    expect(c).toMatchObject({ PORT: 8080, dataDir: "/tmp/v", DATABASE_URL: "postgres://u@h:5432/db" });
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://x"],
    ["LOG_LEVEL", "loud"],
    ["PUBLIC_URL", "example.com/"],
    ["TRUST_PROXY", "maybe"],
  ])("stops on a bad %s naming the variable", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=`));
  });
});
