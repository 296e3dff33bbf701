import fc from 'fast-check';

/**
 * fast-check arbitraries derived from an OpenAPI 3.1 document: for each
 * operation, requests that are mostly valid (type, enum, bounds, lengths,
 * pattern, format, required fields) and requests with one part mutated (a
 * wrong type, a missing required field, an unknown field, an out-of-range
 * number, a huge or unicode-heavy string, a lone surrogate, NUL, a number as
 * a string, an array for an object, the wrong content type, an empty body, a
 * very long or percent-encoded path segment, …).
 *
 * Nothing here knows about Gavel: the test passes in the document, real
 * values (`hints`) and credential placeholders. Every generated request
 * carries `notes`, one line per deliberate oddity, so that a counterexample
 * says what it is.
 */

// ---------- the document ----------

/** The subset of JSON Schema (2020-12, as OpenAPI 3.1 uses it) that request schemas use. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  description?: string;
  default?: unknown;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components?: {
    schemas?: Record<string, JsonSchema>;
    securitySchemes?: Record<string, SecurityScheme>;
  };
}

interface RawOperation {
  summary?: string;
  description?: string;
  parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema; description?: string }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
  security?: Record<string, string[]>[];
}

export interface SecurityScheme {
  type: string;
  scheme?: string;
  in?: string;
  name?: string;
}

export interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  /** Upper case, e.g. `POST`. */
  method: string;
  /** The OpenAPI path template, e.g. `/api/v1/auctions/{id}/bids`. */
  path: string;
  /** `METHOD path`: how the tests, the logs and `GAVEL_FUZZ_OP` name an operation. */
  key: string;
  summary: string;
  parameters: Parameter[];
  /** The JSON request body, or null when the document describes none. */
  body: { required: boolean; contentTypes: string[]; schema: JsonSchema } | null;
  /**
   * Documented responses by status (`200`, `4XX`, `default`), with their content types and, for a problem
   * document whose `code` the document narrows to an enum, the codes it lists (else null).
   */
  responses: Record<
    string,
    { contentTypes: string[]; description: string; schemaDescription: string; codes: string[] | null }
  >;
  /** Names of the security schemes any of which authorises the operation (empty: public). */
  security: string[];
  /** The success answer is `text/event-stream`: the server holds the response open. */
  streaming: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const EVENT_STREAM = /text\/event-stream/i;

/** Every operation of the document, `$ref`s resolved, in document order. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const resolve = refResolver(doc);
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [lower, raw] of Object.entries(item)) {
      if (!METHODS.includes(lower)) continue;
      const method = lower.toUpperCase();
      const json = Object.entries(raw.requestBody?.content ?? {}).filter(([type]) => /json/i.test(type));
      const responses: Operation['responses'] = {};
      for (const [status, response] of Object.entries(raw.responses ?? {})) {
        const contents = Object.values(response.content ?? {});
        responses[status] = {
          contentTypes: Object.keys(response.content ?? {}),
          description: response.description ?? '',
          schemaDescription: contents.map((c) => c.schema?.description ?? '').join(' '),
          codes: contents.map((c) => codesOf(c.schema ?? {})).find((codes) => codes !== null) ?? null,
        };
      }
      const success = Object.entries(responses).filter(([status]) => status.startsWith('2'));
      const summary = raw.summary ?? '';
      out.push({
        method,
        path,
        key: `${method} ${path}`,
        summary,
        parameters: (raw.parameters ?? []).map((p) => ({
          in: p.in as Parameter['in'],
          name: p.name,
          required: p.in === 'path' ? true : (p.required ?? false),
          schema: resolve(p.schema ?? {}),
        })),
        body:
          json.length === 0
            ? null
            : {
                required: raw.requestBody?.required ?? false,
                contentTypes: json.map(([type]) => type),
                schema: resolve(json[0]![1].schema ?? {}),
              },
        responses,
        security: [...new Set((raw.security ?? []).flatMap((requirement) => Object.keys(requirement)))],
        streaming:
          EVENT_STREAM.test(summary) ||
          success.some(
            ([, r]) =>
              r.contentTypes.some((type) => EVENT_STREAM.test(type)) ||
              EVENT_STREAM.test(r.description) ||
              EVENT_STREAM.test(r.schemaDescription),
          ),
      });
    }
  }
  return out;
}

/** The values a problem document's `code` is narrowed to (`enum`), in the schema or one of its `allOf`. */
function codesOf(schema: JsonSchema): string[] | null {
  const code = schema.properties?.code;
  if (code?.enum) return code.enum.map(String);
  for (const member of schema.allOf ?? []) {
    const codes = codesOf(member);
    if (codes !== null) return codes;
  }
  return null;
}

/** Inlines local `$ref`s (`#/components/schemas/…`); a cycle is cut to `{}` (anything). */
function refResolver(doc: OpenApiDocument): (schema: JsonSchema) => JsonSchema {
  const inline = (schema: JsonSchema, seen: Set<string>): JsonSchema => {
    if (schema.$ref !== undefined) {
      const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
      const target = name === undefined ? undefined : doc.components?.schemas?.[name];
      if (target === undefined || seen.has(schema.$ref)) return {};
      return inline(target, new Set([...seen, schema.$ref]));
    }
    const out: JsonSchema = { ...schema };
    if (schema.properties)
      out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, inline(v, seen)]));
    if (schema.items) out.items = inline(schema.items, seen);
    if (typeof schema.additionalProperties === 'object')
      out.additionalProperties = inline(schema.additionalProperties, seen);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      const list = schema[key];
      if (list) out[key] = list.map((s) => inline(s, seen));
    }
    return out;
  };
  return (schema) => inline(schema, new Set());
}

