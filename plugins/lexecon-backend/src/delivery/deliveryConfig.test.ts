import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readDeliveryConfig } from './deliveryConfig';

const read = (delivery?: JsonObject) =>
  readDeliveryConfig(
    new ConfigReader({ lexecon: delivery ? { delivery } : {} }),
    { changeWindowMinutes: 120 },
  );

describe('readDeliveryConfig', () => {
  it("takes the reliability views' change window and 90 days unless configured", () => {
    expect(read()).toEqual({
      incidentWindowMinutes: 120,
      defaultWindow: '90d',
    });
    expect(read({ incidentWindowMinutes: 45, defaultWindow: '30d' })).toEqual({
      incidentWindowMinutes: 45,
      defaultWindow: '30d',
    });
  });

  it('refuses a bad value, naming the key and the value', () => {
    expect(() => read({ defaultWindow: '7d' })).toThrow(
      'lexecon.delivery.defaultWindow must be one of 30d, 90d, 180d, not "7d"',
    );
    expect(() => read({ incidentWindowMinutes: 0 })).toThrow(
      'lexecon.delivery.incidentWindowMinutes must be a whole number of minutes between 1 and 10080, not 0',
    );
    expect(() => read({ incidentWindowMinutes: 12.5 })).toThrow(
      /incidentWindowMinutes .* not 12\.5/,
    );
  });
});
