import { InfoCard, Link } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  EVIDENCE_STATUSES,
  EvidenceControlsResponse,
  FRAMEWORKS,
  lexeconEvidenceReadPermission,
} from '@internal/plugin-lexecon-common';
import Typography from '@material-ui/core/Typography';
import { useLexecon } from '../../api/useLexecon';
import {
  FRAMEWORK_LABELS,
  STATUS_WORDS,
} from '../EvidencePage/EvidenceStatusChip';
import { LoadedOrRetry } from '../shared/LoadedOrRetry';

export interface EvidenceCardProps {
  /** `kind:namespace/name` of the service. */
  entityRef: string;
}

/** `2 failing, 1 passing`: each status the framework's controls have, worst first, in words. */
function counts(
  summary: EvidenceControlsResponse['summary'][keyof EvidenceControlsResponse['summary']],
) {
  const parts = EVIDENCE_STATUSES.filter(s => summary[s]).map(
    s => `${summary[s]} ${STATUS_WORDS[s].toLowerCase()}`,
  );
  return parts.length ? parts.join(', ') : 'no controls';
}

function CardBody(props: EvidenceCardProps) {
  const state = useLexecon(
    api => api.getEvidenceControls({ service: props.entityRef }),
    [props.entityRef],
  );
  return (
    <LoadedOrRetry state={state}>
      {response =>
        response.controls.length ? (
          <>
            {FRAMEWORKS.map(framework => (
              <Typography
                key={framework}
                data-testid={`evidence-card-${framework}`}
              >
                <strong>{FRAMEWORK_LABELS[framework]}:</strong>{' '}
                {counts(response.summary[framework])}
              </Typography>
            ))}
            <Typography variant="body2" style={{ marginTop: 8 }}>
              <Link to="/lexecon/evidence">
                Open the evidence of every control
              </Link>
            </Typography>
          </>
        ) : (
          <Typography data-testid="evidence-card-empty">
            The control catalog is empty.
          </Typography>
        )
      }
    </LoadedOrRetry>
  );
}

/**
 * The service's SOC 2 / GDPR controls counted by status, linking to the evidence page; shown only
 * to those who may read evidence (auditors, approvers, evidence owners).
 */
export function EvidenceCard(props: EvidenceCardProps) {
  const { allowed, loading } = usePermission({
    permission: lexeconEvidenceReadPermission,
  });
  if (loading || !allowed) return null;
  return (
    <InfoCard title="Evidence">
      <CardBody {...props} />
    </InfoCard>
  );
}
