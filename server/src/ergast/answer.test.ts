import { describe, expect, test } from 'bun:test';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import { type AnswerDeps, answerTags, envelopeUrl, ergastAnswer } from './answer.ts';

/** Deps for answers that never reach the database (parse errors, an endpoint without a handler). */
const unreachable = new Proxy({} as Kysely<DB>, {
  get: () => {
    throw new Error('the database was read');
  },
});
const deps = (handlers: AnswerDeps['handlers'] = {}): AnswerDeps => ({
  db: unreachable,
  read: (_spec, load) => load(),
  handlers,
});
const url = (path: string) => new URL(`http://x.test/ergast/f1${path}`);

describe('ergastAnswer', () => {
  test('an endpoint without a handler → 501 naming it', async () => {
    const answer = await ergastAnswer(deps(), {
      rest: '/2023/drivers.json',
      url: url('/2023/drivers.json'),
    });
    expect(answer).toEqual({
      status: 501,
      body: { code: 'NOT_IMPLEMENTED', message: 'drivers: not served yet' },
    });
  });

  test('a bad path or paging → 400 naming the segment, nothing read', async () => {
    const bad = await ergastAnswer(deps(), { rest: '/2023/gird/1/results', url: url('/x') });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('gird'),
    });
    const paging = await ergastAnswer(deps(), { rest: '/2023/results', url: url('/x?offset=x') });
    expect(paging.body).toMatchObject({ message: expect.stringContaining('offset') });
  });

  test('wraps the handler table in the envelope, every scalar a string', async () => {
    const answer = await ergastAnswer(
      deps({
        seasons: async (_db, request) => ({
          total: 75,
          tableName: 'SeasonTable',
          table: { Seasons: [{ season: String(request.limit) }] },
        }),
      }),
      { rest: '/seasons.json', url: url('/Seasons.json?limit=5&offset=2') },
    );
    expect(answer).toEqual({
      status: 200,
      body: {
        MRData: {
          xmlns: '',
          series: 'f1',
          url: 'http://x.test/ergast/f1/seasons.json',
          limit: '5',
          offset: '2',
          total: '75',
          SeasonTable: { Seasons: [{ season: '5' }] },
        },
      },
    });
  });

  test('tags: a season answer depends on its season, the rest on every race', () => {
    expect(answerTags({ season: 2023 })).toEqual(['season:2023']);
    expect(answerTags({ season: null })).toEqual(['races']);
    expect(envelopeUrl(new URL('https://H.example/API/F1/2023.json?limit=1'))).toBe(
      'https://h.example/api/f1/2023.json',
    );
  });
});
