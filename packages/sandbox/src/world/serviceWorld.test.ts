import { PORTFOLIO } from '../portfolio/services';
import { buildServiceWorld } from './serviceWorld';

const NOW = new Date('2026-11-20T15:00:00Z');

/** A portfolio service's production releases: how many, failed upgrades, rollbacks by hand. */
function releases(name: string) {
  const spec = PORTFOLIO.find(s => s.name === name)!;
  const world = buildServiceWorld(spec.repo, spec.delivery, NOW);
  const runs = world.runs.filter(r => r.workflowFile === 'deploy-prod.yml');
  const helm = world.helm[world.namespaces.production];
  return {
    releases: runs.length,
    failed: runs.filter(r => r.conclusion === 'failure').length,
    rolledBackByHand: helm.filter(
      r => r.description.startsWith('Rollback to') && r.runId === null,
    ).length,
  };
}

describe('buildServiceWorld: deploy profiles', () => {
  it('gives each portfolio service the release history its delivery band says', () => {
    const elite = releases('web-console');
    const medium = releases('policy-engine');
    const struggling = releases('decision-ledger');
    // web-console ships twice a week and nothing fails.
    expect(elite.releases).toBeGreaterThanOrEqual(20);
    expect(elite).toMatchObject({ failed: 0, rolledBackByHand: 0 });
    // policy-engine ships as often, one release in eight failing its Helm upgrade.
    expect(medium.releases).toBe(elite.releases);
    expect(medium.failed).toBe(Math.floor(medium.releases / 8));
    expect(medium.rolledBackByHand).toBe(0);
    // decision-ledger ships once a week; every third fails, every fourth (not failed) is
    // rolled back by hand.
    expect(struggling.releases).toBe(Math.ceil(elite.releases / 2));
    expect(struggling.failed).toBe(Math.floor(struggling.releases / 3));
    expect(struggling.rolledBackByHand).toBeGreaterThan(0);
  });
});
