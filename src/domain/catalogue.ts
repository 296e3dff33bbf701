/**
 * What a buyer filters on: the auction's category, typed attributes and location. Pure data and the rules
 * of its shape; the store indexes it (see docs/catalogue.md) and the HTTP layer validates it with these
 * limits.
 */

/** `vehicles`, `watches`, `classic-cars`: lower-case letters, digits and dashes. */
export const CATEGORY_PATTERN = /^[a-z0-9-]{1,40}$/;
/** `make`, `model_year`: starts with a letter. */
export const ATTRIBUTE_KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
export const ATTRIBUTES_MAX = 30;
export const ATTRIBUTE_TEXT_MAX = 200;
/** Up to this many pictures per item; the first is the cover (`item.imageUrl`). */
export const ITEM_IMAGES_MAX = 10;

export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

export interface Location {
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  region: string | null;
  city: string | null;
}

/** The catalogue facts of an auction; absent from states stored before they existed (read as none). */
export interface Catalogue {
  category: string | null;
  attributes: Attributes;
  location: Location | null;
}

export const NO_CATALOGUE: Catalogue = Object.freeze({ category: null, attributes: Object.freeze({}), location: null });

/**
 * How an attribute value is indexed and compared: strings by their lower-case form, so `Toyota` and
 * `toyota` are one value; numbers by value; booleans as the words `true`/`false` (a filter value is text,
 * and `attr.sold=true` means the boolean). `text` is null for numbers, `number` null for the others.
 */
export function attributeKey(value: AttributeValue): { text: string | null; number: number | null } {
  if (typeof value === 'number') return { text: null, number: value };
  if (typeof value === 'boolean') return { text: value ? 'true' : 'false', number: null };
  return { text: value.toLowerCase(), number: null };
}

/**
 * ISO 3166-1 alpha-2: the 249 officially assigned codes. ICU's region names also cover grouping codes
 * (EU, UN, 001) that are not countries, so the list is kept here.
 */
const COUNTRY_CODES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO ' +
    'JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR ' +
    'MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO ' +
    'RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV ' +
    'TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

export function isCountryCode(code: string): boolean {
  return COUNTRY_CODES.has(code);
}

/** The catalogue of a stored auction state (older states have none). */
export function catalogueOf(auction: {
  category?: string | null;
  attributes?: Attributes;
  location?: Location | null;
}): Catalogue {
  return {
    category: auction.category ?? null,
    attributes: auction.attributes ?? NO_CATALOGUE.attributes,
    location: auction.location ?? null,
  };
}
