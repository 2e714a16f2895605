import type { RunResult } from '../../src/core/workspace';

/** What a run produced: each example case, printed output and how long it took. */
export function RunResultView({
  result,
  sequence = 0,
}: {
  result: RunResult | null;
  /** How many runs this pad has shown (lets tests and tools tell one result from the next). */
  sequence?: number;
}) {
  if (!result) return <div className="run-result" aria-live="polite" data-run={sequence} />;
  const passed = result.cases.filter((c) => c.passed).length;
  const headline =
    result.outcome === 'timeout'
      ? 'Stopped: time limit'
      : result.outcome === 'error'
        ? 'Error'
        : result.cases.length > 0
          ? `${passed} of ${result.cases.length} examples passed`
          : 'Ran';
  return (
    <div className="run-result" aria-live="polite" data-run={sequence}>
      <p className={`run-headline run-${result.outcome}`}>
        <strong>{headline}</strong> <span className="muted">· {Math.round(result.ms)} ms</span>
      </p>
      {result.message && <pre className="run-message">{result.message}</pre>}
      {result.cases.length > 0 && (
        <ul className="run-cases">
          {result.cases.map((c) => (
            <li key={c.name} className={c.passed ? 'case-pass' : 'case-fail'}>
              {c.passed ? '✓' : '✗'} {c.name}: returned <code>{c.actual}</code>
              {!c.passed && c.expected !== undefined && (
                <>
                  , expected <code>{c.expected}</code>
                </>
              )}{' '}
              <span className="muted">({c.ms.toFixed(1)} ms)</span>
            </li>
          ))}
        </ul>
      )}
      {result.output && (
        <>
          <h4>Output</h4>
          <pre className="run-output">{result.output}</pre>
        </>
      )}
    </div>
  );
}
