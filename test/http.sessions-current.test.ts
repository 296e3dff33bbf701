import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, createUser, startTestApp } from './support/harness.ts';

/**
 * `GET /api/v1/sessions/current`: who a request is signed in as, for the web app's start. Unlike `GET /me`
 * it never answers 401 (a visitor is `user: null`), so an anonymous page load logs no failed request; and
 * it says whether the user may moderate, which `/me`'s user (exactly id, username, displayName, createdAt)
 * does not carry.
 */

describe('GET /api/v1/sessions/current', () => {
  let t: TestApp;
  let moderator: TestUser;
  let member: TestUser;

  before(async () => {
    // The moderator's name must be known before the app that trusts it starts: sign up on a first app.
    const first = await startTestApp();
    moderator = await createUser(first.app, 'cur_mod');
    await first.app.close();
    t = await startTestApp({ storage: first.storage, moderators: [moderator.username] });
    member = await createUser(t.app, 'cur_member');
  });
  after(async () => {
    await t.app.close();
    await t.storage.remove();
  });

  const current = (headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers });

  test('a visitor: 200 { user: null, moderator: false }, never kept by a cache', async () => {
    const visitors: Record<string, string>[] = [
      {},
      { authorization: 'Bearer not-a-token' },
      { cookie: 'gavel_session=x' },
    ];
    for (const headers of visitors) {
      const res = await current(headers);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { user: null, moderator: false });
      assert.equal(res.headers['cache-control'], 'no-store');
    }
  });

  test('signed in by bearer token or cookie: the same user as GET /me, and not a moderator', async () => {
    const me = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: member.auth })).json() as {
      user: unknown;
    };
    for (const headers of [member.auth, { cookie: `gavel_session=${member.token}` }]) {
      const res = await current(headers);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { user: me.user, moderator: false });
    }
  });

  test('a user named in GAVEL_MODERATORS is told so', async () => {
    const res = await current(moderator.auth);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { user: { id: string; username: string }; moderator: boolean };
    assert.equal(body.user.id, moderator.id);
    assert.equal(body.moderator, true);
  });

  test('after log-out the same token is a visitor again', async () => {
    const user = await createUser(t.app, 'cur_out');
    const out = await t.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: user.auth });
    assert.equal(out.statusCode, 204);
    assert.deepEqual((await current(user.auth)).json(), { user: null, moderator: false });
  });
});
