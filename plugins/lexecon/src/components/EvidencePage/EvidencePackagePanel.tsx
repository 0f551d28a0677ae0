import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  EvidenceSample,
  POPULATION_KINDS,
  PopulationKind,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { lexeconApiRef } from '../../api/LexeconApi';
import { saveBlob } from '../CostPortfolioPage/saveBlob';
import { errorMessage } from '../shared/format';
import { day } from './EvidenceStatusChip';

const POPULATION_WORDS: Record<PopulationKind, string> = {
  changes: 'Production changes',
  'flag-changes': 'Production flag changes',
  incidents: 'Incidents',
};

/** When a sampled row happened, whatever its population. */
function whenOf(row: EvidenceSample['rows'][number]['row']): string {
  if ('deployId' in row) return row.startedAt;
  if ('flag' in row) return row.at;
  return row.startedAt;
}

function SampleForm(props: { from: string }) {
  const api = useApi(lexeconApiRef);
  const [kind, setKind] = useState<PopulationKind>('changes');
  // Small enough for one service's quarter (about 24 production deploys).
  const [size, setSize] = useState('10');
  const [seed, setSeed] = useState('');
  const [sample, setSample] = useState<EvidenceSample>();
  const [error, setError] = useState<string>();
  const [drawing, setDrawing] = useState(false);

  async function draw(event: FormEvent) {
    event.preventDefault();
    setDrawing(true);
    setError(undefined);
    try {
      setSample(
        await api.getEvidenceSample(kind, {
          from: props.from,
          to: new Date().toISOString(),
          size: Number(size),
          ...(seed.trim() ? { seed: seed.trim() } : {}),
        }),
      );
    } catch (e) {
      setSample(undefined);
      setError(errorMessage(e as Error));
    } finally {
      setDrawing(false);
    }
  }

  return (
    <Box mb={3}>
      <Typography variant="h6" component="h3" gutterBottom>
        Draw a sample
      </Typography>
      <form onSubmit={draw} aria-label="Draw a sample">
        <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={2}>
          <TextField
            id="evidence-sample-population"
            select
            label="Population"
            value={kind}
            onChange={e => setKind(e.target.value as PopulationKind)}
            SelectProps={{ native: true }}
            variant="outlined"
            size="small"
          >
            {POPULATION_KINDS.map(k => (
              <option key={k} value={k}>
                {POPULATION_WORDS[k]}
              </option>
            ))}
          </TextField>
          <TextField
            id="evidence-sample-size"
            label="Sample size"
            type="number"
            value={size}
            onChange={e => setSize(e.target.value)}
            inputProps={{ min: 1, max: 1000 }}
            variant="outlined"
            size="small"
          />
          <TextField
            id="evidence-sample-seed"
            label="Seed"
            placeholder="random"
            helperText="Type a seed to draw a sample again"
            value={seed}
            onChange={e => setSeed(e.target.value)}
            variant="outlined"
            size="small"
          />
          <Button
            type="submit"
            variant="contained"
            color="primary"
            disabled={drawing}
          >
            Draw a sample
          </Button>
        </Box>
      </form>
      {error && <Alert severity="error">{error}</Alert>}
      {sample && (
        <Box data-testid="evidence-sample">
          <Typography paragraph>
            Seed{' '}
            <code data-testid="evidence-sample-seed-used">{sample.seed}</code>:{' '}
            {sample.size} of {sample.populationSize} rows,{' '}
            {POPULATION_WORDS[sample.kind].toLocaleLowerCase('en-US')} from{' '}
            {day(sample.from)} to {day(sample.to)}.
          </Typography>
          <Typography variant="body2" paragraph>
            Key: {sample.key}. {sample.method}
          </Typography>
          <Table size="small" aria-label="Sampled rows">
            <TableHead>
              <TableRow>
                <TableCell>#</TableCell>
                <TableCell>Key</TableCell>
                <TableCell>When</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {sample.rows.map(r => (
                <TableRow key={r.key}>
                  <TableCell>{r.position}</TableCell>
                  <TableCell>{r.key}</TableCell>
                  <TableCell>{whenOf(r.row)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </Box>
  );
}

function PackageDownload(props: { from: string }) {
  const api = useApi(lexeconApiRef);
  const key = useAsync(() => api.getEvidenceSigningKey(), [api]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function download() {
    setBusy(true);
    setError(undefined);
    const to = new Date().toISOString();
    try {
      const blob = await api.getEvidencePackage({ from: props.from, to });
      saveBlob(
        blob,
        `lexecon-evidence-${props.from.slice(0, 10)}-${to.slice(0, 10)}.zip`,
      );
    } catch (e) {
      setError(errorMessage(e as Error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Box>
      <Typography variant="h6" component="h3" gutterBottom>
        Evidence package
      </Typography>
      <Typography variant="body2" paragraph>
        A BagIt zip of the window: the controls, every observation, the
        populations with their queries, a sample of each, the completeness check
        and the audit chain&apos;s verification, with SHA-256 manifests and an
        Ed25519 signature. Check it with{' '}
        <code>node verify-evidence-package.js package.zip signing-key.pem</code>
        . Taking a package is recorded in the audit trail.
      </Typography>
      {key.error && <Alert severity="error">{errorMessage(key.error)}</Alert>}
      {key.value?.unavailable && (
        <Alert severity="warning">{key.value.unavailable}</Alert>
      )}
      {key.value?.insecure && (
        <Alert severity="warning" data-testid="evidence-key-insecure">
          Not a key to trust: {key.value.insecure}
        </Alert>
      )}
      {key.value?.publicKeyPem && (
        <Box mb={2} data-testid="evidence-signing-key">
          <Typography variant="body2">
            Signing key (Ed25519), SHA-256 fingerprint{' '}
            <code>{key.value.fingerprint}</code>:
          </Typography>
          <pre>{key.value.publicKeyPem}</pre>
        </Box>
      )}
      <Button
        variant="contained"
        color="primary"
        onClick={download}
        disabled={busy || Boolean(key.value?.unavailable)}
      >
        {busy ? 'Writing the package…' : 'Download package'}
      </Button>
      {error && (
        <Box mt={2}>
          <Alert severity="error">{error}</Alert>
        </Box>
      )}
    </Box>
  );
}

/** What the auditor takes away: a reproducible sample, and the signed package of the window. */
export function EvidencePackagePanel(props: { from: string }) {
  return (
    <Box mt={3} data-testid="evidence-package-panel">
      <InfoCard title="Samples and evidence package">
        <SampleForm from={props.from} />
        <PackageDownload from={props.from} />
      </InfoCard>
    </Box>
  );
}
