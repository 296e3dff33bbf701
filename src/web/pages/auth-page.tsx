import { useState } from 'preact/hooks';
import { FormError } from '../components/form-error.tsx';
import { navigate } from '../router.ts';
import { logIn, signUp } from '../session.ts';

/** Log in and sign up: one form, two modes. */
export function AuthPage({ mode, next }: { mode: 'login' | 'signup'; next: string | null }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const signingUp = mode === 'signup';
  // Only ever back to a route of this page: never an outside URL.
  const target =
    next && next.startsWith('#/') && !next.startsWith('#/login') && !next.startsWith('#/signup') ? next : '#/';

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (signingUp) await signUp(username.trim(), password, displayName.trim() || undefined);
      else await logIn(username.trim(), password);
      navigate(target, true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="page page--narrow" id="main">
      <form class="card form" onSubmit={submit} noValidate={false}>
        <h1>{signingUp ? 'Create your account' : 'Welcome back'}</h1>
        <p class="muted">
          {signingUp ? 'Bid on anything, sell in a minute.' : 'Log in to bid, sell and follow your auctions.'}
        </p>
        <div class="field">
          <label for="auth-username">Username</label>
          <input
            id="auth-username"
            name="username"
            autocomplete="username"
            required
            minLength={3}
            maxLength={32}
            pattern={signingUp ? '[a-z0-9_]{3,32}' : undefined}
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
            aria-describedby={signingUp ? 'auth-username-hint' : undefined}
          />
          {signingUp ? (
            <small id="auth-username-hint" class="hint">
              3–32 lowercase letters, digits or _
            </small>
          ) : null}
        </div>
        {signingUp ? (
          <div class="field">
            <label for="auth-display">Display name (optional)</label>
            <input
              id="auth-display"
              name="displayName"
              autocomplete="nickname"
              maxLength={64}
              value={displayName}
              onInput={(e) => setDisplayName(e.currentTarget.value)}
            />
          </div>
        ) : null}
        <div class="field">
          <label for="auth-password">Password</label>
          <input
            id="auth-password"
            name="password"
            type="password"
            autocomplete={signingUp ? 'new-password' : 'current-password'}
            required
            minLength={signingUp ? 8 : 1}
            maxLength={128}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            aria-describedby={signingUp ? 'auth-password-hint' : undefined}
          />
          {signingUp ? (
            <small id="auth-password-hint" class="hint">
              At least 8 characters
            </small>
          ) : (
            <a class="small form__aside" href="#/forgot-password">
              Forgot your password?
            </a>
          )}
        </div>
        <FormError error={error} />
        <button class="button button--primary button--block" type="submit" disabled={busy}>
          {signingUp ? 'Sign up' : 'Log in'}
        </button>
        <p class="muted form__switch">
          {signingUp ? (
            <>
              Already have an account? <a href={`#/login${next ? `?next=${encodeURIComponent(next)}` : ''}`}>Log in</a>
            </>
          ) : (
            <>
              New here? <a href={`#/signup${next ? `?next=${encodeURIComponent(next)}` : ''}`}>Create an account</a>
            </>
          )}
        </p>
      </form>
    </main>
  );
}
