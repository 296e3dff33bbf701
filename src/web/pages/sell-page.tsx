import { useEffect, useRef, useState } from 'preact/hooks';
import { type Auction, type NewAuction, api } from '../api.ts';
import {
  ATTRIBUTE_TEXT_MAX,
  ATTRIBUTES_MAX,
  CATEGORIES,
  COUNTRIES,
  ITEM_IMAGES_MAX,
  VEHICLE_FIELDS,
  attributeKeyOf,
  attributeValueOf,
  categoryOf,
} from '../catalogue.ts';
import { FormError } from '../components/form-error.tsx';
import { toLocalInput } from '../format.ts';
import { COMMON_CURRENCIES, fractionDigits, parseMoney } from '../money.ts';
import { auctionHref, loginHref, navigate } from '../router.ts';
import { currentUser } from '../session.ts';
import { useShared } from '../store.ts';

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** The category select's choice that asks for a typed one. */
const OTHER = '__other';

/** A picture of the item: a chosen file (uploaded on publishing) or a URL given as is. */
type Picture = { id: number; file: File; preview: string } | { id: number; url: string };
let nextPictureId = 1;

/** One line of the key/value editor. */
interface Detail {
  id: number;
  name: string;
  value: string;
}
let nextDetailId = 1;
const emptyDetail = (): Detail => ({ id: nextDetailId++, name: '', value: '' });

/** A mistake in the form, shown next to its field before anything is sent. */
class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Sell an item. Prices are typed in the currency's major units and sent as
 * integer minor units; the picture is uploaded first (checked by content on
 * the server) and the auction then refers to the URL the server gave it.
 */
