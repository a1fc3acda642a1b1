// The timeline tab: the record's crossings, sightings and other events (its own, and for a person or company its
// vehicles') in date order as a table; a strip of marks along a date axis (event types told apart by shape and
// named in a legend, not by colour alone); and, for pattern-of-life work, the crossings (or all events, when there
// are none) counted by day of the week and, when the events carry a time, by hour (UTC).
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Marker, markerClass, markerShape } from "../../components/Marker.tsx";
import { ProblemMessage } from "../../components/ProblemMessage.tsx";
import { type Formatters, useFormat } from "../../format.ts";
import { href } from "../../router.ts";
import { type TimelineEvent, useTimeline } from "./queries.ts";
import { useVocabulary } from "./vocabulary.ts";

const DAY_MS = 86_400_000;
const WIDTH = 800;
const HEIGHT = 96;
const SIDE = 40;
const BASELINE = 56;

/** An event's date as a time: a bare date is midnight UTC, a month its first day, a year its first of January. */
function timeOf(date: string): number {
  if (/^\d{4}$/u.test(date)) return Date.parse(`${date}-01-01T00:00:00Z`);
  if (/^\d{4}-\d{2}$/u.test(date)) return Date.parse(`${date}-01T00:00:00Z`);
  if (/^\d{4}-\d{2}-\d{2}$/u.test(date)) return Date.parse(`${date}T00:00:00Z`);
  return Date.parse(date);
}

const hasTime = (date: string) => date.length > 10;

/** About six axis ticks on whole years, months or days, each with the date text that names it. */
function ticks(start: number, end: number, format: Formatters): Array<{ at: number; text: string }> {
  const first = new Date(start);
  const days = (end - start) / DAY_MS;
  const found: Array<{ at: number; text: string }> = [];
  if (days > 3 * 366) {
    const step = Math.ceil(days / 365.25 / 6);
    for (let year = first.getUTCFullYear() + 1; Date.UTC(year, 0, 1) <= end; year += step)
      found.push({ at: Date.UTC(year, 0, 1), text: format.date(String(year)) });
  } else if (days > 90) {
    const step = Math.ceil(days / 30.4 / 6);
    for (let month = first.getUTCMonth() + 1; ; month += step) {
      const at = Date.UTC(first.getUTCFullYear(), month, 1);
      if (at > end) break;
      found.push({ at, text: format.date(new Date(at).toISOString().slice(0, 7)) });
    }
  } else {
    const step = Math.max(1, Math.ceil(days / 6));
    for (
      let at = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate() + 1);
      at <= end;
      at += step * DAY_MS
    )
      found.push({ at, text: format.date(new Date(at).toISOString().slice(0, 10)) });
  }
  return found;
}

/** An event with a date that reads as a time, and a type ("other" when it has none). */
type DatedEvent = TimelineEvent & { date: string; eventType: string; time: number };

