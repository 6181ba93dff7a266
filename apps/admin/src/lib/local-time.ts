/**
 * Between the browser's `datetime-local` inputs (the viewer's wall clock, no zone) and the API's
 * ISO 8601 instants. The address keeps the instant, so a shared search means the same moment for
 * a reader in another time zone.
 */

/** `2026-12-02T09:30:15` in the browser's zone, for an input's value (step 1 s); '' for none. */
export function toLocalInput(iso: string): string {
  if (!iso) return '';
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return '';
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}` +
    `T${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`
  );
}

/** The instant an input's value names (read in the browser's zone), as ISO; '' for none. */
export function fromLocalInput(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return '';
  // Without a zone, a date-time string is read as local time (ECMAScript's Date parsing rule).
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? '' : time.toISOString();
}