// ---------- encodings ----------

/** A number (or anything) written into JSON text as is, e.g. `1e400` or `0x10`, which JSON.stringify cannot. */
export class RawJson {
  constructor(readonly text: string) {}
  [fc.toStringMethod](): string {
    return `raw(${this.text})`;
  }
}
const RAW_MARK = '\u0001raw\u0001';
const RAW_MARKED = /"\\u0001raw\\u0001(.*?)\\u0001raw\\u0001"/g;

/** JSON.stringify that writes `RawJson` values verbatim and own `__proto__` keys as keys. */
export function encodeJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof RawJson ? RAW_MARK + v.text + RAW_MARK : v));
  return (text ?? 'null').replace(RAW_MARKED, (_m, raw: string) => raw);
}

/**
 * encodeURIComponent that also encodes lone surrogates, as the three bytes a
 * careless client writes for them (CESU-8, e.g. `%ED%A0%80`): invalid UTF-8 the
 * server must refuse cleanly. encodeURIComponent itself throws on them.
 */
export function percentEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(s[i]!);
  }
  return out;
}

/**
 * Characters that can travel in an HTTP header value (visible ASCII, space,
 * tab, obs-text): Node's HTTP parser refuses anything else before the app sees
 * it, and so does its client, so other characters are replaced.
 */
export const toHeaderValue = (s: string) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');

// ---------- values ----------

/** A generated value and what is wrong with it (empty for a valid value). */
export interface Noted<T> {
  value: T;
  notes: string[];
}

/** Real values for a place in a request (`path:id`, `query:limit`, `header:x`, `body:/item/name`). */
export type Hints = (where: string) => readonly unknown[] | undefined;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const typesOf = (schema: JsonSchema): string[] =>
  schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];

const clampSafe = (n: number) => Math.max(-MAX_SAFE, Math.min(MAX_SAFE, n));
function integerBounds(schema: JsonSchema): { min: number; max: number } {
  const min =
    schema.minimum ??
    (schema.exclusiveMinimum === undefined ? -1_000_000_000 : Math.floor(schema.exclusiveMinimum) + 1);
  const max =
    schema.maximum ?? (schema.exclusiveMaximum === undefined ? 1_000_000_000 : Math.ceil(schema.exclusiveMaximum) - 1);
  return { min: clampSafe(Math.ceil(min)), max: clampSafe(Math.floor(max)) };
}

/** Date-times the server can take: mostly near now (so that future-date rules pass), some anywhere in 2000–2199. */
const dateTime = fc
  .oneof(
    { weight: 4, arbitrary: fc.integer({ min: 60_000, max: 72 * 3600_000 }).map((d) => new Date(Date.now() + d)) },
    { weight: 1, arbitrary: fc.integer({ min: -72 * 3600_000, max: 0 }).map((d) => new Date(Date.now() + d)) },
    {
      weight: 1,
      arbitrary: fc.date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2199-12-31T00:00:00Z'),
        noInvalidDate: true,
      }),
    },
  )
  .chain((d) =>
    fc.constantFrom(
      d.toISOString(),
      d.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      // The same instant with an offset.
      new Date(d.getTime() + 2 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+02:00'),
    ),
  );

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const fits = (s: string) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity);
  const maxLength = schema.maxLength ?? minLength + 40;
  if (schema.format === 'date-time') return dateTime.filter(fits);
  if (schema.format === 'uri' || schema.format === 'url')
    return fc.webUrl({ withQueryParameters: true, withFragments: true }).filter(fits);
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'email') return fc.emailAddress().filter(fits);
  if (schema.pattern !== undefined) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
    } catch {
      // A pattern fast-check cannot generate from: plain strings (mostly refused, which is fine too).
    }
  }
  const cap = Math.min(maxLength, minLength + 40);
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength, maxLength: cap, unit: 'grapheme-ascii' }) },
    { weight: 1, arbitrary: fc.string({ minLength, maxLength: cap, unit: 'grapheme' }).filter(fits) },
    ...(maxLength > 200
      ? [
          {
            weight: 1,
            arbitrary: fc.integer({ min: Math.max(minLength, 200), max: maxLength }).map((n) => 'v'.repeat(n)),
          },
        ]
      : []),
  );
}

/** A value the schema accepts (as far as JSON Schema says: refinements the schema cannot express may still refuse it). */
export function validValue(schema: JsonSchema, hints: Hints = () => undefined, where = ''): fc.Arbitrary<unknown> {
  const fromSchema = validFromSchema(schema, hints, where);
  const known = hints(where);
  if (known === undefined || known.length === 0) return fromSchema;
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: fromSchema });
}

