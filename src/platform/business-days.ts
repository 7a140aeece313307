/**
 * Business days (días hábiles) for the legal deadlines of Mexican administrative procedures.
 *
 * Ley Federal de Procedimiento Administrativo, art. 28: not business days are Saturdays,
 * Sundays, 1 January, the first Monday of February, the third Monday of March, 1 and 5 May,
 * 16 September, the third Monday of November, 1 December every six years when the federal
 * executive changes hands (2024, 2030, …) and 25 December, plus the closures each institution
 * publishes in the Diario Oficial (kept as data: the `non_working_days` table, passed in here
 * as `closed`). Dates are calendar dates in Mexico City (YYYY-MM-DD strings), never instants.
 */
export type IsoDate = string;

function nthMonday(year: number, month: number, n: number): IsoDate {
  const first = new Date(Date.UTC(year, month, 1));
  const offset = (8 - first.getUTCDay()) % 7;
  return toIso(new Date(Date.UTC(year, month, 1 + offset + (n - 1) * 7)));
}

const toIso = (d: Date): IsoDate => d.toISOString().slice(0, 10);
const parse = (iso: IsoDate) => new Date(`${iso}T00:00:00Z`);

const cache = new Map<number, Set<IsoDate>>();

/** The days art. 28 LFPA declares not working in a year. */
export function holidays(year: number): Set<IsoDate> {
  let days = cache.get(year);
  if (days) return days;
  const d = (m: number, day: number) => `${year}-${String(m).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  days = new Set([
    d(1, 1),
    nthMonday(year, 1, 1),
    nthMonday(year, 2, 3),
    d(5, 1),
    d(5, 5),
    d(9, 16),
    nthMonday(year, 10, 3),
    d(12, 25),
  ]);
  if (year >= 2024 && (year - 2024) % 6 === 0) days.add(d(12, 1));
  cache.set(year, days);
  return days;
}

// Building a formatter costs a hundred times more than using one: keep one.
const MEXICO_CITY_DAY = new Intl.DateTimeFormat("en-CA", {
  timeZone: "America/Mexico_City",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar date of an instant in Mexico City, where federal offices keep their hours. */
export function mexicoDate(at: Date): IsoDate {
  return MEXICO_CITY_DAY.format(at);
}

export function isBusinessDay(day: IsoDate | Date, closed: ReadonlySet<IsoDate> = new Set()): boolean {
  const iso = typeof day === "string" ? day : toIso(day);
  const weekday = parse(iso).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays(Number(iso.slice(0, 4))).has(iso) && !closed.has(iso);
}

/** The date `days` business days after `from` (the day itself does not count). */
export function addBusinessDays(from: IsoDate | Date, days: number, closed: ReadonlySet<IsoDate> = new Set()): IsoDate {
  const d = parse(typeof from === "string" ? from : toIso(from));
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (isBusinessDay(toIso(d), closed)) left--;
  }
  return toIso(d);
}

/** How many business days fall after `from` up to and including `to` (0 when `to` is not later). */
export function businessDaysBetween(from: IsoDate, to: IsoDate, closed: ReadonlySet<IsoDate> = new Set()): number {
  const d = parse(from);
  const end = parse(to);
  let count = 0;
  while (d < end) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (isBusinessDay(toIso(d), closed)) count++;
  }
  return count;
}
