/**
 * Helpers for tests of code built on the webhooks library (`@app/webhooks/testing`): never
 * imported by production code.
 */
export { InMemoryWebhookSecretStore } from './in-memory-webhook-secret-store';
