import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Content,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusWarning,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  LIVE_ONCALL_CHANNEL,
  OnCallBoard,
  sourceLabel,
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
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { lexeconApiRef } from '../../api/LexeconApi';
import { HealthStatus } from '../shared/HealthStatus';
import { MaybeLink } from '../shared/MaybeLink';
import { RelativeTime } from '../shared/RelativeTime';
import { useLiveRefetch } from '../shared/useLiveRefetch';
import { SlaStatusBadge } from '../SlaCard';

const KIND_LABELS = { deploy: 'Deploy', flag: 'Flag', incident: 'Incident' };

const useStyles = makeStyles({
  nowrap: { whiteSpace: 'nowrap' },
  // Monitor names are long snake_case words: break them rather than overflow.
  breakWord: { overflowWrap: 'anywhere' },
});

export function OnCallBoardView(props: { board: OnCallBoard }) {
  const { board } = props;
  const classes = useStyles();
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Services by risk">
          {board.services.length === 0 ? (
            <Typography>
              No service has the lexecon.io/datadog-slo-tags,
              lexecon.io/unleash-project or lexecon.io/health-url annotation.
            </Typography>
          ) : (
            <Table size="small" aria-label="Services by risk">
              <TableHead>
                <TableRow>
                  <TableCell>Service</TableCell>
                  <TableCell>SLA</TableCell>
                  <TableCell>Uptime this month</TableCell>
                  <TableCell>Budget left / burn rate</TableCell>
                  <TableCell>Alerting</TableCell>
                  <TableCell>Active incidents</TableCell>
                  <TableCell>Health</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {board.services.map(s => (
                  <TableRow key={s.entityRef} data-testid="oncall-service">
                    <TableCell>
                      <span className={classes.nowrap}>
                        <EntityRefLink
                          entityRef={s.entityRef}
                          title={s.title}
                        />
                      </span>
                      {s.notices.map(n => (
                        <Typography
                          key={n.source}
                          variant="caption"
                          component="div"
                          data-testid="oncall-notice"
                        >
                          <StatusWarning>
                            {sourceLabel(n.source)}: {n.message}
                          </StatusWarning>
                        </Typography>
                      ))}
                    </TableCell>
                    <TableCell className={classes.nowrap}>
                      {s.sla.data ? (
                        <SlaStatusBadge status={s.sla.data.status} />
                      ) : (
                        <StatusWarning>{s.sla.status}</StatusWarning>
                      )}
                      {s.sla.message && (
                        <Typography variant="caption" component="div">
                          {s.sla.message}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell data-testid="oncall-uptime">
                      {s.sla.data
                        ? `${s.sla.data.uptimePercent.toFixed(3)}% (target ${
                            s.sla.data.targetPercent
                          }%)`
                        : '—'}
                      {s.sla.fetchedAt && (
                        <Typography variant="caption" component="div">
                          Datadog, <RelativeTime value={s.sla.fetchedAt} />
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>
                      {s.sla.data
                        ? `${s.sla.data.errorBudgetRemainingPercent.toFixed(
                            1,
                          )}% / ${s.sla.data.burnRate.toFixed(2)}×`
                        : '—'}
                    </TableCell>
                    <TableCell className={classes.breakWord}>
                      {s.alertingMonitors.length === 0
                        ? 'none'
                        : s.alertingMonitors.map(m => (
                            <div key={m.id}>
                              {/* Backstage's status hides its content from assistive technology: the link stays outside. */}
                              <StatusError />
                              <MaybeLink url={m.url}>{m.name}</MaybeLink>
                              {m.runbookUrl && (
                                <Typography variant="caption" component="div">
                                  <Link to={m.runbookUrl}>runbook</Link>
                                </Typography>
                              )}
                            </div>
                          ))}
                    </TableCell>
                    <TableCell>{s.activeIncidents}</TableCell>
                    <TableCell className={classes.nowrap}>
                      {s.health ? (
                        <>
                          <HealthStatus status={s.health.status} />
                          <Typography variant="caption" component="div">
                            /health, <RelativeTime value={s.health.checkedAt} />
                          </Typography>
                        </>
                      ) : (
                        '—'
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          <Typography variant="caption" color="textSecondary" component="p">
            Built <RelativeTime value={board.generatedAt} /> from the portal's
            snapshots: SLA, budget, alerts and incidents from Datadog, health
            from each service's /health endpoint, flag changes from Unleash,
            deploys from GitHub and Kubernetes. Each row says how old its
            Datadog and health data are.
          </Typography>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={5}>
        <InfoCard title={`Active incidents (${board.activeIncidents.length})`}>
          {board.activeIncidents.length === 0 ? (
            <Typography>No active incidents.</Typography>
          ) : (
            board.activeIncidents.map(i => (
              <Box key={i.id} mb={1} data-testid="oncall-incident">
                <Typography>
                  <StatusError>{i.severity}</StatusError>{' '}
                  <MaybeLink url={i.url}>
                    #{i.publicId} {i.title}
                  </MaybeLink>
                </Typography>
                <Typography variant="body2" color="textSecondary">
                  <EntityRefLink entityRef={i.entityRef} />, started{' '}
                  <RelativeTime value={i.startedAt} />
                  {i.precededBy &&
                    ` · after ${i.precededBy.title}${
                      i.precededBy.by ? ` (${i.precededBy.by})` : ''
                    }`}
                </Typography>
              </Box>
            ))
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title="What changed in the last 24 hours">
          {board.timeline.length === 0 ? (
            <Typography>
              No deploys, production flag changes or incidents.
            </Typography>
          ) : (
            <Table size="small" aria-label="What changed">
              <TableBody>
                {board.timeline.map(e => (
                  <TableRow
                    key={`${e.kind}|${e.at}|${e.title}`}
                    data-testid="timeline-event"
                  >
                    <TableCell className={classes.nowrap}>
                      <RelativeTime value={e.at} />
                    </TableCell>
                    <TableCell className={classes.nowrap}>
                      {KIND_LABELS[e.kind]}
                    </TableCell>
                    <TableCell>
                      <MaybeLink url={e.url}>{e.title}</MaybeLink>
                      {e.by && ` (${e.by})`}
                    </TableCell>
                    <TableCell className={classes.nowrap}>
                      <EntityRefLink entityRef={e.entityRef} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}

/** `/lexecon/oncall`: are we inside our SLA, what is broken, what changed. */
export function OnCallPage() {
  const api = useApi(lexeconApiRef);
  const state = useAsyncRetry(() => api.getOnCallBoard(), [api]);
  // A stored refresh that changed an SLA, monitor, flag or deploy: the board is read again.
  useLiveRefetch(LIVE_ONCALL_CHANNEL, state.retry);
  return (
    <Page themeId="tool">
      <Header
        title="On-call"
        subtitle="SLA, alerts, incidents and what changed, across Lexecon services"
      />
      <Content>
        {state.loading && !state.value && <Progress />}
        {state.error && <ResponseErrorPanel error={state.error} />}
        {state.value && <OnCallBoardView board={state.value} />}
      </Content>
    </Page>
  );
}
