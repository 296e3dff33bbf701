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
  | { name: 'forgot_password' }
  | { name: 'verify_email' }
  | { name: 'reset_password' }
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
  if (parts[0] === 'forgot-password' && parts.length === 1) return { name: 'forgot_password' };
  if (parts[0] === 'verify-email' && parts.length === 1) return { name: 'verify_email' };
  if (parts[0] === 'reset-password' && parts.length === 1) return { name: 'reset_password' };
  return { name: 'not_found' };
}

/**
 * The pages mails link to: real paths with the link's token in the query (`/verify-email?token=…`), which
 * the server answers with this same page.
 */
const MAILED_LINK_PAGES: Record<string, 'verify-email' | 'reset-password'> = {
  '/verify-email': 'verify-email',
  '/reset-password': 'reset-password',
};

let mailedToken: { page: 'verify-email' | 'reset-password'; token: string } | null = null;

/**
 * Run once, before anything else on the page: on a mailed link's path, keeps its token in memory and puts
 * the matching hash route (`/#/verify-email`) in the address bar in its place, so the token stays in neither
 * the address bar, the history, a bookmark nor a shared screen. (The server's `Referrer-Policy: no-referrer`
 * keeps it out of every request's Referer before this runs.)
 */
export function takeMailedLinkToken(): void {
  const page = MAILED_LINK_PAGES[location.pathname];
  if (!page) return;
  const token = new URLSearchParams(location.search).get('token');
  if (token) mailedToken = { page, token };
  history.replaceState(null, '', `/#/${page}`);
}

/** The token of the mailed link this page was opened with, for that link's page only; null without one. */
export function mailedLinkToken(page: 'verify-email' | 'reset-password'): string | null {
  return mailedToken?.page === page ? mailedToken.token : null;
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
