import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ctx } from "../../platform/context.js";
import { openTestCtx, type TestDb } from "../../../test/db.js";
import { liveProcedure } from "../../../test/cases.js";
import { addClosedDay, listClosedDays } from "./calendar.js";
import * as q from "./queries.js";

let db: TestDb;
let ctx: Ctx;
beforeAll(async () => {
  ({ db, ctx } = await openTestCtx());
});
afterAll(async () => db?.drop());

describe("published closures", () => {
  it("adds closures for everyone or one institution, once, and refuses bad input", async () => {
    const { institution } = await liveProcedure(ctx);
    expect(await addClosedDay(ctx, { day: "2027-03-25", reason: "Jueves santo" })).toBe(true);
    expect(await addClosedDay(ctx, { day: "2027-03-25", reason: "Jueves santo" })).toBe(false);
    expect(await addClosedDay(ctx, { day: "2027-03-26", reason: "Viernes santo", institution })).toBe(true);
    await expect(addClosedDay(ctx, { day: "2027-02-30", reason: "x" })).rejects.toMatchObject({ code: "invalid" });
    await expect(addClosedDay(ctx, { day: "mañana", reason: "x" })).rejects.toMatchObject({ code: "invalid" });
    await expect(addClosedDay(ctx, { day: "2027-04-01", reason: " " })).rejects.toMatchObject({ code: "invalid" });
    await expect(addClosedDay(ctx, { day: "2027-04-02", reason: "x", institution: "NOEXISTE" })).rejects.toMatchObject({
      code: "not_found",
    });
    expect((await listClosedDays(ctx)).map((d) => d.day)).toEqual(expect.arrayContaining(["2027-03-25", "2027-03-26"]));
    const other = await liveProcedure(ctx);
    const id = async (acronym: string) =>
      Number(
        (await ctx.db.selectFrom("institutions").select("id").where("acronym", "=", acronym).executeTakeFirst())!.id,
      );
    const mine = await q.closedDays(ctx.db, await id(institution));
    const theirs = await q.closedDays(ctx.db, await id(other.institution));
    expect(mine.has("2027-03-26")).toBe(true);
    expect(theirs.has("2027-03-26")).toBe(false);
    expect(theirs.has("2027-03-25")).toBe(true);
  });
});
