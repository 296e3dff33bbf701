/**
 * The catalogue benchmark's data: a deterministic (seeded) generator of auctions with a category, typed
 * attributes and a location, skewed the way a real marketplace is (a few big categories, a few makes and
 * countries that dominate, long tails), and of the filter values the benchmark asks for, drawn from the
 * same distributions (common values), uniformly over every value (rare ones) and from values no auction
 * has (absent ones: the worst case for a plan that walks an index in sort order and filters).
 */
import type { Attributes, Location } from '../src/domain/index.ts';

/** mulberry32: a small seeded PRNG, so that two runs generate the same store and ask the same questions. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Values with weights; `pick` draws by weight, `any` uniformly. */
export class Weighted<T> {
  readonly values: readonly T[];
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    this.values = entries.map(([v]) => v);
    let sum = 0;
    for (const [, w] of entries) this.cumulative.push((sum += w));
    this.total = sum;
  }

  pick(random: () => number): T {
    const x = random() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo]!;
  }

  any(random: () => number): T {
    return this.values[Math.floor(random() * this.values.length)]!;
  }

  /** The share of draws that give `value`. */
  share(value: T): number {
    const i = this.values.indexOf(value);
    return i < 0 ? 0 : (this.cumulative[i]! - (i > 0 ? this.cumulative[i - 1]! : 0)) / this.total;
  }
}

/** Zipf-like weights: the i-th value (from 0) weighs 1 / (i + 1)^s. */
function zipf<T>(values: readonly T[], s = 1.1): Weighted<T> {
  return new Weighted(values.map((v, i) => [v, 1 / (i + 1) ** s] as const));
}

export const CATEGORIES = new Weighted<string>([
  ['vehicles', 30],
  ['electronics', 12],
  ['watches', 10],
  ['collectibles', 8],
  ['fashion', 8],
  ['furniture', 7],
  ['art', 6],
  ['jewellery', 6],
  ['books', 5],
  ['machinery', 4],
  ['wine', 3],
  ['real-estate', 1],
]);

export const CAR_MAKES = zipf([
  'Toyota',
  'Volkswagen',
  'Ford',
  'BMW',
  'Mercedes-Benz',
  'Honda',
  'Chevrolet',
  'Audi',
  'Nissan',
  'Hyundai',
  'Kia',
  'Peugeot',
  'Renault',
  'Skoda',
  'Opel',
  'Mazda',
  'Volvo',
  'Subaru',
  'Fiat',
  'Tesla',
  'Porsche',
  'Land Rover',
  'Jeep',
  'Lexus',
  'Mini',
  'Citroen',
  'Seat',
  'Dacia',
  'Mitsubishi',
  'Suzuki',
  'Jaguar',
  'Alfa Romeo',
  'Dodge',
  'Chrysler',
  'Saab',
  'Lancia',
  'Maserati',
  'Ferrari',
  'Lamborghini',
  'Bugatti',
]);
const MODEL_NAMES: Record<string, string[]> = {
  Toyota: ['Corolla', 'Camry', 'RAV4', 'Yaris', 'Hilux', 'Land Cruiser', 'Prius'],
  Volkswagen: ['Golf', 'Polo', 'Passat', 'Tiguan', 'Transporter', 'Beetle'],
  Ford: ['Focus', 'Fiesta', 'Mustang', 'F-150', 'Transit', 'Ranger'],
  BMW: ['3 Series', '5 Series', 'X3', 'X5', '1 Series', 'M3'],
  'Mercedes-Benz': ['C-Class', 'E-Class', 'S-Class', 'GLC', 'Sprinter', 'A-Class'],
  Honda: ['Civic', 'Accord', 'CR-V', 'Jazz'],
};
/** Makes of machines (a second set under the same `make` key). */
export const MACHINE_MAKES = zipf([
  'Caterpillar',
  'John Deere',
  'Komatsu',
  'Volvo CE',
  'JCB',
  'Liebherr',
  'Kubota',
  'Bobcat',
]);
/** Makes no auction has: the worst case of a filter that matches nothing. */
export const ABSENT_MAKES = ['Trabant', 'Studebaker', 'DeLorean'];

