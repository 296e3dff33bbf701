/**
 * Gavel's web app: browse, watch, bid and sell, live. Preact renders from
 * plain data; every piece of user text reaches the DOM as text (JSX never
 * injects HTML), and the page's CSP allows only our own script.
 */
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import { Header } from './components/header.tsx';
import { Toasts } from './components/toasts.tsx';
import { clearToasts, followUser } from './notifications.ts';
import { AccountPage } from './pages/account-page.tsx';
import { AuctionPage } from './pages/auction-page.tsx';
import { AuthPage } from './pages/auth-page.tsx';
import { BrowsePage } from './pages/browse-page.tsx';
import { ForgotPasswordPage } from './pages/forgot-password-page.tsx';
import { ModerationPage } from './pages/moderation-page.tsx';
import { ResetPasswordPage } from './pages/reset-password-page.tsx';
import { SellPage } from './pages/sell-page.tsx';
import { VerifyEmailPage } from './pages/verify-email-page.tsx';
import { takeMailedLinkToken, useRoute } from './router.ts';
import { currentUser, loadSession, recheckSession } from './session.ts';
import { useShared } from './store.ts';

function App() {
  const route = useRoute();
  const user = useShared(currentUser);
  // A refused notification stream may mean the session ended (expired, or logged out in another tab).
  useEffect(() => followUser(Boolean(user), () => void recheckSession()), [user?.id]);
  // A new page (not a new filter or tab on the same one): start at its top, without the last page's toasts.
  useEffect(() => {
    scrollTo(0, 0);
    clearToasts();
  }, [route.name, route.name === 'auction' ? route.id : null]);

  let page;
  switch (route.name) {
    case 'browse':
      page = <BrowsePage query={route.query} />;
      break;
    case 'auction':
      page = <AuctionPage id={route.id} />;
      break;
    case 'sell':
      page = <SellPage />;
      break;
    case 'login':
    case 'signup':
      page = <AuthPage key={route.name} mode={route.name} next={route.next} />;
      break;
    case 'account':
      page = <AccountPage tab={route.tab} />;
      break;
    case 'moderation':
      page = <ModerationPage />;
      break;
    case 'forgot_password':
      page = <ForgotPasswordPage />;
      break;
    case 'verify_email':
      page = <VerifyEmailPage />;
      break;
    case 'reset_password':
      page = <ResetPasswordPage />;
      break;
    default:
      page = (
        <main class="page" id="main">
          <div class="empty">
            <h1>Page not found</h1>
            <a class="button" href="#/">
              Back to auctions
            </a>
          </div>
        </main>
      );
  }
  return (
    <>
      <a class="skip-link" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <Header route={route} />
      {page}
      <Toasts />
      <footer class="site-footer muted small">
        Gavel · every bid is stored durably before it is confirmed · <a href="/docs">API</a>
      </footer>
    </>
  );
}

// First of all: a mailed link's token leaves the address bar before anything else can see or keep it.
takeMailedLinkToken();
void loadSession();
render(<App />, document.getElementById('app')!);
