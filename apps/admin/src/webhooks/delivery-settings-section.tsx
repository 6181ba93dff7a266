import { useId } from 'react';
import { Field } from '../components/field';
import {
  REFUSED_HEADERS_HINT,
  type DeliverySettingsValues,
  type HeaderRow,
} from './delivery-settings-form';

export interface DeliverySettingsSectionProps {
  values: DeliverySettingsValues;
  disabled: boolean;
  /** The API's field errors (`retryPolicy.*`, `rateLimitPerSecond`, `headers.*`) of the last save. */
  errors: readonly { field: string; message: string }[];
  /** The default policy of Settings, to say what "Default" means. */
  defaultPolicy: { retryIntervalsSeconds: readonly number[]; jitter: number } | null;
  onChange: (values: DeliverySettingsValues) => void;
}

const MAX_HEADERS = 20;

/** Messages of the errors whose field starts with `prefix`; list items keep their position. */
function errorsUnder(errors: DeliverySettingsSectionProps['errors'], prefix: string): string[] {
  return errors
    .filter((error) => error.field === prefix || error.field.startsWith(`${prefix}.`))
    .map((error) => {
      const index = /^retryPolicy\.retryIntervalsSeconds\.(\d+)$/.exec(error.field)?.[1];
      return index === undefined ? error.message : `Retry ${Number(index) + 1}: ${error.message}`;
    });
}

/**
 * "Delivery settings" on the webhook form: this webhook's own retry policy (or the default one),
 * a cap on its request rate (shared by every worker), and extra request headers.
 */
export function DeliverySettingsSection({
  values,
  disabled,
  errors,
  defaultPolicy,
  onChange,
}: DeliverySettingsSectionProps) {
  const policyName = useId();
  const set = (change: Partial<DeliverySettingsValues>) => onChange({ ...values, ...change });
  const setHeader = (index: number, change: Partial<HeaderRow>) =>
    set({
      headers: values.headers.map((row, at) => (at === index ? { ...row, ...change } : row)),
    });
  const headerErrors = errorsUnder(errors, 'headers');
  const policyErrors = errorsUnder(errors, 'retryPolicy').filter(
    (message) => !errorsUnder(errors, 'retryPolicy.jitter').includes(message),
  );
  return (
    <fieldset className="events delivery-settings" disabled={disabled}>
      <legend>Delivery settings</legend>

      <fieldset className="plain">
        <legend className="field-label">Retry policy</legend>
        <div className="choice-list">
          <label className="checkbox">
            <input
              type="radio"
              name={policyName}
              checked={values.policy === 'default'}
              onChange={() => set({ policy: 'default' })}
            />
            Default (Settings)
            {defaultPolicy && (
              <span className="muted">
                {' '}
                — retries after {defaultPolicy.retryIntervalsSeconds.join(', ')} s
              </span>
            )}
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name={policyName}
              checked={values.policy === 'custom'}
              onChange={() => set({ policy: 'custom' })}
            />
            Custom for this webhook
          </label>
        </div>
      </fieldset>
      {values.policy === 'custom' && (
        <>
          <Field
            label="Retry intervals (seconds)"
            errors={policyErrors}
            hint="The waits before each retry after the first attempt, separated by commas; 1 s to 7 days each, at most 20. Empty: no retries."
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                value={values.intervals}
                inputMode="numeric"
                className="monospace"
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => set({ intervals: event.target.value })}
              />
            )}
          </Field>
          <Field
            label="Jitter"
            errors={errorsUnder(errors, 'retryPolicy.jitter')}
            hint="0 to 1: each wait is drawn from (1 − jitter) to (1 + jitter) times its interval."
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                value={values.jitter}
                type="number"
                min={0}
                max={1}
                step={0.05}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => set({ jitter: event.target.value })}
              />
            )}
          </Field>
        </>
      )}

      <Field
        label="Rate limit (requests per second)"
        errors={errorsUnder(errors, 'rateLimitPerSecond')}
        hint="At most this many requests per second to this webhook, over all workers together; more wait their turn (they do not fail). Empty: no limit."
      >
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            value={values.rateLimit}
            type="number"
            min={1}
            max={10000}
            step={1}
            placeholder="No limit"
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(event) => set({ rateLimit: event.target.value })}
          />
        )}
      </Field>

      <fieldset className="plain">
        <legend className="field-label">Custom headers</legend>
        <p className="field-hint">
          Sent with every request after the platform&apos;s own (never replacing them), e.g. an
          Authorization your receiver expects. Values are shown to anyone who can read this webhook;
          the history records only which names changed. {REFUSED_HEADERS_HINT}
        </p>
        {values.headers.length > 0 && (
          <ul className="header-rows">
            {values.headers.map((row, index) => (
              <li key={index} className="input-group">
                <input
                  aria-label={`Header ${index + 1} name`}
                  placeholder="Name"
                  value={row.name}
                  className="monospace"
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(event) => setHeader(index, { name: event.target.value })}
                />
                <input
                  aria-label={`Header ${index + 1} value`}
                  placeholder="Value"
                  value={row.value}
                  className="monospace"
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(event) => setHeader(index, { value: event.target.value })}
                />
                <button
                  type="button"
                  className="button"
                  aria-label={`Remove header ${index + 1}`}
                  onClick={() => set({ headers: values.headers.filter((_, at) => at !== index) })}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        {values.headers.length < MAX_HEADERS && (
          <button
            type="button"
            className="button"
            onClick={() => set({ headers: [...values.headers, { name: '', value: '' }] })}
          >
            Add header
          </button>
        )}
        {headerErrors.length > 0 && (
          <ul className="field-errors" role="alert">
            {headerErrors.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        )}
      </fieldset>
    </fieldset>
  );
}
