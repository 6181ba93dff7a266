import { useState, type FormEvent } from 'react';
import { useSessionContext } from './session';

/**
 * Sign-in with a bearer token (what `npm run token -- --role admin --sub you` prints). The token is
 * checked against the API before it is kept, so a viewer's or a forged token is refused here, with
 * the reason, rather than failing on every page.
 */
export function SignInPage() {
  const { signIn, signedOutReason } = useSessionContext();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(token);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <form
        className="card"
        onSubmit={(event) => void submit(event)}
        aria-describedby="sign-in-help"
      >
        <h1>Sign in to Webhooks</h1>
        <p id="sign-in-help">
          Paste a bearer token. Reading webhooks and deliveries needs the <em>auditor</em> role;
          changing them, <em>admin</em>; changing settings, <em>owner</em>. The token is kept for
          this browser tab only.
        </p>
        {signedOutReason && (
          <p className="banner banner-warning" role="status">
            You were signed out. {signedOutReason}
          </p>
        )}
        <div className="field">
          <label htmlFor="token">Bearer token</label>
          <textarea
            id="token"
            name="token"
            rows={4}
            required
            spellCheck={false}
            autoComplete="off"
            value={token}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'sign-in-error' : undefined}
            onChange={(event) => setToken(event.target.value)}
          />
        </div>
        {error && (
          <p id="sign-in-error" className="banner banner-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy || !token.trim()}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        <p className="field-hint">
          Running locally? <code>npm run token -- --role admin --sub you</code> prints one.
        </p>
      </form>
    </main>
  );
}
