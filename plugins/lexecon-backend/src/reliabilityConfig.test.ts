import { ConfigReader } from '@backstage/config';
import { readReliabilityConfig } from './reliabilityConfig';

const keys = { apiKey: 'k', applicationKey: 'a' };

describe('readReliabilityConfig', () => {
  it('derives the Datadog API and web app hosts from the site', () => {
    const config = readReliabilityConfig(
      new ConfigReader({
        lexecon: { datadog: { site: 'datadoghq.eu', ...keys } },
      }),
    );
    expect(config.datadog).toMatchObject({
      baseUrl: 'https://api.datadoghq.eu',
      appUrl: 'https://app.datadoghq.eu',
    });
  });

  it('links to an explicit appUrl, else to the baseUrl of a proxy or the sandbox', () => {
    const explicit = readReliabilityConfig(
      new ConfigReader({
        lexecon: {
          datadog: {
            baseUrl: 'https://dd-proxy.internal/',
            appUrl: 'https://app.datadoghq.com/',
            ...keys,
          },
        },
      }),
    );
    expect(explicit.datadog).toMatchObject({
      baseUrl: 'https://dd-proxy.internal',
      appUrl: 'https://app.datadoghq.com',
    });
    const sandbox = readReliabilityConfig(
      new ConfigReader({
        lexecon: { datadog: { baseUrl: 'http://127.0.0.1:7103', ...keys } },
      }),
    );
    expect(sandbox.datadog?.appUrl).toBe('http://127.0.0.1:7103');
  });

  it('links flags to the Unleash UI, by default on the API host', () => {
    const config = readReliabilityConfig(
      new ConfigReader({
        lexecon: {
          unleash: { baseUrl: 'https://unleash.example.com/', apiToken: 't' },
        },
      }),
    );
    expect(config.unleash).toMatchObject({
      baseUrl: 'https://unleash.example.com',
      webUrl: 'https://unleash.example.com',
    });
  });

  it('refuses a site that is not a host name, and a change window out of range', () => {
    expect(() =>
      readReliabilityConfig(
        new ConfigReader({
          lexecon: { datadog: { site: 'https://datadoghq.eu', ...keys } },
        }),
      ),
    ).toThrow(/lexecon.datadog.site must be a Datadog site/);
    expect(() =>
      readReliabilityConfig(
        new ConfigReader({ lexecon: { sla: { changeWindowMinutes: 0 } } }),
      ),
    ).toThrow(/changeWindowMinutes must be between 1 and 10080/);
  });

  it.each([
    [
      { sla: { changeWindowMinutes: 10_081 } },
      /changeWindowMinutes must be between 1 and 10080/,
    ],
    [
      { sla: { changeWindowMinutes: 'two hours' } },
      /'lexecon\.sla\.changeWindowMinutes'/,
    ],
    [
      { unleash: { baseUrl: 'https://unleash.example.com' } },
      /'lexecon\.unleash\.apiToken'/,
    ],
    [
      { datadog: { site: 'datadoghq.eu', apiKey: 'k' } },
      /'lexecon\.datadog\.applicationKey'/,
    ],
  ])('refuses %j, naming the key', (lexecon, message) => {
    expect(() => readReliabilityConfig(new ConfigReader({ lexecon }))).toThrow(
      message,
    );
  });

  it('accepts the edges of the change window', () => {
    for (const changeWindowMinutes of [1, 10_080]) {
      expect(
        readReliabilityConfig(
          new ConfigReader({ lexecon: { sla: { changeWindowMinutes } } }),
        ).changeWindowMinutes,
      ).toBe(changeWindowMinutes);
    }
  });
});
