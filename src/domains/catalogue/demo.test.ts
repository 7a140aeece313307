/** The demo catalogue that `npm start` loads: complete, valid and searchable. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestCtx, type TestDb } from "../../../test/db.js";
import type { Ctx } from "../../platform/context.js";
import * as catalogue from "./catalogue.js";
import { demoFiles } from "./demo.js";

let db: TestDb;
let ctx: Ctx;
beforeAll(async () => {
  ({ db, ctx } = await openTestCtx());
});
afterAll(() => db.drop());

describe("demo catalogue", () => {
  it("loads every seed record (an invalid one would have stopped the whole load)", async () => {
    const institutions = await catalogue.listInstitutions(ctx);
    const withProcedures = institutions.filter((i) => i.procedureCount > 0);
    expect(await catalogue.countProcedures(ctx)).toBeGreaterThanOrEqual(300);
    expect(withProcedures.length).toBeGreaterThanOrEqual(25);
    expect(institutions.filter((i) => i.kind === "state_government")).toHaveLength(32);
    expect(demoFiles().length).toBeGreaterThan(25);
  });

  it("marks demo content as demo", async () => {
    const [first] = await catalogue.mostUsedProcedures(ctx, 1);
    const p = await catalogue.getPublishedProcedure(ctx, first!.homoclave);
    expect(p.record.demo).toBe(true);
  });

  it("groups procedures of several institutions under life events", async () => {
    const events = await catalogue.listLifeEvents(ctx);
    expect(events.length).toBeGreaterThanOrEqual(20);
    const viajar = await catalogue.proceduresOfLifeEvent(ctx, "viajar-al-extranjero");
    expect(new Set(viajar.map((p) => p.institutionAcronym)).size).toBeGreaterThanOrEqual(2);
  });
});
