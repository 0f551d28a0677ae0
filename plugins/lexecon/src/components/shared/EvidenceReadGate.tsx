import { InfoCard, Progress } from '@backstage/core-components';
import { lexeconEvidenceReadPermission } from '@internal/plugin-lexecon-common';
import { usePermission } from '@backstage/plugin-permission-react';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';

/**
 * Evidence pages' content for those who may read evidence; for anyone else one sentence saying
 * who evidence is for, and no request that would only be refused.
 */
export function EvidenceReadGate(props: { children: ReactNode }) {
  const { allowed, loading } = usePermission({
    permission: lexeconEvidenceReadPermission,
  });
  if (loading) return <Progress />;
  if (!allowed) {
    return (
      <InfoCard title="Evidence is not yours to read">
        <Typography data-testid="evidence-denied">
          Evidence is for auditors, release approvers and evidence owners (it
          needs the permission lexecon.evidence.read). Ask a portal admin if you
          should be one of them.
        </Typography>
      </InfoCard>
    );
  }
  return <>{props.children}</>;
}
