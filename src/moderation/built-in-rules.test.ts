import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { containsProfanity, screenText } from './built-in-rules.ts';
import { REMOVED, luhnValid, redactPersonalData } from './personal-data.ts';

/** A Luhn-valid number of `length` digits starting with `prefix` (the check digit computed). */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

const cardArb = fc
  .record({
    length: fc.integer({ min: 13, max: 19 }),
    prefix: fc.constantFrom('4', '51', '55', '34', '37', '6011', '35'),
    fill: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 19, maxLength: 19 }),
  })
  .map(({ length, prefix, fill }) => withCheckDigit((prefix + fill.join('')).slice(0, length - 1)));

/** Written as people write them: plain, or in groups of 4 separated by spaces or dashes. */
const writtenCardArb = fc
  .tuple(cardArb, fc.constantFrom('', ' ', '-'))
  .map(([digits, sep]) => (sep === '' ? digits : (digits.match(/.{1,4}/g) ?? []).join(sep)));

const proseArb = fc.constantFrom('', 'Is it still available? ', 'Pay with ', 'Nice car. ', 'Thanks!');

describe('built-in moderation rules', () => {
  test('a Luhn-valid card number, however grouped, never survives', () => {
    fc.assert(
      fc.property(proseArb, writtenCardArb, proseArb, (before, card, after) => {
        const result = screenText(`${before}${card} ${after}`);
        assert.equal(result.verdict, 'clean');
        if (result.verdict !== 'clean') return;
        const digits = card.replace(/\D/g, '');
        assert.ok(!result.text.replace(/\D/g, '').includes(digits), result.text);
        assert.ok(result.text.includes(REMOVED));
      }),
      { numRuns: 300 },
    );
  });

  test('a 16-digit number that fails the Luhn check is not a card', () => {
    assert.equal(luhnValid('4111111111111111'), true);
    assert.equal(luhnValid('4111111111111112'), false);
    const result = screenText('Reference 4111-1111-1111-1112 on the invoice');
    assert.deepEqual(result, { verdict: 'clean', text: 'Reference 4111-1111-1111-1112 on the invoice', removed: 0 });
  });

  test('full-width digits are read as digits', () => {
    const result = screenText('card ４１１１ １１１１ １１１１ １１１１');
    assert.deepEqual(result, { verdict: 'clean', text: `card ${REMOVED}`, removed: 1 });
  });

  test('e-mail addresses, plain and dodged, are removed', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9._]{0,15}$/),
        fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
        fc.constantFrom('com', 'net', 'org', 'de', 'co.uk'),
        (local, host, tld) => {
          for (const written of [
            `${local}@${host}.${tld}`,
            `${local} (at) ${host} (dot) ${tld}`,
            `${local} [at] ${host}.${tld}`,
          ]) {
            const result = screenText(`Write to ${written} please`);
            assert.equal(result.verdict, 'clean');
            if (result.verdict === 'clean') assert.equal(result.text, `Write to ${REMOVED} please`, written);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('phone numbers in national and international shapes are removed', () => {
    for (const phone of [
      '(415) 555-2671',
      '415-555-2671',
      '415.555.2671',
      '+1 415 555 2671',
      '+44 7911 123456',
      '0044 7911 123456',
      '07911 123456',
      '07911123456',
      '+49 30 12345678',
      '01 42 68 53 00',
    ]) {
      const result = screenText(`Call me on ${phone} tonight`);
      assert.deepEqual(result, { verdict: 'clean', text: `Call me on ${REMOVED} tonight`, removed: 1 }, phone);
    }
  });

  test('prices, years, mileages, dates, VINs and lot numbers are left alone', () => {
    for (const text of [
      'Is the 2019 model at 120,000 miles priced 1,250,000?',
      'VIN 1HGCM82633A004352, lot 12345678',
      'Ends 12/27/2026 at 18:00, reserve $15,000.00',
      'Engine 2.0 L, 150 hp, 0-60 in 7.5 s',
    ]) {
      assert.deepEqual(screenText(text), { verdict: 'clean', text, removed: 0 }, text);
    }
  });

  test('profanity is refused, including disguised spellings; innocent words that contain one are not', () => {
    for (const text of ['What a shitty car', 'this is sh1t', 'fuuuuck that', 'What a sHiTtY car'])
      assert.deepEqual(screenText(text), { verdict: 'refused', reason: 'profanity', text }, text);
    for (const text of ['Is the assessment done?', 'Delivered to Scunthorpe', 'class action', 'bass guitar', 'grapes'])
      assert.equal(containsProfanity(text), false, text);
  });

  test('numbers are not words: lot numbers, prices and dates that read as leet speak are clean', () => {
    for (const text of ['Is lot 7717 still available?', 'Reserve 5,318,008.00', 'Ends 17:17 on 7/7'])
      assert.deepEqual(screenText(text), { verdict: 'clean', text, removed: 0 }, text);
  });

  test('a refused text keeps no personal data either', () => {
    assert.deepEqual(screenText(`shitty deal, call ${'+44 7911 123456'}`), {
      verdict: 'refused',
      reason: 'profanity',
      text: `shitty deal, call ${REMOVED}`,
    });
  });

  test('redaction is stable: screening the clean text again changes nothing', () => {
    fc.assert(
      fc.property(proseArb, writtenCardArb, proseArb, (a, card, b) => {
        const text = `${a}${card} call +44 7911 123456 or mail x@y.com ${b}`;
        const first = redactPersonalData(text);
        const second = redactPersonalData(first.text);
        assert.equal(second.text, first.text);
        assert.equal(second.removed, 0);
      }),
      { numRuns: 100 },
    );
  });

  // No input may make the rules slow (they run on the request's thread): shapes that make naive patterns
  // backtrack finish. The timeout only catches a hang; speed itself is not asserted.
  test('pathological inputs of the maximum length finish', { timeout: 20_000 }, () => {
    for (const text of [
      'a'.repeat(1999) + '@',
      'a.'.repeat(999) + '@',
      'a at ' + 'b dot '.repeat(330),
      '1 '.repeat(1000),
      '1 1 1 1 1 1 1 1 1 1 x '.repeat(90),
      '4111 1111 1111 1111 '.repeat(100),
      '+'.repeat(2000),
      '('.repeat(2000),
    ])
      screenText(text);
  });
});
