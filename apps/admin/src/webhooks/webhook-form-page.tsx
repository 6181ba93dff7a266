import { useMemo, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { splitFailure } from '../api/failure';
import { fieldErrorsByField, type Problem } from '../api/problem';
import { ENVIRONMENTS, type SignatureScheme, type Webhook } from '../api/types';
import { useSession } from '../auth/session';
import { StatusBadge } from '../components/badges';
import { ConfirmDialog } from '../components/confirm-dialog';
import { Field } from '../components/field';
import { Notice, ProblemBanner } from '../components/problem-banner';
import { useLoad } from '../components/use-load';
import { capitalise, formatDateTime } from '../lib/format';
import { generateWebhookSecret } from '../lib/secret';
import { usePageTitle } from '../lib/use-page-title';
import { EventPicker } from './event-picker';
import { ReceiverNote } from './receiver-note';
import { SecretField } from './secret-field';
import { PublicKeyField, SchemeSelect } from './signing-fields';
import {
  createRequest,
  emptyFormValues,
  FORM_FIELDS,
  formValuesOf,
  updateRequest,
  type WebhookFormValues,
} from './webhook-form';
import { WebhookTools } from './webhook-tools';
import { DeliverySettingsSection } from './delivery-settings-section';
import {
  createSettingsRequest,
  settingsValuesOf,
  updateSettingsRequest,
  type DeliverySettingsValues,
} from './delivery-settings-form';
import { PauseBanner } from './pause-banner';
import { useCurrentEnvironment } from '../environment/environment-context';

/** The delivery settings' fields: their errors show in their own section. */
const SETTINGS_FIELDS = ['retryPolicy', 'rateLimitPerSecond', 'headers'];

/** Create Webhook (`/webhooks/new`) and Edit Webhook (`/webhooks/:id/edit`), manual §3–4. */
export function WebhookFormPage() {
  const { id } = useParams();
  const { api } = useSession();
  const catalogue = useLoad('event-types', () => api.eventTypes());
  const existing = useLoad(`webhook:${id ?? 'new'}`, () =>
    id ? api.webhook(id) : Promise.resolve(null),
  );
  if (catalogue.error || existing.error) {
    return (
      <section>
        <h1>{id ? 'Edit Webhook' : 'Create Webhook'}</h1>
        <ProblemBanner error={catalogue.error ?? existing.error} />
        <Link to="/webhooks">Back to webhooks</Link>
      </section>
    );
  }
  if (!catalogue.data || (id && !existing.data)) return <p role="status">Loading…</p>;
  return (
    <WebhookForm
      key={`${id ?? 'new'}:${existing.data?.version ?? 0}`}
      catalogue={catalogue.data}
      webhook={existing.data}
      reload={existing.reload}
    />
  );
}

interface WebhookFormProps {
  catalogue: { group: string; eventTypes: string[] }[];
  webhook: Webhook | null;
  reload: () => void;
}

function WebhookForm({ catalogue, webhook, reload }: WebhookFormProps) {
  const { api, can } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const order = useMemo(() => catalogue.flatMap((group) => group.eventTypes), [catalogue]);
  const currentEnvironment = useCurrentEnvironment().filter;
  const [values, setValues] = useState<WebhookFormValues>(() =>
    webhook ? formValuesOf(webhook) : emptyFormValues(currentEnvironment),
  );
  const [version, setVersion] = useState(webhook?.version ?? 0);
  const [secret, setSecret] = useState<string | null>(() =>
    webhook ? null : generateWebhookSecret(),
  );
  const [secretHint, setSecretHint] = useState(webhook?.secretHint ?? null);
  const [scheme, setScheme] = useState<SignatureScheme>(webhook?.signatureScheme ?? 'symmetric');
  const [publicKey, setPublicKey] = useState(webhook?.publicKey ?? null);
  const [rotateScheme, setRotateScheme] = useState<SignatureScheme>(scheme);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [notice, setNotice] = useState<string | null>(
    (location.state as { notice?: string } | null)?.notice ?? null,
  );
  const [saving, setSaving] = useState(false);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const defaultPolicy = useLoad('retry-policy', () => api.retryPolicy()).data ?? null;
  const [settings, setSettings] = useState<DeliverySettingsValues>(() => settingsValuesOf(webhook));
  // Switching to a custom policy starts from the default one, so the admin edits rather than types.
  const changeSettings = (next: DeliverySettingsValues) =>
    setSettings(
      settings.policy === 'default' && next.policy === 'custom' && defaultPolicy
        ? {
            ...next,
            intervals: defaultPolicy.retryIntervalsSeconds.join(', '),
            jitter: String(defaultPolicy.jitter),
          }
        : next,
    );

  const deleted = webhook?.status === 'deleted';
  const editable = can('write') && !deleted;
  const fieldErrors = fieldErrorsByField(problem, [...FORM_FIELDS, ...SETTINGS_FIELDS]);
  const conflict = problem?.status === 412;
  const set = (change: Partial<WebhookFormValues>) => setValues((old) => ({ ...old, ...change }));

  usePageTitle(webhook ? `Edit ${webhook.name}` : 'Create Webhook');

  function fail(failure: unknown) {
    const { problem, error } = splitFailure(failure);
    setProblem(problem);
    setError(error);
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setProblem(null);
    setError(null);
    setNotice(null);
    try {
      if (!webhook) {
        const request = {
          ...createRequest(values, secret ?? '', order),
          ...createSettingsRequest(settings),
        };
        // An ed25519 key pair is made by the platform: no secret is sent for it.
        const created = await api.createWebhook(
          scheme === 'asymmetric'
            ? { ...request, secret: undefined, signatureScheme: 'asymmetric' }
            : request,
        );
        void navigate(`/webhooks/${created.id}/edit`, {
          replace: true,
          state: {
            notice: `Webhook "${created.name}" created. It receives matching events from now on.`,
          },
        });
        return;
      }
      const { changes: fieldChanges, statusChange } = updateRequest(webhook, values, order);
      const changes = { ...fieldChanges, ...updateSettingsRequest(webhook, settings) };
      let current = version;
      if (Object.keys(changes).length > 0) {
        current = (await api.updateWebhook(webhook.id, changes, current)).version;
        // Should the status change below fail, a second Save must not conflict with our own edit.
        setVersion(current);
      }
      if (statusChange) {
        await api.setActive(webhook.id, statusChange === 'activate', current);
      }
      void navigate('/webhooks', {
        state: { notice: `Saved "${values.name}".` },
      });
    } catch (failure) {
      fail(failure);
      setSaving(false);
    }
  }

  async function rotate() {
    setConfirmRotate(false);
    if (!webhook) {
      setSecret(generateWebhookSecret());
      setNotice('A new secret was generated. It takes effect when you create the webhook.');
      return;
    }
    setError(null);
    setProblem(null);
    try {
      const rotated = await api.rotateSecret(
        webhook.id,
        version,
        rotateScheme === scheme && scheme === 'symmetric' ? undefined : rotateScheme,
      );
      setVersion(rotated.version);
      setSecret(rotated.secret);
      setSecretHint(rotated.secretHint);
      setScheme(rotated.signatureScheme ?? 'symmetric');
      setPublicKey(rotated.publicKey ?? null);
      setNotice(
        `${rotated.publicKey ? 'New ed25519 key pair generated (copy its public key below).' : 'New secret generated.'} The previous secret keeps signing requests until ${formatDateTime(rotated.previousSecretValidUntil)}; update your receiver before then.`,
      );
    } catch (failure) {
      fail(failure);
    }
  }

  async function revealSecret(): Promise<string | null> {
    if (!webhook) return secret;
    try {
      const secrets = await api.secrets(webhook.id);
      setSecret(secrets.secret);
      return secrets.secret;
    } catch (failure) {
      fail(failure);
      return null;
    }
  }

  const title = webhook ? (editable ? 'Edit Webhook' : 'Webhook') : 'Create Webhook';
  return (
    <section aria-labelledby="form-title">
      <p className="breadcrumb">
        <Link to="/webhooks">Webhooks</Link> / {webhook ? webhook.name : 'New'}
      </p>
      <div className="page-header">
        <h1 id="form-title">{title}</h1>
        {webhook && <StatusBadge status={webhook.status} />}
      </div>
      {webhook && <WebhookTools webhook={webhook} onNotice={setNotice} onError={setError} />}
      {webhook && <PauseBanner webhook={webhook} version={version} onResumed={reload} />}
      <Notice message={notice} />
      {conflict && (
        <div className="banner banner-warning" role="alert">
          <p>
            <strong>Someone else changed this webhook</strong> since you opened it (it is now at
            version {problem?.currentVersion ?? 'newer'}). Nothing was saved. Reload to see their
            changes, then make yours again.
          </p>
          <button type="button" className="button" onClick={reload}>
            Reload latest version
          </button>
        </div>
      )}
      <ProblemBanner error={error} onDismiss={() => setError(null)} />
      {problem && problem.errors.length > 0 && (
        <p className="banner banner-error" role="alert">
          Some fields need attention: {problem.errors.length} problem
          {problem.errors.length === 1 ? '' : 's'} below.
        </p>
      )}
      {deleted && (
        <p className="banner banner-warning">This webhook was deleted; it is read-only.</p>
      )}
      {!can('write') && !deleted && (
        <p className="banner banner-info">Read-only: changing webhooks needs the admin role.</p>
      )}

      <form className="form" noValidate onSubmit={(event) => void save(event)}>
        <fieldset disabled={!editable || saving} className="plain">
          <Field label="Name" errors={fieldErrors.name} hint='A friendly name, e.g. "CRM Sync".'>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                value={values.name}
                maxLength={100}
                required
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => set({ name: event.target.value })}
              />
            )}
          </Field>
          <Field
            label="Target URL"
            errors={fieldErrors.url}
            hint="The full URL, starting with https://."
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                type="url"
                inputMode="url"
                value={values.url}
                required
                className="monospace"
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => set({ url: event.target.value })}
              />
            )}
          </Field>
          <Field
            label="Environment"
            errors={fieldErrors.environment}
            hint="Only events from this platform environment trigger the webhook."
          >
            {({ id, describedBy, invalid }) => (
              <select
                id={id}
                value={values.environment}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => set({ environment: event.target.value })}
              >
                {ENVIRONMENTS.map((environment) => (
                  <option key={environment} value={environment}>
                    {capitalise(environment)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </fieldset>

        {!webhook && (
          <SchemeSelect
            label="Signature scheme"
            value={scheme}
            disabled={!editable || saving}
            onChange={setScheme}
          />
        )}
        {webhook && publicKey ? (
          <PublicKeyField
            publicKey={publicKey}
            canGenerate={editable}
            onGenerate={() => setConfirmRotate(true)}
          />
        ) : (
          (webhook || scheme === 'symmetric') && (
            <SecretField
              secret={secret}
              hint={secretHint}
              editable={!webhook && editable}
              canReveal={!webhook || can('write')}
              canGenerate={editable}
              errors={fieldErrors.secret ?? []}
              onChange={setSecret}
              onReveal={revealSecret}
              onGenerate={() => (webhook ? setConfirmRotate(true) : void rotate())}
            />
          )
        )}

        <fieldset disabled={!editable || saving} className="plain">
          <Field
            label="Description"
            errors={fieldErrors.description}
            hint="Optional notes, up to 500 characters."
          >
            {({ id, describedBy, invalid }) => (
              <textarea
                id={id}
                rows={3}
                maxLength={500}
                value={values.description}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => set({ description: event.target.value })}
              />
            )}
          </Field>
          <div className="field">
            <label className="checkbox">
              <input
                type="checkbox"
                checked={values.active}
                onChange={(event) => set({ active: event.target.checked })}
              />
              Active (receiving events)
            </label>
            <p className="field-hint">Inactive webhooks are paused: they receive nothing.</p>
          </div>
          <EventPicker
            catalogue={catalogue}
            selected={values.eventTypes}
            disabled={!editable || saving}
            errors={fieldErrors.eventTypes ?? []}
            onChange={(eventTypes) => set({ eventTypes })}
          />
          {fieldErrors.unknownField && (
            <ul className="field-errors">
              {fieldErrors.unknownField.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          )}
        </fieldset>

        <DeliverySettingsSection
          values={settings}
          disabled={!editable || saving}
          errors={(problem?.errors ?? []).filter((error) =>
            SETTINGS_FIELDS.includes(error.field.split('.')[0]),
          )}
          defaultPolicy={defaultPolicy}
          onChange={changeSettings}
        />

        <div className="form-actions">
          {editable && (
            <button type="submit" className="button button-primary" disabled={saving}>
              {saving ? 'Saving…' : webhook ? 'Save' : 'Create Webhook'}
            </button>
          )}
          <Link className="button" to="/webhooks">
            {editable ? 'Cancel' : 'Back to webhooks'}
          </Link>
        </div>
      </form>

      <ReceiverNote />

      <ConfirmDialog
        open={confirmRotate}
        title="Generate a new secret?"
        confirmLabel="Generate New Secret"
        onConfirm={() => void rotate()}
        onCancel={() => setConfirmRotate(false)}
      >
        <p>
          Requests are signed with the new secret from now on. The current secret stays valid for
          the grace window (24 hours unless your operator set{' '}
          <code>SECRET_ROTATION_GRACE_HOURS</code>
          ): until then every request carries both signatures, so your receiver can switch over
          without missing events. Do this if the secret may have leaked.
        </p>
        <SchemeSelect
          label="Sign from now on with"
          value={rotateScheme}
          onChange={setRotateScheme}
        />
      </ConfirmDialog>
    </section>
  );
}
