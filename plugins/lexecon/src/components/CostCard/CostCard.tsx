import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  MissingAnnotationEmptyState,
} from '@backstage/core-components';
import {
  CostAnalysisView,
  EntityCostAnalysis,
  StoredProviderCosts,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useLexecon } from '../../api/useLexecon';
import { LoadedOrRetry } from '../shared/LoadedOrRetry';
import { SectionState } from '../shared/SectionState';
import {
  AcknowledgeAnomaly,
  describeForwarding,
  useMayAcknowledge,
} from './AcknowledgeAnomaly';
import {
  CostAnomalies,
  CostOpportunities,
  CostPerThousand,
  KubernetesAllocationSummary,
} from './CostFindings';
import { CostTemplateTable } from './CostTemplateTable';
import { moneyFormat } from './money';
import { MonthlyCostChart } from './MonthlyCostChart';

/** Where the cost annotations are documented (the backend README's Annotations section). */
export const COST_ANNOTATIONS_DOCS_URL =
  'https://github.com/lexecon-ai/lexecon/blob/main/plugins/lexecon-backend/README.md#annotations';

const REQUEST_LABELS = { aws: 'Cost Explorer', gcp: 'BigQuery', opencost: '' };

function RequestBudgets(props: { providers: StoredProviderCosts[] }) {
  return (
    <>
      {props.providers.map(({ provider, requestBudget: b }) =>
        b ? (
          <Typography
            key={provider}
            variant="body2"
            data-testid="cost-request-budget"
          >
            {REQUEST_LABELS[provider]} requests today ({b.day}): {b.used} of{' '}
            {b.cap} used, {b.remaining} left
          </Typography>
        ) : null,
      )}
    </>
  );
}

function Heading(props: { children: string }) {
  return (
    <Typography variant="subtitle2" component="h3">
      {props.children}
    </Typography>
  );
}

interface CardActions {
  entityRef: CompoundEntityRef;
  /** Reads the card again after a write. */
  reload: () => void;
}

function CostView(props: {
  view: CostAnalysisView;
  message?: string;
  actions: CardActions;
}) {
  const { view, actions } = props;
  const [notice, setNotice] = useState<string>();
  // Without the permission, no Action column at all (not an empty one).
  const mayAcknowledge = useMayAcknowledge(actions.entityRef);
  const { analysis } = view;
  const estimated = view.providers.flatMap(p => p.estimatedDays).length;
  const asOf = (
    <Typography variant="body2" data-testid="cost-as-of">
      {view.lastCompleteDay
        ? `Costs final to ${view.lastCompleteDay}${
            estimated
              ? `; ${estimated} later day${
                  estimated === 1 ? '' : 's'
                } estimated (the provider may revise them)`
              : ''
          }`
        : 'No final day read yet'}
    </Typography>
  );
  if (!analysis) {
    return (
      <Box>
        <Typography variant="body2" data-testid="cost-no-analysis">
          No cost analysis yet{props.message ? `: ${props.message}` : ''}
        </Typography>
        {asOf}
        <RequestBudgets providers={view.providers} />
      </Box>
    );
  }
  const format = moneyFormat(analysis.currency);
  const noteAbout = (about: string) => view.notes.find(n => n.about === about);
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        {asOf}
        <RequestBudgets providers={view.providers} />
      </Grid>
      <Grid item xs={12}>
        <CostTemplateTable analysis={analysis} format={format} />
      </Grid>
      <Grid item xs={12}>
        <MonthlyCostChart monthly={analysis.monthly} format={format} />
      </Grid>
      <Grid item xs={12}>
        <Heading>Open anomalies</Heading>
        {notice && (
          <Typography variant="body2" role="status" data-testid="cost-notice">
            {notice}
          </Typography>
        )}
        <CostAnomalies
          anomalies={analysis.anomalies}
          format={format}
          action={
            mayAcknowledge
              ? anomaly => (
                  <AcknowledgeAnomaly
                    entityRef={actions.entityRef}
                    anomaly={anomaly}
                    onAcknowledged={result => {
                      setNotice(describeForwarding(result));
                      actions.reload();
                    }}
                  />
                )
              : undefined
          }
        />
      </Grid>
      <Grid item xs={12}>
        <Heading>Top opportunities</Heading>
        <CostOpportunities
          opportunities={analysis.opportunities}
          format={format}
        />
      </Grid>
      {(analysis.allocation || analysis.efficiency.length > 0) && (
        <Grid item xs={12}>
          <Heading>Kubernetes allocation and efficiency</Heading>
          <KubernetesAllocationSummary
            allocation={analysis.allocation}
            efficiency={analysis.efficiency}
            format={format}
          />
        </Grid>
      )}
      <Grid item xs={12}>
        <Heading>Cost per 1,000 decisions</Heading>
        <CostPerThousand
          unitCost={analysis.unitCost}
          note={noteAbout('unit-cost')}
          format={format}
        />
      </Grid>
      {view.notes.length > 0 && (
        <Grid item xs={12}>
          <Typography variant="caption" component="ul" data-testid="cost-notes">
            {view.notes.map(n => (
              <li key={n.about}>{n.message}</li>
            ))}
          </Typography>
        </Grid>
      )}
    </Grid>
  );
}

function CostSection(props: {
  section: EntityCostAnalysis;
  readMoreUrl: string;
  actions: CardActions;
}) {
  const { section, readMoreUrl, actions } = props;
  if (
    section.status === 'not-configured' &&
    section.missingAnnotations?.length
  ) {
    return (
      <MissingAnnotationEmptyState
        annotation={section.missingAnnotations}
        readMoreUrl={readMoreUrl}
      />
    );
  }
  return (
    <SectionState section={section} title="Cost">
      {view => (
        <CostView view={view} message={section.message} actions={actions} />
      )}
    </SectionState>
  );
}

export interface CostCardProps {
  entityRef: CompoundEntityRef;
  /** Where "read more" in the not-configured state leads. */
  readMoreUrl?: string;
}

/**
 * What the service costs by component against its baseline, month by month, its open anomalies,
 * the savings worth doing first and its cost per 1,000 decisions, from the stored daily costs.
 */
export function CostCard(props: CostCardProps) {
  const { entityRef, readMoreUrl = COST_ANNOTATIONS_DOCS_URL } = props;
  const state = useLexecon(
    api => api.getCostAnalysis(entityRef),
    [entityRef.kind, entityRef.namespace, entityRef.name],
  );
  return (
    <InfoCard title="Cost">
      <div data-testid="cost-card">
        <LoadedOrRetry state={state}>
          {section => (
            <CostSection
              section={section}
              readMoreUrl={readMoreUrl}
              actions={{ entityRef, reload: state.retry }}
            />
          )}
        </LoadedOrRetry>
      </div>
    </InfoCard>
  );
}
