import { useEffect } from 'react';
import { HomeScreen } from './screens/HomeScreen';
import { LiveRoundScreen } from './screens/LiveRoundScreen';
import { SessionScreen } from './screens/SessionScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { useApp } from './state/appStore';

export function App() {
  const screen = useApp((s) => s.screen);
  const connectionLost = useApp((s) => s.connectionLost);
  const refresh = useApp((s) => s.refresh);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <div className="app">
      {connectionLost && (
        <div role="alert" className="banner banner-error">
          Lost the connection to the Mockloop backend. Restart it and reload this page; recorded
          sessions are kept.
        </div>
      )}
      {screen.name === 'home' && <HomeScreen />}
      {screen.name === 'round' && <LiveRoundScreen roundId={screen.roundId} />}
      {screen.name === 'session' && <SessionScreen sessionId={screen.sessionId} />}
      {screen.name === 'settings' && <SettingsScreen />}
    </div>
  );
}
