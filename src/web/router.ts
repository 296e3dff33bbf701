import { useEffect, useState } from 'preact/hooks';

/**
 * Routes live in the URL hash (`#/auction/<id>`), so the server serves one
 * page for every route and a reload or a shared link lands on the same view.
 */
export type Route =
  | { name: 'browse'; query: URLSearchParams }
  | { name: 'auction'; id: string }
  | { name: 'sell' }
  | { name: 'login'; next: string | null }
  | { name: 'signup'; next: string | null }
  | { name: 'account'; tab: string | null }
  | { name: 'moderation' }
  | { name: 'not_found' };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = raw.split('?', 2);
  const query = new URLSearchParams(search);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'browse', query };
  if (parts[0] === 'auction' && parts.length === 2) return { name: 'auction', id: parts[1]! };
  if (parts[0] === 'sell' && parts.length === 1) return { name: 'sell' };
  if (parts[0] === 'login' && parts.length === 1) return { name: 'login', next: query.get('next') };
  if (parts[0] === 'signup' && parts.length === 1) return { name: 'signup', next: query.get('next') };
  if (parts[0] === 'account' && parts.length <= 2) return { name: 'account', tab: parts[1] ?? null };
  if (parts[0] === 'moderation' && parts.length === 1) return { name: 'moderation' };
  return { name: 'not_found' };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function navigate(hash: string, replace = false): void {
  if (replace) history.replaceState(null, '', hash);
  else location.hash = hash;
  if (replace) dispatchEvent(new HashChangeEvent('hashchange'));
}

export const auctionHref = (id: string) => `#/auction/${encodeURIComponent(id)}`;

/** Where to send someone who must sign in first, and back afterwards. */
export const loginHref = (next: string = location.hash || '#/') => `#/login?next=${encodeURIComponent(next)}`;