const FUELS = new Weighted([
  ['petrol', 50],
  ['diesel', 30],
  ['hybrid', 10],
  ['electric', 8],
  ['lpg', 2],
]);
const TRANSMISSIONS = new Weighted([
  ['manual', 55],
  ['automatic', 45],
]);
const CONDITIONS = new Weighted([
  ['used', 70],
  ['new', 12],
  ['refurbished', 8],
  ['restored', 5],
  ['for parts', 5],
]);

export const WATCH_BRANDS = zipf([
  'Seiko',
  'Rolex',
  'Omega',
  'Casio',
  'Tissot',
  'Citizen',
  'TAG Heuer',
  'Longines',
  'Breitling',
  'Hamilton',
  'Cartier',
  'IWC',
  'Patek Philippe',
  'Audemars Piguet',
  'Jaeger-LeCoultre',
  'Panerai',
  'Tudor',
  'Zenith',
  'Oris',
  'Vacheron Constantin',
]);
const MOVEMENTS = new Weighted([
  ['automatic', 55],
  ['quartz', 35],
  ['manual', 10],
]);
export const ELECTRONICS_BRANDS = zipf([
  'Apple',
  'Samsung',
  'Sony',
  'LG',
  'Canon',
  'Nikon',
  'Dell',
  'Lenovo',
  'HP',
  'Bose',
  'Nintendo',
  'Microsoft',
  'Google',
  'Leica',
  'Bang & Olufsen',
]);
const DEVICE_TYPES = new Weighted([
  ['phone', 30],
  ['laptop', 20],
  ['camera', 15],
  ['tv', 10],
  ['console', 10],
  ['audio', 10],
  ['tablet', 5],
]);
export const FASHION_BRANDS = zipf([
  'Nike',
  'Adidas',
  "Levi's",
  'Zara',
  'Gucci',
  'Prada',
  'Louis Vuitton',
  'Hermès',
  'Chanel',
  'Burberry',
  'Ralph Lauren',
  'Patagonia',
]);

/** Countries (ISO 3166-1 alpha-2) with weights and their cities (Zipf-skewed within the country). */
const PLACES: [string, number, string[]][] = [
  ['US', 30, ['New York', 'Los Angeles', 'Chicago', 'Houston', 'Phoenix', 'Seattle', 'Miami', 'Denver']],
  ['DE', 10, ['Berlin', 'Hamburg', 'München', 'Köln', 'Frankfurt', 'Stuttgart']],
  ['GB', 9, ['London', 'Manchester', 'Birmingham', 'Leeds', 'Glasgow', 'Bristol']],
  ['FR', 6, ['Paris', 'Lyon', 'Marseille', 'Toulouse', 'Nice']],
  ['IT', 5, ['Milano', 'Roma', 'Torino', 'Napoli', 'Bologna']],
  ['ES', 4, ['Madrid', 'Barcelona', 'Valencia', 'Sevilla']],
  ['CA', 4, ['Toronto', 'Montréal', 'Vancouver', 'Calgary']],
  ['NL', 3, ['Amsterdam', 'Rotterdam', 'Utrecht', 'Eindhoven']],
  ['AU', 3, ['Sydney', 'Melbourne', 'Brisbane', 'Perth']],
  ['JP', 3, ['Tokyo', 'Osaka', 'Yokohama', 'Nagoya']],
  ['BE', 2, ['Bruxelles', 'Antwerpen', 'Gent']],
  ['CH', 2, ['Zürich', 'Genève', 'Basel']],
  ['AT', 2, ['Wien', 'Graz', 'Salzburg']],
  ['SE', 2, ['Stockholm', 'Göteborg', 'Malmö']],
  ['PL', 2, ['Warszawa', 'Kraków', 'Wrocław']],
  ['IE', 1.5, ['Dublin', 'Cork', 'Galway']],
  ['DK', 1, ['København', 'Aarhus']],
  ['NO', 1, ['Oslo', 'Bergen']],
  ['FI', 1, ['Helsinki', 'Tampere']],
  ['PT', 1, ['Lisboa', 'Porto']],
  ['CZ', 1, ['Praha', 'Brno']],
  ['MX', 1, ['Ciudad de México', 'Guadalajara', 'Monterrey']],
  ['BR', 1, ['São Paulo', 'Rio de Janeiro']],
  ['NZ', 0.8, ['Auckland', 'Wellington']],
  ['SG', 0.6, ['Singapore']],
  ['HK', 0.5, ['Hong Kong']],
  ['ZA', 0.5, ['Johannesburg', 'Cape Town']],
  ['AE', 0.4, ['Dubai', 'Abu Dhabi']],
  ['IS', 0.1, ['Reykjavík']],
  ['LU', 0.1, ['Luxembourg']],
];
export const COUNTRIES = new Weighted(PLACES.map(([code, w]) => [code, w] as const));
export const CITIES = new Map(PLACES.map(([code, , cities]) => [code, zipf(cities)]));
/** Valid country codes and cities no auction has. */
export const ABSENT_COUNTRIES = ['MT', 'EE', 'CY'];
export const ABSENT_CITIES = ['Atlantis', 'Nowhere'];
const EURO = new Set(['DE', 'FR', 'IT', 'ES', 'NL', 'BE', 'AT', 'IE', 'FI', 'PT', 'LU']);

