import type { ApiClient } from './client';
import type {
  AuditPage,
  BulkRetryCount,
  BulkRetryResult,
  Delivery,
  DeliveryDetail,
  DeliveryPage,
  EventTypeDetail,
  EventTypeGroup,
  FailedDeliveriesFilter,
  HistoryPage,
  RecoveryPreview,
  RecoveryResult,
  RetryPolicy,
  SignatureScheme,
  Webhook,
  WebhookPage,
  WebhookSecrets,
} from './types';

export interface WebhookFields {
  name: string;
  url: string;
  environment: string;
  eventTypes: string[];
  description: string | null;
  /** The webhook's own delivery settings; absent ones are left as they are. */
  retryPolicy?: { retryIntervalsSeconds: number[]; jitter: number } | null;
  rateLimitPerSecond?: number | null;
  headers?: Record<string, string>;
}

export interface WebhookListQuery {
  search?: string;
  environment?: string;
  status?: string;
  limit?: number;
  cursor?: string;
}

/** GET /audit's filters; `from` inclusive, `to` exclusive (ISO 8601). */
export interface AuditQuery {
  actor?: string;
  /** A comma-separated list of event types. */
  type?: string;
  webhookId?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface DeliveryListQuery {
  webhookId?: string;
  status?: string;
  eventType?: string;
  eventId?: string;
  environment?: string;
  /** `2xx` … `5xx`, or `none` (no response). */
  statusClass?: string;
  /** ISO 8601: created at or after (inclusive) and before (exclusive). */
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/** GET /delivery-settings: what receivers must allow. */
export interface DeliverySettings {
  egressIps: string[];
  userAgent: string;
}

/** Every route of the admin API this page uses (docs/api.md), typed. */
export class AdminApi {
  constructor(readonly client: ApiClient) {}

  deliverySettings(): Promise<DeliverySettings> {
    return this.client.get('/delivery-settings');
  }

  eventTypes(): Promise<EventTypeGroup[]> {
    return this.client.get('/event-types');
  }

  /** One type's description, data schema and example (also `webhook.test`). */
  eventType(type: string): Promise<EventTypeDetail> {
    return this.client.get(`/event-types/${encodeURIComponent(type)}`);
  }

  listWebhooks(query: WebhookListQuery, signal?: AbortSignal): Promise<WebhookPage> {
    return this.client.get('/webhooks', { ...query }, signal);
  }

  async webhook(id: string): Promise<Webhook> {
    return (await this.client.request<Webhook>(`/webhooks/${encodeURIComponent(id)}`)).body;
  }

  async createWebhook(
    fields: WebhookFields & {
      active: boolean;
      secret?: string;
      signatureScheme?: SignatureScheme;
    },
  ): Promise<Webhook & { secret: string | null }> {
    const response = await this.client.request<Webhook & { secret: string | null }>('/webhooks', {
      method: 'POST',
      body: fields,
    });
    return response.body;
  }

  async updateWebhook(
    id: string,
    changes: Partial<WebhookFields>,
    ifMatch: number,
  ): Promise<Webhook> {
    const path = `/webhooks/${encodeURIComponent(id)}`;
    return (await this.client.request<Webhook>(path, { method: 'PATCH', body: changes, ifMatch }))
      .body;
  }

  async setActive(id: string, active: boolean, ifMatch?: number): Promise<Webhook> {
    const path = `/webhooks/${encodeURIComponent(id)}/${active ? 'activate' : 'deactivate'}`;
    return (await this.client.request<Webhook>(path, { method: 'POST', ifMatch })).body;
  }

  async deleteWebhook(id: string, ifMatch?: number): Promise<void> {
    const path = `/webhooks/${encodeURIComponent(id)}`;
    await this.client.request(path, { method: 'DELETE', ifMatch });
  }

  async rotateSecret(
    id: string,
    ifMatch?: number,
    signatureScheme?: SignatureScheme,
  ): Promise<Webhook & { secret: string | null; previousSecretValidUntil: string | null }> {
    const path = `/webhooks/${encodeURIComponent(id)}/secret/rotate`;
    const response = await this.client.request<
      Webhook & { secret: string | null; previousSecretValidUntil: string | null }
    >(path, { method: 'POST', ifMatch, body: signatureScheme ? { signatureScheme } : {} });
    return response.body;
  }

  secrets(id: string): Promise<WebhookSecrets> {
    return this.client.get(`/webhooks/${encodeURIComponent(id)}/secret`);
  }

  history(id: string, after?: number): Promise<HistoryPage> {
    return this.client.get(`/webhooks/${encodeURIComponent(id)}/history`, { after, limit: 50 });
  }

  /** The webhook as it was at one version of its history (a history entry's `version`). */
  webhookAtVersion(id: string, version: number, signal?: AbortSignal): Promise<Webhook> {
    return this.client.get(`/webhooks/${encodeURIComponent(id)}`, { version }, signal);
  }

  /** Every recorded action, newest first (auditors and up). */
  audit(query: AuditQuery, signal?: AbortSignal): Promise<AuditPage> {
    return this.client.get('/audit', { ...query }, signal);
  }

  async sendTestEvent(id: string): Promise<Delivery> {
    const path = `/webhooks/${encodeURIComponent(id)}/test`;
    return (await this.client.request<Delivery>(path, { method: 'POST', body: {} })).body;
  }

  listDeliveries(query: DeliveryListQuery, signal?: AbortSignal): Promise<DeliveryPage> {
    return this.client.get('/deliveries', { ...query }, signal);
  }

  delivery(id: string, signal?: AbortSignal): Promise<DeliveryDetail> {
    return this.client.get(`/deliveries/${encodeURIComponent(id)}`, undefined, signal);
  }

  async retryDelivery(id: string): Promise<Delivery> {
    const path = `/deliveries/${encodeURIComponent(id)}/retry`;
    return (await this.client.request<Delivery>(path, { method: 'POST', body: {} })).body;
  }

  async previewRecovery(id: string, since: string, signal?: AbortSignal): Promise<RecoveryPreview> {
    const path = `/webhooks/${encodeURIComponent(id)}/recover`;
    const body = { since, dryRun: true };
    return (await this.client.request<RecoveryPreview>(path, { method: 'POST', body, signal }))
      .body;
  }

  async recover(id: string, since: string): Promise<RecoveryResult> {
    const path = `/webhooks/${encodeURIComponent(id)}/recover`;
    return (await this.client.request<RecoveryResult>(path, { method: 'POST', body: { since } }))
      .body;
  }

  async countFailed(filter: FailedDeliveriesFilter, signal?: AbortSignal): Promise<BulkRetryCount> {
    const body = { filter, dryRun: true };
    return (
      await this.client.request<BulkRetryCount>('/deliveries/retry', {
        method: 'POST',
        body,
        signal,
      })
    ).body;
  }

  async retryFailed(
    filter: FailedDeliveriesFilter,
    cursor?: string,
    limit?: number,
  ): Promise<BulkRetryResult> {
    const body = { filter, cursor, limit };
    return (
      await this.client.request<BulkRetryResult>('/deliveries/retry', { method: 'POST', body })
    ).body;
  }

  retryPolicy(): Promise<RetryPolicy> {
    return this.client.get('/settings/retry-policy');
  }

  async setRetryPolicy(
    policy: Pick<RetryPolicy, 'retryIntervalsSeconds' | 'jitter'>,
    ifMatch: number,
  ): Promise<RetryPolicy> {
    const response = await this.client.request<RetryPolicy>('/settings/retry-policy', {
      method: 'PUT',
      body: policy,
      ifMatch,
    });
    return response.body;
  }
}
