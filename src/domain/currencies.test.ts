import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CURRENCIES, isCurrency, minorUnits } from './currencies.ts';

test('currencies: ISO 4217 codes that ICU knows, without XXX and XTS', () => {
  for (const code of ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'BHD', 'CAD', 'AUD']) assert.ok(isCurrency(code), code);
  for (const code of ['XXX', 'XTS', 'ZZZ', 'XYZ', 'usd', 'US', '', 'USDD']) assert.equal(isCurrency(code), false, code);
  assert.ok(CURRENCIES.size > 100, `only ${CURRENCIES.size} currencies`);
  for (const code of CURRENCIES) assert.match(code, /^[A-Z]{3}$/);
});

test('minorUnits: the decimals of each currency’s minor unit; unknown codes throw', () => {
  assert.equal(minorUnits('USD'), 2);
  assert.equal(minorUnits('EUR'), 2);
  assert.equal(minorUnits('JPY'), 0);
  assert.equal(minorUnits('BHD'), 3);
  for (const code of CURRENCIES) assert.ok([0, 2, 3, 4].includes(minorUnits(code)), code);
  assert.throws(() => minorUnits('ZZZ'), RangeError);
  assert.throws(() => minorUnits('XXX'), RangeError);
});