export function SellPage() {
  const user = useShared(currentUser);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [pictures, setPictures] = useState<Picture[]>([]);
  const [imageUrl, setImageUrl] = useState('');
  const [category, setCategory] = useState('');
  const [otherCategory, setOtherCategory] = useState('');
  const [vehicle, setVehicle] = useState<Record<string, string>>({});
  const [details, setDetails] = useState<Detail[]>(() => [emptyDetail()]);
  const [country, setCountry] = useState('');
  const [region, setRegion] = useState('');
  const [city, setCity] = useState('');
  const [liveStreamUrl, setLiveStreamUrl] = useState('');
  const [currency, setCurrency] = useState('USD');
  const [startingPrice, setStartingPrice] = useState('');
  const [minIncrement, setMinIncrement] = useState('1');
  const [reserve, setReserve] = useState('');
  const [buyNow, setBuyNow] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState(() => toLocalInput(Date.now() + 7 * 86_400_000));
  const [softClose, setSoftClose] = useState(true);
  const [windowSeconds, setWindowSeconds] = useState('30');
  const [extendSeconds, setExtendSeconds] = useState('30');
  const [proxy, setProxy] = useState(false);
  const [standardIncrements, setStandardIncrements] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [fieldError, setFieldError] = useState<FieldError | null>(null);
  const [busy, setBusy] = useState(false);

  // The previews' object URLs are let go when the page is left (and one by one as pictures are removed).
  const picturesRef = useRef(pictures);
  picturesRef.current = pictures;
  useEffect(
    () => () => {
      for (const p of picturesRef.current) if ('file' in p) URL.revokeObjectURL(p.preview);
    },
    [],
  );

  if (user === undefined) return <main class="page" id="main" aria-busy="true" />;
  if (user === null)
    return (
      <main class="page page--narrow" id="main">
        <div class="card empty">
          <h1>Sell on Gavel</h1>
          <p class="muted">Log in or create an account to list an item.</p>
          <a class="button button--primary" href={loginHref('#/sell')}>
            Log in to sell
          </a>
        </div>
      </main>
    );

  const money = (field: string, label: string, value: string, required: boolean): number | null => {
    if (!value.trim()) {
      if (required) throw new FieldError(field, `${label} is required.`);
      return null;
    }
    const minor = parseMoney(value, currency);
    if (minor === null || minor < 1)
      throw new FieldError(
        field,
        `${label}: enter an amount like ${fractionDigits(currency) ? '12.50' : '1250'} (${currency}, at most ${fractionDigits(currency)} decimals).`,
      );
    return minor;
  };
  const seconds = (field: string, label: string, value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 86_400)
      throw new FieldError(field, `${label}: whole seconds, 1 to 86400.`);
    return n;
  };

  /** The category, attributes and location as the API takes them; a FieldError at the first mistake. */
  const catalogueOf = (): Pick<Auction, 'category' | 'attributes' | 'location'> => {
    let chosen: string | null = category || null;
    if (category === OTHER) {
      chosen = categoryOf(otherCategory);
      if (chosen === null)
        throw new FieldError(
          'sell-category-other',
          'Category: letters, digits and dashes, up to 40 (for example classic-cars).',
        );
    }
    const attributes: Auction['attributes'] = {};
    if (chosen === 'vehicles')
      for (const field of VEHICLE_FIELDS) {
        const text = (vehicle[field.key] ?? '').trim();
        if (!text) continue;
        if (field.kind === 'number') {
          const n = Number(text.replace(/[\s,]/g, ''));
          if (!/^\d[\d\s,]*$/.test(text) || !Number.isSafeInteger(n) || n < field.min || n > field.max)
            throw new FieldError(
              `sell-attr-${field.key}`,
              `${field.label}: a whole number from ${field.min} to ${field.max}.`,
            );
          attributes[field.key] = n;
        } else {
          if (text.length > ATTRIBUTE_TEXT_MAX)
            throw new FieldError(`sell-attr-${field.key}`, `${field.label}: at most ${ATTRIBUTE_TEXT_MAX} characters.`);
          attributes[field.key] = text;
        }
      }
    for (const detail of details) {
      const label = detail.name.trim();
      const text = detail.value.trim();
      if (!label && !text) continue;
      const key = attributeKeyOf(label);
      if (key === null)
        throw new FieldError(
          `sell-detail-name-${detail.id}`,
          label
            ? 'A detail’s name starts with a letter, up to 40 letters and digits.'
            : 'Name this detail, or clear its value.',
        );
      if (key in attributes) throw new FieldError(`sell-detail-name-${detail.id}`, `“${label}” is given twice.`);
      if (!text) throw new FieldError(`sell-detail-value-${detail.id}`, `Give a value for “${label}”, or remove it.`);
      if (text.length > ATTRIBUTE_TEXT_MAX)
        throw new FieldError(`sell-detail-value-${detail.id}`, `At most ${ATTRIBUTE_TEXT_MAX} characters.`);
      attributes[key] = attributeValueOf(text);
    }
    if (Object.keys(attributes).length > ATTRIBUTES_MAX)
      throw new FieldError(`sell-detail-name-${details.at(-1)!.id}`, `At most ${ATTRIBUTES_MAX} details.`);
    if (!country && (region.trim() || city.trim()))
      throw new FieldError('sell-country', 'Choose the country too (a region or city alone is not a place).');
    return {
      category: chosen,
      attributes,
      location: country ? { country, region: region.trim() || null, city: city.trim() || null } : null,
    };
  };

  const addFiles = (files: FileList | null) => {
    if (!files) return;
    const added: Picture[] = [...files].map((file) => ({
      id: nextPictureId++,
      file,
      preview: URL.createObjectURL(file),
    }));
    setPictures((current) => [...current, ...added]);
  };
  const addUrl = () => {
    const url = imageUrl.trim();
    if (!url) return;
    if (!/^https?:\/\/\S+$/i.test(url)) {
      setFieldError(new FieldError('sell-image-url', 'Give an address starting with https://'));
      return;
    }
    setFieldError(null);
    setPictures((current) =>
      current.some((p) => 'url' in p && p.url === url) ? current : [...current, { id: nextPictureId++, url }],
    );
    setImageUrl('');
  };
  const removePicture = (id: number) =>
    setPictures((current) => {
      const gone = current.find((p) => p.id === id);
      if (gone && 'file' in gone) URL.revokeObjectURL(gone.preview);
      return current.filter((p) => p.id !== id);
    });
  const makeCover = (id: number) =>
    setPictures((current) => [...current.filter((p) => p.id === id), ...current.filter((p) => p.id !== id)]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setFieldError(null);
    let body: NewAuction;
    let chosenPictures = pictures;
    try {
      if (!name.trim()) throw new FieldError('sell-name', 'Item name is required.');
      const endMs = new Date(end).getTime();
      if (!end || !Number.isFinite(endMs)) throw new FieldError('sell-end', 'Choose when the auction ends.');
      if (endMs <= Date.now()) throw new FieldError('sell-end', 'The end must be in the future.');
      const startMs = start ? new Date(start).getTime() : null;
      if (startMs !== null && !(startMs < endMs))
        throw new FieldError('sell-start', 'The start must be before the end.');
      // A URL typed and not added yet is meant to be one of the pictures too.
      const pendingUrl = imageUrl.trim();
      if (pendingUrl) {
        if (!/^https?:\/\/\S+$/i.test(pendingUrl))
          throw new FieldError('sell-image-url', 'Give an address starting with https://, or clear the field.');
        if (!pictures.some((p) => 'url' in p && p.url === pendingUrl))
          chosenPictures = [...pictures, { id: nextPictureId++, url: pendingUrl }];
      }
      if (chosenPictures.length > ITEM_IMAGES_MAX)
        throw new FieldError('sell-image', `At most ${ITEM_IMAGES_MAX} pictures: remove some.`);
      for (const p of chosenPictures) {
        if (!('file' in p)) continue;
        if (!IMAGE_TYPES.includes(p.file.type))
          throw new FieldError('sell-image', `${p.file.name}: choose a JPEG, PNG or WebP image.`);
        if (p.file.size > MAX_IMAGE_BYTES) throw new FieldError('sell-image', `${p.file.name} is larger than 5 MB.`);
      }
      const catalogue = catalogueOf();
      const starting = money('sell-starting', 'Starting price', startingPrice, true)!;
      const buyNowPrice = money('sell-buynow', 'Buy-now price', buyNow, false);
      if (buyNowPrice !== null && buyNowPrice < starting)
        throw new FieldError('sell-buynow', 'Buy-now price must be at least the starting price.');
      body = {
        item: { name: name.trim(), description: description.trim(), imageUrl: null },
        ...catalogue,
        currency,
        startingPrice: starting,
        minIncrement:
          proxy && standardIncrements ? 1 : (money('sell-increment', 'Minimum increment', minIncrement, true) ?? 1),
        reservePrice: money('sell-reserve', 'Reserve price', reserve, false),
        buyNowPrice,
        endDate: new Date(endMs).toISOString(),
        ...(startMs !== null ? { startDate: new Date(startMs).toISOString() } : {}),
        softClose: softClose
          ? {
              windowSeconds: seconds('sell-window', 'Window', windowSeconds),
              extendSeconds: seconds('sell-extension', 'Extension', extendSeconds),
            }
          : null,
        proxyBidding: proxy,
        incrementTable: proxy && standardIncrements && currency === 'USD' ? 'standard' : null,
        liveStream: liveStreamUrl.trim() ? { playbackUrl: liveStreamUrl.trim() } : null,
      };
    } catch (e) {
      if (e instanceof FieldError) {
        setFieldError(e);
        document.getElementById(e.field)?.focus();
        return;
      }
      throw e;
    }
    setBusy(true);
    try {
      // In the order shown: the first is the cover.
      const images: string[] = [];
      for (const p of chosenPictures) images.push('file' in p ? (await api.upload(p.file, p.file.type)).url : p.url);
      if (images.length > 0) {
        body.item.images = images;
        body.item.imageUrl = images[0]!;
      }
      const { auction } = await api.createAuction(body);
      navigate(auctionHref(auction.id));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const invalid = (id: string) =>
    fieldError?.field === id ? { 'aria-invalid': true, 'aria-errormessage': `${id}-error` } : {};
  const fieldMessage = (id: string) =>
    fieldError?.field === id ? (
      <small class="field-error" id={`${id}-error`} role="alert">
        {fieldError.message}
      </small>
    ) : null;

  return (
    <main class="page" id="main">
      <form class="sell-form" onSubmit={(e) => void submit(e)} noValidate>
        <h1>Sell an item</h1>
        <div class="sell-grid">
          <fieldset class="card">
            <legend>The item</legend>
            <div class="field">
              <label for="sell-name">Item name</label>
              <input
                id="sell-name"
                maxLength={200}
                value={name}
                onInput={(e) => setName(e.currentTarget.value)}
                {...invalid('sell-name')}
              />
              {fieldMessage('sell-name')}
            </div>
            <div class="field">
              <label for="sell-description">Description</label>
              <textarea
                id="sell-description"
                rows={5}
                maxLength={10_000}
                value={description}
                onInput={(e) => setDescription(e.currentTarget.value)}
              />
            </div>
            <div class="field">
              <label for="sell-image">Image</label>
              <input
                id="sell-image"
                type="file"
                multiple
                accept="image/jpeg,image/png,image/webp"
                aria-describedby="sell-image-hint"
                disabled={pictures.length >= ITEM_IMAGES_MAX}
                onChange={(e) => {
                  addFiles(e.currentTarget.files);
                  e.currentTarget.value = ''; // the same file may be chosen again after removing it
                }}
                {...invalid('sell-image')}
              />
              <small class="hint" id="sell-image-hint">
                Up to {ITEM_IMAGES_MAX} pictures (JPEG, PNG or WebP, 5 MB each). The first is the cover.
              </small>
              {fieldMessage('sell-image')}
            </div>
            {pictures.length > 0 ? (
              <ol class="picture-list" aria-label="Pictures">
                {pictures.map((p, i) => (
                  <li key={p.id} class="picture-list__item">
                    <img src={'file' in p ? p.preview : p.url} alt={`Picture ${i + 1}${i === 0 ? ' (cover)' : ''}`} />
                    {i === 0 ? <span class="tag tag--small">Cover</span> : null}
                    <div class="picture-list__actions">
                      {i > 0 ? (
                        <button
                          type="button"
                          class="link-button small"
                          aria-label={`Make cover: picture ${i + 1}`}
                          onClick={() => makeCover(p.id)}
                        >
                          Make cover
                        </button>
                      ) : null}
                      <button
                        type="button"
                        class="link-button small"
                        aria-label={`Remove picture ${i + 1}`}
                        onClick={() => removePicture(p.id)}
                      >
                        Remove
                      </button>
                    </div>
                  </li>
                ))}
              </ol>
            ) : null}
            {pictures.length < ITEM_IMAGES_MAX ? (
              <div class="field">
                <label for="sell-image-url">Or add an image URL</label>
                <div class="input-with-button">
                  <input
                    id="sell-image-url"
                    type="url"
                    inputMode="url"
                    placeholder="https://…"
                    value={imageUrl}
                    onInput={(e) => setImageUrl(e.currentTarget.value)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') {
                        e.preventDefault(); // adds the picture; it does not publish
                        addUrl();
                      }
                    }}
                    {...invalid('sell-image-url')}
                  />
                  <button type="button" class="button" onClick={addUrl}>
                    Add
                  </button>
                </div>
                {fieldMessage('sell-image-url')}
              </div>
            ) : null}
            <div class="field">
              <label for="sell-live-stream">Live video (optional)</label>
              <input
                id="sell-live-stream"
                type="url"
                inputMode="url"
                placeholder="https://video.example/live/index.m3u8"
                aria-describedby="sell-live-stream-hint"
                value={liveStreamUrl}
                onInput={(e) => setLiveStreamUrl(e.currentTarget.value)}
              />
              <small id="sell-live-stream-hint" class="hint">
                The HLS playlist of your stream, shown beside the price and chat. You can add it later from the auction
                page.
              </small>
            </div>
          </fieldset>

          <fieldset class="card">
            <legend>Category and details</legend>
            <div class="field">
              <label for="sell-category">Category</label>
              <select
                id="sell-category"
                value={category}
                onChange={(e) => setCategory(e.currentTarget.value)}
                aria-describedby="sell-category-hint"
              >
                <option value="">No category</option>
                {CATEGORIES.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
                <option value={OTHER}>Other…</option>
              </select>
              <small class="hint" id="sell-category-hint">
                Buyers filter by category and by its details.
              </small>
            </div>
            {category === OTHER ? (
              <div class="field">
                <label for="sell-category-other">Category name</label>
                <input
                  id="sell-category-other"
                  maxLength={40}
                  placeholder="classic-cars"
                  aria-describedby="sell-category-other-hint"
                  value={otherCategory}
                  onInput={(e) => setOtherCategory(e.currentTarget.value)}
                  {...invalid('sell-category-other')}
                />
                <small class="hint" id="sell-category-other-hint">
                  Lower-case letters, digits and dashes, up to 40.
                </small>
                {fieldMessage('sell-category-other')}
              </div>
            ) : null}
            {category === 'vehicles' ? (
              <div class="field-row">
                {VEHICLE_FIELDS.map((field) => {
                  const fieldId = `sell-attr-${field.key}`;
                  const value = vehicle[field.key] ?? '';
                  const change = (v: string) => setVehicle((current) => ({ ...current, [field.key]: v }));
                  return (
                    <div class="field" key={field.key}>
                      <label for={fieldId}>{field.label}</label>
                      {field.kind === 'choice' ? (
                        <select id={fieldId} value={value} onChange={(e) => change(e.currentTarget.value)}>
                          <option value="">Not given</option>
                          {field.choices.map((c) => (
                            <option key={c} value={c}>
                              {c.charAt(0).toUpperCase() + c.slice(1)}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <input
                          id={fieldId}
                          inputMode={field.kind === 'number' ? 'numeric' : undefined}
                          maxLength={field.kind === 'number' ? 12 : ATTRIBUTE_TEXT_MAX}
                          placeholder={field.placeholder}
                          value={value}
                          onInput={(e) => change(e.currentTarget.value)}
                          {...invalid(fieldId)}
                        />
                      )}
                      {fieldMessage(fieldId)}
                    </div>
                  );
                })}
              </div>
            ) : null}
            <div class="details-editor" role="group" aria-labelledby="sell-details-title">
              <p class="details-editor__title" id="sell-details-title">
                {category === 'vehicles' ? 'More details' : 'Details'} <span class="muted">(optional)</span>
              </p>
              <small class="hint" id="sell-details-hint">
                Like “Size: 42 mm” or “Material: steel”. Numbers are saved as numbers, so buyers can filter by range.
              </small>
              {details.map((detail, i) => (
                <div class="details-editor__row" key={detail.id}>
                  <div class="field">
                    <label for={`sell-detail-name-${detail.id}`}>Name {i + 1}</label>
                    <input
                      id={`sell-detail-name-${detail.id}`}
                      maxLength={40}
                      aria-describedby="sell-details-hint"
                      value={detail.name}
                      onInput={(e) => {
                        const name = e.currentTarget.value;
                        setDetails((current) => current.map((d) => (d.id === detail.id ? { ...d, name } : d)));
                      }}
                      {...invalid(`sell-detail-name-${detail.id}`)}
                    />
                  </div>
                  <div class="field">
                    <label for={`sell-detail-value-${detail.id}`}>Value {i + 1}</label>
                    <input
                      id={`sell-detail-value-${detail.id}`}
                      maxLength={ATTRIBUTE_TEXT_MAX}
                      value={detail.value}
                      onInput={(e) => {
                        const value = e.currentTarget.value;
                        setDetails((current) => current.map((d) => (d.id === detail.id ? { ...d, value } : d)));
                      }}
                      {...invalid(`sell-detail-value-${detail.id}`)}
                    />
                  </div>
                  <button
                    type="button"
                    class="button button--ghost details-editor__remove"
                    aria-label={`Remove detail ${i + 1}`}
                    onClick={() =>
                      setDetails((current) =>
                        current.length === 1 ? [emptyDetail()] : current.filter((d) => d.id !== detail.id),
                      )
                    }
                  >
                    ×
                  </button>
                  {/* Below the row, as wide as it: the columns are too narrow for a sentence. */}
                  {fieldMessage(`sell-detail-name-${detail.id}`) ?? fieldMessage(`sell-detail-value-${detail.id}`)}
                </div>
              ))}
              {details.length < ATTRIBUTES_MAX ? (
                <button
                  type="button"
                  class="button button--ghost"
                  onClick={() => setDetails((current) => [...current, emptyDetail()])}
                >
                  Add a detail
                </button>
              ) : null}
            </div>
          </fieldset>

          <fieldset class="card">
            <legend>Location</legend>
            <div class="field">
              <label for="sell-country">Country</label>
              <select
                id="sell-country"
                value={country}
                onChange={(e) => setCountry(e.currentTarget.value)}
                {...invalid('sell-country')}
              >
                <option value="">Not given</option>
                {COUNTRIES.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name} ({c.code})
                  </option>
                ))}
              </select>
              {fieldMessage('sell-country')}
            </div>
            <div class="field-row">
              <div class="field">
                <label for="sell-region">Region (optional)</label>
                <input
                  id="sell-region"
                  maxLength={100}
                  value={region}
                  onInput={(e) => setRegion(e.currentTarget.value)}
                />
              </div>
              <div class="field">
                <label for="sell-city">City (optional)</label>
                <input id="sell-city" maxLength={100} value={city} onInput={(e) => setCity(e.currentTarget.value)} />
              </div>
            </div>
          </fieldset>

          <fieldset class="card">
            <legend>Price</legend>
            <div class="field-row">
              <div class="field">
                <label for="sell-currency">Currency</label>
                <select id="sell-currency" value={currency} onChange={(e) => setCurrency(e.currentTarget.value)}>
                  {COMMON_CURRENCIES.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="sell-starting">Starting price</label>
                <input
                  id="sell-starting"
                  inputMode="decimal"
                  placeholder="100.00"
                  value={startingPrice}
                  onInput={(e) => setStartingPrice(e.currentTarget.value)}
                  {...invalid('sell-starting')}
                />
                {fieldMessage('sell-starting')}
              </div>
            </div>
            <div class="field">
              <label class="check">
                <input type="checkbox" checked={proxy} onChange={(e) => setProxy(e.currentTarget.checked)} />
                Proxy bidding: bidders set a private maximum and we bid for them
              </label>
            </div>
            {proxy && currency === 'USD' ? (
              <div class="field">
                <label class="check">
                  <input
                    type="checkbox"
                    checked={standardIncrements}
                    onChange={(e) => setStandardIncrements(e.currentTarget.checked)}
                  />
                  Standard increment table (grows with the price)
                </label>
              </div>
            ) : null}
            {!(proxy && standardIncrements && currency === 'USD') ? (
              <div class="field">
                <label for="sell-increment">Minimum increment</label>
                <input
                  id="sell-increment"
                  inputMode="decimal"
                  value={minIncrement}
                  onInput={(e) => setMinIncrement(e.currentTarget.value)}
                  {...invalid('sell-increment')}
                />
                {fieldMessage('sell-increment')}
              </div>
            ) : null}
            <div class="field-row">
              <div class="field">
                <label for="sell-reserve">Reserve price (optional)</label>
                <input
                  id="sell-reserve"
                  inputMode="decimal"
                  aria-describedby="sell-reserve-hint"
                  value={reserve}
                  onInput={(e) => setReserve(e.currentTarget.value)}
                  {...invalid('sell-reserve')}
                />
                <small class="hint" id="sell-reserve-hint">
                  Hidden; below it the item does not sell.
                </small>
                {fieldMessage('sell-reserve')}
              </div>
              <div class="field">
                <label for="sell-buynow">Buy-now price (optional)</label>
                <input
                  id="sell-buynow"
                  inputMode="decimal"
                  value={buyNow}
                  onInput={(e) => setBuyNow(e.currentTarget.value)}
                  {...invalid('sell-buynow')}
                />
                {fieldMessage('sell-buynow')}
              </div>
            </div>
          </fieldset>

          <fieldset class="card">
            <legend>Timing</legend>
            <div class="field-row">
              <div class="field">
                <label for="sell-start">Start (optional)</label>
                <input
                  id="sell-start"
                  type="datetime-local"
                  aria-describedby="sell-start-hint"
                  value={start}
                  onInput={(e) => setStart(e.currentTarget.value)}
                  {...invalid('sell-start')}
                />
                <small class="hint" id="sell-start-hint">
                  Empty: starts now.
                </small>
                {fieldMessage('sell-start')}
              </div>
              <div class="field">
                <label for="sell-end">End</label>
                <input
                  id="sell-end"
                  type="datetime-local"
                  required
                  value={end}
                  onInput={(e) => setEnd(e.currentTarget.value)}
                  {...invalid('sell-end')}
                />
                {fieldMessage('sell-end')}
              </div>
            </div>
            <div class="field">
              <label class="check">
                <input type="checkbox" checked={softClose} onChange={(e) => setSoftClose(e.currentTarget.checked)} />
                Soft close: a late bid pushes the closing time back (no sniping)
              </label>
            </div>
            {softClose ? (
              <div class="field-row">
                <div class="field">
                  <label for="sell-window">Window (seconds)</label>
                  <input
                    id="sell-window"
                    inputMode="numeric"
                    value={windowSeconds}
                    onInput={(e) => setWindowSeconds(e.currentTarget.value)}
                    {...invalid('sell-window')}
                  />
                  {fieldMessage('sell-window')}
                </div>
                <div class="field">
                  <label for="sell-extension">Extension (seconds)</label>
                  <input
                    id="sell-extension"
                    inputMode="numeric"
                    value={extendSeconds}
                    onInput={(e) => setExtendSeconds(e.currentTarget.value)}
                    {...invalid('sell-extension')}
                  />
                  {fieldMessage('sell-extension')}
                </div>
              </div>
            ) : null}
          </fieldset>
        </div>
        <FormError error={error} />
        <div class="sell-submit">
          <button class="button button--primary button--large" type="submit" disabled={busy}>
            {busy ? 'Publishing…' : 'Publish auction'}
          </button>
        </div>
      </form>
    </main>
  );
}
