import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../src/api/contract';
import { dispatch } from '../../../src/api/dispatcher';
import { FakeClock } from '../../../src/engine/testing/fakeClock';
import { testService } from '../../support/testService';

async function service() {
  const clock = new FakeClock();
  const { svc, dataDir } = await testService(
    { providers: { stt: 'fake', interviewer: 'fake', tts: 'fake' } },
    { clock },
  );
  const events: ApiEvent[] = [];
  const page = { clientId: 'page', emit: (e: ApiEvent) => void events.push(e) };
  return { svc, clock, page, dataDir };
}

describe('the code pad behind the API', () => {
  it('keeps the running round’s code, saves its history and shows it to the replay', async () => {
    const { svc, clock, page, dataDir } = await service();
    const { sessionId } = await svc.handlers['round.start']({ roundId: 'eng-coding' }, page);

    const spec = await svc.handlers['workspace.open']({ sessionId }, page);
    expect(spec.kind).toBe('code');
    const lookup = spec.questions.find((q) => q.id === 'segment-offset-lookup');
    expect(lookup?.entryPoint).toBe('findReadPosition');
    expect(lookup?.examples[0]).toMatchObject({ name: 'Inside the second segment' });

    const send = (atMs: number, code: string) =>
      dispatch(
        svc.handlers,
        'round.workspace',
        { sessionId, atMs, code: { language: 'python', code } },
        page,
      );
    expect((await send(1000, 'def f():\n    pass\n')).ok).toBe(true);
    expect((await send(20_000, 'def f():\n    return 1\n')).ok).toBe(true);

    // Another window cannot write into this round; a board update is refused on a pad.
    const stranger = { clientId: 'other', emit: () => undefined };
    expect(
      await dispatch(
        svc.handlers,
        'round.workspace',
        { sessionId, atMs: 1, code: { language: 'go', code: '' } },
        stranger,
      ),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      await dispatch(svc.handlers, 'round.workspace', { sessionId, atMs: 1, diagram: [] }, page),
    ).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    // Oversized code never reaches the backend's state.
    expect(await send(30_000, 'x'.repeat(70_000))).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });

    // Saved within a couple of seconds (throttled), then completed at the end.
    clock.advance(2500);
    await expect
      .poll(async () =>
        JSON.parse(
          await readFile(join(dataDir, 'sessions', sessionId, 'workspace.json'), 'utf8').catch(
            () => 'null',
          ),
        ),
      )
      .toMatchObject({ version: 1, kind: 'code', code: [{ atMs: 1000 }, { atMs: 20_000 }] });

    await svc.handlers['round.end']({ sessionId }, page);
    const history = await svc.handlers['workspace.history']({ sessionId }, page);
    expect(history.problem).toBeNull();
    expect(history.workspace?.code.map((s) => s.code)).toEqual([
      'def f():\n    pass\n',
      'def f():\n    return 1\n',
    ]);
    expect(history.questions.length).toBeGreaterThan(0);
  });

  it('rounds without a workspace say so, and their replay has none', async () => {
    const { svc, page } = await service();
    const { sessionId } = await svc.handlers['round.start'](
      { roundId: 'eng-recruiter-screen' },
      page,
    );
    expect(await svc.handlers['workspace.open']({ sessionId }, page)).toEqual({
      kind: null,
      questions: [],
      initial: {},
    });
    expect(
      await dispatch(
        svc.handlers,
        'round.workspace',
        { sessionId, atMs: 1, code: { language: 'go', code: 'x' } },
        page,
      ),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
    await svc.handlers['round.end']({ sessionId }, page);
    expect(await svc.handlers['workspace.history']({ sessionId }, page)).toEqual({
      workspace: null,
      questions: [],
      problem: null,
    });
  });

  it('a whiteboard round keeps the board', async () => {
    const { svc, page } = await service();
    const { sessionId } = await svc.handlers['round.start']({ roundId: 'eng-system-design' }, page);
    expect((await svc.handlers['workspace.open']({ sessionId }, page)).kind).toBe('whiteboard');
    const diagram = [{ id: 'b', type: 'rectangle' as const, x: 0, y: 0, width: 10, height: 10 }];
    expect(
      (await dispatch(svc.handlers, 'round.workspace', { sessionId, atMs: 500, diagram }, page)).ok,
    ).toBe(true);
    await svc.handlers['round.end']({ sessionId }, page);
    const history = await svc.handlers['workspace.history']({ sessionId }, page);
    expect(history.workspace?.diagram).toEqual([{ atMs: 500, elements: diagram }]);
  });

  it('a resumed round picks up the pad where the interrupted one left off', async () => {
    const { svc, clock, page } = await service();
    const first = await svc.handlers['round.start']({ roundId: 'eng-coding' }, page);
    await svc.handlers['round.workspace'](
      { sessionId: first.sessionId, atMs: 3000, code: { language: 'go', code: 'package main\n' } },
      page,
    );
    await svc.handlers['round.audio'](
      { sessionId: first.sessionId, pcm: new Uint8Array(96_000) },
      page,
    );
    clock.advance(10_000);
    await svc.clientGone('page');

    const resumed = await svc.handlers['round.start'](
      { roundId: 'eng-coding', resumeOf: first.sessionId },
      page,
    );
    const spec = await svc.handlers['workspace.open']({ sessionId: resumed.sessionId }, page);
    expect(spec.initial).toEqual({ code: { language: 'go', code: 'package main\n' } });
    await svc.handlers['round.end']({ sessionId: resumed.sessionId }, page);
    const history = await svc.handlers['workspace.history']({ sessionId: resumed.sessionId }, page);
    expect(history.workspace?.code).toEqual([{ atMs: 0, language: 'go', code: 'package main\n' }]);
  });
});
