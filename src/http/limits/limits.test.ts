import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PasswordWork } from '../passwords.ts';
import { DEFAULT_LIMITS } from './limit-settings.ts';
import { StreamLimiter } from './stream-limiter.ts';
import { addressKey } from './client-address.ts';
import { trustedProxies } from './trusted-proxies.ts';

test('the defaults are the contract’s', () => {
  assert.equal(DEFAULT_LIMITS.enabled, true);
  assert.equal(DEFAULT_LIMITS.loginFailuresPerUsername, 10);
  assert.equal(DEFAULT_LIMITS.loginFailuresPerAddress, 50);
  assert.equal(DEFAULT_LIMITS.loginWindowMs, 15 * 60_000);
  assert.equal(DEFAULT_LIMITS.signupsPerAddressPerHour, 20);
  assert.equal(DEFAULT_LIMITS.bidsPerUserPerSecond, 20);
  assert.equal(DEFAULT_LIMITS.auctionsPerUserPerHour, 200);
  assert.equal(DEFAULT_LIMITS.streamsPerAddress, 50);
  assert.equal(DEFAULT_LIMITS.streamsPerUser, 20);
});

test('password work: one hash at a time, a bounded queue, the overflow refused at once', async () => {
  const work = new PasswordWork(1, 2, 10);
  let running = 0;
  let most = 0;
  const job = () =>
    work.run(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return 'done';
    });
  const results = await Promise.all([job(), job(), job(), job(), job()]);
  assert.equal(most, 1);
  assert.deepEqual(
    results.map((r) => r?.value ?? null),
    ['done', 'done', 'done', null, null],
  );
  // Once the queue has drained, work is taken again.
  assert.equal((await job())?.value, 'done');
});

test('stream slots: per address and per user, given back exactly once', async () => {
  const limiter = new StreamLimiter({ enabled: true, perAddress: 2, perUser: 1 });
  const a = await limiter.acquire('10.0.0.1', 'u1');
  assert.ok('release' in a);
  assert.deepEqual(await limiter.acquire('10.0.0.2', 'u1'), { refused: 1 });
  const b = await limiter.acquire('10.0.0.1', null);
  assert.ok('release' in b);
  assert.deepEqual(await limiter.acquire('10.0.0.1', null), { refused: 2 });
  a.release();
  a.release(); // twice: still one slot back, not two
  assert.equal(limiter.count('addr', '10.0.0.1'), 1);
  assert.equal(limiter.count('user', 'u1'), 0);
  assert.ok('release' in (await limiter.acquire('10.0.0.1', 'u1')));
  assert.deepEqual(await limiter.acquire('10.0.0.1', null), { refused: 2 });
});

test('trusted proxies: exact addresses and CIDR ranges, IPv4-mapped IPv6 included; nobody by default', () => {
  const none = trustedProxies([]);
  assert.equal(none.includes('127.0.0.1'), false);
  const some = trustedProxies(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32']);
  assert.equal(some.includes('10.1.2.3'), true);
  assert.equal(some.includes('::ffff:10.1.2.3'), true);
  assert.equal(some.includes('192.0.2.7'), true);
  assert.equal(some.includes('192.0.2.8'), false);
  assert.equal(some.includes('2001:db8::1'), true);
  assert.throws(() => trustedProxies(['not-an-address']));
});

test('password work is shared fairly: a client flooding the queue cannot keep another out', async () => {
  const work = new PasswordWork(1, 64, 2);
  const order: string[] = [];
  const job = (client: string) =>
    work.run(async () => {
      order.push(client);
      await new Promise((r) => setTimeout(r, 5));
      return client;
    }, client);
  const flood = Array.from({ length: 10 }, () => job('attacker'));
  const real = job('real user');
  const results = await Promise.all([...flood, real]);
  // The attacker gets one running and two waiting; the rest are refused at once.
  assert.equal(results.filter((r) => r === null).length, 7);
  // The real user is served right after the hash that was running and at most one more of the attacker's.
  assert.ok(order.indexOf('real user') <= 2, order.join(','));
});

test('per-address limits count an IPv6 client by its /64, an IPv4 one (mapped or not) alone', () => {
  assert.equal(addressKey('2001:db8:1:2:aaaa::1'), addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff'));
  assert.notEqual(addressKey('2001:db8:1:2::1'), addressKey('2001:db8:1:3::1'));
  assert.equal(addressKey('::ffff:192.0.2.7'), '192.0.2.7');
  assert.notEqual(addressKey('192.0.2.7'), addressKey('192.0.2.8'));
});
