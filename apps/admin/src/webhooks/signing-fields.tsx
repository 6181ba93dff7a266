import { useId, useRef, useState } from 'react';
import type { SignatureScheme } from '../api/types';
import { copyText } from '../lib/clipboard';

export const SCHEME_LABELS: Record<SignatureScheme, string> = {
  symmetric: 'Symmetric: a whsec_ secret (v1, HMAC-SHA256)',
  asymmetric: 'Asymmetric: an ed25519 key pair (v1a)',
};

export interface SchemeSelectProps {
  label: string;
  value: SignatureScheme;
  disabled?: boolean;
  onChange: (scheme: SignatureScheme) => void;
}

/** How the webhook signs (Standard Webhooks `v1` or `v1a`): on create and when rotating. */
export function SchemeSelect(props: SchemeSelectProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        disabled={props.disabled}
        aria-describedby={`${id}-hint`}
        onChange={(event) => props.onChange(event.target.value as SignatureScheme)}
      >
        {(Object.keys(SCHEME_LABELS) as SignatureScheme[]).map((scheme) => (
          <option key={scheme} value={scheme}>
            {SCHEME_LABELS[scheme]}
          </option>
        ))}
      </select>
      <p id={`${id}-hint`} className="field-hint">
        Asymmetric: the platform keeps the private key (nobody sees it) and receivers verify with
        the public key (<code>whpk_</code>), which is safe to share.
      </p>
    </div>
  );
}

export interface PublicKeyFieldProps {
  publicKey: string;
  canGenerate: boolean;
  onGenerate: () => void;
}

/** An asymmetric webhook's `whpk_` public key: no secret, so shown in full, with Copy. */
export function PublicKeyField(props: PublicKeyFieldProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<string | null>(null);

  async function copy() {
    if (await copyText(props.publicKey)) {
      setMessage('Public key copied to the clipboard.');
    } else {
      input.current?.select();
      setMessage('The browser blocked the clipboard here: the key is selected, copy it yourself.');
    }
  }

  return (
    <div className="field">
      <label htmlFor={id}>Public key</label>
      <div className="input-group">
        <input
          id={id}
          ref={input}
          type="text"
          value={props.publicKey}
          readOnly
          spellCheck={false}
          className="monospace"
          aria-describedby={`${id}-hint`}
        />
        <button type="button" className="button" onClick={() => void copy()}>
          Copy public key
        </button>
        {props.canGenerate && (
          <button type="button" className="button" onClick={props.onGenerate}>
            Generate New Secret
          </button>
        )}
      </div>
      <p id={`${id}-hint`} className="field-hint">
        Requests are signed with ed25519 (<code>v1a,</code> in <code>webhook-signature</code>).
        Receivers verify with this key; the private key never leaves the platform.
      </p>
      <p className="field-hint" role="status" aria-live="polite">
        {message}
      </p>
    </div>
  );
}
