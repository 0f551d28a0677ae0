import {
  GATE_EXCEPTION_LABELS,
  GateException,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import WarningIcon from '@material-ui/icons/Warning';

/** `user:default/alex-kim` → `alex-kim`; `github:jordan-lee` → `jordan-lee`. */
function shortName(by: string): string {
  return by.replace(/^github:/, '').replace(/^[^:]+:(?:[^/]+\/)?/, '');
}

/** One exception in words, the same on the deploy row and in the audit trail. */
export function describeGateException(exception: GateException): string {
  if (exception.kind === 'readiness-override') {
    return `Readiness gate overridden by ${shortName(exception.by)}: ${
      exception.reason ?? exception.message
    }`;
  }
  return exception.message;
}

/** Marks an approval that went past segregation of duties or the readiness gate. */
export function GateExceptionChips(props: { exceptions?: GateException[] }) {
  const { exceptions = [] } = props;
  if (!exceptions.length) return null;
  return (
    <Box display="flex" flexWrap="wrap" gridGap={4} mt={0.5}>
      {exceptions.map(exception => (
        <Tooltip
          key={exception.auditId}
          title={`${describeGateException(exception)} (audit entry #${
            exception.auditId
          })`}
        >
          <Chip
            size="small"
            // The secondary colour is below 4.5:1 behind white text in the light theme.
            variant="outlined"
            icon={<WarningIcon />}
            label={GATE_EXCEPTION_LABELS[exception.kind]}
            data-testid="gate-exception"
            aria-label={describeGateException(exception)}
          />
        </Tooltip>
      ))}
    </Box>
  );
}
