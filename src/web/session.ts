/**
 * Who is signed in. The session itself is an HttpOnly cookie the page cannot
 * read; the page only learns the user from `GET /api/v1/me` at start and from
 * the log-in answer.
 */
import { type User, ApiError, api } from './api.ts';
import { Shared } from './store.ts';

/** undefined while the first `GET /me` is in flight; null when nobody is signed in. */
export const currentUser = new Shared<User | null | undefined>(undefined);

export async function loadSession(): Promise<void> {
  try {
    currentUser.set((await api.me()).user);
  } catch {
    // 401, or the server cannot be reached: signed out for now (log-in works once it is back).
    currentUser.set(null);
  }
}

/**
 * Asks again who is signed in, after a stream was refused: only a 401 signs
 * the page out. A server that is restarting (503, unreachable) changes nothing.
 */
export async function recheckSession(): Promise<void> {
  if (!currentUser.get()) return;
  try {
    const { user } = await api.me();
    if (user.id !== currentUser.get()?.id) currentUser.set(user);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) currentUser.set(null);
  }
}

export async function logIn(username: string, password: string): Promise<User> {
  const { user } = await api.logIn(username, password);
  currentUser.set(user);
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
    currentUser.set(null);
  }
}
