/** Sending server-rendered pages that belong to one person (forms, accounts, back office). */
import type { FastifyReply } from "fastify";
import type { VNode } from "preact";
import type { Lang } from "../views/i18n.js";
import { renderPage } from "../views/render.js";

/** A page for one person: never stored by browsers or proxies. */
export function sendPrivatePage(reply: FastifyReply, page: VNode | string, status = 200) {
  return reply
    .code(status)
    .type("text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .send(typeof page === "string" ? page : renderPage(page));
}

export interface FormPageCommon {
  lang: Lang;
  alternateHref: string;
  csrf: string;
}

/** A private page whose forms carry a fresh CSRF token, in the given language. */
export async function sendFormPage(
  reply: FastifyReply,
  common: { lang: Lang; alternateHref: string },
  page: (common: FormPageCommon) => VNode,
  status = 200,
) {
  return sendPrivatePage(reply, page({ ...common, csrf: await reply.generateCsrf() }), status);
}
