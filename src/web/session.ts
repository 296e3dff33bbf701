/**
 * Who is signed in. The session itself is an HttpOnly cookie the page cannot
 * read; the page learns the user from `GET /api/v1/sessions/current` at start
 * and from the log-in answer. That endpoint answers 200 `{ user: null }` to a
 * visitor, where `GET /me` would answer 401: a failed request the browser
 * logs in the console of every anonymous visit.
 */
import { type User, api } from './api.ts';
import { Shared } from './store.ts';

/** undefined while the first session check is in flight; null when nobody is signed in. */
export const currentUser = new Shared<User | null | undefined>(undefined);

/** Whether the signed-in user is a moderator (`GAVEL_MODERATORS`): the header then links the moderation queue. */
export const isModerator = new Shared<boolean>(false);

export async function loadSession(): Promise<void> {
  try {
    const session = await api.session();
    isModerator.set(session.moderator);
    currentUser.set(session.user);
  } catch {
    // The server cannot be reached: signed out for now (log-in works once it is back).
    currentUser.set(null);
  }
}

/**
 * Asks again who is signed in, after a stream was refused: only an answer
 * that nobody (or someone else) is signed in changes the page. A server that
 * is restarting (503, unreachable) changes nothing.
 */
export async function recheckSession(): Promise<void> {
  if (!currentUser.get()) return;
  try {
    const session = await api.session();
    if (session.user?.id !== currentUser.get()?.id) {
      isModerator.set(session.moderator);
      currentUser.set(session.user);
    }
  } catch {
    // Not an answer about the session: keep what we know.
  }
}

export async function logIn(username: string, password: string): Promise<User> {
  const { user } = await api.logIn(username, password);
  isModerator.set(false);
  currentUser.set(user);
  // The log-in answer names the user only; whether they moderate comes from the session check.
  api.session().then(
    (session) => {
      if (session.user?.id === currentUser.get()?.id) isModerator.set(session.moderator);
    },
    () => {
      // Unreachable just after logging in: the moderation link appears on the next page load.
    },
  );
  return user;
}

export async function signUp(username: string, password: string, displayName?: string): Promise<User> {
  await api.signUp(username, password, displayName);
  return logIn(username, password);
}

export async function logOut(): Promise<void> {
  try {
    await api.logOut();
  } finally {
    isModerator.set(false);
    currentUser.set(null);
  }
}
