import {
  InfoCard,
  Link,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import {
  Section,
  ServiceHealth,
  SLA_THRESHOLDS,
  SlaIncident,
  SlaOverview,
  SlaStatus,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatDuration } from '../shared/format';
import { HealthStatus } from '../shared/HealthStatus';
import { MaybeLink } from '../shared/MaybeLink';
import { RelativeTime } from '../shared/RelativeTime';
import { SectionState } from '../shared/SectionState';
import { UptimeChart } from './UptimeChart';

const useStyles = makeStyles({
  // Short values (severity, times) stay on one line; titles wrap.
  nowrap: { whiteSpace: 'nowrap' },
});

/** "Flag change: enable_x: enabled in production (priya), 12m 0s before". */
function PrecededBy(props: { incident: SlaIncident }) {
  const change = props.incident.precededBy;
  if (!change) return <>—</>;
  const gap =
    (Date.parse(props.incident.startedAt) - Date.parse(change.at)) / 1000;
  return (
    <>
      <Typography variant="body2" component="span">
        {change.kind === 'flag' ? 'Flag change' : 'Deploy'}:{' '}
        <MaybeLink url={change.url}>{change.title}</MaybeLink>
      </Typography>
      <Typography variant="caption" color="textSecondary" component="div">
        {change.by ? `by ${change.by}, ` : ''}
        {formatDuration(gap)} before
      </Typography>
    </>
  );
}

export const SLA_STATUS_LABELS: Record<SlaStatus, string> = {
  exceeding: 'Exceeding target',
  'at-risk': 'At risk',
  breached: 'Breached',
};

export function SlaStatusBadge(props: { status: SlaStatus }) {
  const label = SLA_STATUS_LABELS[props.status];
  if (props.status === 'breached') return <StatusError>{label}</StatusError>;
  if (props.status === 'at-risk') return <StatusWarning>{label}</StatusWarning>;
  return <StatusOK>{label}</StatusOK>;
}

function Figure(props: { label: string; value: string; testId?: string }) {
  return (
    <Box>
      <Typography variant="caption" color="textSecondary">
        {props.label}
      </Typography>
      <Typography variant="h6" data-testid={props.testId}>
        {props.value}
      </Typography>
    </Box>
  );
}

function HealthComponents(props: { section: Section<ServiceHealth> }) {
  return (
    <SectionState section={props.section} title="Live health">
      {health => (
        <Box>
          <Typography variant="subtitle2">
            Live health: {health.status} · ready {health.ready ? 'yes' : 'no'} ·
            live {health.live ? 'yes' : 'no'}
          </Typography>
          <Table size="small" aria-label="Health components">
            <TableBody>
              {health.components.map(c => (
                <TableRow key={c.name}>
                  <TableCell>{c.name}</TableCell>
                  <TableCell>
                    <HealthStatus status={c.status} />
                  </TableCell>
                  <TableCell>
                    {c.latencyMs !== undefined ? `${c.latencyMs} ms` : ''}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </SectionState>
  );
}

/** Uptime this month against the SLO target, error budget, trend, incidents, monitors, health. */
export function SlaCard(props: {
  section: Section<SlaOverview>;
  health: Section<ServiceHealth>;
}) {
  const classes = useStyles();
  return (
    <InfoCard title="SLA uptime">
      <SectionState section={props.section} title="SLA uptime">
        {sla => {
          const mtd = sla.monthToDate;
          const alerting = sla.monitors.filter(m => m.alerting);
          return (
            <Grid container spacing={2}>
              <Grid item xs={12}>
                <Box display="flex" gridGap={32} flexWrap="wrap">
                  <Figure
                    label={`Uptime month to date (target ${sla.slo.targetPercent}%)`}
                    value={`${mtd.uptimePercent.toFixed(3)}%`}
                    testId="sla-uptime"
                  />
                  <Box data-testid="sla-status">
                    <Typography variant="caption" color="textSecondary">
                      Status
                    </Typography>
                    <Typography variant="h6">
                      <SlaStatusBadge status={mtd.status} />
                    </Typography>
                  </Box>
                  <Figure
                    label="Downtime this month"
                    value={formatDuration(mtd.downtimeSeconds)}
                  />
                  <Figure
                    label="Error budget left"
                    value={`${mtd.errorBudgetRemainingPercent.toFixed(1)}%`}
                  />
                  <Figure
                    label="Burn rate"
                    value={`${mtd.burnRate.toFixed(2)}×`}
                  />
                </Box>
                <Typography variant="caption" color="textSecondary">
                  Breached: uptime below {sla.slo.targetPercent}%. At risk: burn
                  rate above {SLA_THRESHOLDS.atRiskBurnRate}× (the budget runs
                  out before month end) or less than{' '}
                  {SLA_THRESHOLDS.atRiskBudgetRemainingPercent}% of the error
                  budget left. SLO:{' '}
                  <MaybeLink url={sla.slo.url}>{sla.slo.name}</MaybeLink>.
                </Typography>
              </Grid>
              <Grid item xs={12} md={6}>
                <Typography variant="subtitle2">
                  Last 12 months{' '}
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="span"
                  >
                    (dashed line: the {sla.slo.targetPercent}% target)
                  </Typography>
                </Typography>
                {sla.months.length ? (
                  <UptimeChart
                    months={sla.months}
                    target={sla.slo.targetPercent}
                  />
                ) : (
                  <Typography>No monthly history yet.</Typography>
                )}
              </Grid>
              <Grid item xs={12} md={6}>
                <Typography variant="subtitle2">
                  Monitors alerting now ({alerting.length})
                </Typography>
                {alerting.length === 0 ? (
                  <Typography variant="body2">
                    All {sla.monitors.length} monitors are OK.
                  </Typography>
                ) : (
                  alerting.map(m => (
                    <Typography
                      key={m.id}
                      variant="body2"
                      data-testid="alerting-monitor"
                    >
                      <StatusError>{m.state}</StatusError>{' '}
                      <MaybeLink url={m.url}>{m.name}</MaybeLink>
                      {m.since && (
                        <>
                          {' since '}
                          <RelativeTime value={m.since} />
                        </>
                      )}
                      {m.runbookUrl && (
                        <>
                          {' · '}
                          <Link to={m.runbookUrl}>runbook</Link>
                        </>
                      )}
                    </Typography>
                  ))
                )}
              </Grid>
              <Grid item xs={12}>
                <Typography variant="subtitle2">
                  Incidents (preceding change: within {sla.changeWindowMinutes}{' '}
                  minutes before the start)
                </Typography>
                {sla.incidents.length === 0 ? (
                  <Typography variant="body2">No incidents.</Typography>
                ) : (
                  <Table size="small" aria-label="Incidents">
                    <TableHead>
                      <TableRow>
                        <TableCell>Incident</TableCell>
                        <TableCell className={classes.nowrap}>
                          Severity
                        </TableCell>
                        <TableCell>Started</TableCell>
                        <TableCell className={classes.nowrap}>
                          Time to resolve
                        </TableCell>
                        <TableCell>Preceded by</TableCell>
                      </TableRow>
                    </TableHead>
                    <TableBody>
                      {sla.incidents.slice(0, 10).map(i => (
                        <TableRow key={i.id} data-testid="incident-row">
                          <TableCell>
                            <MaybeLink url={i.url}>
                              #{i.publicId} {i.title}
                            </MaybeLink>
                          </TableCell>
                          <TableCell className={classes.nowrap}>
                            {i.severity}
                          </TableCell>
                          <TableCell className={classes.nowrap}>
                            <RelativeTime value={i.startedAt} />
                          </TableCell>
                          <TableCell className={classes.nowrap}>
                            {i.timeToResolveSeconds !== undefined
                              ? formatDuration(i.timeToResolveSeconds)
                              : i.state}
                          </TableCell>
                          <TableCell>
                            <PrecededBy incident={i} />
                          </TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                )}
                {sla.incidents.length > 10 && (
                  <Typography variant="caption" color="textSecondary">
                    The 10 newest of {sla.incidents.length} incidents in the
                    last 12 months.
                  </Typography>
                )}
              </Grid>
            </Grid>
          );
        }}
      </SectionState>
      <Box mt={2}>
        <HealthComponents section={props.health} />
      </Box>
    </InfoCard>
  );
}
