/**
 * The class of an attempt's answer, what the delivery log is searched by: the HTTP status's
 * hundred (`2xx` ... `5xx`), or `none` when no HTTP answer came (a network error, a timeout, a
 * refused connection, the SSRF guard). A status outside 200–599 has no class (Node never gives a
 * 1xx as a final answer; a receiver may send a made-up 6xx): such a delivery is listed, but no
 * `statusClass` filter finds it.
 */
export const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx', 'none'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export function statusClassOf(responseStatus: number | null): StatusClass | null {
  if (responseStatus === null) return 'none';
  const hundred = Math.floor(responseStatus / 100);
  return hundred >= 2 && hundred <= 5 ? (`${hundred}xx` as StatusClass) : null;
}

/** A delivery's class: its latest attempt's; none for a delivery not attempted yet. */
export function deliveryStatusClass(
  lastAttempt: { responseStatus: number | null } | null,
): StatusClass | null {
  return lastAttempt ? statusClassOf(lastAttempt.responseStatus) : null;
}
