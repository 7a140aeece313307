import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.js";

describe("passwords", () => {
  it("hashes with argon2id and verifies", async () => {
    const h = await hashPassword("caballo bateria grapa correcta");
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(h, "caballo bateria grapa correcta")).toBe(true);
    expect(await verifyPassword(h, "caballo bateria grapa correctA")).toBe(false);
    expect(await verifyPassword("not a hash", "x")).toBe(false);
    expect(await verifyPassword(h, "x".repeat(10_000))).toBe(false);
  });

  it("refuses short, leaked and guessable passwords with a reason", () => {
    expect(passwordProblem("corta")?.es).toMatch(/al menos 10/);
    expect(passwordProblem("password123")?.es).toMatch(/filtradas/);
    expect(passwordProblem("1234567890")?.en).toMatch(/leaked/);
    expect(passwordProblem("qwertyuiop")?.en).toMatch(/leaked|guess/);
    expect(passwordProblem("a".repeat(200))?.es).toMatch(/como máximo/);
  });

  it("refuses a password made of the person's own details", () => {
    expect(passwordProblem("mariagonzalez1990", ["maria", "gonzalez", "maria.gonzalez@example.mx"])).not.toBeNull();
  });

  it("accepts a long passphrase", () => {
    expect(passwordProblem("nopal tranvía sombrero lluvia")).toBeNull();
  });
});
