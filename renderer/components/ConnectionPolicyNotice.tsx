import { useEffect, useState } from 'react';
import type { SettingsView } from '../../src/api/contract';
import { useApp } from '../state/appStore';

/**
 * The desktop window's Content-Security-Policy lets it reach the model's server only when
 * a realtime round over WebRTC will need it, and a page's policy is fixed when it loads.
 * After settings that change the answer, the window needs one reload before such a round.
 */
function connectionNeed(view: SettingsView): string {
  const s = view.settings;
  const webrtc = s.realtime.mode === 'realtime' && s.realtime.transport !== 'websocket';
  return webrtc && view.apiKeyPresent ? `webrtc:${s.openai.baseUrl}` : 'none';
}

let atLoad: string | null = null;

export function ConnectionPolicyNotice({ view }: { view: SettingsView }) {
  const { api } = useApp();
  const [desktop, setDesktop] = useState(false);
  atLoad ??= connectionNeed(view);
  useEffect(() => {
    api
      .call('app.info', {})
      .then((info) => setDesktop(info.mode === 'electron'))
      .catch(() => undefined);
  }, [api]);
  if (!desktop || connectionNeed(view) === atLoad) return null;
  return (
    <div className="banner banner-info" role="status">
      The realtime connection changed: reload the window once so it may reach the model&apos;s
      server.{' '}
      <button type="button" onClick={() => location.reload()}>
        Reload now
      </button>
    </div>
  );
}
