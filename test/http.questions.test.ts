import assert from 'node:assert/strict';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { HttpModerator } from '../src/moderation/index.ts';
import { type TestApp, type TestUser, createAuction, createUser, startTestApp } from './support/harness.ts';
import { expectProblem } from './support/problem.ts';

interface QuestionBody {
  id: string;
  auctionId: string;
  askerId: string;
  text: string;
  status: 'published' | 'pending_review' | 'rejected';
  answer: { id: string; text: string; status: string; answeredAt: string } | null;
  createdAt: string;
}
interface ModerationItemBody {
  id: string;
  kind: 'question' | 'answer';
  text: string;
  status: string;
  attempts: number;
  lastError: string | null;
  parked: boolean;
}

const EMAIL = 'jane.doe@example.com';
const PHONE = '+44 7911 123456';
const CARD = '4111 1111 1111 1111';

async function ask(app: FastifyInstance, user: TestUser | null, auctionId: string, text: unknown) {
  return app.inject({
    method: 'POST',
    url: `/api/v1/auctions/${auctionId}/questions`,
    headers: user?.auth ?? {},
    payload: { text },
  });
}
async function answer(app: FastifyInstance, user: TestUser, auctionId: string, questionId: string, text: string) {
  return app.inject({
    method: 'POST',
    url: `/api/v1/auctions/${auctionId}/questions/${questionId}/answer`,
    headers: user.auth,
    payload: { text },
  });
}
async function list(app: FastifyInstance, user: TestUser | null, auctionId: string): Promise<QuestionBody[]> {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/auctions/${auctionId}/questions`,
    headers: user?.auth ?? {},
  });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { items: QuestionBody[] }).items;
}
async function until<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('questions and answers, built-in rules only', () => {
  let t: TestApp;
  let seller: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let auctionId: string;

  before(async () => {
    t = await startTestApp();
    seller = await createUser(t.app, 'seller');
    alice = await createUser(t.app, 'alice');
    bob = await createUser(t.app, 'bob');
    auctionId = (await createAuction(t.app, seller)).id;
  });
  after(() => t.dispose());

  test('a clean question is published at once; personal data is replaced before it is stored or shown', async () => {
    const res = await ask(t.app, alice, auctionId, `Can I pay by card ${CARD}? Mail ${EMAIL} or call ${PHONE}.`);
    assert.equal(res.statusCode, 201, res.body);
    const { question } = res.json() as { question: QuestionBody };
    assert.equal(question.status, 'published');
    assert.equal(question.askerId, alice.id);
    assert.equal(question.text, 'Can I pay by card [removed]? Mail [removed] or call [removed].');
    assert.equal(question.answer, null);
    const stored = await t.store.findQaItem(question.id);
    for (const secret of [EMAIL, PHONE, CARD, '4111111111111111'])
      assert.ok(!JSON.stringify(stored).includes(secret), `stored in clear: ${secret}`);
    const everyone = await list(t.app, null, auctionId);
    assert.deepEqual(
      everyone.map((q) => q.id),
      [question.id],
    );
    assert.ok(!JSON.stringify(everyone).includes(EMAIL));
  });

  test('profanity is rejected: stored, shown to its asker and the seller only', async () => {
    const res = await ask(t.app, bob, auctionId, 'Is this shitty thing still for sale?');
    assert.equal(res.statusCode, 201, res.body);
    const { question } = res.json() as { question: QuestionBody };
    assert.equal(question.status, 'rejected');
    assert.ok(!(await list(t.app, null, auctionId)).some((q) => q.id === question.id), 'not public');
    assert.ok(!(await list(t.app, alice, auctionId)).some((q) => q.id === question.id), 'not to others');
    assert.ok(
      (await list(t.app, bob, auctionId)).some((q) => q.id === question.id),
      'to its asker',
    );
    assert.ok(
      (await list(t.app, seller, auctionId)).some((q) => q.id === question.id),
      'to the seller',
    );
  });

  test('the seller answers once; the answer is moderated and shown with the question', async () => {
    const { question } = (await ask(t.app, alice, auctionId, 'Does it come with the manual?')).json() as {
      question: QuestionBody;
    };
    const res = await answer(t.app, seller, auctionId, question.id, `Yes. Questions to ${EMAIL}`);
    assert.equal(res.statusCode, 200, res.body);
    const answered = (res.json() as { question: QuestionBody }).question;
    assert.equal(answered.answer?.status, 'published');
    assert.equal(answered.answer?.text, 'Yes. Questions to [removed]');
    const shown = (await list(t.app, null, auctionId)).find((q) => q.id === question.id)!;
    assert.deepEqual(shown.answer, answered.answer);

    expectProblem(await answer(t.app, seller, auctionId, question.id, 'Again'), 'ALREADY_ANSWERED');
    expectProblem(await answer(t.app, alice, auctionId, question.id, 'I know!'), 'NOT_SELLER');
    expectProblem(await answer(t.app, seller, auctionId, 'no-such-question', 'Hm'), 'QUESTION_NOT_FOUND');
  });

  test('two answers at once: exactly one is stored, the other is ALREADY_ANSWERED', async () => {
    const { question } = (await ask(t.app, alice, auctionId, 'Any scratches?')).json() as { question: QuestionBody };
    const results = await Promise.all([
      answer(t.app, seller, auctionId, question.id, 'None'),
      answer(t.app, seller, auctionId, question.id, 'A few'),
    ]);
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409]);
  });

  test('refusals: the seller asking, anonymous, unknown auction, bad text', async () => {
    expectProblem(await ask(t.app, seller, auctionId, 'Me?'), 'SELLER_CANNOT_ASK');
    expectProblem(await ask(t.app, null, auctionId, 'Hello?'), 'UNAUTHENTICATED');
    expectProblem(await ask(t.app, alice, 'no-such-auction', 'Hello?'), 'AUCTION_NOT_FOUND');
    for (const text of ['', '   ', 'x'.repeat(2001), 'bell\u0007', 42, null])
      expectProblem(await ask(t.app, alice, auctionId, text), 'VALIDATION_FAILED');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auctionId}/questions`,
      headers: alice.auth,
      payload: { text: 'ok', extra: 1 },
    });
    expectProblem(res, 'VALIDATION_FAILED');
  });

  test('the moderation queue is for moderators only', async () => {
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/api/v1/moderation/queue', headers: alice.auth }),
      'FORBIDDEN',
    );
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/moderation/queue' }), 'UNAUTHENTICATED');
  });
});