function validFromSchema(schema: JsonSchema, hints: Hints, where: string): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches && branches.length > 0) return fc.oneof(...branches.map((b) => validValue(b, hints, where)));
  if (schema.allOf && schema.allOf.length > 0)
    return validValue(Object.assign({}, ...schema.allOf) as JsonSchema, hints, where);
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((type) => validValue({ ...schema, type }, hints, where)));
  switch (types[0]) {
    case 'integer':
      return fc.integer(integerBounds(schema));
    case 'number': {
      const { min, max } = integerBounds(schema);
      return fc.oneof(fc.integer({ min, max }), fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
    }
    case 'string':
      return validString(schema);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validValue(schema.items ?? {}, hints, `${where}/0`), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, (schema.minItems ?? 0) + 5),
      });
    case 'object': {
      const properties = schema.properties ?? {};
      const required = (schema.required ?? []).filter((key) => key in properties);
      return fc.record(
        Object.fromEntries(
          Object.entries(properties).map(([key, property]) => [key, validValue(property, hints, `${where}/${key}`)]),
        ),
        { requiredKeys: required },
      );
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

const note =
  (notes: string[]) =>
  <T>(value: T): Noted<T> => ({ value, notes });
const label = (where: string) => where || '/';

/** Strings with every kind of trouble in them. */
export const troubleString: fc.Arbitrary<Noted<string>> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 1000, max: 80_000 }), fc.constantFrom('a', 'é', '😀', '\u0000', '%', ' ', '\\'))
      .map(([n, c]) => ({ value: c.repeat(n), notes: [`huge string (${n} × ${JSON.stringify(c)})`] })),
  },
  {
    weight: 2,
    arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).map(note(['unicode-heavy string'])),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }).map(note(['any code points'])) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('\ud800', '\udfff', 'a\ud800b', '\udc00\ud800', 'x\ud83d', '\ude00')
      .map(note(['lone surrogate'])),
  },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', 'a\u0000b', '\u0000'.repeat(50)).map(note(['NUL'])) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '\u202eevil',
        'a\u200bb',
        'e\u0301\u0301\u0301',
        '\ufeff',
        '\uffff',
        '\ufffe',
        '𝕏',
        '👨‍👩‍👧‍👦',
        'Ω≈ç√∫',
        '\r\n',
        '\t',
      )
      .map(note(['odd unicode'])),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '',
        ' ',
        'null',
        'undefined',
        'true',
        '{}',
        '[]',
        '../../etc/passwd',
        '<script>',
        "' OR 1=1 --",
        '%s%n',
      )
      .map(note(['suspicious string'])),
  },
);

/** Numbers as strings and numbers no JSON number can be. */
const numberLikeStrings = [
  '0x10',
  '1e2',
  '10',
  ' 5',
  '5 ',
  '+5',
  '1_000',
  '١٢',
  '１２',
  'Infinity',
  'NaN',
  '-0',
  '0b11',
  '1,000',
];
const rawNumberTexts = [
  '1e400',
  '-1e400',
  '1.0',
  '1E2',
  '0x10',
  '01',
  '-0',
  '1e-400',
  '99999999999999999999999',
  'NaN',
  'Infinity',
  '.5',
  '+1',
];

function wrongTypes(schema: JsonSchema, where: string): fc.Arbitrary<Noted<unknown>> {
  const types = typesOf(schema);
  const candidates: [string, unknown][] = [
    ['null', null],
    ['boolean', true],
    ['integer', 0],
    ['number', 1.5],
    ['string', ''],
    ['string', 'null'],
    ['array', []],
    ['object', {}],
  ];
  const wrong = candidates.filter(
    ([type]) => !types.includes(type) && !(type === 'integer' && types.includes('number')),
  );
  return fc
    .constantFrom(...(wrong.length > 0 ? wrong : candidates))
    .map(([type, value]) => ({ value, notes: [`${label(where)}: wrong type (${type})`] }));
}

/**
 * A value the schema (most likely) refuses, with a note saying how. Objects
 * get one mutation, possibly deep inside: a field replaced by a mutant, a
 * required field removed, an unknown field added, or the whole object swapped
 * for an array or a scalar.
 */
