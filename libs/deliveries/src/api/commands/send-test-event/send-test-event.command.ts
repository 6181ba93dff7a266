/** Send a signed `webhook.test` event to one webhook's endpoint. */
export class SendTestEventCommand {
  constructor(
    readonly webhookId: string,
    /** Who asked (`user:<sub>`): kept on the attempt it makes. */
    readonly actor: string,
  ) {}
}
