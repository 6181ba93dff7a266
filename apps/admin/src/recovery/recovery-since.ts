/**
 * Where "recover what failed meanwhile" starts after an automatic pause. A delivery counts by when
 * it was created, and those that failed because of the pause were mostly created before it: the
 * one that met the 410, and every delivery still waiting for a retry (the worker ends those as
 * failed once the webhook is paused). So the default reaches back before the pause:
 *
 * - failing for hours: to when every attempt began to fail (the reason says since when);
 * - otherwise (410 Gone): an hour before the pause.
 *
 * The dialog shows the time and lets the admin change it before anything is sent.
 */
export interface PauseLike {
  kind: string;
  reason: string;
  at: string;
}

const LOOK_BACK_MS = 60 * 60 * 1000;

export function recoverySince(pause: PauseLike): string {
  const pausedAt = new Date(pause.at);
  const streak = /since (\d{4}-\d{2}-\d{2}T[\d:.]+Z)/.exec(pause.reason)?.[1];
  const streakStart = streak ? new Date(streak) : null;
  if (streakStart && !Number.isNaN(streakStart.getTime()) && streakStart <= pausedAt) {
    return streakStart.toISOString();
  }
  return new Date(pausedAt.getTime() - LOOK_BACK_MS).toISOString();
}

/** Where "Recover failed deliveries since…" starts when nothing says otherwise: a day ago. */
export function aDayBefore(now: Date = new Date()): string {
  return new Date(now.getTime() - 24 * LOOK_BACK_MS).toISOString();
}
