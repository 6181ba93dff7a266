import type { DeliveryDispatcher } from './delivery-dispatcher';

/**
 * Scheduled attempts taken from the queue and not recorded yet, and how many may be. A request
 * refused at once frees its slot before its record is written; counted by slots alone, a dead
 * endpoint's backlog would be taken as fast as connections are refused, and the records piling up
 * behind it would slow every other attempt's writes (a test send's included).
 */
export interface UnrecordedAttempts {
  total: number;
  of(webhookId: string): number;
  /** The most per webhook, and over all (the dispatcher's own limits). */
  perWebhook: number;
  overall: number;
}

/**
 * The free slots one poll may fill: over all webhooks the dispatcher's free slots, and per webhook
 * its own (and its host's). Scheduled attempts are also held to what is not recorded yet
 * (UnrecordedAttempts); requested ones only to the slots. Shares are handed out before the reads,
 * so parallel reads of several webhooks' lanes never take more than there is room for; what a
 * read did not use is given back.
 */
export class SlotBudget {
  private total: number;
  /** Of the free slots, how many scheduled attempts may not take (too many unrecorded). */
  private readonly keptFromScheduled: number;
  private readonly room = new Map<string, number>();

  constructor(
    private readonly dispatcher: Pick<DeliveryDispatcher, 'freeSlots' | 'freeSlotsFor'>,
    private readonly hostOf: (webhookId: string) => string,
    private readonly unrecorded?: UnrecordedAttempts,
  ) {
    this.total = dispatcher.freeSlots;
    const unrecordedRoom = unrecorded ? unrecorded.overall - unrecorded.total : this.total;
    this.keptFromScheduled = Math.max(0, this.total - Math.max(0, unrecordedRoom));
  }

  /** Takes the webhook's share now: as much as it and the whole poll have room for. */
  allot(webhookId: string, requested = false): number {
    const room = this.roomOf(webhookId);
    const share = requested
      ? Math.min(room, this.total)
      : Math.min(
          room,
          Math.max(0, this.total - this.keptFromScheduled),
          this.unrecordedRoomOf(webhookId),
        );
    this.total -= share;
    this.room.set(webhookId, room - share);
    return share;
  }

  giveBack(webhookId: string, unused: number): void {
    if (unused <= 0) return;
    this.total += unused;
    this.room.set(webhookId, this.roomOf(webhookId) + unused);
  }

  private roomOf(webhookId: string): number {
    return (
      this.room.get(webhookId) ?? this.dispatcher.freeSlotsFor(webhookId, this.hostOf(webhookId))
    );
  }

  private unrecordedRoomOf(webhookId: string): number {
    if (!this.unrecorded) return Number.POSITIVE_INFINITY;
    return Math.max(0, this.unrecorded.perWebhook - this.unrecorded.of(webhookId));
  }
}
