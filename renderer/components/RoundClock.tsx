import { useEffect, useState } from 'react';
import { clock } from '../format';

/** Counts down to the round's deadline (a performance.now() time). */
export function RoundClock({ deadline }: { deadline: number }) {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const id = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(id);
  }, []);
  const remaining = deadline - now;
  return (
    <div
      className={`round-clock ${remaining < 5 * 60_000 ? 'low' : ''}`}
      role="timer"
      aria-label="Time left"
    >
      {clock(remaining)}
    </div>
  );
}
