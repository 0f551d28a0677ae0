import { EtagCache } from './EtagCache';

const answer = (body: string) => ({ etag: `"${body}"`, body });

describe('EtagCache', () => {
  it('keeps answers up to maxChars of JSON, dropping the least recently used first', () => {
    const cache = new EtagCache({ maxChars: 10 });
    cache.set('a', answer('1234'));
    cache.set('b', answer('1234'));
    cache.get('a');
    cache.set('c', answer('1234'));

    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual(answer('1234'));
    expect(cache.get('c')).toEqual(answer('1234'));
  });

  it('does not keep an answer larger than the whole cache', () => {
    const cache = new EtagCache({ maxChars: 3 });
    cache.set('a', answer('12'));
    cache.set('big', answer('1234'));

    expect(cache.get('big')).toBeUndefined();
    expect(cache.get('a')).toEqual(answer('12'));
  });
});
