/** The default retry policy's changes, oldest first, after a version. */
export class GetRetryPolicyHistoryQuery {
  constructor(
    readonly after: number,
    readonly limit: number,
  ) {}
}