export function mutatedValue(
  schema: JsonSchema,
  hints: Hints = () => undefined,
  where = '',
): fc.Arbitrary<Noted<unknown>> {
  const options: fc.WeightedArbitrary<Noted<unknown>>[] = [{ weight: 1, arbitrary: wrongTypes(schema, where) }];
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches && branches.length > 0)
    options.push({ weight: 3, arbitrary: fc.oneof(...branches.map((b) => mutatedValue(b, hints, where))) });
  if (schema.enum !== undefined && schema.enum.length > 0) {
    const values = schema.enum.filter((v): v is string => typeof v === 'string');
    if (values.length > 0)
      options.push({
        weight: 3,
        arbitrary: fc
          .tuple(
            fc.constantFrom(...values),
            fc.constantFrom(
              (s: string) => s.toUpperCase(),
              (s: string) => `${s} `,
              (s: string) => ` ${s}`,
              (s: string) => `${s}\u0000`,
              (s: string) => s.slice(0, -1),
              (s: string) => `${s}x`,
            ),
          )
          .map(([v, f]) => f(v))
          .filter((v) => !values.includes(v))
          .map(note([`${label(where)}: not in the enum`])),
      });
  }
  const types = typesOf(schema);
  const at = label(where);
  if (types.includes('integer') || types.includes('number')) {
    const { min, max } = integerBounds(schema);
    const outside = [
      ...(schema.minimum !== undefined || schema.exclusiveMinimum !== undefined ? [min - 1, min - 1_000_000] : []),
      ...(schema.maximum !== undefined || schema.exclusiveMaximum !== undefined ? [max + 1, max * 10] : []),
      -1,
      0,
    ];
    options.push(
      { weight: 3, arbitrary: fc.constantFrom(...outside).map(note([`${at}: out of range`])) },
      {
        weight: 2,
        arbitrary: fc
          .constantFrom(1e300, -1e300, 2 ** 53 + 2, -0, 5e-324, Number.MAX_VALUE, MAX_SAFE)
          .map(note([`${at}: extreme number`])),
      },
      {
        weight: 2,
        arbitrary: fc
          .oneof(fc.constantFrom(...numberLikeStrings), fc.integer({ min, max }).map(String))
          .map(note([`${at}: number as a string`])),
      },
      {
        weight: 2,
        arbitrary: fc
          .constantFrom(...rawNumberTexts)
          .map((text) => ({ value: new RawJson(text), notes: [`${at}: raw JSON number ${text}`] })),
      },
    );
    if (types.includes('integer') && !types.includes('number'))
      options.push({
        weight: 2,
        arbitrary: fc
          .integer({ min, max: Math.max(min, max - 1) })
          .map((n) => n + 0.5)
          .map(note([`${at}: not an integer`])),
      });
  }
  if (types.includes('string')) {
    const lengths: string[] = [];
    if (schema.minLength !== undefined && schema.minLength > 0) lengths.push('x'.repeat(schema.minLength - 1));
    if (schema.maxLength !== undefined)
      lengths.push('x'.repeat(schema.maxLength + 1), 'é'.repeat(schema.maxLength + 1));
    if (lengths.length > 0)
      options.push({ weight: 3, arbitrary: fc.constantFrom(...lengths).map(note([`${at}: length out of bounds`])) });
    options.push({
      weight: 4,
      arbitrary: troubleString.map(({ value, notes }) => ({ value, notes: notes.map((n) => `${at}: ${n}`) })),
    });
    if (schema.pattern !== undefined || schema.format !== undefined)
      options.push({
        weight: 2,
        arbitrary: fc.string({ maxLength: 24 }).map(note([`${at}: probably not the ${schema.format ?? 'pattern'}`])),
      });
    if (schema.format === 'date-time')
      options.push({
        weight: 3,
        arbitrary: fc
          .constantFrom(
            '2026-13-01T00:00:00Z',
            '2026-02-30T00:00:00Z',
            '1999-12-31T23:59:59Z',
            '2200-01-01T00:00:00Z',
            '+275760-09-13T00:00:00.000Z',
            '2030-01-01',
            '2030-01-01T00:00:00',
            '2030-01-01T00:00:00+25:00',
            '2030-01-01T24:00:00Z',
            `2030-01-01T00:00:00.${'9'.repeat(400)}Z`,
            'tomorrow',
            new Date(Date.now() - 3600_000).toISOString(),
            new Date(Date.now() + 5).toISOString(),
          )
          .map(note([`${at}: bad or edge date-time`])),
      });
    if (schema.format === 'uri' || schema.format === 'url')
      options.push({
        weight: 3,
        arbitrary: fc
          .constantFrom(
            'javascript:alert(1)',
            'data:image/png;base64,AAAA',
            'file:///etc/passwd',
            'ftp://example.com/x',
            'http://',
            '//example.com/x',
            `https://example.com/${'a'.repeat(3000)}`,
            'http://[::1',
            'https://exa mple.com',
          )
          .map(note([`${at}: bad or edge URL`])),
      });
  }
  if (types.includes('boolean'))
    options.push({
      weight: 2,
      arbitrary: fc.constantFrom('true', 'false', 1, 0, 'yes').map(note([`${at}: boolean look-alike`])),
    });
  if (types.includes('array'))
    options.push({
      weight: 2,
      arbitrary: fc
        .array(validValue(schema.items ?? {}, hints, `${where}/0`), {
          minLength: (schema.maxItems ?? 20) + 1,
          maxLength: (schema.maxItems ?? 20) + 3,
        })
        .map(note([`${at}: too many items`])),
    });
  if (types.includes('object')) options.push(...objectMutations(schema, hints, where));
  return fc.oneof(...options);
}

function objectMutations(schema: JsonSchema, hints: Hints, where: string): fc.WeightedArbitrary<Noted<unknown>>[] {
  const at = label(where);
  const valid = validValue(schema, hints, where) as fc.Arbitrary<Record<string, unknown>>;
  const properties = Object.entries(schema.properties ?? {});
  const required = (schema.required ?? []).filter((key) => schema.properties?.[key] !== undefined);
  const out: fc.WeightedArbitrary<Noted<unknown>>[] = [];
  if (properties.length > 0)
    out.push({
      weight: 8,
      arbitrary: fc
        .constantFrom(...properties)
        .chain(([key, property]) =>
          fc
            .tuple(valid, mutatedValue(property, hints, `${where}/${key}`))
            .map(([base, mutant]) => ({ value: withKey(base, key, mutant.value), notes: mutant.notes })),
        ),
    });
  if (required.length > 0)
    out.push({
      weight: 2,
      arbitrary: fc.tuple(valid, fc.constantFrom(...required)).map(([base, key]) => {
        const copy = { ...base };
        delete copy[key];
        return { value: copy, notes: [`${at}: required field ${key} missing`] };
      }),
    });
  out.push(
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          valid,
          fc.oneof(
            fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', 'extra', 'id'),
            fc.string({ maxLength: 12 }),
          ),
          fc.oneof(
            fc.jsonValue({ maxDepth: 2 }),
            fc.constant({ isAdmin: true }),
            fc.constant({ prototype: { isAdmin: true } }),
          ),
        )
        .filter(([, key]) => schema.properties?.[key] === undefined)
        .map(([base, key, extra]) => ({
          value: withKey(base, key, extra),
          notes: [`${at}: unknown field ${JSON.stringify(key)}`],
        })),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          valid.map((v) => [v]),
          fc.constant([]),
          fc.array(valid, { minLength: 2, maxLength: 3 }),
        )
        .map(note([`${at}: array instead of an object`])),
    },
  );
  return out;
}

/** A copy of `base` with `key` set, as an own enumerable property even for `__proto__`. */
function withKey(base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...base };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

// ---------- requests ----------

/** A request as generated: placeholders such as `{TOKEN:alice}` in header values are filled in at send time. */
export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** What was deliberately made odd (empty: a request meant to be valid). */
  notes: string[];
}

