/** How many failed deliveries a recovery of the webhook since `since` would re-send now. */
export class PreviewRecoveryQuery {
  constructor(
    readonly webhookId: string,
    readonly since: Date,
  ) {}
}
