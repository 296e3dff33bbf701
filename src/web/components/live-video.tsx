import Hls from 'hls.js/light';
import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * The seller's live video (HLS). A browser that plays HLS itself (Safari, iOS) is given the playlist; the
 * others play it through hls.js on Media Source Extensions. Muted so that it may start by itself (browsers
 * block autoplay with sound); the controls unmute.
 */
export function LiveVideo({ playbackUrl }: { playbackUrl: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const el = video.current;
    if (!el) return;
    setFailed(false);
    if (el.canPlayType('application/vnd.apple.mpegurl')) {
      el.src = playbackUrl;
      void el.play().catch(() => undefined);
      return () => el.removeAttribute('src');
    }
    if (!Hls.isSupported()) {
      setFailed(true);
      return;
    }
    const hls = new Hls({ liveDurationInfinity: true });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (data.fatal) setFailed(true);
    });
    hls.on(Hls.Events.MANIFEST_PARSED, () => void el.play().catch(() => undefined));
    hls.loadSource(playbackUrl);
    hls.attachMedia(el);
    return () => hls.destroy();
  }, [playbackUrl]);

  return (
    <section class="live-video" aria-label="Seller's live video">
      <video ref={video} class="live-video__player" data-testid="live-video" muted playsInline controls />
      {failed ? <p class="muted small">The live video cannot be played right now.</p> : null}
    </section>
  );
}