export interface RequestOptions {
  /** Real values for parameters and body fields (real ids, known usernames, …). */
  hints: Hints;
  /** Valid bodies for an operation whose document describes none (e.g. raw image uploads). */
  exampleBodies?: readonly { payload: string | Buffer; contentType: string }[];
  /** The document's security schemes (to know how credentials travel). */
  securitySchemes: Record<string, SecurityScheme>;
  /** Placeholders of valid session tokens, filled in at send time, e.g. `{TOKEN:alice}`. */
  tokens: string[];
  /** Placeholders of tokens that are well formed but no longer valid, e.g. `{REVOKED}`. */
  staleTokens: string[];
}

type Part = Noted<string>;
const valid = (value: string): Part => ({ value, notes: [] });

/** Serialises a generated value as a query or path string. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof RawJson) return value.text;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return encodeJson(value);
}

/** Raw (already encoded) path segments that are very long, badly or heavily percent-encoded, or dot segments. */
const oddPathSegment: fc.Arbitrary<Part> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc
      .integer({ min: 129, max: 8000 })
      .map((n) => ({ value: 'x'.repeat(n), notes: [`path: very long segment (${n})`] })),
  },
  {
    weight: 2,
    arbitrary: fc
      .integer({ min: 1, max: 3000 })
      .map((n) => ({ value: '%41'.repeat(n), notes: [`path: ${n} percent-encoded characters`] })),
  },
  {
    weight: 2,
    arbitrary: fc.uint8Array({ minLength: 1, maxLength: 40 }).map((bytes) => ({
      value: [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
      notes: ['path: percent-encoded random bytes'],
    })),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        '%',
        '%zz',
        'a%',
        '%E0%A4%A',
        '%00',
        '%2F',
        '%2e%2e',
        '..',
        '.',
        '%ED%A0%80',
        '%C0%AF',
        '%F4%90%80%80',
        '%EF%BF%BE',
        '%u0041',
        ';a=b',
        '%20',
        '+',
        '',
      )
      .map((value) => ({ value, notes: [`path: odd segment ${JSON.stringify(value)}`] })),
  },
  {
    weight: 2,
    arbitrary: troubleString
      .filter(({ value }) => value.length < 3000)
      .map(({ value, notes }) => ({ value: percentEncode(value), notes: notes.map((n) => `path: ${n}`) })),
  },
);

function pathArbitrary(op: Operation, options: RequestOptions, mutate: boolean): fc.Arbitrary<Part> {
  const params = op.parameters.filter((p) => p.in === 'path');
  if (params.length === 0) return fc.constant(valid(op.path));
  return fc
    .tuple(
      ...params.map((p) => {
        const good = validValue(p.schema, options.hints, `path:${p.name}`).map((v) => valid(percentEncode(asText(v))));
        return mutate ? fc.oneof({ weight: 1, arbitrary: good }, { weight: 3, arbitrary: oddPathSegment }) : good;
      }),
    )
    .map((parts) => {
      let path = op.path;
      params.forEach((p, i) => {
        path = path.replace(`{${p.name}}`, parts[i]!.value);
      });
      return { value: path, notes: parts.flatMap((part) => part.notes) };
    });
}

const ABSENT = Symbol('absent');

/** Query strings: declared parameters (valid, absent or mutated) plus, when mutating, repeats and strangers. */
function queryArbitrary(op: Operation, options: RequestOptions, mutate: boolean): fc.Arbitrary<Part> {
  const params = op.parameters.filter((p) => p.in === 'query');
  const pairs = params.map((p) => {
    const where = `query:${p.name}`;
    const good = validValue(p.schema, options.hints, where).map((v): Noted<string | typeof ABSENT> => ({
      value: asText(v),
      notes: [],
    }));
    const choices: fc.WeightedArbitrary<Noted<string | typeof ABSENT>>[] = [{ weight: 4, arbitrary: good }];
    if (!p.required) choices.push({ weight: 3, arbitrary: fc.constant({ value: ABSENT, notes: [] }) });
    else if (mutate)
      choices.push({ weight: 1, arbitrary: fc.constant({ value: ABSENT, notes: [`${where} missing`] }) });
    if (mutate)
      choices.push({
        weight: 3,
        arbitrary: mutatedValue(p.schema, options.hints, where).map(({ value, notes }) => ({
          value: asText(value),
          notes,
        })),
      });
    return fc.oneof(...choices).map((v) => ({ name: p.name, ...v }));
  });
  const extra: fc.Arbitrary<Part> = mutate
    ? fc.oneof(
        { weight: 3, arbitrary: fc.constant(valid('')) },
        {
          weight: 2,
          arbitrary: fc
            .tuple(
              fc.oneof(
                fc.constantFrom(
                  '__proto__',
                  'constructor',
                  'toString',
                  'a[b]',
                  'limit[]',
                  '',
                  ...params.map((p) => p.name),
                ),
                fc.string({ maxLength: 10 }),
              ),
              fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...numberLikeStrings)),
            )
            .map(([k, v]) => ({
              value: `&${percentEncode(k)}=${percentEncode(v)}`,
              notes: [`query: extra or repeated parameter ${JSON.stringify(k)}`],
            })),
        },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom('&', '&&&', '&=', '&%', '&a=%zz', '&a=%E0%A4%A', '&a=%ED%A0%80', '&a', '&a=1&a=2&a=3', '&;')
            .map((raw) => ({ value: raw, notes: [`query: raw ${JSON.stringify(raw)}`] })),
        },
      )
    : fc.constant(valid(''));
  return fc.tuple(fc.tuple(...pairs), extra).map(([values, tail]) => {
    const present = values.filter((v): v is { name: string; value: string; notes: string[] } => v.value !== ABSENT);
    // A tail with no declared parameter before it keeps its `&`: `?&a=1` is one more odd query.
    const query = present.map((v) => `${percentEncode(v.name)}=${percentEncode(v.value)}`).join('&') + tail.value;
    return {
      value: query === '' ? '' : `?${query}`,
      notes: [...values.flatMap((v) => v.notes), ...tail.notes],
    };
  });
}

