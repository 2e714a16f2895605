import type { StarPart } from '../../src/core/roundPack';

const PART_NAME: Record<StarPart, string> = {
  situation: 'situation',
  task: 'task',
  action: 'own action',
  result: 'measured result',
};

/** Which STAR parts a story left out, or that it told all four. */
export function StoryParts({ missing }: { missing: readonly StarPart[] }) {
  return (
    <span className={`story-parts ${missing.length > 0 ? 'story-missing' : 'story-complete'}`}>
      <span className="tag">STAR</span>{' '}
      {missing.length === 0
        ? 'situation, task, own action and a measured result all told'
        : `missing: ${missing.map((p) => PART_NAME[p]).join(', ')}`}
    </span>
  );
}
