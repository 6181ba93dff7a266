import { Controller, Get, Module, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EVENT_CATALOGUE } from '@app/webhooks';
import { EVENT_DATA_SCHEMAS, type EventDataSchema } from './event-data-schemas';

/** `webhook.test` is in no catalogue group: it is shown as the group `Test`. */
export const TEST_EVENT_GROUP = 'Test';

export interface EventTypeGroupView {
  group: string;
  eventTypes: readonly string[];
  /** Per type of the group: its description, the JSON Schema (2020-12) of its `data`, an example. */
  schemas: Record<string, EventDataSchema>;
}

export interface EventTypeView extends EventDataSchema {
  type: string;
  group: string;
}

const GROUPS: readonly EventTypeGroupView[] = EVENT_CATALOGUE.map(({ group, eventTypes }) => ({
  group,
  eventTypes,
  schemas: Object.fromEntries(eventTypes.map((type) => [type, EVENT_DATA_SCHEMAS[type]])),
}));

const BY_TYPE: ReadonlyMap<string, EventTypeView> = new Map(
  Object.entries(EVENT_DATA_SCHEMAS).map(([type, described]) => [
    type,
    {
      type,
      group:
        EVENT_CATALOGUE.find((group) => (group.eventTypes as readonly string[]).includes(type))
          ?.group ?? TEST_EVENT_GROUP,
      ...described,
    },
  ]),
);

/**
 * The event types a webhook can subscribe to, grouped as the admin page shows them, each with the
 * schema and an example of its `data` (EVENT_DATA_SCHEMAS, the source ingest validates against).
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('event-types')
export class EventTypesHttp {
  /** The catalogue, grouped; each group also carries `schemas`, keyed by type. */
  @Get()
  @ApiOkResponse({
    schema: { type: 'array', items: { $ref: '#/components/schemas/EventTypeGroup' } },
  })
  list(): readonly EventTypeGroupView[] {
    return GROUPS;
  }

  /** One type (the catalogue's or `webhook.test`): its group, description, schema and example. */
  @Get(':type')
  @ApiOkResponse({ schema: { $ref: '#/components/schemas/EventType' } })
  get(@Param('type') type: string): EventTypeView {
    const view = BY_TYPE.get(type);
    if (!view) throw new NotFoundException(`Event type ${JSON.stringify(type)} does not exist`);
    return view;
  }
}

/** Serves `GET /event-types` and `GET /event-types/:type` (the api imports it). */
@Module({ controllers: [EventTypesHttp] })
export class EventTypesModule {}
