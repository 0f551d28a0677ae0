import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AuditAction,
  AuditRecord,
  AuditVerification,
  GATE_EXCEPTION_LABELS,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useId, useState } from 'react';
import { lexeconApiRef } from '../../api/LexeconApi';
import { errorMessage } from '../shared/format';
import { describeGateException } from '../shared/GateExceptions';
import { RelativeTime } from '../shared/RelativeTime';
import { AuditFilters, useAuditTrail } from './useAuditTrail';

/** A `datetime-local` value as ISO 8601, or undefined when empty or invalid. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const time = new Date(local);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/** Every action in words; the record type makes a new action fail to compile until labelled. */
const ACTION_LABELS: Record<AuditAction, string> = {
  decision: 'decision',
  refused: 'refused',
  'upstream-error': 'GitHub error',
  'github-review': 'review in GitHub',
  'protection-rule-requested': 'waiting for approval',
  'run-completed': 'run completed',
  'refresh-requested': 'manual refresh',
  'gate-exception': 'gate exception',
  'claim-recovered': 'interrupted decision taken over',
  'decision-reconciled': 'interrupted decision found in GitHub',
  'cost-anomaly-acknowledged': 'cost anomaly acknowledged',
  'evidence-attached': 'evidence attached',
  'evidence-marked-not-applicable': 'evidence marked not applicable',
  'evidence-not-applicable-withdrawn': 'not-applicable mark withdrawn',
  'gdpr-register-created': 'GDPR register entry added',
  'gdpr-register-updated': 'GDPR register entry changed',
  'evidence-package-generated': 'evidence package taken',
};

function what(record: AuditRecord): string {
  return [
    record.decision,
    record.version,
    record.environment && `to ${record.environment}`,
    record.runId !== undefined && `(run ${record.runId})`,
  ]
    .filter(Boolean)
    .join(' ');
}

function VerifyChain() {
  const api = useApi(lexeconApiRef);
  const [state, setState] = useState<
    | { state: 'idle' }
    | { state: 'running' }
    | { state: 'done'; result: AuditVerification }
    | { state: 'failed'; message: string }
  >({ state: 'idle' });

  const verify = () => {
    setState({ state: 'running' });
    api
      .verifyAudit()
      .then(result => setState({ state: 'done', result }))
      .catch((e: Error) =>
        setState({ state: 'failed', message: errorMessage(e) }),
      );
  };

  return (
    <Box display="flex" alignItems="center" gridGap={16} mb={2}>
      <Button
        variant="outlined"
        onClick={verify}
        disabled={state.state === 'running'}
        data-testid="verify-chain"
        startIcon={
          state.state === 'running' ? <CircularProgress size={16} /> : undefined
        }
      >
        Verify chain
      </Button>
      {state.state === 'done' && (
        <Alert
          severity={state.result.ok ? 'success' : 'error'}
          data-testid="verify-result"
        >
          {state.result.ok
            ? `Chain intact: ${state.result.checked} records checked${
                state.result.headHash
                  ? `, head ${state.result.headHash.slice(0, 12)}`
                  : ''
              }`
            : `Chain broken at record #${
                state.result.firstBroken?.id ?? '?'
              }: ${state.result.firstBroken?.reason ?? 'unknown reason'} (${
                state.result.checked
              } records checked)`}
        </Alert>
      )}
      {state.state === 'failed' && (
        <Alert severity="error" data-testid="verify-result">
          Could not verify the chain: {state.message}
        </Alert>
      )}
    </Box>
  );
}

function TimeFilter(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  // Without an id, MUI's label is not tied to its input and screen readers announce none.
  const id = useId();
  return (
    <TextField
      id={id}
      label={props.label}
      type="datetime-local"
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      InputLabelProps={{ shrink: true }}
    />
  );
}

/** The append-only, hash-chained audit trail: decisions, refusals, GitHub reviews, manual refreshes. */
export function AuditTrail() {
  const [entityRef, setEntityRef] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [filters, setFilters] = useState<AuditFilters>({});
  const audit = useAuditTrail(filters);
  const entityFilterId = useId();

  const apply = () =>
    setFilters({
      entityRef: entityRef.trim() || undefined,
      from: toIso(from),
      to: toIso(to),
    });

  return (
    <InfoCard title="Audit trail">
      <VerifyChain />
      <Box
        component="form"
        display="flex"
        flexWrap="wrap"
        gridGap={16}
        alignItems="flex-end"
        mb={2}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          apply();
        }}
      >
        <TextField
          id={entityFilterId}
          label="Service (entity ref)"
          placeholder="component:default/payments-api"
          value={entityRef}
          onChange={e => setEntityRef(e.target.value)}
          inputProps={{ 'data-testid': 'audit-entity-filter' }}
        />
        <TimeFilter label="From" value={from} onChange={setFrom} />
        <TimeFilter label="To" value={to} onChange={setTo} />
        <Button type="submit" variant="outlined">
          Filter
        </Button>
      </Box>
      {audit.error && (
        <Box mb={2}>
          <ResponseErrorPanel
            error={audit.error}
            title="Could not load the audit trail"
          />
          <Button variant="outlined" onClick={audit.retry}>
            Retry
          </Button>
        </Box>
      )}
      <Table size="small" aria-label="Audit trail">
        <TableHead>
          <TableRow>
            <TableCell>#</TableCell>
            <TableCell>When</TableCell>
            <TableCell>Action</TableCell>
            <TableCell>Who</TableCell>
            <TableCell>Service</TableCell>
            <TableCell>What</TableCell>
            <TableCell>Comment</TableCell>
            <TableCell>Outcome</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {audit.items.map(record => (
            <TableRow key={record.id} data-testid="audit-row">
              <TableCell>{record.id}</TableCell>
              <TableCell>
                <RelativeTime value={record.at} />
              </TableCell>
              <TableCell>
                {record.exception
                  ? `${ACTION_LABELS[record.action]}: ${
                      GATE_EXCEPTION_LABELS[record.exception.kind]
                    }`
                  : ACTION_LABELS[record.action] ?? record.action}
              </TableCell>
              <TableCell>
                {record.actor}
                {record.githubLogin && ` (GitHub ${record.githubLogin})`}
              </TableCell>
              <TableCell>
                {record.entityRef ?? record.repository ?? '—'}
              </TableCell>
              <TableCell>{what(record) || '—'}</TableCell>
              <TableCell>
                {record.exception?.reason ?? record.comment ?? '—'}
              </TableCell>
              <TableCell>
                {record.exception
                  ? describeGateException(record.exception)
                  : record.outcome}
                {record.upstreamStatus !== undefined &&
                  ` (${record.upstreamStatus})`}
              </TableCell>
            </TableRow>
          ))}
          {!audit.loading && !audit.error && audit.items.length === 0 && (
            <TableRow>
              <TableCell colSpan={8}>No audit records match.</TableCell>
            </TableRow>
          )}
        </TableBody>
      </Table>
      {audit.loading && <Progress />}
      {audit.hasMore && !audit.loading && (
        <Box mt={2}>
          <Button variant="outlined" onClick={audit.loadMore}>
            Load more
          </Button>
        </Box>
      )}
    </InfoCard>
  );
}
