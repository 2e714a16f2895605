import type { UsageSummary } from '../../src/core/usage';

const STAGE = { stt: 'Transcription', interviewer: 'Interviewer', tts: 'Speech' } as const;

function dollars(n: number): string {
  return `$${n < 0.1 ? n.toFixed(4) : n.toFixed(2)}`;
}

/** The live estimate in the round's header. */
export function CostBadge({ usage }: { usage: UsageSummary }) {
  return (
    <span className="cost-badge" role="status" aria-label="Estimated cost so far">
      ≈ {dollars(usage.costUsd)}
      {usage.unpriced ? ' +' : ''}
    </span>
  );
}

/** Usage and estimated cost per stage, after the round. */
export function CostView({ usage }: { usage: UsageSummary }) {
  return (
    <section className="panel" aria-labelledby="cost-heading">
      <h2 id="cost-heading">Usage and estimated cost: {dollars(usage.costUsd)}</h2>
      <table className="sessions" aria-label="Usage per stage">
        <tbody>
          {Object.entries(usage.stages).map(([stage, s]) => (
            <tr key={stage}>
              <th scope="row">{STAGE[stage as keyof typeof STAGE]}</th>
              <td>{s.model}</td>
              <td>
                {[
                  s.inputTokens + s.outputTokens > 0 &&
                    `${s.inputTokens} in / ${s.outputTokens} out tokens`,
                  (s.audioInputTokens ?? 0) + (s.audioOutputTokens ?? 0) > 0 &&
                    `${s.audioInputTokens ?? 0} in / ${s.audioOutputTokens ?? 0} out audio tokens`,
                  s.audioSeconds > 0 && `${s.audioSeconds.toFixed(1)} s audio`,
                  s.characters > 0 && `${s.characters} characters`,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </td>
              <td>{s.costUsd === null ? 'no price for this model' : dollars(s.costUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Estimates from the price table; add or change prices under <code>costs.prices</code> in
        settings.json.
      </p>
    </section>
  );
}