const headerValue = fc.string({
  unit: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
    { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)) },
    { weight: 1, arbitrary: fc.constant('\t') },
  ),
  maxLength: 80,
});

/** Declared header parameters: valid (header-safe), absent, or odd (long, empty, obs-text, padded). */
function headerParamsArbitrary(
  op: Operation,
  options: RequestOptions,
  mutate: boolean,
): fc.Arbitrary<Noted<Record<string, string>>> {
  const params = op.parameters.filter((p) => p.in === 'header');
  return fc
    .tuple(
      ...params.map((p) => {
        const where = `header:${p.name}`;
        const minLength = Math.max(1, p.schema.minLength ?? 1);
        const good = fc.oneof(
          validValue(p.schema, options.hints, where).map((v) => toHeaderValue(asText(v))),
          fc.string({ minLength, maxLength: Math.min(p.schema.maxLength ?? 64, 64), unit: 'grapheme-ascii' }),
        );
        const choices: fc.WeightedArbitrary<Noted<string | typeof ABSENT>>[] = [
          { weight: 3, arbitrary: good.map((value) => ({ value, notes: [] })) },
        ];
        if (!p.required) choices.push({ weight: 2, arbitrary: fc.constant({ value: ABSENT, notes: [] }) });
        if (mutate)
          choices.push({
            weight: 4,
            arbitrary: fc.oneof(
              headerValue.map((value) => ({ value, notes: [`${where}: any header characters`] })),
              fc
                .constantFrom(65, 129, 1000, 8000)
                .map((n) => ({ value: 'k'.repeat(n), notes: [`${where}: ${n} characters`] })),
              fc
                .constantFrom('', ' ', '\t', ' padded ', 'clé', '\u00ff\u00fe', 'a\tb')
                .map((value) => ({ value, notes: [`${where}: odd value ${JSON.stringify(value)}`] })),
              mutatedValue(p.schema, options.hints, where).map(({ value, notes }) => ({
                value: toHeaderValue(asText(value)),
                notes,
              })),
            ),
          });
        return fc.oneof(...choices).map((v) => ({ name: p.name, ...v }));
      }),
    )
    .map((values) => {
      const headers: Record<string, string> = {};
      for (const v of values) if (v.value !== ABSENT) headers[v.name] = v.value;
      return { value: headers, notes: values.flatMap((v) => v.notes) };
    });
}

/**
 * Credentials for the document's security schemes: about half the requests
 * carry a valid session (bearer, or cookie with same-origin browser headers);
 * the others carry none, a stale one, or a broken one.
 */
function credentialsArbitrary(options: RequestOptions): fc.Arbitrary<Noted<Record<string, string>>> {
  const schemes = Object.values(options.securitySchemes);
  const bearer = schemes.some((s) => s.type === 'http' && s.scheme?.toLowerCase() === 'bearer');
  const cookieName = schemes.find((s) => s.type === 'apiKey' && s.in === 'cookie')?.name;
  const headerKey = schemes.find((s) => s.type === 'apiKey' && s.in === 'header')?.name?.toLowerCase();
  const token = fc.constantFrom(...options.tokens);
  const good: fc.Arbitrary<Noted<Record<string, string>>>[] = [];
  const bad: fc.Arbitrary<Noted<Record<string, string>>>[] = [fc.constant({ value: {}, notes: ['no credentials'] })];
  const stale = options.staleTokens.length > 0 ? fc.constantFrom(...options.staleTokens) : token.map((t) => `${t}x`);
  if (bearer) {
    good.push(token.map((t) => ({ value: { authorization: `Bearer ${t}` }, notes: [] })));
    bad.push(
      stale.map((t) => ({ value: { authorization: `Bearer ${t}` }, notes: ['stale bearer token'] })),
      token.chain((t) =>
        fc
          .constantFrom(
            `bearer ${t}`,
            `BEARER ${t}`,
            t,
            `Bearer  ${t}`,
            `Bearer ${t} `,
            `Bearer ${t}${t}`,
            `Bearer ${t}x`,
            `Bearer ${t.slice(0, -1)}`,
            'Basic dXNlcjpwYXNz',
            'Bearer',
            'Bearer ',
            '',
            `Bearer ${'A'.repeat(43)}`,
            `Bearer ${'A'.repeat(129)}`,
            `Bearer ${'A'.repeat(10_000)}`,
          )
          .map((value) => ({ value: { authorization: value }, notes: ['odd Authorization header'] })),
      ),
      headerValue.map((value) => ({ value: { authorization: `Bearer ${value}` }, notes: ['junk bearer token'] })),
    );
  }
  if (cookieName !== undefined) {
    const sameSite = fc.constantFrom<Record<string, string>>(
      {},
      { 'sec-fetch-site': 'same-origin' },
      { origin: 'http://localhost:80' },
      { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:80' },
    );
    const crossSite = fc.constantFrom<Record<string, string>>(
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'none' },
      { 'sec-fetch-site': '' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'http://[::1' },
      { origin: '' },
    );
    good.push(
      fc.tuple(token, sameSite).map(([t, site]) => ({ value: { cookie: `${cookieName}=${t}`, ...site }, notes: [] })),
    );
    bad.push(
      fc.tuple(token, crossSite).map(([t, site]) => ({
        value: { cookie: `theme=dark; ${cookieName}=${t}`, ...site },
        notes: ['session cookie from another site'],
      })),
      fc
        .tuple(token, stale, headerValue)
        .chain(([t, s, junk]) =>
          fc
            .constantFrom(
              `${cookieName}=${s}`,
              `${cookieName}=`,
              `${cookieName}="${t}"`,
              `${cookieName}=%zz`,
              `${cookieName}=${t}; ${cookieName}=other`,
              `${cookieName}=${junk}`,
              junk,
            )
            .map((value) => ({ value: { cookie: value }, notes: ['odd session cookie'] })),
        ),
    );
  }
  if (headerKey !== undefined) {
    good.push(token.map((t) => ({ value: { [headerKey]: t }, notes: [] })));
    bad.push(stale.map((t) => ({ value: { [headerKey]: t }, notes: ['stale key'] })));
  }
  if (good.length === 0) return fc.oneof(...bad);
  return fc.oneof({ weight: 1, arbitrary: fc.oneof(...good) }, { weight: 1, arbitrary: fc.oneof(...bad) });
}

