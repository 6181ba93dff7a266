/**
 * An automatic pause as the webhook view carries it (`pause`, non-null while the worker has paused
 * the webhook: its endpoint answered 410 Gone, or every attempt failed for
 * DELIVERY_DISABLE_AFTER_HOURS), read defensively: a view without it (an older api) has none.
 */
export interface WebhookPause {
  kind: string;
  reason: string;
  at: string;
}

export function pauseOf(webhook: object): WebhookPause | null {
  const pause = (webhook as { pause?: unknown }).pause;
  if (!pause || typeof pause !== 'object') return null;
  const { kind, reason, at } = pause as Record<string, unknown>;
  if (typeof kind !== 'string' || typeof at !== 'string') return null;
  return { kind, reason: typeof reason === 'string' ? reason : '', at };
}

/** A short name for the badge; the full reason goes beside it. */
export function pauseLabel(pause: WebhookPause): string {
  switch (pause.kind) {
    case 'gone':
      return 'Paused: endpoint gone';
    case 'failing':
      return 'Paused: failing';
    default:
      return 'Paused automatically';
  }
}
