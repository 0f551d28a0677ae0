import { EtagCache } from './EtagCache';

const answer = (body: string) => ({ etag: `"${body}"`, body });

describe('EtagCache', () => {
  it('forgets an answer GitHub has not confirmed within the TTL; a 304 confirms it', () => {
    let clock = 0;
    const cache = new EtagCache({ ttlMs: 1000 }, () => clock);
    cache.set('tags', answer('[1]'));
    clock = 1000;
    expect(cache.get('tags')).toEqual(answer('[1]'));
    cache.confirm('tags');
    clock = 2000;
    expect(cache.get('tags')).toEqual(answer('[1]'));
    clock = 2001;
    expect(cache.get('tags')).toBeUndefined();
  });

  it('keeps at most maxEntries answers, dropping the least recently used', () => {
    const cache = new EtagCache({ maxEntries: 2 });
    cache.set('a', answer('1'));
    cache.set('b', answer('2'));
    cache.get('a');
    cache.set('c', answer('3'));

    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual(answer('1'));
    expect(cache.get('c')).toEqual(answer('3'));
  });

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
