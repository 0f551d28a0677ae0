import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { healthSection, slaSection } from '../../__fixtures__/reliability';
import { shownStatus } from '../../__testUtils__/status';
import { SlaCard } from './SlaCard';
import { stubResizeObserver } from '../../__testUtils__/resizeObserver';

describe('SlaCard', () => {
  stubResizeObserver();

  it('shows uptime against the target, budget, alerting monitors with runbooks and linked incidents', async () => {
    await renderInTestApp(
      <SlaCard section={slaSection()} health={healthSection} />,
    );
    expect(screen.getByTestId('sla-uptime')).toHaveTextContent('99.950%');
    expect(shownStatus(screen.getByTestId('sla-status'))).toBe(
      'Status ok: Exceeding target',
    );
    expect(screen.getByText('57.0%')).toBeInTheDocument();
    expect(screen.getByText('runbook').closest('a')).toHaveAttribute(
      'href',
      'https://example.com/docs/runbooks/high_latency.md',
    );
    const incident = screen.getByTestId('incident-row');
    expect(incident).toHaveTextContent(
      'Flag change: enable_strict_validation: enabled in production',
    );
    // The change came 38 minutes before the incident started, by a named person.
    expect(incident).toHaveTextContent(
      'by priya.nair@lexecon.io, 38m 0s before',
    );
    expect(
      screen.getByRole('link', { name: /#7 Rate limiter saturation attack/ }),
    ).toHaveAttribute('href', 'https://app.datadoghq.eu/incidents/7');
    expect(
      screen.getByRole('img', {
        name: /1 of 2 months met the 99\.9% target; missed in 2026-09 \(99\.860%\)/,
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('rate_limiter')).toBeInTheDocument();
    expect(screen.getByText(/Datadog data as of/)).toBeInTheDocument();
  });

  // Inputs on either side of each threshold: breached below the target, at risk above a burn rate
  // of 1 or under 25% of the budget left; exactly on a threshold is not yet worse.
  it.each([
    [
      { uptimePercent: 99.85, errorBudgetRemainingPercent: -40, burnRate: 2 },
      'Status error: Breached',
    ],
    [
      { uptimePercent: 99.89, errorBudgetRemainingPercent: 60, burnRate: 0.5 },
      'Status error: Breached',
    ],
    [
      { uptimePercent: 99.9, errorBudgetRemainingPercent: 60, burnRate: 0.5 },
      'Status ok: Exceeding target',
    ],
    [
      { uptimePercent: 99.95, errorBudgetRemainingPercent: 60, burnRate: 1 },
      'Status ok: Exceeding target',
    ],
    [
      { uptimePercent: 99.95, errorBudgetRemainingPercent: 60, burnRate: 1.01 },
      'Status warning: At risk',
    ],
    [
      { uptimePercent: 99.97, errorBudgetRemainingPercent: 25, burnRate: 0.9 },
      'Status ok: Exceeding target',
    ],
    [
      {
        uptimePercent: 99.97,
        errorBudgetRemainingPercent: 24.9,
        burnRate: 0.9,
      },
      'Status warning: At risk',
    ],
    [
      { uptimePercent: 99.92, errorBudgetRemainingPercent: 20, burnRate: 1.3 },
      'Status warning: At risk',
    ],
  ])('shows %j as %s', async (mtd, shown) => {
    await renderInTestApp(
      <SlaCard section={slaSection(mtd)} health={healthSection} />,
    );
    expect(shownStatus(screen.getByTestId('sla-status'))).toBe(shown);
  });

  it('says where the thresholds lie', async () => {
    await renderInTestApp(
      <SlaCard section={slaSection()} health={healthSection} />,
    );
    expect(screen.getByText(/^Breached:/)).toHaveTextContent(
      'Breached: uptime below 99.9%. At risk: burn rate above 1× (the budget runs out before month end) or less than 25% of the error budget left. SLO: Lexecon API availability.',
    );
  });

  it('says what is missing, and keeps health when Datadog fails', async () => {
    await renderInTestApp(
      <SlaCard
        section={{
          status: 'error',
          message: 'Datadog rejected the API or application key (403)',
          sources: [{ source: 'datadog', status: 'error' }],
        }}
        health={healthSection}
      />,
    );
    expect(screen.getByText(/SLA uptime unavailable/)).toBeInTheDocument();
    expect(
      screen.getByText(/rejected the API or application key/),
    ).toBeInTheDocument();
    expect(screen.getByText('database')).toBeInTheDocument();
  });

  it('names the annotation to add when not configured', async () => {
    await renderInTestApp(
      <SlaCard
        section={{
          status: 'not-configured',
          missingAnnotations: ['lexecon.io/datadog-slo-tags'],
          sources: [{ source: 'datadog', status: 'not-configured' }],
        }}
        health={{
          status: 'not-configured',
          missingAnnotations: ['lexecon.io/health-url'],
          sources: [],
        }}
      />,
    );
    expect(
      screen.getAllByText(/lexecon.io\/datadog-slo-tags/).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getAllByText(/lexecon.io\/health-url/).length,
    ).toBeGreaterThan(0);
  });
});
