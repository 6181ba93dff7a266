/** The create/edit form's values and how they become API requests; free of React for unit tests. */
export interface WebhookFormValues {
  name: string;
  url: string;
  environment: string;
  description: string;
  active: boolean;
  eventTypes: ReadonlySet<string>;
}

export interface WebhookLike {
  name: string;
  url: string;
  environment: string;
  description: string | null;
  status: string;
  eventTypes: readonly string[];
}

export const FORM_FIELDS = ['name', 'url', 'environment', 'eventTypes', 'description', 'secret'];

export function formValuesOf(webhook: WebhookLike): WebhookFormValues {
  return {
    name: webhook.name,
    url: webhook.url,
    environment: webhook.environment,
    description: webhook.description ?? '',
    active: webhook.status === 'active',
    eventTypes: new Set(webhook.eventTypes),
  };
}

/** A new webhook's form; its environment is the page's current one, if one is chosen. */
export function emptyFormValues(environment = 'production'): WebhookFormValues {
  return {
    name: '',
    url: 'https://',
    environment,
    description: '',
    active: true,
    eventTypes: new Set(),
  };
}

/** Event types in catalogue order, so the request (and the history) lists them the same way. */
export function orderedEventTypes(
  selected: ReadonlySet<string>,
  catalogueOrder: readonly string[],
) {
  const known = catalogueOrder.filter((type) => selected.has(type));
  const unknown = [...selected].filter((type) => !catalogueOrder.includes(type));
  return [...known, ...unknown];
}

/** The body of POST /webhooks. An empty description is left out rather than sent as "". */
export function createRequest(values: WebhookFormValues, secret: string, order: readonly string[]) {
  return {
    name: values.name,
    url: values.url.trim(),
    environment: values.environment,
    eventTypes: orderedEventTypes(values.eventTypes, order),
    description: values.description.trim() === '' ? null : values.description,
    active: values.active,
    secret,
  };
}

/**
 * The body of PATCH /webhooks/:id: only what the admin changed, so the history shows exactly that
 * (and a form saved unchanged records nothing). The Active status goes through its own routes.
 */
export function updateRequest(
  original: WebhookLike,
  values: WebhookFormValues,
  order: readonly string[],
) {
  const changes: {
    name?: string;
    url?: string;
    environment?: string;
    eventTypes?: string[];
    description?: string | null;
  } = {};
  if (values.name !== original.name) changes.name = values.name;
  if (values.url.trim() !== original.url) changes.url = values.url.trim();
  if (values.environment !== original.environment) changes.environment = values.environment;
  const eventTypes = orderedEventTypes(values.eventTypes, order);
  const before = orderedEventTypes(new Set(original.eventTypes), order);
  if (eventTypes.join() !== before.join()) changes.eventTypes = eventTypes;
  const description = values.description.trim() === '' ? null : values.description;
  if (description !== (original.description ?? null)) changes.description = description;
  const statusChange =
    values.active === (original.status === 'active')
      ? null
      : values.active
        ? 'activate'
        : 'deactivate';
  return { changes, statusChange } as const;
}
