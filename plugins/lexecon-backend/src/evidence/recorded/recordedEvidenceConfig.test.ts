import { ConfigReader } from '@backstage/config';
import { readRecordedEvidenceSettings } from './recordedEvidenceConfig';

const read = (evidence: object) =>
  readRecordedEvidenceSettings(new ConfigReader({ lexecon: { evidence } }));

describe('readRecordedEvidenceSettings', () => {
  it('defaults to 10 MiB uploads and calendar months', () => {
    expect(read({})).toEqual({
      maxUploadBytes: 10 * 1024 * 1024,
      deadlineRule: 'calendar-month',
    });
  });

  it('reads both settings', () => {
    expect(
      read({ uploads: { maxBytes: 2048 }, gdpr: { deadlineRule: 'days-30' } }),
    ).toEqual({ maxUploadBytes: 2048, deadlineRule: 'days-30' });
  });

  it('refuses a bad value, naming the key and the value', () => {
    expect(() => read({ uploads: { maxBytes: 0 } })).toThrow(
      'lexecon.evidence.uploads.maxBytes must be a whole number of bytes above 0, not 0',
    );
    expect(() => read({ gdpr: { deadlineRule: 'weeks-4' } })).toThrow(
      "lexecon.evidence.gdpr.deadlineRule must be one of calendar-month, days-30, not 'weeks-4'",
    );
  });
});
