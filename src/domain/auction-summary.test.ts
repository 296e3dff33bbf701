import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SELLER, T0, makeAuction } from '../../test/support/auction-scenarios.ts';
import { DESCRIPTION_SUMMARY_LENGTH, auctionSummaryView, auctionView, summarizeDescription } from './auction-view.ts';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text of words and spaces, with accents, emoji and CJK in the mix, of any length around the cut. */
const descriptions = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc
    .array(
      fc.oneof(
        fc.string({ unit: fc.constantFrom('a', 'é', 'e\u0301', '😀', '日', '-', ','), minLength: 1, maxLength: 30 }),
        fc.constantFrom(' ', '  ', '\n'),
      ),
      { maxLength: 120 },
    )
    .map((parts) => parts.join(' ')),
);

describe('summarizeDescription', () => {
  test('at most 200 characters; cut exactly when longer; the kept text is the start of the description', () => {
    assert.equal(DESCRIPTION_SUMMARY_LENGTH, 200);
    fc.assert(
      fc.property(descriptions, (text) => {
        const summary = summarizeDescription(text);
        assert.ok(summary.text.length <= DESCRIPTION_SUMMARY_LENGTH, `${summary.text.length}`);
        assert.equal(summary.truncated, text.length > DESCRIPTION_SUMMARY_LENGTH);
        if (!summary.truncated) return assert.equal(summary.text, text);
        assert.ok(summary.text.endsWith('…'));
        const kept = summary.text.slice(0, -1);
        assert.ok(text.startsWith(kept));
        // Never half a character: a cut surrogate pair would show as a replacement character.
        if (!LONE_SURROGATE.test(text)) assert.ok(!LONE_SURROGATE.test(summary.text));
      }),
      { numRuns: 500 },
    );
  });

  test('reads nothing past the first 201 characters (listings fetch only those)', () => {
    fc.assert(
      fc.property(descriptions, (text) => {
        // As AuctionListQuery.descriptionChars cuts: 201 code units, one more rather than split a pair.
        const start = text.slice(0, /[\ud800-\udbff]/.test(text[200] ?? '') ? 202 : 201);
        assert.deepEqual(summarizeDescription(start), summarizeDescription(text));
      }),
      { numRuns: 500 },
    );
  });

  test('cuts between words when there is a space in the second half of the room', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'é'), minLength: 1, maxLength: 40 }), {
          minLength: 20,
          maxLength: 80,
        }),
        (words) => {
          const text = words.join(' ');
          fc.pre(text.length > DESCRIPTION_SUMMARY_LENGTH);
          const kept = summarizeDescription(text).text.slice(0, -1);
          assert.ok(/^\s/.test(text.slice(kept.length)), 'the next character is a space: no word was cut');
          assert.ok(kept.length >= 100, `kept only ${kept.length} characters`);
        },
      ),
    );
  });

  test('examples', () => {
    const word = 'x'.repeat(198);
    // One long word: cut inside it, but never inside a character or an accented letter.
    assert.deepEqual(summarizeDescription(`${word}e\u0301 and more`), { text: `${word}…`, truncated: true });
    assert.deepEqual(summarizeDescription(`${word}😀 and more`), { text: `${word}…`, truncated: true });
    assert.deepEqual(summarizeDescription(`${'y'.repeat(300)}`), { text: `${'y'.repeat(199)}…`, truncated: true });
    // Words: cut at the last space that fits, trailing punctuation kept, trailing spaces dropped.
    const words = `${'word '.repeat(38)}last, andthensomemore words`;
    assert.deepEqual(summarizeDescription(words), { text: `${'word '.repeat(38)}last,…`, truncated: true });
    assert.deepEqual(summarizeDescription('a'.repeat(200)), { text: 'a'.repeat(200), truncated: false });
    assert.deepEqual(summarizeDescription(''), { text: '', truncated: false });
  });
});

describe('auctionSummaryView', () => {
  test('is auctionView with the description summarized and descriptionTruncated added', () => {
    for (const description of ['', 'Boxed, 1986', 'word '.repeat(500)]) {
      const auction = makeAuction({ item: { name: 'Leica M6', description, imageUrl: '/uploads/x.jpg' } });
      for (const viewer of [null, SELLER, 'alice']) {
        const full = auctionView(auction, T0, viewer);
        const summary = auctionSummaryView(auction, T0, viewer);
        const { text, truncated } = summarizeDescription(description);
        assert.deepEqual(summary, {
          ...full,
          item: {
            name: 'Leica M6',
            description: text,
            descriptionTruncated: truncated,
            imageUrl: '/uploads/x.jpg',
            images: ['/uploads/x.jpg'],
          },
        });
        assert.deepEqual(Object.keys(summary), Object.keys(full), 'same members, in the same order');
      }
    }
  });
});
