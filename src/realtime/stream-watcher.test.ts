import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ws from 'ws';
import { webSocketTextFrame } from './live-room/room-wire.ts';

/** ws's frame parser: exported by the package at run time, though its type declarations leave it out. */
interface FrameReceiver {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  write(chunk: Buffer): void;
}
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean }) => FrameReceiver };

// Decoded by ws's own parser (the one every Node client uses), at each boundary of the length encoding.
test('webSocketTextFrame: a text frame ws decodes back to the payload, at every length encoding', async () => {
  for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 200_000]) {
    const text = 'é'.repeat(Math.floor(length / 2)) + 'x'.repeat(length % 2);
    const payload = Buffer.from(text);
    assert.equal(payload.length, length);
    const receiver = new Receiver({ isServer: false });
    const got = new Promise<{ data: Buffer; isBinary: boolean }>((resolve, reject) => {
      receiver.on('message', (data: Buffer, isBinary: boolean) => resolve({ data, isBinary }));
      receiver.on('error', reject);
    });
    receiver.write(webSocketTextFrame(payload));
    const { data, isBinary } = await got;
    assert.equal(isBinary, false);
    assert.equal(data.toString(), text, `length ${length}`);
  }
});
