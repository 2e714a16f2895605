import { useEffect } from 'react';
import { HomeScreen } from './screens/HomeScreen';
import { LiveRoundScreen } from './screens/LiveRoundScreen';
import { LoopScreen } from './screens/LoopScreen';
import { SessionScreen } from './screens/SessionScreen';
import { ProgressScreen } from './screens/ProgressScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { AnswerAgainScreen } from './replay/AnswerAgainScreen';
import { CompareScreen } from './replay/CompareScreen';
import { useApp } from './state/appStore';
import { watchHash } from './state/screenRoute';

export function App() {
  const screen = useApp((s) => s.screen);
  const connectionLost = useApp((s) => s.connectionLost);
  const refresh = useApp((s) => s.refresh);

  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => watchHash((s) => useApp.getState().go(s)), []);

  return (
    <div className="app">
      {connectionLost && (
        <div role="alert" className="banner banner-error">
          Lost the connection to the Mockloop backend. Restart it and reload this page; recorded
          sessions are kept.
        </div>
      )}
      {screen.name === 'home' && <HomeScreen />}
      {screen.name === 'round' && (
        <LiveRoundScreen
          roundId={screen.roundId}
          loopRunId={screen.loopRunId}
          resumeOf={screen.resumeOf}
        />
      )}
      {screen.name === 'loop' && <LoopScreen runId={screen.runId} />}
      {screen.name === 'session' && <SessionScreen sessionId={screen.sessionId} />}
      {screen.name === 'settings' && <SettingsScreen />}
      {screen.name === 'progress' && <ProgressScreen />}
      {screen.name === 'answer-again' && (
        <AnswerAgainScreen
          sessionId={screen.sessionId}
          questionId={screen.questionId}
          {...(screen.topic ? { topic: screen.topic } : {})}
        />
      )}
      {screen.name === 'compare' && (
        <CompareScreen sessionId={screen.sessionId} attempt={screen.attempt} />
      )}
    </div>
  );
}
