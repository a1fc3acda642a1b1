// Field groups the desk's forms share (point of contact, a target's values, a circle on the map), each with the
// function that reads what was typed into the API's shape from the form's data.
import { useTranslation } from "react-i18next";
import { useSession } from "../../session.tsx";
import { type PointOfContact, TARGET_FIELDS, type TargetInput, type TargetKind } from "./kinds.ts";

const text = (data: FormData, name: string) => String(data.get(name) ?? "").trim();

export function ContactFields() {
  const { t } = useTranslation("desk");
  const session = useSession();
  const name = session.state.status === "signed-in" ? session.state.user.displayName : "";
  return (
    <fieldset>
      <legend>{t("contactLegend")}</legend>
      <div className="row">
        <label>
          {t("field.contactName")}
          <input name="contact.name" required maxLength={200} defaultValue={name} autoComplete="name" />
        </label>
        <label>
          {t("field.contactEmail")}
          <input name="contact.email" type="email" required maxLength={200} autoComplete="email" />
        </label>
        <label>
          {t("field.contactPhone")}
          <input name="contact.phone" type="tel" maxLength={50} autoComplete="tel" />
        </label>
      </div>
    </fieldset>
  );
}

export function contactFrom(data: FormData): PointOfContact {
  const phone = text(data, "contact.phone");
  return { name: text(data, "contact.name"), email: text(data, "contact.email"), ...(phone ? { phone } : {}) };
}

/** One input per field the kind takes; several values in one field are separated by semicolons. */
export function SubjectFields({ kind }: { kind: TargetKind }) {
  const { t } = useTranslation("desk");
  return (
    <fieldset>
      <legend>{t("valuesLegend", { kind: t(`kind.${kind}`) })}</legend>
      <p className="hint">{t("valuesHint")}</p>
      <div className="field-grid">
        {TARGET_FIELDS[kind].map((field) => (
          <label key={field}>
            {t(`field.${field}`)}
            <input name={`value.${field}`} maxLength={2000} type={field === "birthDate" ? "date" : "text"} />
          </label>
        ))}
      </div>
      <label className="country">
        {t("field.subjectCountry")}
        <span className="hint">{t("countryHint")}</span>
        <input name="subject.country" maxLength={2} pattern="[A-Za-z]{2}" size={4} />
      </label>
    </fieldset>
  );
}

export function subjectFrom(data: FormData, kind: TargetKind): TargetInput["subject"] {
  const values: Record<string, string[]> = {};
  for (const field of TARGET_FIELDS[kind]) {
    const list = text(data, `value.${field}`)
      .split(";")
      .map((value) => value.trim())
      .filter(Boolean);
    if (list.length > 0) values[field] = list;
  }
  const country = text(data, "subject.country").toUpperCase();
  return { kind, values, ...(country ? { country } : {}) };
}

/** A point and a radius in metres. */
export function CircleFields() {
  const { t } = useTranslation("desk");
  return (
    <fieldset>
      <legend>{t("areaLegend")}</legend>
      <div className="row">
        <label>
          {t("field.lat")}
          <input name="area.lat" type="number" step="any" min={-90} max={90} required />
        </label>
        <label>
          {t("field.lon")}
          <input name="area.lon" type="number" step="any" min={-180} max={180} required />
        </label>
        <label>
          {t("field.radiusM")}
          <input name="area.radiusM" type="number" step="1" min={0} max={50_000} required />
        </label>
      </div>
    </fieldset>
  );
}

export function circleFrom(data: FormData): { kind: "circle"; lat: number; lon: number; radiusM: number } {
  const [lat, lon, radiusM] = ["area.lat", "area.lon", "area.radiusM"].map((name) => Number(text(data, name)));
  return { kind: "circle", lat: lat as number, lon: lon as number, radiusM: radiusM as number };
}
