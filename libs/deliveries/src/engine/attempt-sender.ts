import type { SendRequest, SendResult } from '../sending/http-sender';

/** Sends one signed attempt (HttpSender in the app; a fake in unit tests). Never throws for a failed attempt. */
export interface AttemptSender {
  send(request: SendRequest): Promise<SendResult>;
}

export const ATTEMPT_SENDER = Symbol('ATTEMPT_SENDER');