/** A real HTTP server standing in for the external moderation service; its behaviour is switched by tests. */
class FakeModerationService {
  mode: 'allow' | 'block' | 'down' | 'slow' = 'allow';
  readonly received: { id: string; text: string }[] = [];
  private readonly server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += String(c)));
    req.on('end', () => {
      this.received.push(JSON.parse(body) as { id: string; text: string });
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (this.mode === 'down') return send(503, { error: 'down' });
      if (this.mode === 'slow') return void setTimeout(() => send(200, { verdict: 'allow' }), 1_500);
      // A question that says "spam" is blocked when the service blocks nothing else, to tell the two apart.
      send(200, { verdict: this.mode === 'block' || body.includes('spam') ? 'block' : 'allow' });
    });
  });
  url = '';
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/moderate`;
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('questions and answers with an external moderation service', () => {
  const service = new FakeModerationService();
  let t: TestApp;
  let seller: TestUser;
  let alice: TestUser;
  let moderator: TestUser;
  let auctionId: string;

  const appWith = (storage?: TestApp['storage']) =>
    startTestApp({
      storage,
      moderator: new HttpModerator({ url: service.url, timeoutMs: 500 }),
      moderators: [moderatorName],
      moderationQueue: { pollMs: 50, retryBaseMs: 200, leaseMs: 5_000 },
    });
  let moderatorName = '';

  let storage: TestApp['storage'];

  before(async () => {
    await service.start();
    // The moderator's username must be known before the app that trusts it starts: sign up on a first app.
    const first = await startTestApp();
    storage = first.storage;
    moderator = await createUser(first.app, 'mod');
    moderatorName = moderator.username;
    await first.app.close();
    t = await appWith(storage);
    seller = await createUser(t.app, 'seller');
    alice = await createUser(t.app, 'alice');
    auctionId = (await createAuction(t.app, seller)).id;
  });
  after(async () => {
    // The app of the last restart, then the storage all of them shared.
    await t.app.close();
    await storage.remove();
    await service.stop();
  });

  const askAs = async (text: string) => {
    const res = await ask(t.app, alice, auctionId, text);
    assert.equal(res.statusCode, 201, res.body);
    return (res.json() as { question: QuestionBody }).question;
  };
  const statusOf = async (id: string) => (await t.store.findQaItem(id))!.status;

  test('allow publishes, block rejects; the service only ever sees the screened text', async () => {
    service.mode = 'allow';
    const allowed = await askAs(`Is it available? Reach me at ${EMAIL}`);
    assert.equal(allowed.status, 'published');
    const blocked = await askAs('Buy my spam pills');
    assert.equal(blocked.status, 'rejected');
    assert.ok(!(await list(t.app, null, auctionId)).some((q) => q.id === blocked.id));
    const sent = service.received.find((r) => r.id === allowed.id)!;
    assert.equal(sent.text, 'Is it available? Reach me at [removed]');
    assert.ok(!JSON.stringify(service.received).includes(EMAIL));
  });

  test('profanity never reaches the service', async () => {
    const before = service.received.length;
    assert.equal((await askAs('What a shitty car')).status, 'rejected');
    assert.equal(service.received.length, before);
  });

  test('service down: pending_review, hidden; published by the queue once the service recovers', async () => {
    service.mode = 'down';
    const pending = await askAs('Where is it located?');
    assert.equal(pending.status, 'pending_review');
    assert.ok(!(await list(t.app, null, auctionId)).some((q) => q.id === pending.id), 'hidden while pending');
    assert.ok(
      (await list(t.app, alice, auctionId)).some((q) => q.id === pending.id),
      'its asker sees it',
    );
    const item = await until(
      'a failure recorded',
      () => t.store.findQaItem(pending.id),
      (i) => (i?.attempts ?? 0) >= 1,
    );
    assert.match(item!.lastError ?? '', /503/);
    service.mode = 'allow';
    await until(
      'published',
      () => statusOf(pending.id),
      (s) => s === 'published',
    );
    assert.ok((await list(t.app, null, auctionId)).some((q) => q.id === pending.id));
  });

  test('too slow is down: the answer waits in the queue', async () => {
    service.mode = 'slow';
    const pending = await askAs('Is the price negotiable?');
    assert.equal(pending.status, 'pending_review');
    service.mode = 'allow';
    await until(
      'published',
      () => statusOf(pending.id),
      (s) => s === 'published',
    );
  });

  test('down for good: parked after 3 attempts, then a moderator decides; decisions are final', async () => {
    service.mode = 'down';
    const pending = await askAs('Can you ship abroad?');
    const parked = await until(
      'parked',
      () => t.store.findQaItem(pending.id),
      (i) => i?.parked === true,
    );
    assert.equal(parked!.attempts, 3);
    assert.equal(parked!.nextAttemptAt, null);

    const queue = await t.app.inject({ method: 'GET', url: '/api/v1/moderation/queue', headers: moderator.auth });
    assert.equal(queue.statusCode, 200, queue.body);
    const entry = (queue.json() as { items: ModerationItemBody[] }).items.find((i) => i.id === pending.id)!;
    assert.deepEqual(
      { kind: entry.kind, status: entry.status, attempts: entry.attempts, parked: entry.parked },
      { kind: 'question', status: 'pending_review', attempts: 3, parked: true },
    );
    assert.match(entry.lastError ?? '', /503/);

    const decide = (user: TestUser, id: string, decision: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/moderation/items/${id}`,
        headers: user.auth,
        payload: { decision },
      });
    expectProblem(await decide(alice, pending.id, 'approve'), 'FORBIDDEN');
    expectProblem(await decide(moderator, 'no-such-item', 'approve'), 'MODERATION_ITEM_NOT_FOUND');
    expectProblem(await decide(moderator, pending.id, 'maybe'), 'VALIDATION_FAILED');
    const approved = await decide(moderator, pending.id, 'approve');
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal((approved.json() as { item: ModerationItemBody }).item.status, 'published');
    expectProblem(await decide(moderator, pending.id, 'reject'), 'ALREADY_DECIDED');
    assert.ok((await list(t.app, null, auctionId)).some((q) => q.id === pending.id));
    service.mode = 'allow';
  });

  test('a restart while items wait loses nothing: the next process publishes them', async () => {
    service.mode = 'down';
    const pending = await askAs('What colour is the interior?');
    assert.equal(pending.status, 'pending_review');
    await t.app.close();
    service.mode = 'allow';
    t = await appWith(storage);
    await until(
      'published after the restart',
      () => statusOf(pending.id),
      (s) => s === 'published',
    );
  });
});
