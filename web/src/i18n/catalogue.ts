// How a catalogue of messages is declared: English first, Spanish and French typed against it, so that a
// missing or extra key is a type error, and a test (catalogues.test.ts) checks the texts themselves.

/** Every key of the English messages, each with a string. */
export type Messages<English> = { [Key in keyof English]: string };

export interface Catalogue<English extends Record<string, string>> {
  en: English;
  es: Messages<English>;
  fr: Messages<English>;
}

export const LANGUAGES = ["en", "es", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Declares one namespace's messages; the types do the completeness check. */
export function catalogue<English extends Record<string, string>>(messages: Catalogue<English>): Catalogue<English> {
  return messages;
}
