/** Small layout pieces on top of the design system. */
import type { ComponentChildren } from "preact";

/** A wide table that scrolls in its own keyboard-focusable box on narrow screens instead of the page. */
export function ScrollRegion(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="vt-table-wrap" role="region" aria-label={props.label} tabIndex={0}>
      {props.children}
    </div>
  );
}
