import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { type ChildServer, call, httpUser, startChildServer } from './support/child-server.ts';
import { tempDir } from './support/harness.ts';
import { SmtpSink } from './support/smtp-sink.ts';

/**
 * The mail outbox with a real server process and a real SMTP server: a mail queued while the SMTP server
 * refuses survives a SIGKILL and is sent by the restarted server, once.
 */

const dir = tempDir('gavel-mail-kill-');
let server: ChildServer | null = null;
let sink: SmtpSink | null = null;
after(async () => {
  await server?.kill9();
  await sink?.close();
  dir.remove();
});

test('a mail queued before a SIGKILL is sent after the restart, once', { timeout: 120_000 }, async () => {
  sink = await SmtpSink.start();
  sink.refusing = true;
  const env = { GAVEL_SMTP_URL: sink.url, GAVEL_PUBLIC_URL: 'http://gavel.test' };
  server = await startChildServer(dir.path, env);
  const user = await httpUser(server.url, 'killmail');
  const set = await call(`${server.url}/api/v1/me/email`, 'PUT', { email: 'kill@example.com' }, user.auth);
  assert.equal(set.status, 202, JSON.stringify(set.body));
  const deadline = Date.now() + 15_000;
  while (sink.refused === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(sink.refused >= 1, 'the SMTP server was asked, and refused');
  await server.kill9();

  sink.refusing = false;
  server = await startChildServer(dir.path, env);
  // Due again after its backoff (about 10 s), or after its lease (60 s) if the kill hit an attempt.
  await sink.waitFor((s) => s.to('kill@example.com').length === 1, 'the verification mail', 90_000);
  const mail = sink.to('kill@example.com')[0]!;
  assert.ok(mail.text.includes('http://gavel.test/verify-email?token='), mail.text);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  assert.equal(sink.to('kill@example.com').length, 1, 'sent once');
});
