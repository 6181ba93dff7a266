/** The default retry policy as it is now, with its version and last change. */
export class GetRetryPolicyQuery {}