/** Ordinary headers that clients send and proxies add, sometimes with odd values. */
const miscHeaders: fc.Arbitrary<Noted<Record<string, string>>> = fc
  .dictionary(
    fc.constantFrom(
      'accept',
      'accept-encoding',
      'accept-language',
      'content-encoding',
      'x-forwarded-for',
      'x-forwarded-host',
      'x-request-id',
      'last-event-id',
      'if-none-match',
      'range',
      'user-agent',
    ),
    fc.oneof(
      headerValue,
      fc.constantFrom('*/*', 'gzip, br', 'text/event-stream', 'application/json', '0', '-1', '1e3', '9'.repeat(40)),
    ),
    { maxKeys: 2 },
  )
  .map((value) => ({ value, notes: Object.keys(value).length > 0 ? ['extra headers'] : [] }));

const jsonContentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'APPLICATION/JSON',
];
const wrongContentTypes = [
  'text/plain',
  'text/plain; charset=utf-8',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/octet-stream',
  'application/problem+json',
  'application/vnd.api+json',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json, text/plain',
  'image/png',
  'image/jpeg',
  'image/webp',
  '*/*',
  ';',
  '',
];

/** Leading bytes of the image kinds upload endpoints check for, so random bodies sometimes look like images. */
const imageSignatures = [
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.concat([Buffer.from('RIFF'), Buffer.from([0, 0, 0, 0]), Buffer.from('WEBP')]),
];

/** A non-JSON body of bytes, sometimes starting like an image. */
const byteBody: fc.Arbitrary<{ payload: Buffer; contentType: string | undefined; notes: string[] }> = fc
  .tuple(
    fc.option(fc.constantFrom(...imageSignatures), { freq: 2 }),
    fc.uint8Array({ maxLength: 2000 }),
    fc.option(fc.constantFrom(...wrongContentTypes, ...jsonContentTypes), { freq: 6 }),
  )
  .map(([signature, bytes, contentType]) => ({
    payload: Buffer.concat([signature ?? Buffer.alloc(0), Buffer.from(bytes)]),
    contentType: contentType ?? undefined,
    notes: [`${signature ? 'image-like' : 'random'} bytes as ${contentType ?? 'no content type'}`],
  }));

interface Body {
  payload: string | Buffer | undefined;
  contentType: string | undefined;
  notes: string[];
}

/** Whole-body oddities: empty, scalar, truncated, nested, oversized, BOM, duplicate keys, proto keys, … */
function oddJsonBodies(validJson: fc.Arbitrary<string>): fc.Arbitrary<Body> {
  const asJson =
    (notes: string[]) =>
    (payload: string): Body => ({ payload, contentType: 'application/json', notes });
  return fc.oneof<fc.Arbitrary<Body>[]>(
    fc.constantFrom('', ' ', '\n').map(asJson(['body: empty with a JSON content type'])),
    fc.constantFrom('null', 'true', '0', '"x"', '[]', '{}', '[{}]').map(asJson(['body: JSON scalar or empty'])),
    validJson.map((j) => `[${j}]`).map(asJson(['body: array instead of an object'])),
    validJson
      .chain((j) => fc.integer({ min: 0, max: Math.max(0, j.length - 1) }).map((n) => j.slice(0, n)))
      .map(asJson(['body: truncated JSON'])),
    validJson.map((j) => `\ufeff${j}`).map(asJson(['body: byte-order mark'])),
    validJson.map((j) => `${j}${j}`).map(asJson(['body: two JSON texts'])),
    validJson
      .map((j) => (j.startsWith('{') && j.length > 2 ? `{"__proto__":{"isAdmin":true},${j.slice(1)}` : j))
      .map(asJson(['body: __proto__ key'])),
    validJson
      .map((j) => (j.startsWith('{"') ? `${j.slice(0, -1)},${j.slice(1)}` : j))
      .map(asJson(['body: duplicate keys'])),
    fc
      .integer({ min: 1000, max: 20_000 })
      .map((n) => '['.repeat(n) + ']'.repeat(n))
      .map(asJson(['body: deep nesting'])),
    fc
      .integer({ min: 65 * 1024, max: 200 * 1024 })
      .map((n) => `{"pad":"${'p'.repeat(n)}"}`)
      .map(asJson(['body: oversized'])),
    fc
      .jsonValue({ maxDepth: 3 })
      .map((v) => JSON.stringify(v))
      .map(asJson(['body: any JSON'])),
    fc
      .constantFrom(
        '{"a":',
        '{',
        '}',
        "{'a':1}",
        '{"a":1,}',
        'amount=5',
        'undefined',
        'NaN',
        '\u0000',
        '{"a":"\\ud800"}',
      )
      .map(asJson(['body: not JSON'])),
    fc
      .tuple(validJson, fc.constantFrom(...wrongContentTypes))
      .map(([payload, contentType]) => ({ payload, contentType, notes: [`body: JSON sent as ${contentType}`] })),
    validJson.map((payload) => ({ payload, contentType: undefined, notes: ['body: JSON without a content type'] })),
    byteBody,
    fc.constant({ payload: undefined, contentType: undefined, notes: ['body: none'] }),
  );
}

