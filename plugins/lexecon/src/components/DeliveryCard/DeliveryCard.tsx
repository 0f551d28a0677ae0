import { CompoundEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import {
  DeliveryMetrics,
  DORA_KEYS,
  DORA_REPORT,
  EntityDelivery,
  Figure,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useLexecon } from '../../api/useLexecon';
import { LoadedOrRetry } from '../shared/LoadedOrRetry';
import { SectionState } from '../shared/SectionState';
import {
  bandWords,
  failureReasons,
  formatFigure,
  KEY_LABELS,
  KEY_SLUGS,
} from './deliveryFormat';
import { FactList } from './FactList';
import { Sparkline } from './Sparkline';

function Keys(props: { data: DeliveryMetrics }) {
  const { data } = props;
  const failureNotes = failureReasons(data);
  return (
    <Grid container spacing={2}>
      {DORA_KEYS.map(key => {
        const { figure, weekly } = data.keys[key];
        const label = KEY_LABELS[key];
        return (
          <Grid
            item
            xs={12}
            sm={6}
            md={3}
            key={key}
            data-testid={`delivery-key-${KEY_SLUGS[key]}`}
          >
            <Typography variant="subtitle2" component="h3">
              {label}
            </Typography>
            <Typography variant="h6" component="p">
              {formatFigure(figure)}
            </Typography>
            <Typography variant="body2">{bandWords(figure.band)}</Typography>
            <Sparkline label={label} weekly={weekly} unit={figure.unit} />
            <FactList
              label={label}
              factIds={figure.factIds}
              facts={data.facts}
              notes={key === 'changeFailureRate' ? failureNotes : undefined}
            />
          </Grid>
        );
      })}
    </Grid>
  );
}

function Line(props: { label: string; figure: Figure; data: DeliveryMetrics }) {
  const { label, figure, data } = props;
  return (
    <Box mb={1}>
      <Typography variant="body2">
        {label}: {formatFigure(figure)}
      </Typography>
      <FactList label={label} factIds={figure.factIds} facts={data.facts} />
    </Box>
  );
}

function DeliveryView(props: {
  delivery: EntityDelivery;
  data: DeliveryMetrics;
}) {
  const { delivery, data } = props;
  const { readiness } = data;
  return (
    <>
      <Typography variant="body2" paragraph>
        {delivery.environment}, last {delivery.window.replace('d', ' days')};
        bands from the {DORA_REPORT}.
      </Typography>
      <Keys data={data} />
      <Box mt={2}>
        <Typography variant="subtitle2" component="h3">
          CI health
        </Typography>
        <Line
          label="CI pass rate (last 10 runs)"
          figure={data.ci.passRate}
          data={data}
        />
        <Line
          label="Build duration (median job p50)"
          figure={data.ci.buildDuration}
          data={data}
        />
        <Line label="Flaky jobs" figure={data.ci.flaky.count} data={data} />
        <Line label="Rollbacks" figure={data.rollbacks.count} data={data} />
      </Box>
      <Box mt={2}>
        <Typography variant="subtitle2" component="h3">
          Readiness against the gate
        </Typography>
        <Typography variant="body2" data-testid="delivery-readiness">
          {readiness.latest.value === undefined
            ? readiness.latest.noData
            : `Latest ${readiness.latest.value} of 100, gate ${
                readiness.gate
              }: ${
                readiness.latest.value >= (readiness.gate ?? 0)
                  ? 'passes'
                  : 'below the gate'
              }`}
        </Typography>
        <Sparkline
          label="Readiness score"
          weekly={readiness.weekly.slice(-12)}
          unit="score"
        />
      </Box>
    </>
  );
}

export interface DeliveryCardProps {
  entityRef: CompoundEntityRef;
}

/** The four DORA keys, CI health and readiness of one entity, each number opening its facts. */
export function DeliveryCard(props: DeliveryCardProps) {
  const { entityRef } = props;
  const state = useLexecon(
    api => api.getDelivery(entityRef),
    [entityRef.kind, entityRef.namespace, entityRef.name],
  );
  return (
    <InfoCard title="Delivery">
      <div data-testid="delivery-card">
        <LoadedOrRetry state={state}>
          {delivery => (
            <SectionState section={delivery} title="Delivery">
              {data => <DeliveryView delivery={delivery} data={data} />}
            </SectionState>
          )}
        </LoadedOrRetry>
      </div>
    </InfoCard>
  );
}
