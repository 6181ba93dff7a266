import {
  DEFAULT_DELIVERY_SETTINGS,
  sameDeliverySetting,
  validateDeliverySettings,
  type DeliverySettings,
  type DeliverySettingsInput,
} from './delivery-settings';
import {
  WebhookAlreadyExistsError,
  WebhookNotFoundError,
  WebhookValidationError,
} from './webhook.errors';
import type {
  Change,
  DeactivationReason,
  DeliverySettingsChanges,
  ExistingWebhook,
  PauseKind,
  WebhookChanges,
  WebhookEvent,
  WebhookSignatureScheme,
  WebhookState,
} from './webhook.events';
import {
  type WebhookFields,
  type WebhookFieldsInput,
  type WebhookRulesContext,
  validateNewWebhookFields,
  validateWebhookFields,
} from './webhook.rules';

export interface CreateWebhook {
  type: 'CreateWebhook';
  data: WebhookFieldsInput & {
    id: string;
    /** Its own retry policy, rate cap, headers; absent ones are the defaults. */
    deliverySettings?: DeliverySettingsInput;
    /** The form's status toggle; a new webhook is active unless the admin says otherwise. */
    active?: boolean;
    /**
     * The secret's id in the secret store, where the caller put its ciphertext (after checking the
     * plaintext with isValidSecret) before deciding: decide stays pure.
     */
    secretId: string;
    secretHint: string;
    /** Symmetric unless said; asymmetric needs the key pair's `whpk_` public key. */
    signatureScheme?: WebhookSignatureScheme;
    publicKey?: string | null;
  };
}

export interface UpdateWebhook {
  type: 'UpdateWebhook';
  /**
   * Absent fields stay as they are; `description: null` clears the description. The same for the
   * delivery settings (`retryPolicy: null` goes back to the default, `rateLimitPerSecond: null`
   * lifts the cap, `headers` replaces the whole set).
   */
  data: {
    id: string;
    changes: Partial<WebhookFieldsInput>;
    deliverySettings?: DeliverySettingsInput;
  };
}

export interface ActivateWebhook {
  type: 'ActivateWebhook';
  data: { id: string };
}

export interface DeactivateWebhook {
  type: 'DeactivateWebhook';
  data: { id: string; reason: DeactivationReason; detail?: string; kind?: PauseKind };
}

export interface RotateSecret {
  type: 'RotateSecret';
  data: {
    id: string;
    secretId: string;
    secretHint: string;
    /** The new key's scheme (symmetric unless said), so a rotation may switch schemes. */
    signatureScheme?: WebhookSignatureScheme;
    publicKey?: string | null;
  };
}

export interface DeleteWebhook {
  type: 'DeleteWebhook';
  data: { id: string };
}

export type WebhookCommand =
  | CreateWebhook
  | UpdateWebhook
  | ActivateWebhook
  | DeactivateWebhook
  | RotateSecret
  | DeleteWebhook;

/** What decide needs from outside, passed in so that it stays a pure function. */
export interface WebhookDecideContext extends WebhookRulesContext {
  now: Date;
  /** SECRET_ROTATION_GRACE_HOURS: how long a rotated-out secret still signs. */
  secretRotationGraceHours: number;
}

