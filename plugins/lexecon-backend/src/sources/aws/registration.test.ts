import { ConfigReader } from '@backstage/config';
import { CostFactStore } from '../../cost/CostFactStore';
import { RequestBudget } from '../../cost/RequestBudget';
import { createSource, SourceContext } from '../registry';
import { sourceSchedule } from '../scheduleSources';
import { awsCostRegistration } from './registration';

const defaults = {
  frequency: { minutes: 2 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 5 },
};

function build(config: object) {
  return createSource(awsCostRegistration, {
    config: new ConfigReader(config),
    costFacts: {} as CostFactStore,
    requestBudget: {} as RequestBudget,
  } as unknown as SourceContext);
}

describe('the aws-cost registration', () => {
  it('runs daily unless lexecon.sources.aws-cost.schedule says otherwise', () => {
    expect(
      sourceSchedule(awsCostRegistration, new ConfigReader({}), defaults),
    ).toEqual({
      frequency: { hours: 24 },
      timeout: { hours: 1 },
      initialDelay: { seconds: 5 },
    });
    const twiceADay = new ConfigReader({
      lexecon: {
        sources: { 'aws-cost': { schedule: { frequency: { hours: 12 } } } },
      },
    });
    expect(
      sourceSchedule(awsCostRegistration, twiceADay, defaults).frequency,
    ).toEqual({ hours: 12 });
  });

  it('is never read for a page view, and is off without lexecon.aws.costExplorer', () => {
    const target = {
      entityRef: 'component:default/lexecon-api',
      environments: [],
      awsCostTags: ['lexecon-api'],
    };
    const off = build({});
    expect(off.scheduledOnly).toBe(true);
    expect(off.notConfiguredReason(target)?.message).toMatch(
      /^AWS Cost Explorer is not configured: set lexecon.aws.costExplorer/,
    );
    const on = build({ lexecon: { aws: { costExplorer: {} } } });
    expect(on.notConfiguredReason(target)).toBeUndefined();
  });
});
