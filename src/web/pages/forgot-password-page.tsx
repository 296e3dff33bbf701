import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.ts';
import { FormError } from '../components/form-error.tsx';

/** A 429's wait, in words (the problem's `retryAfterSeconds`, the same as its Retry-After). */
function rateLimited(error: ApiError): string {
  const seconds = Number(error.problem.retryAfterSeconds);
  const wait =
    Number.isFinite(seconds) && seconds > 0
      ? seconds < 90
        ? `${Math.ceil(seconds)} seconds`
        : `${Math.ceil(seconds / 60)} minutes`
      : 'a few minutes';
  return `Too many requests for a reset link. Try again in ${wait}.`;
}

/**
 * "Forgot your password?" (linked from the log-in page): a reset link to the account's verified address,
 * asked for by username or address. The server answers the same whether or not there is such an account
 * (nobody can learn from it who has one), so the page says the same too.
 */
export function ForgotPasswordPage() {
  const [who, setWho] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    const value = who.trim();
    setBusy(true);
    setError(null);
    setSentTo(null);
    try {
      await api.requestPasswordReset(value.includes('@') ? { email: value } : { username: value });
      setSentTo(value);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="page page--narrow" id="main">
      <form class="card form" onSubmit={submit}>
        <h1>Forgot your password?</h1>
        <p class="muted">
          Give your username or your account’s e-mail address. If the account has a confirmed address, we mail it a link
          to choose a new password.
        </p>
        <div class="field">
          <label for="forgot-who">Username or e-mail address</label>
          <input
            id="forgot-who"
            name="username"
            autocomplete="username"
            required
            maxLength={254}
            value={who}
            onInput={(e) => setWho(e.currentTarget.value)}
          />
        </div>
        <div role="status">
          {sentTo !== null ? (
            <p class="form-ok">
              If an account exists for <strong>{sentTo}</strong> and has a confirmed e-mail address, a link to choose a
              new password was sent there. It works for 1 hour; look in your spam folder too.
            </p>
          ) : null}
        </div>
        {error instanceof ApiError && error.code === 'RATE_LIMITED' ? (
          <p class="form-error" role="alert">
            {rateLimited(error)}
          </p>
        ) : (
          <FormError error={error} />
        )}
        <button class="button button--primary button--block" type="submit" disabled={busy}>
          Send me a link
        </button>
        <p class="muted form__switch">
          Remembered it? <a href="#/login">Log in</a>
        </p>
      </form>
    </main>
  );
}
