import { useEffect, useRef, useState } from 'react';
import { clock } from '../format';

/**
 * Plays one stretch of a recording (streamed with byte ranges): the first answer inside
 * the whole session, or an attempt from start to end.
 */
export function SegmentPlayer({
  url,
  startMs,
  endMs,
  label,
}: {
  url: string;
  startMs: number;
  endMs: number;
  label: string;
}) {
  const audioRef = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState(false);
  const [atMs, setAtMs] = useState(startMs);
  const length = Math.max(0, endMs - startMs);

  useEffect(() => {
    const audio = audioRef.current;
    if (!audio) return;
    const onTime = () => {
      const ms = audio.currentTime * 1000;
      setAtMs(ms);
      if (ms >= endMs) {
        audio.pause();
        audio.currentTime = startMs / 1000;
      }
    };
    const onPlay = () => setPlaying(true);
    const onPause = () => setPlaying(false);
    audio.addEventListener('timeupdate', onTime);
    audio.addEventListener('play', onPlay);
    audio.addEventListener('pause', onPause);
    return () => {
      audio.removeEventListener('timeupdate', onTime);
      audio.removeEventListener('play', onPlay);
      audio.removeEventListener('pause', onPause);
    };
  }, [startMs, endMs]);

  const toggle = () => {
    const audio = audioRef.current;
    if (!audio) return;
    if (!audio.paused) return audio.pause();
    const at = audio.currentTime * 1000;
    if (at < startMs || at >= endMs) audio.currentTime = startMs / 1000;
    void audio.play();
  };

  return (
    <div className="segment-player">
      <button
        type="button"
        className="secondary"
        onClick={toggle}
        aria-label={`${playing ? 'Pause' : 'Play'} ${label}`}
      >
        {playing ? '❚❚ Pause' : '▶ Play'}
      </button>
      <input
        type="range"
        min={0}
        max={Math.max(1, Math.round(length / 1000))}
        value={Math.round(Math.max(0, Math.min(length, atMs - startMs)) / 1000)}
        onChange={(e) => {
          const audio = audioRef.current;
          if (audio) audio.currentTime = (startMs + Number(e.target.value) * 1000) / 1000;
        }}
        aria-label={`Position in ${label}`}
      />
      <span className="muted">
        {clock(Math.max(0, atMs - startMs))} / {clock(length)}
      </span>
      <audio ref={audioRef} src={url} preload="metadata" aria-hidden="true" />
    </div>
  );
}
