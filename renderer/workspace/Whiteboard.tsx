import { Excalidraw, hashElementsVersion } from '@excalidraw/excalidraw';
import '@excalidraw/excalidraw/index.css';
import { useEffect, useMemo, useRef } from 'react';
import type { ApiClient } from '../../src/api/client';
import { reduceExcalidrawElements } from '../../src/core/workspaceText';
import { workspaceSender } from './workspaceSync';

/** Drawing fires onChange on every pointer move; the board goes out at most this often. */
const SEND_GAP_MS = 1_500;

/**
 * The design round's whiteboard: Excalidraw, with file, library and collaboration
 * features off (everything stays on this machine). The interviewer reads the board as
 * text (core/workspaceText.ts), so only the elements that matter are sent.
 */
export default function Whiteboard({
  api,
  sessionId,
  onError,
}: {
  api: ApiClient;
  sessionId: string;
  onError: (message: string | null) => void;
}) {
  const sender = useMemo(
    () => workspaceSender(api, sessionId, SEND_GAP_MS, onError),
    [api, sessionId, onError],
  );
  const lastVersion = useRef<number | null>(null);

  useEffect(
    () => () => {
      sender.flush();
      sender.stop();
    },
    [sender],
  );

  return (
    // data-own-keys: Space pans and Enter edits text here, so the round's shortcuts
    // (hold to think, I'm done) stand aside while the board has focus.
    <div className="whiteboard" data-own-keys="" role="region" aria-label="Whiteboard canvas">
      <Excalidraw
        onChange={(elements) => {
          // Cheap change detection: selection, zoom and cursor moves leave it unchanged.
          const version = hashElementsVersion(elements);
          if (version === lastVersion.current) return;
          lastVersion.current = version;
          sender.push({ diagram: reduceExcalidrawElements(elements).slice(0, 500) });
        }}
        UIOptions={{
          canvasActions: {
            loadScene: false,
            saveToActiveFile: false,
            export: false,
            saveAsImage: false,
          },
          tools: { image: false },
        }}
        handleKeyboardGlobally={false}
      />
    </div>
  );
}
