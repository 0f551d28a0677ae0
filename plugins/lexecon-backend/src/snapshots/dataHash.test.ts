import { dataHash } from './dataHash';

describe('dataHash', () => {
  it('is the same for the same data whatever order its keys were set in', () => {
    const staging = { runs: [1, 2], protected: false };
    const production = { runs: [3], protected: true };
    expect(
      dataHash({ environments: { staging, production }, tags: { a: 'v1' } }),
    ).toBe(
      dataHash({
        tags: { a: 'v1' },
        environments: {
          production: { protected: true, runs: [3] },
          staging: { protected: false, runs: [1, 2] },
        },
      }),
    );
  });

  it('changes when a value, a key or the order of a list changes', () => {
    const base = dataHash({ runs: [{ id: 1, status: 'waiting' }, { id: 2 }] });
    expect(
      dataHash({ runs: [{ id: 1, status: 'completed' }, { id: 2 }] }),
    ).not.toBe(base);
    expect(
      dataHash({ runs: [{ id: 1, status: 'waiting', extra: 1 }, { id: 2 }] }),
    ).not.toBe(base);
    expect(
      dataHash({ runs: [{ id: 2 }, { id: 1, status: 'waiting' }] }),
    ).not.toBe(base);
  });
});
