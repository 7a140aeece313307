// Progressive enhancement only: every page works without this file.
import { Button, createAll, ErrorSummary, SkipLink } from "govuk-frontend";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
createAll(Button);
createAll(ErrorSummary);
createAll(SkipLink);

// Search suggestions: fill the search box's native <datalist> from the suggestions API.
for (const input of document.querySelectorAll<HTMLInputElement>("input[data-suggest]")) {
  const list = document.getElementById(input.getAttribute("list") ?? "");
  const endpoint = input.dataset.suggest;
  if (!list || !endpoint) continue;
  let timer: number | undefined;
  let controller: AbortController | undefined;
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2 || q.length > 200) return;
    timer = window.setTimeout(async () => {
      controller?.abort();
      controller = new AbortController();
      try {
        const res = await fetch(`${endpoint}?q=${encodeURIComponent(q)}&lang=${document.documentElement.lang}`, {
          signal: controller.signal,
        });
        if (!res.ok) return;
        const body = (await res.json()) as { suggestions: { name: string }[] };
        list.replaceChildren(
          ...body.suggestions.map((s) => {
            const option = document.createElement("option");
            option.value = s.name;
            return option;
          }),
        );
      } catch {
        // Suggestions are a convenience; the search itself still works.
      }
    }, 150);
  });
}

// "Print this page" buttons.
for (const button of document.querySelectorAll<HTMLButtonElement>("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
