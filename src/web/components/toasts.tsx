import { dismissToast, toasts } from '../notifications.ts';
import { auctionHref } from '../router.ts';
import { useShared } from '../store.ts';

/** Notifications, announced politely to screen readers. */
export function Toasts() {
  const list = useShared(toasts);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {list.map((t) => (
        <div key={t.id} class={`toast toast--${t.tone}`}>
          {t.auctionId ? (
            <a href={auctionHref(t.auctionId)} onClick={() => dismissToast(t.id)}>
              {t.text}
            </a>
          ) : (
            <span>{t.text}</span>
          )}
          <button type="button" class="toast__close" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
