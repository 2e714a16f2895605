import { Excalidraw, hashElementsVersion } from '@excalidraw/excalidraw';
import '@excalidraw/excalidraw/index.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../src/api/client';
import type { DiagramElement } from '../../src/core/workspace';
import { reduceExcalidrawElements } from '../../src/core/workspaceText';
import { restoreBoard } from './boardRestore';
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
  initial,
  onError,
}: {
  api: ApiClient;
  sessionId: string;
  /** A resumed round's board, as it was when the round was cut off. */
  initial?: DiagramElement[] | undefined;
  onError: (message: string | null) => void;
}) {
  const sender = useMemo(
    () => workspaceSender(api, sessionId, SEND_GAP_MS, onError),
    [api, sessionId, onError],
  );
  const lastVersion = useRef<number | null>(null);
  // Built once: Excalidraw reads initialData only when it mounts.
  const [initialData] = useState(() => {
    if (!initial || initial.length === 0) return null;
    try {
      return { elements: restoreBoard(initial), scrollToContent: true };
    } catch {
      // A board that cannot be rebuilt must not take the round down: start afresh.
      return null;
    }
  });

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
        initialData={initialData}
        onChange={(elements) => {
          // Cheap change detection: selection, zoom and cursor moves leave it unchanged.
          const version = hashElementsVersion(elements);
          if (version === lastVersion.current) return;
          const first = lastVersion.current === null;
          lastVersion.current = version;
          const diagram = reduceExcalidrawElements(elements).slice(0, 500);
          // The empty board Excalidraw reports as it mounts is not a change worth saving.
          if (first && diagram.length === 0) return;
          sender.push({ diagram });
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
