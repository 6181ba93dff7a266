import type { DeliveryDispatcher } from './delivery-dispatcher';

/**
 * The free slots one poll may fill: over all webhooks the dispatcher's free slots, and per webhook
 * its own (and its host's). Shares are handed out before the reads, so parallel reads of several
 * webhooks' lanes never take more than there is room for; what a read did not use is given back.
 */
export class SlotBudget {
  private total: number;
  private readonly room = new Map<string, number>();

  constructor(
    private readonly dispatcher: Pick<DeliveryDispatcher, 'freeSlots' | 'freeSlotsFor'>,
    private readonly hostOf: (webhookId: string) => string,
  ) {
    this.total = dispatcher.freeSlots;
  }

  /** Takes the webhook's share now: as much as it and the whole poll have room for. */
  allot(webhookId: string): number {
    const room = this.roomOf(webhookId);
    const share = Math.min(room, this.total);
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
}
