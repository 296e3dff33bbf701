import { useState } from 'preact/hooks';
import { type Auction, roomApi } from '../api.ts';
import { FormError } from './form-error.tsx';

/**
 * The seller's switch for their live video: paste the HLS playlist URL from the streaming tool (OBS with a
 * CDN, Mux, Cloudflare Stream…) to go live beside the price; remove it when the stream ends. Gavel shows the
 * stream, it does not ingest video.
 */
export function LiveStreamControl({ auction, onChange }: { auction: Auction; onChange(a: Auction): void }) {
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (playbackUrl: string | null) => {
    setBusy(true);
    setError(null);
    try {
      onChange((await roomApi.setLiveStream(auction.id, playbackUrl)).auction);
      setUrl('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card live-stream-control" aria-labelledby="live-video-heading">
      <h2 id="live-video-heading" class="card__title">
        Live video
      </h2>
      {auction.liveStream ? (
        <>
          <p class="muted small">
            Streaming from <span class="mono">{auction.liveStream.playbackUrl}</span>
          </p>
          <button type="button" class="button" disabled={busy} onClick={() => void run(null)}>
            Stop showing the video
          </button>
        </>
      ) : (
        <form
          class="live-stream-control__form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(url.trim());
          }}
        >
          <label for="live-stream-url">HLS playlist URL (…/index.m3u8)</label>
          <input
            id="live-stream-url"
            class="input"
            type="url"
            inputMode="url"
            placeholder="https://video.example/live/index.m3u8"
            value={url}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
          <button type="submit" class="button" disabled={busy || url.trim() === ''}>
            Go live
          </button>
        </form>
      )}
      <FormError error={error} />
    </section>
  );
}
