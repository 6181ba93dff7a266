/** Send a signed `webhook.test` event to one webhook's endpoint. */
export class SendTestEventCommand {
  constructor(
    readonly webhookId: string,
    /** Who asked (`user:<sub>`), for the log: the storage keeps no actor. */
    readonly actor: string,
  ) {}
}
