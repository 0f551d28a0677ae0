import {
  DELIVERY_PORTFOLIO_CSV_COLUMNS,
  deliveryPortfolioCsv,
  DoraBand,
  DORA_KEYS,
  DoraKey,
  DoraKeyFigure,
  EntityDelivery,
  Figure,
} from '@internal/plugin-lexecon-common';
import { deliveryPortfolio } from './deliveryPortfolio';

const head = {
  window: '90d' as const,
  environment: 'production',
  from: '2026-08-27T00:00:00.000Z',
  to: '2026-11-25T00:00:00.000Z',
  generatedAt: '2026-11-25T00:00:00.000Z',
};

function keysOf(bands: Array<DoraBand | undefined>, value = 3600) {
  const figureOf = (band: DoraBand | undefined): Figure =>
    band
      ? { value, unit: 'seconds', band, samples: 1, factIds: [] }
      : { unit: 'seconds', noData: 'none', samples: 0, factIds: [] };
  const keys = {} as Record<DoraKey, DoraKeyFigure>;
  DORA_KEYS.forEach((key, i) => {
    keys[key] = { figure: figureOf(bands[i]), weekly: [] };
  });
  return keys;
}

function entry(name: string, keys?: Record<DoraKey, DoraKeyFigure>) {
  const delivery = {
    ...head,
    entityRef: `component:default/${name}`,
    status: keys ? 'ok' : 'not-configured',
    sources: [],
    ...(keys
      ? {
          data: {
            keys,
            rollbacks: {
              count: { value: 2, unit: 'count', samples: 5, factIds: [] },
            },
          },
        }
      : { missingAnnotations: ['github.com/project-slug'] }),
  } as unknown as EntityDelivery;
  return { name, title: name.toUpperCase(), delivery };
}

describe('deliveryPortfolio', () => {
  it('ranks by the mean band, a key without data worse than low, ties by name', () => {
    const portfolio = deliveryPortfolio(
      [
        entry('none'),
        entry('mixed', keysOf(['elite', 'low', undefined, 'high'])),
        entry('best', keysOf(['elite', 'elite', 'elite', 'high'])),
        entry('also-mixed', keysOf(['elite', 'low', undefined, 'high'])),
      ],
      head,
    );
    expect(portfolio.services.map(s => [s.rank, s.name])).toEqual([
      [1, 'best'],
      [2, 'also-mixed'],
      [3, 'mixed'],
      [4, 'none'],
    ]);
    expect(portfolio.services[3]).toMatchObject({
      status: 'not-configured',
      missingAnnotations: ['github.com/project-slug'],
    });
    expect(portfolio.services[3].keys).toBeUndefined();
  });

  it('never ranks a service with one elite key and no other data above one that is high throughout', () => {
    const portfolio = deliveryPortfolio(
      [
        entry('gappy', keysOf(['elite', undefined, undefined, undefined])),
        entry('steady', keysOf(['high', 'high', 'high', 'high'])),
      ],
      head,
    );
    expect(portfolio.services.map(s => s.name)).toEqual(['steady', 'gappy']);
  });

  it('writes the ranked services as CSV, hours for durations and empty cells for no data', () => {
    const portfolio = deliveryPortfolio(
      [
        entry('best', keysOf(['elite', 'elite', 'elite', 'high'], 5400)),
        entry('none'),
      ],
      head,
    );
    const lines = deliveryPortfolioCsv(portfolio).split('\r\n');
    expect(lines[0]).toBe(DELIVERY_PORTFOLIO_CSV_COLUMNS.join(','));
    expect(lines[1]).toBe(
      '1,BEST,component:default/best,ok,5400,elite,1.5,elite,5400,elite,1.5,high,2',
    );
    expect(lines[2]).toBe(
      '2,NONE,component:default/none,not-configured,,,,,,,,,',
    );
  });
});
