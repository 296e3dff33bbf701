import { type Route, navigate } from '../router.ts';
import { currentUser, isModerator, logOut } from '../session.ts';
import { useShared } from '../store.ts';

export function Header({ route }: { route: Route }) {
  const user = useShared(currentUser);
  const moderator = useShared(isModerator);
  const current = (name: Route['name']) => (route.name === name ? 'page' : undefined);
  return (
    <header class="site-header">
      <div class="site-header__inner">
        <a class="brand" href="#/" aria-label="Gavel, home">
          <svg class="brand__mark" viewBox="0 0 24 24" aria-hidden="true">
            <path d="M14.5 3.5l6 6-3 3-6-6zM9.6 8.4l6 6-2.1 2.1-6-6zM10.5 13.5l-7 7 1.5 1.5 7-7zM13 21h9v2h-9z" />
          </svg>
          <span>Gavel</span>
        </a>
        <nav class="site-nav" aria-label="Main">
          <a href="#/" aria-current={current('browse')}>
            Browse
          </a>
          <a href="#/sell" aria-current={current('sell')}>
            Sell
          </a>
          {user ? (
            <a href="#/account" aria-current={current('account')}>
              My Gavel
            </a>
          ) : null}
          {user && moderator ? (
            <a href="#/moderation" aria-current={current('moderation')}>
              Moderation
            </a>
          ) : null}
        </nav>
        <div class="site-header__user">
          {user === undefined ? null : user ? (
            <>
              <span class="user-chip" title={`Signed in as ${user.username}`}>
                <span class="user-chip__avatar" aria-hidden="true">
                  {user.displayName.slice(0, 1).toUpperCase()}
                </span>
                <span class="user-chip__name">{user.username}</span>
              </span>
              <button
                type="button"
                class="button button--ghost"
                onClick={() => {
                  // Back to the start page once logged out, unless the visitor has moved on meanwhile.
                  const from = location.hash;
                  void logOut().then(() => location.hash === from && navigate('#/'));
                }}
              >
                Log out
              </button>
            </>
          ) : (
            <>
              <a class="button button--ghost" href="#/login">
                Log in
              </a>
              <a class="button button--primary" href="#/signup">
                Sign up
              </a>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
