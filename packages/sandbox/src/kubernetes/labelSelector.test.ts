import { matchesSelector, parseLabelSelector } from './labelSelector';

describe('label selectors', () => {
  const labels = { owner: 'helm', name: 'lexecon', status: 'deployed' };
  it.each([
    ['owner=helm,name=lexecon', true],
    ['owner==helm', true],
    ['status!=deployed', false],
    ['status in (deployed, superseded)', true],
    ['status notin (failed)', true],
    ['owner', true],
    ['!owner', false],
    ['!missing,name in (lexecon),status notin (deployed)', false],
    ['', true],
  ])('%s -> %s', (selector, expected) => {
    expect(matchesSelector(parseLabelSelector(selector), labels)).toBe(
      expected,
    );
  });

  it('rejects garbage', () => {
    expect(() => parseLabelSelector('a b c')).toThrow();
    expect(() => parseLabelSelector('status in ()')).toThrow();
  });
});
