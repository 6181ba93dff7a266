import { useId, useRef, useState } from 'react';
import { copyText } from '../lib/clipboard';

export interface SecretFieldProps {
  /** The full secret when known (a new webhook, after a reveal or a rotation). */
  secret: string | null;
  /** What is shown while hidden and unknown: `whsec_…abcd`. */
  hint: string | null;
  /** A new webhook's secret may be typed or pasted; an existing one only rotated. */
  editable: boolean;
  canReveal: boolean;
  canGenerate: boolean;
  errors: string[];
  onChange?: (secret: string) => void;
  /** Fetches the full secret (GET /webhooks/:id/secret) when it is not known yet. */
  onReveal?: () => Promise<string | null>;
  onGenerate: () => void;
}

/** The Webhook Secret: hidden by default, with Reveal, Copy and Generate New Secret. */
export function SecretField(props: SecretFieldProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [shown, setShown] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const value = props.secret ?? props.hint ?? '';

  async function reveal(): Promise<string | null> {
    if (props.secret) return props.secret;
    return (await props.onReveal?.()) ?? null;
  }

  async function toggle() {
    setMessage(null);
    if (shown) return setShown(false);
    if (await reveal()) setShown(true);
  }

  async function copy() {
    const secret = await reveal();
    if (!secret) return;
    if (await copyText(secret)) {
      setMessage('Secret copied to the clipboard.');
    } else {
      setShown(true);
      input.current?.select();
      setMessage(
        'The browser blocked the clipboard here: the secret is selected, copy it yourself.',
      );
    }
  }

  const describedBy = [`${id}-hint`, props.errors.length ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={props.errors.length ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>Webhook Secret</label>
      <div className="input-group">
        <input
          id={id}
          ref={input}
          type={shown ? 'text' : 'password'}
          value={value}
          readOnly={!props.editable}
          autoComplete="off"
          spellCheck={false}
          className="monospace"
          aria-describedby={describedBy}
          aria-invalid={props.errors.length > 0 || undefined}
          onChange={(event) => props.onChange?.(event.target.value)}
        />
        {props.canReveal && (
          <button type="button" className="button" onClick={() => void toggle()}>
            {shown ? 'Hide' : 'Reveal'}
          </button>
        )}
        {props.canReveal && (
          <button type="button" className="button" onClick={() => void copy()}>
            Copy
          </button>
        )}
        {props.canGenerate && (
          <button type="button" className="button" onClick={props.onGenerate}>
            Generate New Secret
          </button>
        )}
      </div>
      <p id={`${id}-hint`} className="field-hint">
        Starts with <code>whsec_</code>. Receivers use it to verify the{' '}
        <code>webhook-signature</code> header of every request.
      </p>
      <p className="field-hint" role="status" aria-live="polite">
        {message}
      </p>
      {props.errors.length > 0 && (
        <ul id={`${id}-error`} className="field-errors">
          {props.errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