function bodyArbitrary(op: Operation, options: RequestOptions, mutate: boolean): fc.Arbitrary<Body> {
  if (op.body === null) {
    // No body is described: none, or one of the given examples; when mutating, anything at all.
    const examples = options.exampleBodies ?? [];
    const none =
      examples.length === 0
        ? fc.constant<Body>({ payload: undefined, contentType: undefined, notes: [] })
        : fc.constantFrom<Body>(...examples.map((e) => ({ ...e, notes: [] })));
    if (!mutate) return none;
    return fc.oneof(
      { weight: 1, arbitrary: none },
      {
        weight: 2,
        arbitrary: oddJsonBodies(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v))),
      },
    );
  }
  const { schema, contentTypes } = op.body;
  // Spellings of the same media type that a server must take as it (parameters, case).
  const declared = [
    ...new Set([...contentTypes, ...(contentTypes.includes('application/json') ? jsonContentTypes : [])]),
  ];
  const contentType = fc.oneof(
    { weight: 6, arbitrary: fc.constant(contentTypes[0]!) },
    { weight: 1, arbitrary: fc.constantFrom(...declared) },
  );
  const validJson = validValue(schema, options.hints, 'body:').map(encodeJson);
  if (!mutate)
    return fc.tuple(validJson, contentType).map(([payload, type]) => ({ payload, contentType: type, notes: [] }));
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.tuple(mutatedValue(schema, options.hints, 'body:'), contentType).map(([mutant, type]) => ({
        payload: encodeJson(mutant.value),
        contentType: type,
        notes: mutant.notes,
      })),
    },
    { weight: 3, arbitrary: oddJsonBodies(validJson) },
  );
}

/**
 * Requests for one operation. About a third are meant to be valid in every
 * part; the others have one part mutated (path, query, headers or body), and a
 * few have several. Credentials and ordinary extra headers vary independently:
 * about half the requests carry a valid session.
 */
export function requestArbitrary(op: Operation, options: RequestOptions): fc.Arbitrary<FuzzRequest> {
  const parts = (mutated: Partial<Record<'path' | 'query' | 'headers' | 'body', boolean>>) =>
    fc.record({
      path: pathArbitrary(op, options, mutated.path ?? false),
      query: queryArbitrary(op, options, mutated.query ?? false),
      headerParams: headerParamsArbitrary(op, options, mutated.headers ?? false),
      body: bodyArbitrary(op, options, mutated.body ?? false),
      credentials: credentialsArbitrary(options),
      misc: fc.option(miscHeaders, { freq: 3, nil: { value: {}, notes: [] } }),
    });
  const hasPath = op.parameters.some((p) => p.in === 'path');
  const hasHeaders = op.parameters.some((p) => p.in === 'header');
  const choices: { weight: number; arbitrary: ReturnType<typeof parts> }[] = [
    { weight: 6, arbitrary: parts({}) },
    { weight: 3, arbitrary: parts({ query: true }) },
    { weight: op.body ? 6 : 2, arbitrary: parts({ body: true }) },
    { weight: 1, arbitrary: parts({ path: hasPath, query: true, headers: hasHeaders, body: true }) },
  ];
  if (hasPath) choices.push({ weight: 3, arbitrary: parts({ path: true }) });
  if (hasHeaders) choices.push({ weight: 3, arbitrary: parts({ headers: true }) });
  return fc.oneof(...choices).map(({ path, query, headerParams, body, credentials, misc }) => {
    const headers: Record<string, string> = { ...misc.value, ...headerParams.value, ...credentials.value };
    if (body.contentType !== undefined) headers['content-type'] = body.contentType;
    const request: FuzzRequest = {
      method: op.method,
      url: `${path.value}${query.value}`,
      headers,
      notes: [...path.notes, ...query.notes, ...headerParams.notes, ...body.notes, ...credentials.notes, ...misc.notes],
    };
    if (body.payload !== undefined) request.payload = body.payload;
    // fast-check prints counterexamples with this: long values shortened (the seed and path replay them in full).
    Object.defineProperty(request, fc.toStringMethod, { value: () => describeRequest(request, 300) });
    return request;
  });
}

/** A request as a reader wants it in a failure report: long values shortened, bytes as hex. */
export function describeRequest(
  request: Omit<FuzzRequest, 'notes'> & { notes?: string[]; remoteAddress?: string },
  limit = 1500,
): string {
  // Runs of one character (the usual shape of a huge generated value) are written as ‹c×n›.
  const cut = (raw: string) => {
    const s = raw.replace(/(.)\1{19,}/gsu, (run, c: string) => `‹${c}×${run.length / c.length}›`);
    return s.length <= limit ? s : `${s.slice(0, limit)}… (${raw.length} characters)`;
  };
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, cut(v)]));
  const payload =
    request.payload === undefined
      ? '(none)'
      : Buffer.isBuffer(request.payload)
        ? `${request.payload.length} bytes: ${request.payload.subarray(0, 64).toString('hex')}…`
        : cut(JSON.stringify(request.payload));
  return [
    `${request.method} ${cut(request.url)}`,
    `headers ${JSON.stringify(headers)}`,
    `body ${payload}`,
    ...(request.remoteAddress === undefined ? [] : [`from ${request.remoteAddress}`]),
    ...(request.notes && request.notes.length > 0 ? [`oddities: ${request.notes.join('; ')}`] : []),
  ].join('\n');
}
