import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GavelApp } from '../src/http/index.ts';
import { type TestApp, createUser, nodesOnOneFile, startTestApp } from './support/harness.ts';
import { expectProblem } from './support/problem.ts';

/**
 * Finding (high): log-out forgot only the `Bearer <token>` spelling of a
 * token, so `bearer <token>`, `BEARER <token>` or two spaces kept working.
 * Sessions are now keyed on the token; every spelling is one credential.
 */
describe('ending sessions', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.dispose());

  const spellings = (token: string) => [
    `Bearer ${token}`,
    `bearer ${token}`,
    `BEARER ${token}`,
    `Bearer  ${token}`,
    `  bEaReR \t ${token}  `,
  ];

  test('every spelling of the Authorization header is the same session while it lasts', async () => {
    const user = await createUser(app.app);
    for (const authorization of spellings(user.token)) {
      const res = await app.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization } });
      assert.equal(res.statusCode, 200, `${JSON.stringify(authorization)} → ${res.statusCode}`);
    }
  });

  test('after DELETE /sessions/current no spelling of the token reads /me or creates an auction', async () => {
    const user = await createUser(app.app);
    // Warm the cache under every spelling first: that is what let the old cache keep them alive.
    for (const authorization of spellings(user.token))
      assert.equal(
        (await app.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization } })).statusCode,
        200,
      );
    const out = await app.app.inject({
      method: 'DELETE',
      url: '/api/v1/sessions/current',
      headers: { authorization: `bearer ${user.token}` },
    });
    assert.equal(out.statusCode, 204);
    for (const authorization of spellings(user.token)) {
      expectProblem(
        await app.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization } }),
        'UNAUTHENTICATED',
      );
      expectProblem(
        await app.app.inject({
          method: 'POST',
          url: '/api/v1/auctions',
          headers: { authorization },
          payload: { item: { name: 'x' }, startingPrice: 100, endDate: new Date(Date.now() + 3600e3).toISOString() },
        }),
        'UNAUTHENTICATED',
      );
    }
    // The cookie carrying the same token is the same session, so it is ended too.
    expectProblem(
      await app.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `gavel_session=${user.token}` } }),
      'UNAUTHENTICATED',
    );
  });

  test('DELETE /sessions ends every session of the user (bearer and cookie), and no one else’s', async () => {
    const user = await createUser(app.app);
    const other = await createUser(app.app);
    const second = await app.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { username: user.username, password: 'correct horse battery' },
      remoteAddress: '198.18.200.1',
    });
    assert.equal(second.statusCode, 201);
    const secondToken = (second.json() as { token: string }).token;
    const credentials = [
      { authorization: `Bearer ${user.token}` },
      { authorization: `BEARER ${secondToken}` },
      { cookie: `gavel_session=${secondToken}` },
    ];
    for (const headers of credentials)
      assert.equal((await app.app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode, 200);

    const out = await app.app.inject({ method: 'DELETE', url: '/api/v1/sessions', headers: user.auth });
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), /gavel_session=;/);
    for (const headers of credentials)
      expectProblem(await app.app.inject({ method: 'GET', url: '/api/v1/me', headers }), 'UNAUTHENTICATED');
    assert.equal((await app.app.inject({ method: 'GET', url: '/api/v1/me', headers: other.auth })).statusCode, 200);
    // And it needs a session: anonymous callers get 401, not 204.
    expectProblem(await app.app.inject({ method: 'DELETE', url: '/api/v1/sessions' }), 'UNAUTHENTICATED');
  });

  test('the log-in answer is never cached by anyone in between (Cache-Control: no-store)', async () => {
    const user = await createUser(app.app);
    const res = await app.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { username: user.username, password: 'correct horse battery' },
      remoteAddress: '198.18.200.2',
    });
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers['cache-control'], 'no-store');
  });
});

/**
 * Two nodes on one store: a session ended on one node is refused by the
 * other within 5 s (the other node's cached copy is trusted for 4 s at most).
 */
test('a session ended on one node is refused by another node within 5 s', async () => {
  const cluster = await nodesOnOneFile(2);
  const [a, b] = cluster.nodes as [GavelApp, GavelApp];
  try {
    const user = await createUser(a.app);
    // Node B has the session cached (this is what must not outlive the log-out by more than 5 s).
    assert.equal((await b.app.inject({ method: 'GET', url: '/api/v1/me', headers: user.auth })).statusCode, 200);
    const out = await a.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: user.auth });
    assert.equal(out.statusCode, 204);
    const endedAt = Date.now();
    expectProblem(await a.app.inject({ method: 'GET', url: '/api/v1/me', headers: user.auth }), 'UNAUTHENTICATED');
    let refusedAfter: number | null = null;
    while (Date.now() - endedAt < 6000) {
      // The very header node B has cached: only the cache's lifetime can end it there.
      const res = await b.app.inject({ method: 'GET', url: '/api/v1/me', headers: user.auth });
      if (res.statusCode === 401) {
        refusedAfter = Date.now() - endedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(refusedAfter !== null && refusedAfter < 5000, `refused by the other node after ${refusedAfter} ms`);
  } finally {
    await cluster.close();
  }
});
