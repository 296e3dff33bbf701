import { useEffect, useState } from 'preact/hooks';
import { type NewAuction, api } from '../api.ts';
import { FormError } from '../components/form-error.tsx';
import { toLocalInput } from '../format.ts';
import { fractionDigits, parseMoney } from '../money.ts';
import { auctionHref, loginHref, navigate } from '../router.ts';
import { currentUser } from '../session.ts';
import { useShared } from '../store.ts';

const CURRENCIES = ['USD', 'EUR', 'GBP', 'CHF', 'JPY', 'CAD', 'AUD'];
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

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
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [imageUrl, setImageUrl] = useState('');
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

  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

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

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setFieldError(null);
    let body: NewAuction;
    try {
      if (!name.trim()) throw new FieldError('sell-name', 'Item name is required.');
      const endMs = new Date(end).getTime();
      if (!end || !Number.isFinite(endMs)) throw new FieldError('sell-end', 'Choose when the auction ends.');
      if (endMs <= Date.now()) throw new FieldError('sell-end', 'The end must be in the future.');
      const startMs = start ? new Date(start).getTime() : null;
      if (startMs !== null && !(startMs < endMs))
        throw new FieldError('sell-start', 'The start must be before the end.');
      if (file && !IMAGE_TYPES.includes(file.type))
        throw new FieldError('sell-image', 'Choose a JPEG, PNG or WebP image.');
      if (file && file.size > MAX_IMAGE_BYTES) throw new FieldError('sell-image', 'The image is larger than 5 MB.');
      const starting = money('sell-starting', 'Starting price', startingPrice, true)!;
      const buyNowPrice = money('sell-buynow', 'Buy-now price', buyNow, false);
      if (buyNowPrice !== null && buyNowPrice < starting)
        throw new FieldError('sell-buynow', 'Buy-now price must be at least the starting price.');
      body = {
        item: { name: name.trim(), description: description.trim(), imageUrl: imageUrl.trim() || null },
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
      if (file) body.item.imageUrl = (await api.upload(file, file.type)).url;
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
                accept="image/jpeg,image/png,image/webp"
                aria-describedby="sell-image-hint"
                onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
                {...invalid('sell-image')}
              />
              <small class="hint" id="sell-image-hint">
                JPEG, PNG or WebP, up to 5 MB.
              </small>
              {fieldMessage('sell-image')}
              {preview ? <img class="image-preview" src={preview} alt="Preview of the chosen picture" /> : null}
            </div>
            {!file ? (
              <div class="field">
                <label for="sell-image-url">Or an image URL</label>
                <input
                  id="sell-image-url"
                  type="url"
                  inputMode="url"
                  placeholder="https://…"
                  value={imageUrl}
                  onInput={(e) => setImageUrl(e.currentTarget.value)}
                />
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
            <legend>Price</legend>
            <div class="field-row">
              <div class="field">
                <label for="sell-currency">Currency</label>
                <select id="sell-currency" value={currency} onChange={(e) => setCurrency(e.currentTarget.value)}>
                  {CURRENCIES.map((c) => (
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
