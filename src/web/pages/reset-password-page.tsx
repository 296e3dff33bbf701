import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.ts';
import { FormError } from '../components/form-error.tsx';
import { mailedLinkToken } from '../router.ts';
import { loadSession } from '../session.ts';

/** The confirmation field differs from the password: caught here, before anything is sent. */
const MISMATCH = new Error('The two passwords are not the same. Type the new password twice.');

/**
 * Where a mailed reset link (`/reset-password?token=…`) lands: a new password, typed twice, sent with the
 * link's token. The server then ends every session of the account, this browser's included, so the page
 * asks who is signed in again and sends the user to log in.
 */
export function ResetPasswordPage() {
  const [token] = useState(() => mailedLinkToken('reset-password'));
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!token) return;
    setError(null);
    if (password !== confirmation) {
      setError(MISMATCH);
      return;
    }
    setBusy(true);
    try {
      await api.resetPassword(token, password);
      setDone(true);
      void loadSession();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const linkInvalid = error instanceof ApiError && error.code === 'TOKEN_INVALID';

  return (
    <main class="page page--narrow" id="main">
      <div class="card form">
        <h1>Choose a new password</h1>
        <div role="status">
          {done ? (
            <p class="form-ok">
              Your password is changed, and every session of your account has ended, on every device. Log in with your
              new password.
            </p>
          ) : null}
        </div>
        {done ? (
          <a class="button button--primary button--block" href="#/login">
            Log in
          </a>
        ) : !token ? (
          <p>
            This page needs the link from your mail. Open the link in the mail again, or{' '}
            <a href="#/forgot-password">ask for a new one</a>.
          </p>
        ) : (
          <form onSubmit={submit}>
            <div class="field">
              <label for="reset-password">New password</label>
              <input
                id="reset-password"
                name="password"
                type="password"
                autocomplete="new-password"
                required
                minLength={8}
                maxLength={128}
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
                aria-describedby="reset-password-hint"
              />
              <small id="reset-password-hint" class="hint">
                At least 8 characters
              </small>
            </div>
            <div class="field">
              <label for="reset-confirm">Confirm new password</label>
              <input
                id="reset-confirm"
                name="confirmation"
                type="password"
                autocomplete="new-password"
                required
                maxLength={128}
                value={confirmation}
                onInput={(e) => setConfirmation(e.currentTarget.value)}
                aria-invalid={error === MISMATCH ? 'true' : undefined}
              />
            </div>
            {linkInvalid ? (
              <p class="form-error" role="alert">
                This link does not work: it was used already, it has expired (a reset link works for 1 hour), or it
                never existed. <a href="#/forgot-password">Ask for a new link</a>.
              </p>
            ) : (
              <FormError error={error} />
            )}
            <button class="button button--primary button--block" type="submit" disabled={busy}>
              Set new password
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
