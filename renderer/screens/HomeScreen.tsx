import { useApp } from '../state/appStore';
import { staysOnThisComputer } from '../state/privacy';
import { RoundPicker } from '../components/RoundPicker';
import { SessionList } from '../components/SessionList';

export function HomeScreen() {
  const { loading, error, settings, go, refresh } = useApp();
  const offline = settings && settings.effective.interviewer.kind === 'embedded';
  const localStt = settings?.effective.stt?.kind === 'local';
  const private_ = settings ? staysOnThisComputer(settings) : false;

  return (
    <main className="screen">
      <header className="topbar">
        <h1>Mockloop</h1>
        <p className="tagline">Rehearse real interview loops out loud.</p>
        <nav className="topbar-nav" aria-label="Main">
          <button type="button" className="secondary" onClick={() => go({ name: 'progress' })}>
            Progress
          </button>
          <button type="button" className="secondary" onClick={() => go({ name: 'settings' })}>
            Settings
          </button>
        </nav>
      </header>
      {error && (
        <div role="alert" className="banner banner-error">
          {error}{' '}
          <button type="button" className="link" onClick={() => void refresh()}>
            Try again
          </button>
        </div>
      )}
      {offline && (
        <div className="banner banner-info" role="note">
          Offline mode: a scripted interviewer runs the round plan and speaks with an embedded
          voice.{' '}
          {localStt
            ? 'Your answers are transcribed on this computer (Whisper), so it follows up on what you missed.'
            : 'No transcript is made offline: install a speech recognition model in Settings to get one.'}{' '}
          Add an OpenAI key (or a compatible server) in{' '}
          <button
            type="button"
            className="link"
            aria-label="Add a key in Settings"
            onClick={() => go({ name: 'settings' })}
          >
            Settings
          </button>{' '}
          for a live interviewer and transcripts.
        </div>
      )}
      {private_ && (
        <p className="banner banner-ok" role="note">
          Everything stays on this computer: speech recognition, the interviewer and its voice all
          run here.
        </p>
      )}
      {loading && !error && <p aria-live="polite">Loading rounds…</p>}
      <RoundPicker />
      <SessionList />
    </main>
  );
}
