import type { Environment, EventType } from '../domain/event-catalogue';
import type { PauseKind } from '../domain/webhook.events';

/** One webhook as the list, filter and detail views read it. Secrets appear only as a hint. */
export interface WebhookListDocument {
  _id: string;
  name: string;
  /** Lower-cased copies for case-insensitive search and sort. */
  nameLower: string;
  url: string;
  urlLower: string;
  environment: Environment;
  eventTypes: EventType[];
  eventCount: number;
  status: 'active' | 'inactive' | 'deleted';
  deactivationReason: 'admin' | 'automatic' | null;
  /**
   * The automatic pause that keeps it inactive (reason in words, kind, time), else null. Absent in
   * documents written before it was kept: rebuild the projection (docs/operations.md).
   */
  pause?: { reason: string; kind: PauseKind; at: Date } | null;
  description: string | null;
  secretHint: string;
  /** Absent in documents written before asymmetric keys: symmetric, no public key. */
  signatureScheme?: 'symmetric' | 'asymmetric';
  /** The current key's `whpk_…` (asymmetric), else null. Not a secret. */
  publicKey?: string | null;
  /**
   * The webhook's own retry policy (null: the default), rate cap (null: none) and extra request
   * headers. Absent in documents written before per-webhook settings: the defaults.
   */
  retryPolicy?: { retryIntervalsSeconds: number[]; jitter: number } | null;
  rateLimitPerSecond?: number | null;
  headers?: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
  /** The stream version: the webhook's ETag. */
  version: number;
  /** Last global position applied (idempotent replays). */
  _position: number;
}
