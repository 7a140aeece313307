/** Server-side rendering of JSX (Preact) to an HTML string. Text is escaped by default. */
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";

export function renderPage(node: VNode): string {
  return `<!DOCTYPE html>${renderToString(node)}`;
}

/** JSON for a <script type="application/ld+json"> block, safe against "</script>" in the data. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}
