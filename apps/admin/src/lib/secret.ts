/**
 * A new webhook secret, made in the browser for the create form: `whsec_` and base64 of 32 random
 * bytes (the API accepts 24 to 64), from the Web Crypto generator.
 */
export function generateWebhookSecret(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}
