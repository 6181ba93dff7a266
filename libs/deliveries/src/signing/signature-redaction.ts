/** What a signature header's value is stored and shown as. */
export const REDACTED = '[redacted]';

/**
 * Every header that carries a signature: `webhook-signature` and `x-webhook-signature`, which
 * signWebhook sets, and any other whose name says signature, so a header added later is covered
 * without anyone remembering this list.
 */
const SIGNATURE_HEADER = /signature/i;

/**
 * The headers as kept for auditors: each signature replaced by `[redacted]`, the header itself
 * kept, so the record still shows that the request was signed. A stored signature is a replayable
 * request: with it and the stored body, anyone reading the delivery log could send the receiver
 * a request it accepts, as long as the timestamp is within its tolerance. A new object; the
 * headers given are not changed.
 */
export function redactSignatures(
  headers: Readonly<Record<string, string>>,
): Record<string, string> {
  const redacted: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    redacted[name] = SIGNATURE_HEADER.test(name) ? REDACTED : value;
  }
  return redacted;
}
