import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { healthSection, slaSection } from '../../__fixtures__/reliability';
import { SlaCard } from './SlaCard';

// recharts' ResponsiveContainer measures itself; jsdom has no ResizeObserver.
class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

describe('SlaCard', () => {
  beforeAll(() => {
    Object.assign(globalThis, { ResizeObserver: NoopResizeObserver });
  });

  it('shows uptime against the target, budget, alerting monitors with runbooks and linked incidents', async () => {
    await renderInTestApp(
      <SlaCard section={slaSection()} health={healthSection} />,
    );
    expect(screen.getByTestId('sla-uptime')).toHaveTextContent('99.950%');
    expect(screen.getByTestId('sla-status')).toHaveTextContent(
      'Exceeding target',
    );
    expect(screen.getByText(/burn rate above 1×/)).toBeInTheDocument();
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

  it.each([
    [
      { uptimePercent: 99.85, errorBudgetRemainingPercent: -40, burnRate: 2 },
      'Breached',
    ],
    [
      { uptimePercent: 99.92, errorBudgetRemainingPercent: 40, burnRate: 1.3 },
      'At risk',
    ],
    [
      { uptimePercent: 99.97, errorBudgetRemainingPercent: 20, burnRate: 0.9 },
      'At risk',
    ],
    [
      { uptimePercent: 99.97, errorBudgetRemainingPercent: 70, burnRate: 0.4 },
      'Exceeding target',
    ],
  ])('labels %j as %s', async (mtd, label) => {
    await renderInTestApp(
      <SlaCard section={slaSection(mtd)} health={healthSection} />,
    );
    expect(screen.getByTestId('sla-status')).toHaveTextContent(label);
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