function Strip({ events, types }: { events: DatedEvent[]; types: string[] }) {
  const { t } = useTranslation("entity");
  const format = useFormat();
  const vocabulary = useVocabulary();
  const titleId = useId();
  const times = events.map((event) => event.time);
  const [low, high] = [Math.min(...times), Math.max(...times)];
  const margin = Math.max((high - low) * 0.04, 15 * DAY_MS);
  const [start, end] = [low - margin, high + margin];
  const x = (time: number) => SIDE + ((time - start) / (end - start)) * (WIDTH - 2 * SIDE);
  // Events that fall on the same spot are stacked upwards so that each stays visible.
  const stacked = new Map<number, number>();
  const marks = events.map((event) => {
    const at = Math.round(x(event.time) / 8);
    const level = stacked.get(at) ?? 0;
    stacked.set(at, level + 1);
    return { event, x: x(event.time), y: BASELINE - 8 - Math.min(level, 3) * 14 };
  });
  return (
    <figure className="timeline-strip">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId}>
        <title id={titleId}>{t("timeline.stripTitle", { number: events.length })}</title>
        <line className="axis" x1={SIDE} x2={WIDTH - SIDE} y1={BASELINE} y2={BASELINE} />
        {ticks(start, end, format).map((tick) => (
          <g key={tick.at} className="tick">
            <line x1={x(tick.at)} x2={x(tick.at)} y1={BASELINE} y2={BASELINE + 5} />
            <text x={x(tick.at)} y={BASELINE + 20}>
              {tick.text}
            </text>
          </g>
        ))}
        {marks.map(({ event, x: at, y }) => (
          <g key={event.id} className={markerClass(types.indexOf(event.eventType))}>
            <Marker shape={markerShape(types.indexOf(event.eventType))} x={at} y={y} />
          </g>
        ))}
      </svg>
      <figcaption>
        <ul className="legend" aria-label={t("timeline.legend")}>
          {types.map((type, index) => (
            <li key={type}>
              <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" className={markerClass(index)}>
                <Marker shape={markerShape(index)} x={10} y={10} />
              </svg>
              {vocabulary.eventType(type)}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

function WeekGrid({ events }: { events: DatedEvent[] }) {
  const { t, i18n } = useTranslation("entity");
  const format = useFormat();
  const crossings = events.filter((event) => event.eventType === "crossing");
  const counted = crossings.length > 0 ? crossings : events;
  const byHour = counted.some((event) => hasTime(event.date));
  const hours = byHour ? Array.from({ length: 24 }, (_, hour) => hour) : [];
  const weekday = new Intl.DateTimeFormat(i18n.language, { weekday: "long", timeZone: "UTC" });
  // 1 January 2024 was a Monday: the week starts on Monday, as ISO 8601 has it.
  const days = Array.from({ length: 7 }, (_, day) => weekday.format(new Date(Date.UTC(2024, 0, 1 + day))));
  const counts = Array.from({ length: 7 }, () => new Array<number>(25).fill(0));
  for (const event of counted) {
    const date = new Date(event.time);
    const row = counts[(date.getUTCDay() + 6) % 7] as number[];
    if (byHour && hasTime(event.date)) row[date.getUTCHours()] = (row[date.getUTCHours()] ?? 0) + 1;
    row[24] = (row[24] ?? 0) + 1;
  }
  const most = Math.max(1, ...counts.flatMap((row) => row.slice(0, byHour ? 24 : 25)));
  const heat = (count: number) => (count === 0 ? "heat-0" : `heat-${Math.min(4, Math.ceil((count / most) * 4))}`);
  return (
    <table className="week-grid">
      <caption>{crossings.length > 0 ? t("timeline.gridCrossings") : t("timeline.gridEvents")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("timeline.weekday")}</th>
          {hours.map((hour) => (
            <th scope="col" key={hour} className="hour">
              <span aria-hidden="true">{String(hour).padStart(2, "0")}</span>
              <span className="visually-hidden">{t("timeline.hour", { hour: format.number(hour) })}</span>
            </th>
          ))}
          <th scope="col">{t("timeline.total")}</th>
        </tr>
      </thead>
      <tbody>
        {days.map((day, index) => {
          const row = counts[index] as number[];
          return (
            <tr key={day}>
              <th scope="row">{day}</th>
              {hours.map((hour) => (
                <td key={hour} className={`hour ${heat(row[hour] ?? 0)}`}>
                  {format.number(row[hour] ?? 0)}
                </td>
              ))}
              <td className={byHour ? undefined : heat(row[24] ?? 0)}>{format.number(row[24] ?? 0)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function Timeline({ id, caption }: { id: string; caption: string }) {
  const { t } = useTranslation("entity");
  const format = useFormat();
  const vocabulary = useVocabulary();
  const timeline = useTimeline(id);
  if (timeline.isPending) return <p>{t("common:loading")}</p>;
  if (timeline.isError) return <ProblemMessage error={timeline.error} />;
  const dated: DatedEvent[] = timeline.data.events
    .flatMap((event) => {
      const time = event.date ? timeOf(event.date) : Number.NaN;
      return event.date && Number.isFinite(time)
        ? [{ ...event, date: event.date, eventType: event.eventType ?? "other", time }]
        : [];
    })
    .sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
  const undated = timeline.data.events.filter((event) => !dated.some((other) => other.id === event.id));
  if (timeline.data.events.length === 0) return <p>{t("timeline.none")}</p>;
  const types = [...new Set(dated.map((event) => event.eventType))].sort();
  return (
    <>
      {dated.length > 0 && <Strip events={dated} types={types} />}
      <table>
        <caption className="visually-hidden">{t("timeline.tableCaption", { caption })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("timeline.date")}</th>
            <th scope="col">{t("timeline.type")}</th>
            <th scope="col">{t("timeline.place")}</th>
            <th scope="col">{t("timeline.summary")}</th>
          </tr>
        </thead>
        <tbody>
          {[...dated, ...undated].map((event) => (
            <tr key={event.id}>
              <th scope="row">
                <a href={href("entity", event.id)}>
                  {!event.date
                    ? t("timeline.noDate")
                    : hasTime(event.date)
                      ? format.dateTime(event.date)
                      : format.date(event.date)}
                </a>
              </th>
              <td>{vocabulary.eventType(event.eventType ?? "other")}</td>
              <td>
                {[event.port && t("timeline.port", { port: event.port }), event.location].filter(Boolean).join("; ")}
              </td>
              <td>
                {event.summary}
                {event.via && (
                  <span className="via">
                    {t("timeline.via")} <a href={href("entity", event.via)}>{event.via}</a>
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {dated.length > 0 && <WeekGrid events={dated} />}
    </>
  );
}
