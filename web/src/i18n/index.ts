// i18next set up with every catalogue under ./messages (one namespace per file, named after it), the language
// chosen by the user (kept in localStorage) or else the browser's, and <html lang> kept in step.
import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { type Catalogue, LANGUAGES, type Language } from "./catalogue.ts";

const modules = import.meta.glob<{ default: Catalogue<Record<string, string>> }>("./messages/*.ts", { eager: true });

const resources: Record<Language, Record<string, Record<string, string>>> = { en: {}, es: {}, fr: {} };
for (const [path, module] of Object.entries(modules)) {
  const namespace = path.replace(/^.*\/(.+)\.ts$/u, "$1");
  for (const language of LANGUAGES) resources[language][namespace] = module.default[language];
}

const STORAGE_KEY = "puente.language";

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored as Language;
  const browser = navigator.language.slice(0, 2);
  return (LANGUAGES as readonly string[]).includes(browser) ? (browser as Language) : "en";
}

export async function setUpI18n(): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources,
    lng: initialLanguage(),
    fallbackLng: false,
    defaultNS: "common",
    ns: Object.keys(resources.en),
    // React escapes what it renders; i18next must not escape it a second time.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = i18next.language;
  i18next.on("languageChanged", (language) => {
    document.documentElement.lang = language;
    localStorage.setItem(STORAGE_KEY, language);
  });
}

export { LANGUAGES, type Language };
