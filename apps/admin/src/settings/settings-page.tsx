import { useState, type FormEvent } from 'react';
import { splitFailure } from '../api/failure';
import type { Problem } from '../api/problem';
import type { RetryPolicy } from '../api/types';
import { useSession } from '../auth/session';
import { Notice, ProblemBanner } from '../components/problem-banner';
import { useLoad } from '../components/use-load';
import { formatDateTime, formatDuration } from '../lib/format';
import { usePageTitle } from '../lib/use-page-title';

/** Settings: the default webhook retry policy, which owners may change. */
export function SettingsPage() {
  usePageTitle('Settings');
  const { api } = useSession();
  const policy = useLoad('retry-policy', () => api.retryPolicy());
  // Kept here: a save reloads the policy, which starts the form afresh at the new version.
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <Notice message={notice} />
      <ProblemBanner error={policy.error} />
      {policy.data && (
        <RetryPolicyForm
          key={policy.data.version}
          policy={policy.data}
          reload={policy.reload}
          onNotice={setNotice}
        />
      )}
    </section>
  );
}

interface RetryPolicyFormProps {
  policy: RetryPolicy;
  reload: () => void;
  onNotice: (message: string | null) => void;
}

function RetryPolicyForm({ policy, reload, onNotice: setNotice }: RetryPolicyFormProps) {
  const { api, can } = useSession();
  const editable = can('editSettings');
  const [intervals, setIntervals] = useState(policy.retryIntervalsSeconds.map(String));
  const [jitterPercent, setJitterPercent] = useState(String(Math.round(policy.jitter * 100)));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [saving, setSaving] = useState(false);

  const errorsFor = (field: string) =>
    (problem?.errors ?? []).filter((entry) => entry.field === field).map((entry) => entry.message);
  const seconds = intervals.map(Number);
  const total = seconds.every(Number.isFinite) ? seconds.reduce((sum, value) => sum + value, 0) : 0;

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setProblem(null);
    setError(null);
    setNotice(null);
    try {
      const saved = await api.setRetryPolicy(
        { retryIntervalsSeconds: seconds, jitter: Number(jitterPercent) / 100 },
        policy.version,
      );
      setNotice(
        `Retry policy saved (version ${saved.version}). Workers use it for retries they schedule from now on.`,
      );
      reload();
    } catch (failure) {
      const split = splitFailure(failure);
      setProblem(split.problem);
      setError(split.error);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => void save(event)}
      aria-labelledby="retry-title"
    >
      <h2 id="retry-title">Default retry policy</h2>
      <p className="lead">
        A delivery is attempted at once; when the receiver fails it is retried after each wait
        below, in order, until it succeeds. Each wait varies randomly by the jitter. After the last
        retry the delivery is marked failed and can be retried by hand from Webhook Deliveries.
      </p>
      <p className="muted">
        Version {policy.version}
        {policy.updatedAt
          ? `, changed ${formatDateTime(policy.updatedAt)} by ${policy.updatedBy ?? 'unknown'}`
          : ' (the built-in default)'}
      </p>
      {!editable && (
        <p className="banner banner-info">Read-only: changing settings needs the owner role.</p>
      )}
      <ProblemBanner error={error} onDismiss={() => setError(null)} />
      {problem?.status === 412 && (
        <div className="banner banner-warning" role="alert">
          <p>Someone else changed the retry policy meanwhile; nothing was saved.</p>
          <button type="button" className="button" onClick={reload}>
            Reload latest version
          </button>
        </div>
      )}
      <fieldset disabled={!editable || saving} className="plain">
        <fieldset className="intervals">
          <legend>Waits before each retry</legend>
          <ol>
            {intervals.map((value, index) => {
              const errors = errorsFor(`retryIntervalsSeconds.${index}`);
              const id = `interval-${index}`;
              return (
                <li key={index} className={errors.length ? 'field field-invalid' : 'field'}>
                  <label htmlFor={id}>Retry {index + 1} after (seconds)</label>
                  <div className="input-group">
                    <input
                      id={id}
                      type="number"
                      min={1}
                      max={604800}
                      step={1}
                      value={value}
                      aria-invalid={errors.length > 0 || undefined}
                      aria-describedby={`${id}-readable${errors.length ? ` ${id}-error` : ''}`}
                      onChange={(event) =>
                        setIntervals(
                          intervals.map((old, at) => (at === index ? event.target.value : old)),
                        )
                      }
                    />
                    <span id={`${id}-readable`} className="muted">
                      {Number(value) > 0 ? formatDuration(Number(value)) : ''}
                    </span>
                    {editable && (
                      <button
                        type="button"
                        className="button-link button-link-danger"
                        aria-label={`Remove retry ${index + 1}`}
                        onClick={() => setIntervals(intervals.filter((_, at) => at !== index))}
                      >
                        Remove
                      </button>
                    )}
                  </div>
                  {errors.length > 0 && (
                    <ul id={`${id}-error`} className="field-errors">
                      {errors.map((message) => (
                        <li key={message}>{message}</li>
                      ))}
                    </ul>
                  )}
                </li>
              );
            })}
          </ol>
          {errorsFor('retryIntervalsSeconds').map((message) => (
            <p key={message} className="field-errors">
              {message}
            </p>
          ))}
          {editable && intervals.length < 20 && (
            <button
              type="button"
              className="button"
              onClick={() =>
                setIntervals([...intervals, String(Number(intervals.at(-1) ?? 60) || 60)])
              }
            >
              Add a retry
            </button>
          )}
          <p className="field-hint">
            {intervals.length} retr{intervals.length === 1 ? 'y' : 'ies'} over about{' '}
            {formatDuration(total)}.
          </p>
        </fieldset>
        <div className={errorsFor('jitter').length ? 'field field-invalid' : 'field'}>
          <label htmlFor="jitter">Jitter (percent)</label>
          <input
            id="jitter"
            type="number"
            min={0}
            max={100}
            step={1}
            value={jitterPercent}
            aria-describedby="jitter-hint"
            onChange={(event) => setJitterPercent(event.target.value)}
          />
          <p id="jitter-hint" className="field-hint">
            Each wait is drawn between {100 - Number(jitterPercent)}% and{' '}
            {100 + Number(jitterPercent)}% of its value, so retries to one receiver do not all
            arrive at once.
          </p>
          {errorsFor('jitter').map((message) => (
            <p key={message} className="field-errors">
              {message}
            </p>
          ))}
        </div>
        {editable && (
          <div className="form-actions">
            <button type="submit" className="button button-primary">
              {saving ? 'Saving…' : 'Save retry policy'}
            </button>
          </div>
        )}
      </fieldset>
    </form>
  );
}
