import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BURST_LIMITS,
  ManualClock,
  type TestApp,
  type TestUser,
  createTestStorage,
  createUser,
  startTestApp,
} from './support/harness.ts';
import { ISO_MS, expectProblem } from './support/problem.ts';
import { countRows, readRows } from './support/store-probe.ts';

const PASSWORD = 'correct horse battery';
let seq = 0;
/** A fresh, valid, unique username. */
const uniqueName = (prefix = 'u') => `${prefix}_${process.pid}_${++seq}`;

interface WireUser {
  id: string;
  username: string;
  displayName: string;
  createdAt: string;
}

describe('users and sessions over HTTP', () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await startTestApp({ limits: BURST_LIMITS });
  });
  after(async () => {
    await testApp.dispose();
  });

  const signUp = (payload: unknown) =>
    testApp.app.inject({ method: 'POST', url: '/api/v1/users', payload: payload as object });
  const logIn = (payload: unknown) =>
    testApp.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: payload as object });
  const me = (headers: Record<string, string> = {}) =>
    testApp.app.inject({ method: 'GET', url: '/api/v1/me', headers });

  describe('POST /api/v1/users (sign-up)', () => {
    test('answers 201 { user } with exactly id, username, displayName, createdAt, email, emailVerified and never the password', async () => {
      const username = uniqueName();
      const res = await signUp({ username, password: PASSWORD });
      assert.equal(res.statusCode, 201, res.body);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      const body = res.json() as { user: WireUser };
      assert.deepEqual(Object.keys(body), ['user']);
      assert.deepEqual(Object.keys(body.user).sort(), [
        'createdAt',
        'displayName',
        'email',
        'emailVerified',
        'id',
        'username',
      ]);
      // No address until one is verified (docs/email.md); only the user ever sees it.
      assert.equal((body.user as unknown as { email: unknown }).email, null);
      assert.equal((body.user as unknown as { emailVerified: unknown }).emailVerified, false);
      assert.equal(body.user.username, username);
      assert.equal(body.user.displayName, username, 'displayName defaults to the username');
      assert.equal(typeof body.user.id, 'string');
      assert.ok(body.user.id.length > 0);
      assert.match(body.user.createdAt, ISO_MS);
      assert.ok(Math.abs(Date.parse(body.user.createdAt) - Date.now()) < 60_000);
      assert.ok(!res.body.includes(PASSWORD), 'the password is never echoed');
      assert.ok(!/password/i.test(res.body), 'no password or hash field in the answer');
    });

    test('keeps a given displayName', async () => {
      const res = await signUp({ username: uniqueName(), password: PASSWORD, displayName: 'Ada Lovelace' });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal((res.json() as { user: WireUser }).user.displayName, 'Ada Lovelace');
    });

    test('accepts the boundaries: username 3 and 32 characters, password 8 and 128 characters', async () => {
      const three = `z${String(seq++ % 100).padStart(2, '0')}`;
      const cases = [
        { username: three, password: 'x'.repeat(8) },
        { username: uniqueName('max').padEnd(32, '_').slice(0, 32), password: 'x'.repeat(128) },
        { username: uniqueName('digits_0123456789'), password: ' spaces and ünïcödé ok ' },
      ];
      for (const payload of cases) {
        const res = await signUp(payload);
        assert.equal(res.statusCode, 201, `${JSON.stringify(payload)} → ${res.body}`);
      }
    });

    const invalidBodies: [string, unknown][] = [
      ['username too short', { username: 'ab', password: PASSWORD }],
      ['username too long (33)', { username: 'a'.repeat(33), password: PASSWORD }],
      ['username with upper case', { username: 'Alice_1', password: PASSWORD }],
      ['username with a dash', { username: 'has-dash', password: PASSWORD }],
      ['username with a space', { username: 'has space', password: PASSWORD }],
      ['username with a dot', { username: 'first.last', password: PASSWORD }],
      ['username with non-ASCII', { username: 'émile', password: PASSWORD }],
      ['username with a trailing newline', { username: 'alice\n', password: PASSWORD }],
      ['username empty', { username: '', password: PASSWORD }],
      ['username a number', { username: 12345, password: PASSWORD }],
      ['username null', { username: null, password: PASSWORD }],
      ['username missing', { password: PASSWORD }],
      ['password too short (7)', { username: 'valid_name', password: 'x'.repeat(7) }],
      ['password too long (129)', { username: 'valid_name', password: 'x'.repeat(129) }],
      ['password a number', { username: 'valid_name', password: 12345678 }],
      ['password missing', { username: 'valid_name' }],
      ['displayName empty', { username: 'valid_name', password: PASSWORD, displayName: '' }],
      ['displayName only spaces', { username: 'valid_name', password: PASSWORD, displayName: '   ' }],
      ['displayName too long', { username: 'valid_name', password: PASSWORD, displayName: 'd'.repeat(65) }],
      ['unknown field', { username: 'valid_name', password: PASSWORD, isAdmin: true }],
      ['an array', [{ username: 'valid_name', password: PASSWORD }]],
      ['a string', 'valid_name'],
      ['null', null],
    ];
    for (const [name, payload] of invalidBodies) {
      test(`400 VALIDATION_FAILED: ${name}`, async () => {
        const res = await testApp.app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(payload),
        });
        expectProblem(res, 'VALIDATION_FAILED');
      });
    }

    test('nothing is stored for an invalid sign-up', async () => {
      const count = () => countRows(testApp.store, 'users');
      const before = await count();
      expectProblem(await signUp({ username: 'stored_never', password: 'short' }), 'VALIDATION_FAILED');
      assert.equal(await count(), before);
      assert.equal(await testApp.store.findUserByUsername('stored_never'), null);
    });

    test('concurrent sign-ups with one username: exactly one 201, the others 409 USERNAME_TAKEN', async () => {
      const username = uniqueName('race');
      const answers = await Promise.all([1, 2, 3, 4].map((i) => signUp({ username, password: `${PASSWORD} ${i}` })));
      assert.deepEqual(answers.map((r) => r.statusCode).sort(), [201, 409, 409, 409]);
      for (const res of answers.filter((r) => r.statusCode === 409)) expectProblem(res, 'USERNAME_TAKEN');
      assert.equal(await countRows(testApp.store, 'users', { username }), 1);
    });

    test('409 USERNAME_TAKEN for a second sign-up with the same username, whatever the password', async () => {
      const username = uniqueName();
      assert.equal((await signUp({ username, password: PASSWORD })).statusCode, 201);
      expectProblem(await signUp({ username, password: 'another password' }), 'USERNAME_TAKEN');
      // The first account is untouched: its password still works.
      assert.equal((await logIn({ username, password: PASSWORD })).statusCode, 201);
    });

    test('a text/plain body is 415 UNSUPPORTED_MEDIA_TYPE (a body that is not JSON)', async () => {
      const res = await testApp.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { 'content-type': 'text/plain' },
        payload: JSON.stringify({ username: uniqueName(), password: PASSWORD }),
      });
      expectProblem(res, 'UNSUPPORTED_MEDIA_TYPE');
    });

    test('other non-JSON content types are 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      for (const contentType of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/html']) {
        const res = await testApp.app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: { 'content-type': contentType },
          payload: 'username=abc&password=12345678',
        });
        expectProblem(res, 'UNSUPPORTED_MEDIA_TYPE');
      }
    });

    test('unparseable or empty JSON is 400 VALIDATION_FAILED', async () => {
      for (const payload of ['{"username": "abc", ', '', 'undefined', "{'a':1}"]) {
        const res = await testApp.app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: { 'content-type': 'application/json' },
          payload,
        });
        expectProblem(res, 'VALIDATION_FAILED');
      }
    });
  });

  describe('POST /api/v1/sessions (log-in)', () => {
    test('answers 201 { token, expiresAt, user }', async () => {
      const username = uniqueName();
      const created = (await signUp({ username, password: PASSWORD, displayName: 'Grace' })).json() as {
        user: WireUser;
      };
      const res = await logIn({ username, password: PASSWORD });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json() as { token: string; expiresAt: string; user: WireUser };
      assert.deepEqual(Object.keys(body).sort(), ['expiresAt', 'token', 'user']);
      assert.equal(typeof body.token, 'string');
      assert.ok(body.token.length >= 20);
      assert.match(body.expiresAt, ISO_MS);
      assert.ok(Date.parse(body.expiresAt) > Date.now() + 3600_000, 'a session lasts longer than an hour');
      assert.deepEqual(body.user, created.user);
      assert.ok(!res.body.includes(PASSWORD));
    });

    test('every log-in gets its own token', async () => {
      const username = uniqueName();
      await signUp({ username, password: PASSWORD });
      const a = (await logIn({ username, password: PASSWORD })).json() as { token: string };
      const b = (await logIn({ username, password: PASSWORD })).json() as { token: string };
      assert.notEqual(a.token, b.token);
    });

    test('401 INVALID_CREDENTIALS for a wrong password and for an unknown user, indistinguishably', async () => {
      const username = uniqueName();
      await signUp({ username, password: PASSWORD });
      const wrong = expectProblem(await logIn({ username, password: 'not the password' }), 'INVALID_CREDENTIALS');
      const unknown = expectProblem(
        await logIn({ username: uniqueName('nobody'), password: PASSWORD }),
        'INVALID_CREDENTIALS',
      );
      assert.deepEqual(wrong, unknown, 'the answer does not reveal whether the user exists');
      expectProblem(await logIn({ username: username.toUpperCase(), password: PASSWORD }), 'INVALID_CREDENTIALS');
      expectProblem(await logIn({ username, password: PASSWORD.toUpperCase() }), 'INVALID_CREDENTIALS');
      expectProblem(await logIn({ username, password: '' }), 'INVALID_CREDENTIALS');
      // A username no store can hold (PostgreSQL text cannot contain U+0000) is just another unknown user.
      expectProblem(await logIn({ username: `${username}\u0000`, password: PASSWORD }), 'INVALID_CREDENTIALS');
    });

    test('400 VALIDATION_FAILED for a malformed log-in body', async () => {
      for (const payload of [{}, { username: 'abc' }, { password: PASSWORD }, { username: 1, password: 2 }, []]) {
        expectProblem(await logIn(payload), 'VALIDATION_FAILED');
      }
      expectProblem(await logIn({ username: 'abc', password: PASSWORD, remember: true }), 'VALIDATION_FAILED');
    });
  });

  describe('GET /api/v1/me', () => {
    test('200 { user } for a valid bearer token', async () => {
      const user = await createUser(testApp.app, 'me');
      const res = await me(user.auth);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { user: WireUser };
      assert.deepEqual(Object.keys(body), ['user']);
      assert.equal(body.user.id, user.id);
      assert.equal(body.user.username, user.username);
      assert.deepEqual(Object.keys(body.user).sort(), [
        'createdAt',
        'displayName',
        'email',
        'emailVerified',
        'id',
        'username',
      ]);
      // No address until one is verified (docs/email.md); only the user ever sees it.
      assert.equal((body.user as unknown as { email: unknown }).email, null);
      assert.equal((body.user as unknown as { emailVerified: unknown }).emailVerified, false);
    });

    test('401 UNAUTHENTICATED without a token or with a garbage one', async () => {
      const user = await createUser(testApp.app, 'me');
      const variants: Record<string, string>[] = [
        {},
        { authorization: '' },
        { authorization: 'Bearer' },
        { authorization: 'Bearer ' },
        { authorization: 'Bearer garbage' },
        { authorization: `Bearer ${'A'.repeat(43)}` },
        { authorization: `Bearer ${user.token}x` },
        { authorization: `Bearer ${user.token.slice(1)}` },
        { authorization: user.token },
        { authorization: `Basic ${Buffer.from(`${user.username}:${PASSWORD}`).toString('base64')}` },
        { authorization: `Token ${user.token}` },
        { authorization: `Bearer ${user.token} ${user.token}` },
        { authorization: `Bearer ${'x'.repeat(5000)}` },
      ];
      for (const headers of variants) {
        expectProblem(await me(headers), 'UNAUTHENTICATED');
      }
    });
  });

  describe('DELETE /api/v1/sessions/current (log-out)', () => {
    test('revokes exactly the token it was called with', async () => {
      const user = await createUser(testApp.app, 'out');
      const second = (await logIn({ username: user.username, password: PASSWORD })).json() as { token: string };
      assert.equal((await me(user.auth)).statusCode, 200);

      const res = await testApp.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: user.auth });
      assert.equal(res.statusCode, 204, res.body);
      assert.equal(res.body, '');

      expectProblem(await me(user.auth), 'UNAUTHENTICATED');
      expectProblem(
        await testApp.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: user.auth }),
        'UNAUTHENTICATED',
      );
      // Other sessions of the same user are untouched.
      assert.equal((await me({ authorization: `Bearer ${second.token}` })).statusCode, 200);
      // The revocation is in storage, not only in the app's cache.
      assert.equal(await countRows(testApp.store, 'sessions', { user_id: user.id }), 1);
    });

    test('401 UNAUTHENTICATED without a valid token', async () => {
      expectProblem(await testApp.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current' }), 'UNAUTHENTICATED');
      expectProblem(
        await testApp.app.inject({
          method: 'DELETE',
          url: '/api/v1/sessions/current',
          headers: { authorization: `Bearer ${'B'.repeat(43)}` },
        }),
        'UNAUTHENTICATED',
      );
    });
  });

  describe('storage', () => {
    test('the password is stored only as a salted scrypt hash; the token only as a hash', async () => {
      const a = await createUser(testApp.app, 'hash');
      const b = await createUser(testApp.app, 'hash');
      const hashOf = async (id: string) => (await testApp.store.findUsersByIds([id])).get(id)!.passwordHash;
      const ha = await hashOf(a.id);
      const hb = await hashOf(b.id);
      assert.match(ha, /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]{16,}\$[A-Za-z0-9_-]{32,}$/);
      assert.notEqual(ha, hb, 'same password, different salt, different hash');
      // Neither the password nor the bearer token appears anywhere in users or sessions.
      const dump = JSON.stringify([await readRows(testApp.store, 'users'), await readRows(testApp.store, 'sessions')]);
      assert.ok(!dump.includes(PASSWORD));
      assert.ok(!dump.includes(Buffer.from(PASSWORD).toString('base64')));
      assert.ok(!dump.includes(a.token));
      assert.ok(!dump.includes(b.token));
    });
  });
});

