/** Re-send every failed delivery of one webhook created at or after `since`. */
export class RecoverDeliveriesCommand {
  constructor(
    readonly webhookId: string,
    readonly since: Date,
    /** Who asked (`user:<sub>`): kept on the attempts it makes. */
    readonly actor: string,
  ) {}
}
