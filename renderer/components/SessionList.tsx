import { ImportSessionButton } from '../exports/ImportSessionButton';
import { clock, dateTime } from '../format';
import { useApp } from '../state/appStore';

const STATUS_LABEL = { recording: 'Recording', complete: 'Complete', interrupted: 'Interrupted' };

export function SessionList() {
  const { sessions, sessionProblems, go } = useApp();
  return (
    <section aria-labelledby="sessions-heading" className="panel">
      <div className="panel-heading">
        <h2 id="sessions-heading">Past sessions</h2>
        <ImportSessionButton />
      </div>
      {sessionProblems.length > 0 && (
        <div role="alert" className="banner banner-warning">
          Some session folders could not be read and were skipped: {sessionProblems.join('; ')}
        </div>
      )}
      {sessions.length === 0 ? (
        <p className="muted">No sessions yet. Your rounds are saved here, on this computer.</p>
      ) : (
        <table className="sessions" aria-label="Past sessions">
          <thead>
            <tr>
              <th scope="col">Round</th>
              <th scope="col">Date</th>
              <th scope="col">Length</th>
              <th scope="col">Turns</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => go({ name: 'session', sessionId: s.id })}
                  >
                    {s.title}
                  </button>
                  <span className="muted"> · {s.loopTitle}</span>
                </td>
                <td>{dateTime(s.createdAt)}</td>
                <td>{clock(s.durationMs)}</td>
                <td>{s.turnCount}</td>
                <td>
                  <span className={`status status-${s.status}`}>{STATUS_LABEL[s.status]}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