describe('session expiry', () => {
  test('a session stops working when it expires, whether or not it was used before', async () => {
    const clock = new ManualClock();
    const testApp = await startTestApp({ clock, sessionTtlMs: 60_000 });
    try {
      const used = await createUser(testApp.app, 'ttl');
      const unused = await createUser(testApp.app, 'ttl');
      const me = (user: TestUser) => testApp.app.inject({ method: 'GET', url: '/api/v1/me', headers: user.auth });
      assert.equal((await me(used)).statusCode, 200);
      clock.advance(59_999);
      assert.equal((await me(used)).statusCode, 200, 'still valid 1 ms before expiry');
      clock.advance(1);
      expectProblem(await me(used), 'UNAUTHENTICATED');
      expectProblem(await me(unused), 'UNAUTHENTICATED');
      // A new log-in gets a fresh session with a new expiry.
      const again = await testApp.app.inject({
        method: 'POST',
        url: '/api/v1/sessions',
        payload: { username: used.username, password: PASSWORD },
      });
      const body = again.json() as { token: string; expiresAt: string };
      assert.equal(body.expiresAt, new Date(clock.now() + 60_000).toISOString());
      const fresh = await testApp.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${body.token}` },
      });
      assert.equal(fresh.statusCode, 200);
    } finally {
      await testApp.dispose();
    }
  });
});

describe('sessions across a restart', () => {
  test('a token issued before a restart on the same storage still works after it', async () => {
    const storage = await createTestStorage();
    try {
      const first = await startTestApp({ storage });
      let user: TestUser;
      try {
        user = await createUser(first.app, 'restart');
      } finally {
        await first.dispose();
      }
      const second = await startTestApp({ storage });
      try {
        const res = await second.app.inject({ method: 'GET', url: '/api/v1/me', headers: user.auth });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal((res.json() as { user: WireUser }).user.id, user.id);
        // A revocation after the restart holds too.
        const out = await second.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: user.auth });
        assert.equal(out.statusCode, 204);
        expectProblem(
          await second.app.inject({ method: 'GET', url: '/api/v1/me', headers: user.auth }),
          'UNAUTHENTICATED',
        );
      } finally {
        await second.dispose();
      }
    } finally {
      await storage.remove();
    }
  });
});
