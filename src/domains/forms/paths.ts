/** The form builder's URLs in the back office, in Spanish and in English. */
import type { Lang } from "../../platform/views/i18n.js";
import { registerBackOfficeSegments } from "../catalogue/paths.js";

export function formOfficePaths(lang: Lang) {
  const en = lang === "en";
  const list = en ? "/en/manage/forms" : "/gestion/formularios";
  const form = (h: string) => `${list}/${h}`;
  const draft = (h: string) => `${form(h)}/${en ? "draft" : "borrador"}`;
  const page = (h: string, pageId: string) => `${draft(h)}/${en ? "pages" : "paginas"}/${pageId}`;
  const previewStart = (h: string) => `${form(h)}/${en ? "preview" : "vista-previa"}`;
  return {
    /** The institution's published procedures with their forms (`?institucion=` picks one). */
    list,
    /** One procedure's form: live and draft versions, history, actions. */
    form,
    /** The draft's pages, in order, with the actions on them. */
    draft,
    addPage: (h: string) => `${draft(h)}/${en ? "add-page" : "agregar-pagina"}`,
    page,
    /** The preview's first page (of the draft, or of `?version=`). */
    previewStart,
    preview: (h: string, pageId: string) => `${previewStart(h)}/${pageId}`,
    exportJson: (h: string) => `${form(h)}/${en ? "export" : "exportar"}.json`,
    importJson: (h: string) => `${form(h)}/${en ? "import" : "importar"}`,
    publish: (h: string) => `${form(h)}/${en ? "publish" : "publicar"}`,
    discard: (h: string) => `${form(h)}/${en ? "discard" : "descartar"}`,
  };
}

// "importar"/"import" is the catalogue's already; "nueva"/"revision" are avoided (taken by others).
registerBackOfficeSegments([
  ["formularios", "forms"],
  ["borrador", "draft"],
  ["agregar-pagina", "add-page"],
  ["paginas", "pages"],
  ["vista-previa", "preview"],
  ["exportar.json", "export.json"],
  ["publicar", "publish"],
  ["descartar", "discard"],
]);