/** The events a command causes on a webhook in `state`; none when it would change nothing. */
export function decide(
  command: WebhookCommand,
  state: WebhookState,
  context: WebhookDecideContext,
): WebhookEvent[] {
  switch (command.type) {
    case 'CreateWebhook':
      return create(command, state, context);
    case 'UpdateWebhook':
      return update(command, requireLive(state, command.data.id), context);
    case 'ActivateWebhook': {
      const webhook = requireLive(state, command.data.id);
      return webhook.status === 'active'
        ? []
        : [{ type: 'WebhookActivated', data: { id: webhook.id } }];
    }
    case 'DeactivateWebhook': {
      const webhook = requireLive(state, command.data.id);
      if (webhook.status === 'inactive') return [];
      const { reason, detail, kind } = command.data;
      const data = {
        id: webhook.id,
        reason,
        ...(detail !== undefined && { detail }),
        // Which rule paused it is the delivery side's to say; an admin's deactivation has none.
        ...(reason === 'automatic' && kind !== undefined && { kind }),
      };
      return [{ type: 'WebhookDeactivated', data }];
    }
    case 'RotateSecret':
      return rotateSecret(command, requireLive(state, command.data.id), context);
    case 'DeleteWebhook': {
      const webhook = requireLive(state, command.data.id);
      return [{ type: 'WebhookDeleted', data: { id: webhook.id } }];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`Unknown webhook command ${(unhandled as WebhookCommand).type}`);
    }
  }
}

/** Deleted webhooks answer writers exactly like ones that never existed. */
function requireLive(state: WebhookState, id: string): ExistingWebhook {
  if (state.status === 'none' || state.status === 'deleted') throw new WebhookNotFoundError(id);
  return state;
}

function create(
  command: CreateWebhook,
  state: WebhookState,
  context: WebhookDecideContext,
): WebhookEvent[] {
  const {
    id,
    active = true,
    secretId,
    secretHint,
    signatureScheme: scheme,
    publicKey: key,
    deliverySettings: settingsInput,
    ...input
  } = command.data;
  // Even a deleted webhook keeps its stream, so its id can never be reused.
  if (state.status !== 'none') throw new WebhookAlreadyExistsError(id);
  const [fields, settings] = validateTogether(
    () => validateNewWebhookFields(input, context),
    () => validateDeliverySettings(settingsInput ?? {}),
  );
  const { signatureScheme, publicKey } = signingOf(scheme, key);
  // Settings other than the defaults follow in their own event, so WebhookCreated keeps its shape.
  const settingsChanges = changedSettings(DEFAULT_DELIVERY_SETTINGS, settings);
  const settingsEvents: WebhookEvent[] =
    Object.keys(settingsChanges).length === 0
      ? []
      : [{ type: 'DeliverySettingsChanged', data: { id, changes: settingsChanges } }];
  return [
    {
      type: 'WebhookCreated',
      data: {
        id,
        ...fields,
        active,
        secret: { id: secretId },
        secretHint,
        signatureScheme,
        publicKey,
      },
    },
    ...settingsEvents,
  ];
}

/** Runs both checks and throws one error with the violations of both, so a form marks them all. */
function validateTogether<A, B>(first: () => A, second: () => B): [A, B] {
  const results: [unknown, unknown] = [undefined, undefined];
  const violations: WebhookValidationError['fields'][number][] = [];
  [first, second].forEach((check, i) => {
    try {
      results[i] = check();
    } catch (error) {
      if (!(error instanceof WebhookValidationError)) throw error;
      violations.push(...error.fields);
    }
  });
  if (violations.length > 0) throw new WebhookValidationError(violations);
  return results as [A, B];
}

/** The settings that differ from `current`, each with its from and to. */
function changedSettings(
  current: Readonly<DeliverySettings>,
  proposed: Partial<DeliverySettings>,
): DeliverySettingsChanges {
  const changes: DeliverySettingsChanges = {};
  if (
    proposed.retryPolicy !== undefined &&
    !sameDeliverySetting('retryPolicy', current.retryPolicy, proposed.retryPolicy)
  ) {
    changes.retryPolicy = { from: current.retryPolicy, to: proposed.retryPolicy };
  }
  if (
    proposed.rateLimitPerSecond !== undefined &&
    !sameDeliverySetting(
      'rateLimitPerSecond',
      current.rateLimitPerSecond,
      proposed.rateLimitPerSecond,
    )
  ) {
    changes.rateLimitPerSecond = {
      from: current.rateLimitPerSecond,
      to: proposed.rateLimitPerSecond,
    };
  }
  if (
    proposed.headers !== undefined &&
    !sameDeliverySetting('headers', current.headers, proposed.headers)
  ) {
    changes.headers = { from: { ...current.headers }, to: proposed.headers };
  }
  return changes;
}

