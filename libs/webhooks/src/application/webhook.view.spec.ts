import type { StoredEvent } from '@app/event-store';
import { webhookCreated } from '../domain/testing/webhook-fixtures';
import {
  evolve,
  initialState,
  type ExistingWebhook,
  type WebhookEvent,
} from '../domain/webhook.events';
import type { WebhookListDocument } from '../read-models/webhook-list.document';
import { webhookListChange } from '../read-models/webhook-list.changes';
import { timesOfStream, viewOfDocument, viewOfState } from './webhook.view';

const id = 'wh_01';
const minute = (n: number) => new Date(Date.UTC(2026, 10, 27, 11, n));
const gone = 'the endpoint answered 410 Gone';

/** The events as the store keeps them, one a minute from 11:00. */
function stored(events: WebhookEvent[]): StoredEvent[] {
  return events.map((event, index) => ({
    id: `e${index + 1}`,
    streamId: `webhook-${id}`,
    type: event.type,
    schemaVersion: 1,
    version: index + 1,
    position: (index + 1) * 1000,
    recordedAt: minute(index),
    data: event.data,
    metadata: { actor: 'user:test', correlationId: 'c', causationId: 'c' },
  }));
}

/** The view both ways: folded from the stream (details, as-of) and from the list's document. */
function views(events: WebhookEvent[]) {
  const log = stored(events);
  const state = events.reduce(evolve, initialState) as ExistingWebhook;
  const document = { _id: id, _position: 0 } as WebhookListDocument;
  for (const event of log) Object.assign(document, webhookListChange(event)?.set);
  return {
    fromState: viewOfState(state, timesOfStream(log)),
    fromDocument: viewOfDocument(document),
  };
}

const created = webhookCreated({ id });
const pausedGone: WebhookEvent = {
  type: 'WebhookDeactivated',
  data: { id, reason: 'automatic', detail: gone, kind: 'gone' },
};

describe('webhook view: the pause', () => {
  it('given an automatic pause, then both views say why, which rule and when, as an ISO time', () => {
    const { fromState, fromDocument } = views([
      created,
      { type: 'WebhookUpdated', data: { id, changes: { name: { from: 'CRM Sync', to: 'CRM' } } } },
      pausedGone,
    ]);
    const pause = { reason: gone, kind: 'gone', at: minute(2).toISOString() };
    expect(fromState).toMatchObject({ status: 'inactive', deactivationReason: 'automatic', pause });
    expect(fromDocument).toMatchObject({
      status: 'inactive',
      deactivationReason: 'automatic',
      pause,
    });
  });

  it('given an edit after the pause, then the pause keeps its own time, not the last change', () => {
    const { fromState, fromDocument } = views([
      created,
      pausedGone,
      { type: 'WebhookUpdated', data: { id, changes: { name: { from: 'CRM Sync', to: 'CRM' } } } },
    ]);
    expect(fromState.pause?.at).toBe(minute(1).toISOString());
    expect(fromDocument.pause?.at).toBe(minute(1).toISOString());
    expect(fromState.updatedAt).toBe(minute(2).toISOString());
  });

  it('given an admin deactivation, then the reason is admin and there is no pause', () => {
    const { fromState, fromDocument } = views([
      created,
      { type: 'WebhookDeactivated', data: { id, reason: 'admin' } },
    ]);
    for (const view of [fromState, fromDocument]) {
      expect(view).toMatchObject({ deactivationReason: 'admin', pause: null });
    }
  });

  it('given a re-activation after the pause, then the pause is cleared', () => {
    const { fromState, fromDocument } = views([
      created,
      pausedGone,
      { type: 'WebhookActivated', data: { id } },
    ]);
    for (const view of [fromState, fromDocument]) {
      expect(view).toMatchObject({ status: 'active', deactivationReason: null, pause: null });
    }
  });

  it('given an active webhook, then there is no pause', () => {
    const { fromState, fromDocument } = views([created]);
    expect(fromState.pause).toBeNull();
    expect(fromDocument.pause).toBeNull();
  });

  it('given a list document from before pauses were kept, then its pause reads as null (a rebuild fills it)', () => {
    const { fromDocument } = views([created, pausedGone]);
    const old = { ...fromDocument } as Record<string, unknown>;
    const document = {
      ...(old as object),
      _id: id,
      nameLower: 'crm sync',
      urlLower: '',
      createdAt: minute(0),
      updatedAt: minute(1),
      _position: 2000,
    } as unknown as WebhookListDocument;
    delete (document as Partial<WebhookListDocument>).pause;
    expect(viewOfDocument(document).pause).toBeNull();
  });
});
