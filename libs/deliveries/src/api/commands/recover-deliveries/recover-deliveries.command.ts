/** Re-send every failed delivery of one webhook created at or after `since`. */
export class RecoverDeliveriesCommand {
  constructor(
    readonly webhookId: string,
    readonly since: Date,
    /** Who asked (`user:<sub>`), for the log: the storage keeps no actor. */
    readonly actor: string,
  ) {}
}
