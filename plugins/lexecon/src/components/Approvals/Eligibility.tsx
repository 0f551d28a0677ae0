import {
  Ineligibility,
  lexeconDeploymentApprovePermission,
  ViewerEligibility,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/** A reason as people read it; a missing permission is always named. */
export function describeIneligibility(reason: Ineligibility): string {
  if (reason.code !== 'missing-permission') return reason.message;
  const permission =
    reason.permission ?? lexeconDeploymentApprovePermission.name;
  return reason.message.includes(permission)
    ? reason.message
    : `${reason.message} (needs the ${permission} permission)`;
}

/** Every reason the viewer may not decide, as one sentence for tooltips. */
export function ineligibilitySummary(viewer: ViewerEligibility): string {
  if (viewer.canDecide) return '';
  return viewer.reasons.length
    ? viewer.reasons.map(describeIneligibility).join('; ')
    : 'You may not decide on this run';
}

/** Why the viewer may not approve or reject, one line per reason. */
export function IneligibilityReasons(props: { viewer: ViewerEligibility }) {
  const { viewer } = props;
  if (viewer.canDecide) return null;
  return (
    <Box data-testid="ineligibility-reasons">
      <Typography variant="body2" color="textSecondary">
        You may not approve or reject this deploy:
      </Typography>
      <ul>
        {viewer.reasons.length === 0 && (
          <li data-testid="ineligibility-reason">
            <Typography variant="body2">The portal did not say why.</Typography>
          </li>
        )}
        {viewer.reasons.map(reason => (
          <li
            key={reason.code}
            data-testid="ineligibility-reason"
            data-code={reason.code}
          >
            <Typography variant="body2">
              {describeIneligibility(reason)}
            </Typography>
          </li>
        ))}
      </ul>
    </Box>
  );
}
