import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api.ts';
import { errorMessage } from '../components/form-error.tsx';
import { mailedLinkToken } from '../router.ts';
import { currentUser } from '../session.ts';

type Step =
  | { name: 'checking' }
  | { name: 'verified'; email: string }
  | { name: 'failed'; message: string }
  | { name: 'no_token' };

/** Why a verification link did not work, in words: the server's reason when it gives one (taken). */
function failure(error: unknown): string {
  if (error instanceof ApiError && error.code === 'TOKEN_INVALID') {
    const { title, detail } = error.problem;
    const reason = detail && detail !== title ? `${detail}. ` : '';
    return (
      `${reason}This link does not work: it was used already, it has expired (a link works for 24 hours), or ` +
      'another account confirmed this address first. Set your address again in My Gavel to get a new link.'
    );
  }
  return errorMessage(error);
}

/**
 * Where a mailed verification link (`/verify-email?token=…`) lands: the token is sent at once, and the
 * page says whether the address is now the user's. No session is needed (the token is the proof); a
 * signed-in user of the same account sees the address in My Gavel at once.
 */
export function VerifyEmailPage() {
  const [token] = useState(() => mailedLinkToken('verify-email'));
  const [step, setStep] = useState<Step>(token ? { name: 'checking' } : { name: 'no_token' });
  useEffect(() => {
    if (!token) return;
    let shown = true;
    api.verifyEmail(token).then(
      ({ user }) => {
        if (currentUser.get()?.id === user.id) currentUser.set(user);
        if (shown) setStep({ name: 'verified', email: user.email ?? '' });
      },
      (error: unknown) => {
        if (shown) setStep({ name: 'failed', message: failure(error) });
      },
    );
    return () => {
      shown = false;
    };
  }, [token]);

  return (
    <main class="page page--narrow" id="main">
      <div class="card form" aria-busy={step.name === 'checking'}>
        <h1>Confirm e-mail</h1>
        <div role="status">
          {step.name === 'checking' ? <p class="muted">Confirming your e-mail address…</p> : null}
          {step.name === 'verified' ? (
            <p class="form-ok">
              Your e-mail address <strong>{step.email}</strong> is confirmed: Gavel’s mails go there now.
            </p>
          ) : null}
        </div>
        {step.name === 'failed' ? (
          <p class="form-error" role="alert">
            {step.message}
          </p>
        ) : null}
        {step.name === 'no_token' ? (
          <p>
            This page needs the link from your mail. Open the link in the mail again, or set your address again in My
            Gavel to get a new one.
          </p>
        ) : null}
        {step.name === 'checking' ? null : (
          <a class="button button--primary button--block" href="#/account/email">
            Go to My Gavel
          </a>
        )}
      </div>
    </main>
  );
}
