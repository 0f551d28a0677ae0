import { deploymentsQuerySchema } from '@internal/plugin-lexecon-common';
import { decodeCursor, encodeCursor, parseInput } from './parseInput';

describe('parseInput', () => {
  it('names the field and the problem in the 400 message', () => {
    expect(() =>
      parseInput(deploymentsQuerySchema, { limit: '500' }, 'query'),
    ).toThrow(
      "query parameter 'limit' number must be less than or equal to 100",
    );
    expect(() =>
      parseInput(deploymentsQuerySchema, { result: 'exploded' }, 'query'),
    ).toThrow(/query parameter 'result'/);
    expect(() =>
      parseInput(deploymentsQuerySchema, { colour: 'red' }, 'query'),
    ).toThrow("unknown query parameter 'colour'");
  });

  it('applies the default page size', () => {
    expect(parseInput(deploymentsQuerySchema, {}, 'query')).toEqual({
      limit: 25,
    });
  });

  it('round-trips cursors and rejects forged ones', () => {
    expect(decodeCursor(encodeCursor(50))).toBe(50);
    expect(() => decodeCursor('bm90LWEtY3Vyc29y')).toThrow(/cursor/);
  });
});
