import {
  CostAnalysisNote,
  CostAnomaly,
  CostOpportunity,
  CostRootCause,
  KubernetesAllocation,
  UnitCost,
  WorkloadEfficiency,
} from '@internal/plugin-lexecon-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { MoneyFormat } from './money';

const PROVIDER_LABELS = { aws: 'AWS', gcp: 'GCP', opencost: 'OpenCost' };

/** "database-backups on AWS: Amazon RDS, USE1-RDS:ChargedBackupUsage (us-east-1)". */
export function describeRootCause(cause: CostRootCause): string {
  const details = [cause.service, cause.usageType, cause.linkedAccount]
    .filter(Boolean)
    .join(', ');
  return `${cause.component} on ${PROVIDER_LABELS[cause.provider]}${
    details ? `: ${details}` : ''
  }${cause.region ? ` (${cause.region})` : ''}`;
}

/** The open anomalies, largest impact first as the analysis orders them. */
export function CostAnomalies(props: {
  anomalies: CostAnomaly[];
  format: MoneyFormat;
  /** What a person may do about one (acknowledge it), in a last column. */
  action?: (anomaly: CostAnomaly) => ReactNode;
}) {
  const open = props.anomalies.filter(a => a.status === 'open');
  if (!open.length) {
    return <Typography variant="body2">No open anomalies.</Typography>;
  }
  return (
    <Table size="small" aria-label="Open cost anomalies">
      <TableHead>
        <TableRow>
          <TableCell>Component</TableCell>
          <TableCell>Start</TableCell>
          <TableCell>End</TableCell>
          <TableCell align="right">Impact</TableCell>
          <TableCell>Root cause</TableCell>
          {props.action && <TableCell>Action</TableCell>}
        </TableRow>
      </TableHead>
      <TableBody>
        {open.map(a => (
          <TableRow key={a.id} data-testid="cost-anomaly" data-id={a.id}>
            <TableCell component="th" scope="row">
              {a.component}
            </TableCell>
            <TableCell>{a.start}</TableCell>
            <TableCell>{a.end ?? 'ongoing'}</TableCell>
            <TableCell align="right">
              {props.format.money(a.impact)}
              {a.estimated ? ' (estimated)' : ''}
            </TableCell>
            <TableCell data-testid="cost-anomaly-root-cause">
              {a.rootCauses.map(describeRootCause).join('; ') || '—'}
            </TableCell>
            {props.action && <TableCell>{props.action(a)}</TableCell>}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** How many opportunities the card lists. */
export const SHOWN_OPPORTUNITIES = 5;

/**
 * The opportunities the card lists, in the analysis's order (savings per unit of effort): the
 * best of each kind (unused, oversized, commitment), so many steady commitments never hide a
 * resource nobody uses, then the next best up to `count`.
 */
export function opportunitiesToShow(
  all: CostOpportunity[],
  count = SHOWN_OPPORTUNITIES,
): CostOpportunity[] {
  const chosen = new Set<CostOpportunity>();
  for (const kind of ['unused', 'oversized', 'commitment'] as const) {
    const best = all.find(o => o.kind === kind);
    if (best && chosen.size < count) chosen.add(best);
  }
  for (const o of all) if (chosen.size < count) chosen.add(o);
  return all.filter(o => chosen.has(o));
}

/** The savings worth doing first, and what the rest would save. */
export function CostOpportunities(props: {
  opportunities: CostOpportunity[];
  format: MoneyFormat;
}) {
  const top = opportunitiesToShow(props.opportunities);
  if (!top.length) {
    return <Typography variant="body2">No savings opportunities.</Typography>;
  }
  const rest = props.opportunities.filter(o => !top.includes(o));
  const table = (
    <Table size="small" aria-label="Top savings opportunities">
      <TableHead>
        <TableRow>
          <TableCell>Opportunity</TableCell>
          <TableCell align="right">Savings a month</TableCell>
          <TableCell>Risk</TableCell>
          <TableCell>Effort</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {top.map(o => (
          <TableRow key={o.id} data-testid="cost-opportunity">
            <TableCell component="th" scope="row">
              {o.title}
              <Typography variant="caption" component="div">
                {o.basis}
              </Typography>
            </TableCell>
            <TableCell align="right">
              {props.format.money(o.monthlySavings)}
            </TableCell>
            <TableCell>{o.risk}</TableCell>
            <TableCell>{o.effort}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
  if (!rest.length) return table;
  return (
    <>
      {table}
      <Typography variant="caption" component="p">
        {rest.length} more, saving{' '}
        {props.format.money(rest.reduce((t, o) => t + o.monthlySavings, 0))} a
        month together.
      </Typography>
    </>
  );
}

/** Cost per 1,000 decisions with its last days, or why there is no figure. */
export function CostPerThousand(props: {
  unitCost?: UnitCost;
  note?: CostAnalysisNote;
  format: MoneyFormat;
}) {
  const { unitCost, note, format } = props;
  const figure = unitCost?.overall.perThousand;
  if (!unitCost || figure === undefined) {
    const reason =
      note?.message ??
      unitCost?.days.find(d => d.noData)?.noData ??
      'No cost per 1,000 decisions';
    return (
      <Typography variant="body2" data-testid="cost-per-thousand">
        {reason}
      </Typography>
    );
  }
  const recent = unitCost.days.filter(d => d.perThousand !== undefined);
  return (
    <>
      <Typography variant="body2" data-testid="cost-per-thousand">
        {format.unitPrice(figure)} per 1,000 decisions over{' '}
        {unitCost.overall.days} days
        {unitCost.overall.idlePerThousand !== undefined &&
          ` (idle cost apart: ${format.unitPrice(
            unitCost.overall.idlePerThousand,
          )} per 1,000)`}
      </Typography>
      <Typography variant="caption" component="p">
        Trend:{' '}
        {recent
          .slice(-7)
          .map(d => `${d.day} ${format.unitPrice(d.perThousand)}`)
          .join(', ')}
      </Typography>
    </>
  );
}

/**
 * A Kubernetes allocation (OpenCost) this month beside the bill's Kubernetes lines, its idle share,
 * and the least efficient workloads.
 */
export function KubernetesAllocationSummary(props: {
  allocation?: KubernetesAllocation;
  efficiency: WorkloadEfficiency[];
  format: MoneyFormat;
}) {
  const { allocation, efficiency, format } = props;
  if (!allocation && !efficiency.length) return null;
  const percent = (ratio?: number) =>
    ratio === undefined ? '—' : `${Math.round(ratio * 100)}%`;
  return (
    <div data-testid="cost-allocation">
      {allocation && !allocation.through && (
        <Typography variant="body2" paragraph>
          {PROVIDER_LABELS[allocation.provider]} has allocated nothing for this
          month yet: its first day is not over.
        </Typography>
      )}
      {allocation?.through && (
        <Typography variant="body2" paragraph>
          {PROVIDER_LABELS[allocation.provider]} allocates{' '}
          {format.money(allocation.monthToDate)} to its workloads this month (to{' '}
          {allocation.through})
          {allocation.billedMonthToDate !== undefined
            ? `, of ${format.money(
                allocation.billedMonthToDate,
              )} billed for Kubernetes (not added to the total above)`
            : ''}
          {allocation.idleMonthToDate !== undefined
            ? `; its share of idle capacity: ${format.money(
                allocation.idleMonthToDate,
              )}`
            : ''}
          .
        </Typography>
      )}
      {efficiency.length > 0 && (
        <Table size="small" aria-label="Least efficient workloads">
          <TableHead>
            <TableRow>
              <TableCell>Workload</TableCell>
              <TableCell align="right">CPU used of request</TableCell>
              <TableCell align="right">Memory used of request</TableCell>
              <TableCell align="right">Cost a month</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {efficiency.slice(0, 3).map(w => (
              <TableRow key={w.workload} data-testid="cost-workload">
                <TableCell component="th" scope="row">
                  {w.workload}
                </TableCell>
                <TableCell align="right">{percent(w.cpu)}</TableCell>
                <TableCell align="right">{percent(w.memory)}</TableCell>
                <TableCell align="right">
                  {format.money(w.monthlyCost)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
