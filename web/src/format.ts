// Dates, times and numbers in the user's language, through Intl. Values from the API are ISO 8601 strings;
// a partial date ("1985" or "1985-03") is shown as far as it goes.
import { useTranslation } from "react-i18next";

export interface Formatters {
  date(iso: string | undefined | null): string;
  dateTime(iso: string | undefined | null): string;
  number(value: number, digits?: number): string;
  /** A duration in milliseconds, e.g. "2 h 5 min" / "-30 min" when overdue. */
  duration(ms: number): string;
}

export function formatters(locale: string): Formatters {
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const monthFormat = new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  return {
    date(iso) {
      if (!iso) return "";
      if (/^\d{4}$/u.test(iso)) return iso;
      if (/^\d{4}-\d{2}$/u.test(iso)) return monthFormat.format(new Date(`${iso}-01T00:00:00Z`));
      const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
      return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
    },
    dateTime(iso) {
      if (!iso) return "";
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
    },
    number(value, digits = 0) {
      return new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(
        value,
      );
    },
    duration(ms) {
      const sign = ms < 0 ? "-" : "";
      const minutes = Math.floor(Math.abs(ms) / 60_000);
      const hours = Math.floor(minutes / 60);
      const days = Math.floor(hours / 24);
      const unit = (value: number, name: "day" | "hour" | "minute") =>
        new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "narrow" }).format(value);
      if (days > 0) return `${sign}${unit(days, "day")} ${unit(hours % 24, "hour")}`;
      if (hours > 0) return `${sign}${unit(hours, "hour")} ${unit(minutes % 60, "minute")}`;
      return `${sign}${unit(minutes, "minute")}`;
    },
  };
}

/** The formatters for the current language; they change when the user switches language. */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  return formatters(i18n.language);
}
