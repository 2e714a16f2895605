import { useApp } from '../state/appStore';
import { RoundPicker } from '../components/RoundPicker';
import { SessionList } from '../components/SessionList';

export function HomeScreen() {
  const { loading, error, settings, go, refresh } = useApp();
  const offline = settings && settings.effective.interviewer.kind === 'embedded';

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
          voice. No transcript is made offline. Add an OpenAI key (or a compatible server) in{' '}
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
      {loading && !error && <p aria-live="polite">Loading rounds…</p>}
      <RoundPicker />
      <SessionList />
    </main>
  );
}
