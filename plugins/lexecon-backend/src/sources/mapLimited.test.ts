import { mapLimited } from './mapLimited';

describe('mapLimited', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const result = await mapLimited([5, 1, 4, 2, 3], 2, async n => {
      running++;
      peak = Math.max(peak, running);
      await new Promise(r => setTimeout(r, n * 3));
      running--;
      return n * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('rejects when one call fails', async () => {
    await expect(
      mapLimited([1, 2], 2, async n => {
        if (n === 2) throw new Error('boom');
        return n;
      }),
    ).rejects.toThrow('boom');
  });
});
