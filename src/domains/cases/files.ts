/** The storage of uploaded and issued files, and the INEGI geography that addresses are checked against. */
import type { Config } from "../../config.js";
import type { Ctx } from "../../platform/context.js";
import { openStorage, type Storage } from "../../platform/storage.js";
import { loadGazetteer } from "../geography/geography.js";

const stores = new WeakMap<Config, Storage>();

/** One storage per configuration (local directory under DATA_DIR, or S3-compatible). */
export function storageOf(ctx: Ctx): Storage {
  let s = stores.get(ctx.config);
  if (!s) {
    s = openStorage(ctx.config);
    stores.set(ctx.config, s);
  }
  return s;
}

/** The INEGI gazetteer that addresses are checked against. */
export const geography = loadGazetteer;
