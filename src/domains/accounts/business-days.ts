/**
 * Business days in Mexico: Monday to Friday, except the mandatory rest days of the
 * Ley Federal del Trabajo (art. 74): 1 January, first Monday of February, third Monday
 * of March, 1 May, 16 September, third Monday of November, 25 December. Other closures
 * that institutions publish each year are not known here.
 */
function nthMonday(year: number, month: number, n: number): string {
  const first = new Date(Date.UTC(year, month, 1));
  const offset = (8 - first.getUTCDay()) % 7;
  return new Date(Date.UTC(year, month, 1 + offset + (n - 1) * 7)).toISOString().slice(0, 10);
}

export function holidays(year: number): Set<string> {
  const d = (m: number, day: number) => `${year}-${String(m).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  return new Set([
    d(1, 1),
    nthMonday(year, 1, 1),
    nthMonday(year, 2, 3),
    d(5, 1),
    d(9, 16),
    nthMonday(year, 10, 3),
    d(12, 25),
  ]);
}

export function isBusinessDay(date: Date): boolean {
  const day = date.getUTCDay();
  return day !== 0 && day !== 6 && !holidays(date.getUTCFullYear()).has(date.toISOString().slice(0, 10));
}

/** The date `days` business days after `from` (the day of receipt does not count), as YYYY-MM-DD. */
export function addBusinessDays(from: Date, days: number): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (isBusinessDay(d)) left--;
  }
  return d.toISOString().slice(0, 10);
}
