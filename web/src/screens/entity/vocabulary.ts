// Schema, property, event type and country names in the user's language (the "model" catalogue and Intl), each
// falling back to the name as the data gives it.
import { useTranslation } from "react-i18next";

export interface Vocabulary {
  schema(name: string): string;
  property(name: string): string;
  eventType(type: string): string;
  /** A link's label: a property or schema name when it is one, else as given. */
  link(label: string): string;
  /** A country code with the country's name, e.g. "México (MX)". */
  country(code: string): string;
}

export function useVocabulary(): Vocabulary {
  const { t, i18n } = useTranslation("model");
  const known = (key: string) => i18n.exists(`model:${key}`);
  const regions = new Intl.DisplayNames([i18n.language], { type: "region", fallback: "none" });
  return {
    schema: (name) => t(`schema.${name}`, { defaultValue: name }),
    property: (name) => t(`property.${name}`, { defaultValue: name }),
    eventType: (type) => t(`eventType.${type}`, { defaultValue: type }),
    link: (label) =>
      known(`property.${label}`) ? t(`property.${label}`) : known(`schema.${label}`) ? t(`schema.${label}`) : label,
    country(code) {
      try {
        const name = regions.of(code.toUpperCase());
        return name ? `${name} (${code})` : code;
      } catch {
        // Not a well-formed region code: shown as recorded.
        return code;
      }
    },
  };
}