/** The currency an auction in `country` is most likely priced in (USD for the rest of the world). */
export function currencyOf(country: string): string {
  return EURO.has(country) ? 'EUR' : country === 'GB' ? 'GBP' : 'USD';
}

/** Median starting price per category, in major units. */
const MEDIAN_PRICE: Record<string, number> = {
  vehicles: 15_000,
  electronics: 300,
  watches: 2_500,
  collectibles: 150,
  fashion: 120,
  furniture: 400,
  art: 1_500,
  jewellery: 800,
  books: 40,
  machinery: 20_000,
  wine: 200,
  'real-estate': 250_000,
};
export const MEDIAN_PRICES = MEDIAN_PRICE;

const WINE_REGIONS = zipf([
  'Bordeaux',
  'Burgundy',
  'Napa Valley',
  'Rioja',
  'Tuscany',
  'Champagne',
  'Barossa',
  'Douro',
  'Mosel',
]);

/** A standard normal draw (Box–Muller). */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function int(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** A year from `from` to 2025, recent ones more likely. */
function recentYear(random: () => number, from: number): number {
  return 2025 - Math.floor((2025 - from + 1) * random() ** 1.8);
}

export interface Lot {
  category: string;
  attributes: Attributes;
  location: Location;
  currency: string;
  /** Minor units. */
  startingPrice: number;
  minIncrement: number;
  buyNowPrice: number | null;
  reservePrice: number | null;
  name: string;
  description: string;
}

/** One generated lot (everything but its ids and dates). */
export function makeLot(random: () => number): Lot {
  const category = CATEGORIES.pick(random);
  const country = COUNTRIES.pick(random);
  const city = CITIES.get(country)!.pick(random);
  const currency = random() < 0.9 ? currencyOf(country) : 'USD';
  let attributes: Attributes;
  let name: string;
  switch (category) {
    case 'vehicles': {
      const make = CAR_MAKES.pick(random);
      const models = MODEL_NAMES[make] ?? ['Sedan', 'Hatchback', 'Estate', 'Coupé', 'SUV'].map((m) => `${make} ${m}`);
      const model = models[Math.floor(random() * random() * models.length)]!;
      const year = recentYear(random, 1990);
      attributes = {
        make,
        model,
        year,
        mileage: Math.max(0, Math.round(((2026 - year) * 14_000 * (0.5 + random())) / 100) * 100),
        fuel: FUELS.pick(random),
        transmission: TRANSMISSIONS.pick(random),
        condition: CONDITIONS.pick(random),
      };
      name = `${year} ${make} ${model}`;
      break;
    }
    case 'watches': {
      const brand = WATCH_BRANDS.pick(random);
      attributes = {
        brand,
        movement: MOVEMENTS.pick(random),
        case_mm: int(random, 34, 46),
        year: recentYear(random, 1950),
        box_papers: random() < 0.4,
      };
      name = `${brand} ${String(attributes.movement)} ${String(attributes.case_mm)} mm`;
      break;
    }
    case 'electronics': {
      const brand = ELECTRONICS_BRANDS.pick(random);
      const type = DEVICE_TYPES.pick(random);
      attributes = { brand, type, condition: CONDITIONS.pick(random), storage_gb: 2 ** int(random, 5, 11) };
      name = `${brand} ${type}`;
      break;
    }
    case 'fashion': {
      const brand = FASHION_BRANDS.pick(random);
      attributes = {
        brand,
        size: ['XS', 'S', 'M', 'L', 'XL'][int(random, 0, 4)]!,
        gender: random() < 0.5 ? 'women' : random() < 0.8 ? 'men' : 'unisex',
        condition: CONDITIONS.pick(random),
      };
      name = `${brand} ${String(attributes.gender)} ${String(attributes.size)}`;
      break;
    }
    case 'machinery': {
      const make = MACHINE_MAKES.pick(random);
      const type = ['excavator', 'tractor', 'loader', 'forklift', 'crane'][int(random, 0, 4)]!;
      attributes = { make, type, year: recentYear(random, 1990), hours: int(random, 0, 30_000) };
      name = `${make} ${type}`;
      break;
    }
    case 'art': {
      const medium = ['oil', 'acrylic', 'watercolour', 'print', 'sculpture', 'photograph'][int(random, 0, 5)]!;
      attributes = { medium, year: recentYear(random, 1900), signed: random() < 0.6, width_cm: int(random, 10, 300) };
      name = `${medium} ${String(attributes.year)}`;
      break;
    }
    case 'jewellery': {
      const metal = ['gold', 'silver', 'platinum', 'steel'][int(random, 0, 3)]!;
      attributes = {
        metal,
        stone: ['diamond', 'none', 'sapphire', 'ruby', 'emerald', 'pearl'][int(random, 0, 5)]!,
        carat: Math.round(random() * 300) / 100,
      };
      name = `${metal} ${String(attributes.stone)} ring`;
      break;
    }
    case 'furniture': {
      const material = ['oak', 'walnut', 'teak', 'steel', 'rattan', 'pine'][int(random, 0, 5)]!;
      attributes = {
        material,
        style: ['mid-century', 'antique', 'industrial', 'scandinavian', 'art deco'][int(random, 0, 4)]!,
        condition: CONDITIONS.pick(random),
      };
      name = `${String(attributes.style)} ${material} table`;
      break;
    }
    case 'collectibles': {
      const type = ['coins', 'stamps', 'trading cards', 'toys', 'comics', 'vinyl'][int(random, 0, 5)]!;
      attributes = { type, year: recentYear(random, 1900), graded: random() < 0.3 };
      name = `${type} lot ${String(attributes.year)}`;
      break;
    }
    case 'books': {
      const binding = random() < 0.6 ? 'hardcover' : 'paperback';
      attributes = {
        binding,
        year: recentYear(random, 1800),
        first_edition: random() < 0.15,
        language: ['en', 'de', 'fr', 'es', 'it'][int(random, 0, 4)]!,
      };
      name = `${binding} ${String(attributes.year)}`;
      break;
    }
    case 'wine': {
      const region = WINE_REGIONS.pick(random);
      attributes = { region, vintage: recentYear(random, 1960), bottles: int(random, 1, 12) };
      name = `${region} ${String(attributes.vintage)}`;
      break;
    }
    default: {
      const type = ['apartment', 'house', 'land', 'garage'][int(random, 0, 3)]!;
      attributes = { type, rooms: int(random, 1, 8), area_m2: int(random, 20, 400) };
      name = `${type} in ${city}`;
    }
  }
  const median = MEDIAN_PRICE[category]!;
  const startingPrice = Math.max(100, Math.round(median * Math.exp(0.9 * normal(random))) * 100);
  const minIncrement = Math.max(100, Math.round((startingPrice * 0.02) / 100) * 100);
  const buyNowPrice = random() < 0.2 ? Math.round((startingPrice * (1.5 + 1.5 * random())) / 100) * 100 : null;
  const reservePrice = random() < 0.15 ? Math.round((startingPrice * (1.2 + random())) / 100) * 100 : null;
  const description = `${name}. ${category} lot located in ${city}, ${country}. ${Object.entries(attributes)
    .map(([k, v]) => `${k.replaceAll('_', ' ')}: ${String(v)}`)
    .join(', ')}. Inspection welcome; collection or shipping by arrangement.`;
  return {
    category,
    attributes,
    location: { country, region: null, city },
    currency,
    startingPrice,
    minIncrement,
    buyNowPrice,
    reservePrice,
    name,
    description,
  };
}

/** Which categories have a `year` attribute (for combinations with a year range). */
export const CATEGORIES_WITH_YEAR = ['vehicles', 'watches', 'machinery', 'art', 'collectibles', 'books'];
