/** The accounts' public URLs, in Spanish and in English. */
import { registerLanguagePairs } from "../../platform/views/alternate.js";
import type { Lang } from "../../platform/views/i18n.js";

export function accountPaths(lang: Lang) {
  const base = lang === "en" ? "/en/account" : "/cuenta";
  const en = lang === "en";
  return {
    account: base,
    signUp: `${base}/${en ? "sign-up" : "registro"}`,
    signUpDone: `${base}/${en ? "check-your-email" : "revisa-tu-correo"}`,
    verify: `${base}/${en ? "verify" : "verificar"}`,
    signIn: `${base}/${en ? "sign-in" : "entrar"}`,
    secondFactor: `${base}/${en ? "second-factor" : "segundo-factor"}`,
    signOut: `${base}/${en ? "sign-out" : "salir"}`,
    signOutEverywhere: `${base}/${en ? "sign-out-everywhere" : "salir-de-todo"}`,
    recover: `${base}/${en ? "recover" : "recuperar"}`,
    reset: `${base}/${en ? "new-password" : "nueva-contrasena"}`,
    sessions: `${base}/${en ? "sessions" : "sesiones"}`,
    history: `${base}/${en ? "history" : "historial"}`,
    myData: `${base}/${en ? "my-data" : "mis-datos"}`,
    myDataJson: `${base}/${en ? "my-data" : "mis-datos"}.json`,
    correct: `${base}/${en ? "my-data/correct" : "mis-datos/corregir"}`,
    arco: `${base}/${en ? "my-data/request" : "mis-datos/solicitud"}`,
    totpSetup: `${base}/${en ? "authenticator" : "autenticador"}`,
    resendVerification: `${base}/${en ? "resend-verification" : "reenviar-verificacion"}`,
  };
}

registerLanguagePairs(
  (Object.keys(accountPaths("es")) as (keyof ReturnType<typeof accountPaths>)[]).map((k) => [
    accountPaths("es")[k],
    accountPaths("en")[k],
  ]),
);
