import type { Projection, ProjectionHost } from '@app/event-store';
import { DURABLE_PROJECTIONS, registerDurableProjections } from './projections.registry';
import { WebhookListProjection } from './webhook-list.projection';

describe('the projection registry', () => {
  it('hosts every durable projection it lists, each as a fresh instance under its name', () => {
    const registered: Projection[] = [];
    const host = { register: (projection: Projection) => registered.push(projection) };

    registerDurableProjections(host as unknown as ProjectionHost);
    registerDurableProjections(host as unknown as ProjectionHost);

    expect(registered.map((projection) => projection.name)).toEqual([
      ...Object.keys(DURABLE_PROJECTIONS),
      ...Object.keys(DURABLE_PROJECTIONS),
    ]);
    expect(registered[0]).toBeInstanceOf(WebhookListProjection);
    expect(registered[0]).not.toBe(registered[1]);
  });
});
