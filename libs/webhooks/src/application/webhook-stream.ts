/** The event stream of one webhook. */
export function webhookStreamId(webhookId: string): string {
  return `webhook-${webhookId}`;
}
