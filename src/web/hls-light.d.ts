// hls.js ships its light build (playback without subtitles, alternate audio or DRM) without type
// declarations: it has the full build's API.
declare module 'hls.js/light' {
  export { default } from 'hls.js';
}
