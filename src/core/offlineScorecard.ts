import { conceptCoverage, type ConceptLike } from './conceptCoverage';
import { deliveryMetrics } from './deliveryMetrics';
import { candidateText, questionBlocks } from './questionBlocks';
import { conceptTextOf, type RoundPack } from './roundPack';
import type { Coverage, OfflineScorecard } from './scorecard';
import type { SessionRecord } from './session';
import { storyCheck } from './storyParts';

/**
 * The scorecard that needs no model: delivery measured from the turns, and which of the
 * pack's concepts the candidate's words touched (keyword matching, see
 * conceptCoverage.ts — a reading aid, deliberately not turned into 1–4 scores).
 */
export function offlineScorecard(
  session: SessionRecord,
  pack: RoundPack | undefined,
): Omit<OfflineScorecard, 'schemaVersion' | 'version' | 'createdAt'> {
  return {
    kind: 'offline',
    sessionId: session.id,
    packId: session.round.packId,
    delivery: deliveryMetrics(session.turns, session.durationMs),
    coverage: pack && session.transcriptAvailable ? coverage(session, pack) : null,
  };
}

function split(concepts: readonly ConceptLike[], text: string) {
  const result = conceptCoverage(concepts, text);
  return {
    covered: result.filter((c) => c.covered).map((c) => c.label),
    missing: result.filter((c) => !c.covered).map((c) => c.label),
  };
}

function coverage(session: SessionRecord, pack: RoundPack): Coverage | null {
  const allSaid = candidateText(session.turns);
  if (allSaid === null) return null;
  const scripted = session.providers.interviewer.kind === 'embedded';
  const questions = questionBlocks(session.turns, { untaggedEndsBlock: scripted }).flatMap(
    (block) => {
      const question = pack.questions.find((q) => q.id === block.questionId);
      if (!question) return [];
      const said = candidateText(block.turns) ?? '';
      return [
        {
          questionId: question.id,
          topic: question.topic,
          ...split(question.strongAnswer, said),
          conceptText: conceptTextOf(question),
          ...(question.story ? { storyMissing: storyCheck(said).missing } : {}),
        },
      ];
    },
  );
  const criteria = pack.rubric
    .filter((c) => c.evidence.length > 0)
    .map((c) => ({ criterionId: c.id, name: c.name, ...split(c.evidence, allSaid) }));
  return { questions, criteria };
}
