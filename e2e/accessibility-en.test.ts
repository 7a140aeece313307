/** Accessibility of every page type in English (see accessibility.ts). */
import { accessibilitySuite } from "./accessibility.js";

accessibilitySuite("en");
