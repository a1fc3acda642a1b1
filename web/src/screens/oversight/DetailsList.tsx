// An audit entry's details (a JSON object) as a definition list of keys and values, nested objects as nested
// lists. Keys are the node's field names as logged (English identifiers, marked as such), values as they were
// recorded; the values of keys that name the data model's own identifiers (a schema, a property) are marked as
// English too. Everything is React text: a value that looks like HTML shows as those characters.
import { useTranslation } from "react-i18next";

/** Keys whose values are identifiers of the data model ("Person", "birthDate"), English as logged. */
const IDENTIFIER_KEYS = new Set(["schema", "property"]);

function isPlain(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value !== "object";
}

export function DetailsList({ value }: { value: unknown }) {
  const { t } = useTranslation("oversight");
  if (typeof value === "boolean") return <>{value ? t("common:yes") : t("common:no")}</>;
  if (value === null || value === undefined || value === "") return <span className="muted">{t("empty")}</span>;
  if (isPlain(value)) return <>{String(value)}</>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">{t("empty")}</span>;
    if (value.every(isPlain)) return <>{value.map((item) => String(item)).join(", ")}</>;
    return (
      <ol className="audit-details-items">
        {value.map((item, index) => (
          // Items of a logged list have no identity beyond their position.
          // biome-ignore lint/suspicious/noArrayIndexKey: positions are stable, the list never changes
          <li key={index}>
            <DetailsList value={item} />
          </li>
        ))}
      </ol>
    );
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return <span className="muted">{t("empty")}</span>;
  return (
    <dl className="audit-details">
      {entries.map(([key, item]) => (
        <div key={key}>
          <dt lang="en">{key}</dt>
          <dd {...(IDENTIFIER_KEYS.has(key) ? { lang: "en" } : {})}>
            <DetailsList value={item} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