/**
 * The scheme and public key an event records: an asymmetric key always has its `whpk_` public key,
 * a symmetric secret none (the caller made the key pair; decide only checks they agree).
 */
function signingOf(
  scheme: WebhookSignatureScheme = 'symmetric',
  publicKey: string | null = null,
): { signatureScheme: WebhookSignatureScheme; publicKey: string | null } {
  if (scheme === 'asymmetric' && (publicKey === null || !publicKey.startsWith('whpk_'))) {
    throw new RangeError('an asymmetric key needs its whpk_ public key');
  }
  if (scheme === 'symmetric' && publicKey !== null) {
    throw new RangeError('a symmetric secret has no public key');
  }
  return { signatureScheme: scheme, publicKey };
}

function update(
  command: UpdateWebhook,
  webhook: ExistingWebhook,
  context: WebhookDecideContext,
): WebhookEvent[] {
  const [proposed, settings] = validateTogether(
    () => validateWebhookFields(command.data.changes, context),
    () => validateDeliverySettings(command.data.deliverySettings ?? {}),
  );
  const changes = changedFields(webhook, proposed);
  const settingsChanges = changedSettings(webhook.deliverySettings, settings);
  const events: WebhookEvent[] = [];
  if (Object.keys(changes).length > 0) {
    events.push({ type: 'WebhookUpdated', data: { id: webhook.id, changes } });
  }
  if (Object.keys(settingsChanges).length > 0) {
    events.push({
      type: 'DeliverySettingsChanged',
      data: { id: webhook.id, changes: settingsChanges },
    });
  }
  return events;
}

function changedFields(current: WebhookFields, proposed: Partial<WebhookFields>): WebhookChanges {
  const all: WebhookChanges = {
    name: changeOf(current.name, proposed.name),
    url: changeOf(current.url, proposed.url),
    environment: changeOf(current.environment, proposed.environment),
    eventTypes: changeOf(current.eventTypes, proposed.eventTypes),
    description: changeOf(current.description, proposed.description),
  };
  return Object.fromEntries(Object.entries(all).filter(([, change]) => change !== undefined));
}

/** Event type lists compare by content: the rules already put them in one canonical order. */
function changeOf<T>(from: T, to: T | undefined): Change<T> | undefined {
  if (to === undefined) return undefined;
  const same =
    Array.isArray(from) && Array.isArray(to) ? from.join('\n') === to.join('\n') : from === to;
  return same ? undefined : { from, to };
}

const MS_PER_HOUR = 3_600_000;

function rotateSecret(
  command: RotateSecret,
  webhook: ExistingWebhook,
  context: WebhookDecideContext,
): WebhookEvent[] {
  const graceHours = context.secretRotationGraceHours;
  if (!Number.isFinite(graceHours) || graceHours < 0) {
    throw new RangeError(
      `secretRotationGraceHours must be a non-negative number, got ${graceHours}`,
    );
  }
  // Only the secret being replaced gets a grace window; one rotated out earlier stops signing now.
  const validUntil = new Date(context.now.getTime() + graceHours * MS_PER_HOUR);
  const { signatureScheme, publicKey } = signingOf(
    command.data.signatureScheme,
    command.data.publicKey,
  );
  return [
    {
      type: 'SecretRotated',
      data: {
        id: webhook.id,
        secret: { id: command.data.secretId },
        secretHint: command.data.secretHint,
        // A secret from before the store keeps its inline ciphertext (already in the log) along.
        previousSecret: webhook.secret,
        previousSecretHint: webhook.secretHint,
        previousSecretValidUntil: validUntil.toISOString(),
        signatureScheme,
        publicKey,
        previousSignatureScheme: webhook.signatureScheme,
        previousPublicKey: webhook.publicKey,
      },
    },
  ];
}
