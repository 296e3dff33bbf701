import { useEffect, useState } from 'preact/hooks';
import { type MailNotificationKind, type User, api } from '../api.ts';
import { currentUser } from '../session.ts';
import { FormError } from './form-error.tsx';

/** Each kind of notification mail: its checkbox's words, and its name in the confirmation. */
const KINDS: Record<MailNotificationKind, { label: string; name: string }> = {
  outbid: { label: 'I am outbid (at most one mail per auction every 15 minutes)', name: 'Outbid' },
  won: { label: 'I win an auction', name: 'Won' },
  payment_due: { label: 'A payment is due, or I get a second-chance offer', name: 'Payment due' },
  sold: { label: 'An auction of mine sells', name: 'Sold' },
  ending_soon: { label: 'An auction I watch or bid on ends soon', name: 'Ending soon' },
  question: { label: 'Someone asks a question about my auction', name: 'Question' },
};
const KIND_ORDER = Object.keys(KINDS) as MailNotificationKind[];

/**
 * My Gavel's E-mail tab: my verified address (nobody else ever sees it), setting or changing it (a link to
 * confirm it is mailed there; the old address stays until the new one is confirmed), and which
 * notifications are mailed to me, each checkbox saved as soon as it changes.
 */
export function EmailSettings() {
  const [me, setMe] = useState<User | null>(null);
  const [settings, setSettings] = useState<Record<string, boolean> | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);

  useEffect(() => {
    let shown = true;
    // Read afresh: the address may have been confirmed in another tab since the page loaded.
    Promise.all([api.me(), api.notificationSettings()]).then(
      ([{ user }, answer]) => {
        if (currentUser.get()?.id === user.id) currentUser.set(user);
        if (!shown) return;
        setMe(user);
        setSettings(answer.email);
      },
      (error: unknown) => {
        if (shown) setLoadError(error);
      },
    );
    return () => {
      shown = false;
    };
  }, []);

  if (loadError) return <FormError error={loadError} />;
  if (!me || !settings)
    return (
      <p class="muted" aria-busy="true">
        Loading…
      </p>
    );
  return (
    <div class="email-settings">
      <AddressSection user={me} />
      <NotificationsSection initial={settings} verified={Boolean(me.email && me.emailVerified)} />
    </div>
  );
}

function AddressSection({ user }: { user: User }) {
  const [address, setAddress] = useState('');
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const verified = user.email && user.emailVerified ? user.email : null;

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setPending(null);
    try {
      const { pendingEmail } = await api.setEmail(address.trim());
      setPending(pendingEmail);
      setAddress('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="account-section card" aria-labelledby="email-address-title">
      <h2 id="email-address-title">E-mail address</h2>
      <p data-testid="email-address">
        {verified ? (
          <>
            Your verified address: <strong>{verified}</strong>. Only you see it; Gavel’s mails go there.
          </>
        ) : (
          <>No verified address yet: Gavel cannot mail you notifications, or a link when you forget your password.</>
        )}
      </p>
      <form class="email-form" onSubmit={submit}>
        <div class="field">
          <label for="email-new">{verified ? 'New e-mail address' : 'E-mail address'}</label>
          <div class="input-with-button">
            <input
              id="email-new"
              name="email"
              type="email"
              autocomplete="email"
              required
              maxLength={254}
              value={address}
              onInput={(e) => setAddress(e.currentTarget.value)}
              aria-describedby="email-new-hint"
            />
            <button class="button button--primary" type="submit" disabled={busy}>
              {verified ? 'Change' : 'Set address'}
            </button>
          </div>
          <small id="email-new-hint" class="hint">
            We mail a link to the address; it becomes yours when you open the link (within 24 hours).
          </small>
        </div>
        <div role="status">
          {pending ? (
            <p class="form-ok">
              We sent a link to <strong>{pending}</strong>. Open it to confirm the address.
            </p>
          ) : null}
        </div>
        <FormError error={error} />
      </form>
    </section>
  );
}

function NotificationsSection({ initial, verified }: { initial: Record<string, boolean>; verified: boolean }) {
  // Shown as changed at once; each change is saved on its own (only its kind is sent), so two quick
  // changes cannot undo each other, and one that fails is put back alone.
  const [settings, setSettings] = useState(initial);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const toggle = async (kind: MailNotificationKind, on: boolean) => {
    setSettings((current) => ({ ...current, [kind]: on }));
    setSaved(null);
    setError(null);
    try {
      const answer = await api.setNotificationSettings({ [kind]: on });
      setSettings((current) => ({ ...current, [kind]: answer.email[kind] ?? on }));
      setSaved(`Saved: “${KINDS[kind].name}” mails are ${on ? 'on' : 'off'}.`);
    } catch (e) {
      setSettings((current) => ({ ...current, [kind]: !on }));
      setError(e);
    }
  };

  return (
    <section class="account-section card" aria-labelledby="email-notifications-title">
      <h2 id="email-notifications-title">Notifications by e-mail</h2>
      {verified ? null : <p class="muted small">They are mailed once you have a verified address.</p>}
      <fieldset class="check-list">
        <legend>Mail me when</legend>
        {KIND_ORDER.filter((kind) => kind in settings).map((kind) => (
          <label class="check" key={kind}>
            <input
              type="checkbox"
              name={kind}
              checked={settings[kind]}
              onChange={(e) => void toggle(kind, e.currentTarget.checked)}
            />
            {KINDS[kind].label}
          </label>
        ))}
      </fieldset>
      <div role="status">{saved ? <p class="form-ok">{saved}</p> : null}</div>
      <FormError error={error} />
    </section>
  );
}
