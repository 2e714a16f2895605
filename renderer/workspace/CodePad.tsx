import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../src/api/client';
import type { WorkspaceInitial, WorkspaceQuestion } from '../../src/api/workspaceContract';
import { CODE_LANGUAGES, type CodeLanguage, type RunResult } from '../../src/core/workspace';
import { createCodeEditor, LANGUAGE_LABELS, type CodeEditor } from './codeEditor';
import { CodeRunner, RUNNABLE } from './sandbox/codeRunner';
import { RunResultView } from './RunResultView';
import { workspaceSender } from './workspaceSync';

const LANGUAGE_KEY = 'mockloop.codeLanguage';
/** Typing sends the pad at most this often; the backend keeps a snapshot every few seconds. */
const SEND_GAP_MS = 1_000;

/** An example's value as the chosen language writes it (Python: None, True, False). */
function literal(value: unknown, language: CodeLanguage): string {
  if (language !== 'python') return JSON.stringify(value);
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, language)).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([k, v]) => `${JSON.stringify(k)}: ${literal(v, language)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  return JSON.stringify(value);
}

function rememberedLanguage(): CodeLanguage {
  try {
    const saved = localStorage.getItem(LANGUAGE_KEY);
    return (CODE_LANGUAGES as readonly string[]).includes(saved ?? '')
      ? (saved as CodeLanguage)
      : 'python';
  } catch {
    return 'python';
  }
}

/**
 * The coding round's shared editor: the current problem with its example cases, a
 * CodeMirror pad, a language picker (remembered), and Run for JavaScript/TypeScript in
 * the sandbox. Everything typed and every run's result go to the interviewer.
 */
export default function CodePad({
  api,
  sessionId,
  question,
  initial,
  onError,
}: {
  api: ApiClient;
  sessionId: string;
  question: WorkspaceQuestion | null;
  /** A resumed round's code, as it was when the round was cut off. */
  initial?: WorkspaceInitial['code'];
  onError: (message: string | null) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<CodeEditor | null>(null);
  const runner = useRef<CodeRunner | null>(null);
  const [language, setLanguage] = useState<CodeLanguage>(
    () => initial?.language ?? rememberedLanguage(),
  );
  const initialCode = useRef(initial?.code ?? '');
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<RunResult | null>(null);
  const [runs, setRuns] = useState(0);
  const languageRef = useRef(language);
  const ids = { problem: useId(), language: useId(), hint: useId() };
  const sender = useMemo(
    () => workspaceSender(api, sessionId, SEND_GAP_MS, onError),
    [api, sessionId, onError],
  );

  useEffect(() => {
    if (!host.current) return;
    editor.current = createCodeEditor({
      parent: host.current,
      doc: initialCode.current,
      language: languageRef.current,
      label: 'Code pad',
      describedBy: ids.hint,
      onChange: (code) => sender.push({ code: { language: languageRef.current, code } }),
    });
    runner.current = new CodeRunner(host.current.parentElement ?? document.body);
    return () => {
      sender.flush();
      sender.stop();
      editor.current?.view.destroy();
      editor.current = null;
      runner.current?.dispose();
      runner.current = null;
    };
    // The editor is made once per session; language changes reconfigure it in place.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sender]);

  const chooseLanguage = (next: CodeLanguage) => {
    setLanguage(next);
    languageRef.current = next;
    try {
      localStorage.setItem(LANGUAGE_KEY, next);
    } catch {
      // Storage may be unavailable (private mode): the choice lasts this round only.
    }
    editor.current?.setLanguage(next);
    const code = editor.current?.view.state.doc.toString() ?? '';
    sender.push({ code: { language: next, code } }, true);
  };

  const run = async () => {
    if (!editor.current || !runner.current) return;
    const code = editor.current.view.state.doc.toString();
    setRunning(true);
    try {
      const outcome = await runner.current.run(
        language,
        code,
        question?.entryPoint ?? null,
        question?.examples ?? [],
      );
      setResult(outcome);
      setRuns((n) => n + 1);
      // The interviewer hears the result with the code it came from.
      sender.push({ code: { language, code }, run: outcome }, true);
    } finally {
      setRunning(false);
    }
  };

  const runnable = RUNNABLE.has(language);
  return (
    <div className="code-pad">
      <div className="code-problem" aria-labelledby={ids.problem}>
        <h3 id={ids.problem}>{question ? question.topic : 'Problem'}</h3>
        <p>{question?.prompt ?? 'The interviewer will give you the problem.'}</p>
        {question?.entryPoint && (
          <p className="hint">
            Write a function named <code>{question.entryPoint}</code>
            {runnable ? ' and press Run to check it against the examples.' : '.'}
          </p>
        )}
        {question && question.examples.length > 0 && (
          <>
            <h4>Examples</h4>
            <ul className="code-examples">
              {question.examples.map((e) => (
                <li key={e.name}>
                  <span className="muted">{e.name}:</span>{' '}
                  <code>
                    {question.entryPoint}({e.args.map((a) => literal(a, language)).join(', ')}) →{' '}
                    {literal(e.expected, language)}
                  </code>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <div className="code-editor-column">
        <div className="code-toolbar" role="toolbar" aria-label="Code pad">
          <label htmlFor={ids.language}>Language</label>
          <select
            id={ids.language}
            value={language}
            onChange={(e) => chooseLanguage(e.target.value as CodeLanguage)}
          >
            {CODE_LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_LABELS[l]}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="primary"
            onClick={() => void run()}
            disabled={running || !runnable}
            aria-describedby={runnable ? undefined : ids.hint}
          >
            {running ? 'Running…' : 'Run'}
          </button>
        </div>
        <div ref={host} className="code-editor" />
        <p id={ids.hint} className="hint">
          The interviewer sees this pad as you type.{' '}
          {runnable
            ? `Run executes it offline in a sandbox (no network, 5 s limit${language === 'python' ? '; Python takes a few seconds to start' : ''}).`
            : `${LANGUAGE_LABELS[language]} is highlighted but not run here: walk the interviewer through an example instead.`}{' '}
          Escape then Tab leaves the editor.
        </p>
        <RunResultView result={result} sequence={runs} />
      </div>
    </div>
  );
}
