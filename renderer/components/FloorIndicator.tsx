import type { FloorState } from '../../src/engine/turnTaking';
import type { RoundPhase } from '../../src/providers/types';

const LABELS: Record<FloorState, string> = {
  'interviewer-speaking': 'Interviewer speaking',
  listening: 'Listening — your turn',
  'candidate-speaking': 'You are speaking',
  thinking: 'Interviewer thinking…',
  ended: 'Round over',
};

const PHASES: Record<RoundPhase, string> = {
  questions: 'Questions',
  closing: 'Your questions for the interviewer',
  farewell: 'Wrapping up',
};

export function FloorIndicator({
  floor,
  phase,
  holding,
  level,
}: {
  floor: FloorState;
  phase: RoundPhase;
  holding: boolean;
  level: number;
}) {
  return (
    <div className={`floor floor-${floor}`}>
      <div className="floor-state" role="status" aria-live="polite" data-floor={floor}>
        {LABELS[floor]}
        {holding && <span className="tag">holding the floor</span>}
      </div>
      <div className="muted">{PHASES[phase]}</div>
      <div className="meter" aria-hidden="true">
        <div
          className="meter-fill"
          style={{ width: `${Math.min(100, Math.round(level * 140))}%` }}
        />
      </div>
    </div>
  );
}
