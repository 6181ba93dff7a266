/** The event stream of one webhook: what it is (its decider's events; its version is the ETag). */
export function webhookStreamId(webhookId: string): string {
  return `webhook-${webhookId}`;
}

/**
 * The stream of what was done *with* one webhook without changing it: secret reveals, manual
 * retries, recoveries and test sends. Kept apart from `webhookStreamId` so that such actions are
 * audited without moving the webhook's version, and so never make an admin's `If-Match` stale.
 */
export function webhookActivityStreamId(webhookId: string): string {
  return `webhook-activity-${webhookId}`;
}
