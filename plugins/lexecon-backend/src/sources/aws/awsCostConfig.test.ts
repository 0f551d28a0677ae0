import { ConfigReader } from '@backstage/config';
import { readAwsCostConfig } from './awsCostConfig';

const read = (costExplorer?: object) =>
  readAwsCostConfig(
    new ConfigReader(
      costExplorer ? { lexecon: { aws: { costExplorer } } } : {},
    ),
  );

describe('readAwsCostConfig', () => {
  it('is off without lexecon.aws.costExplorer, and leaves credentials to the default chain', () => {
    expect(read()).toBeUndefined();
    expect(read({})).toEqual({
      maxRequestsPerDay: 100,
      client: {
        region: undefined,
        endpoint: undefined,
        credentials: undefined,
        tags: { service: 'service', component: 'component' },
      },
    });
  });

  it('reads the sandbox’s endpoint, key and cap, and the tags', () => {
    expect(
      read({
        endpoint: 'http://127.0.0.1:7106',
        maxRequestsPerDay: 0,
        tags: { service: 'app', component: 'part' },
        credentials: { accessKeyId: 'AKIA1', secretAccessKey: 'secret' },
      }),
    ).toEqual({
      maxRequestsPerDay: 0,
      client: {
        region: undefined,
        endpoint: 'http://127.0.0.1:7106',
        credentials: { accessKeyId: 'AKIA1', secretAccessKey: 'secret' },
        tags: { service: 'app', component: 'part' },
      },
    });
  });

  it('refuses a cap that is not a whole number of requests', () => {
    for (const maxRequestsPerDay of [-1, 2.5]) {
      expect(() => read({ maxRequestsPerDay })).toThrow(
        'lexecon.aws.costExplorer.maxRequestsPerDay must be a whole number of requests, 0 or more',
      );
    }
  });
});
