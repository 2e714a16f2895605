import { describe, expect, it } from 'vitest';
import { firstPartToProbe, storyCheck } from '../../../src/core/storyParts';

const SITUATION = 'At my last company we ran the payments pipeline on Kafka, about forty brokers.';
const TASK = 'I was responsible for getting consumer lag under control before Black Friday.';
const ACTION =
  'I profiled the consumers, found the rebalance storms, and moved us to cooperative rebalancing.';
const RESULT = 'As a result, p99 lag dropped from twelve minutes to under thirty seconds.';

describe('the STAR parts of a story', () => {
  it('hears all four parts of a complete story', () => {
    const check = storyCheck([SITUATION, TASK, ACTION, RESULT].join(' '));
    expect(check.missing).toEqual([]);
    expect(check.ownActions).toBeGreaterThan(0);
  });

  it('misses the result when the story stops at the action', () => {
    expect(storyCheck([SITUATION, TASK, ACTION].join(' ')).missing).toEqual(['result']);
  });

  it('counts a result without a number as missing, but knows one was told', () => {
    const check = storyCheck([SITUATION, TASK, ACTION, 'In the end it improved a lot.'].join(' '));
    expect(check.missing).toEqual(['result']);
    expect(check.outcomeTold).toBe(true);
  });

  it('hears a team narrative as no action of the candidate’s own', () => {
    const team =
      'We looked at the consumers, we found rebalance storms and we switched to cooperative rebalancing.';
    const check = storyCheck([SITUATION, TASK, team, RESULT].join(' '));
    expect(check.missing).toEqual(['action']);
    expect(check.teamActions).toBeGreaterThan(0);
  });

  it('hears nothing of a story in a hypothetical answer', () => {
    const check = storyCheck(
      'I think I would probably talk to the stakeholders and align on goals.',
    );
    expect(check.missing).toEqual(['situation', 'task', 'action', 'result']);
  });

  it('asks for the result first, then the candidate’s own action', () => {
    expect(firstPartToProbe(['situation', 'action', 'result'])).toBe('result');
    expect(firstPartToProbe(['situation', 'task', 'action'])).toBe('action');
    expect(firstPartToProbe([])).toBeUndefined();
  });
});
