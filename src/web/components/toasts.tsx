import { useLayoutEffect, useState } from 'preact/hooks';
import { dismissToast, toasts } from '../notifications.ts';
import { auctionHref } from '../router.ts';
import { useShared } from '../store.ts';

/**
 * Notifications, announced politely to screen readers, placed where they
 * cannot cover what the visitor is doing (styles.css, "toasts"): bottom-left
 * on wide screens, where no page keeps a primary action; on narrow screens,
 * over the sticky header's own band, which holds no page content. That band's
 * height changes with the header's wrapping, so it is measured here.
 */
export function Toasts() {
  const list = useShared(toasts);
  const headerHeight = useHeaderHeight();
  return (
    <div
      class="toasts"
      role="status"
      aria-live="polite"
      style={headerHeight === null ? undefined : { '--header-height': `${headerHeight}px` }}
    >
      {list.map((t) => (
        <div key={t.id} class={`toast toast--${t.tone}`}>
          {t.auctionId ? (
            <a class="toast__text" href={auctionHref(t.auctionId)} onClick={() => dismissToast(t.id)}>
              {t.text}
            </a>
          ) : (
            <span class="toast__text">{t.text}</span>
          )}
          <button type="button" class="toast__close" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/** The sticky header's height in px, following it as it wraps (phones) or not; null before it is measured. */
function useHeaderHeight(): number | null {
  const [height, setHeight] = useState<number | null>(null);
  useLayoutEffect(() => {
    const header = document.querySelector('.site-header');
    if (!header) return;
    // Rounded down: the band must not reach past the header by a fraction of a pixel.
    const measure = () => setHeight(Math.floor(header.getBoundingClientRect().height));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(header);
    return () => observer.disconnect();
  }, []);
  return height;
}
