/** Accessibility of every page type in Spanish (see accessibility.ts). */
import { accessibilitySuite } from "./accessibility.js";

accessibilitySuite("es");
