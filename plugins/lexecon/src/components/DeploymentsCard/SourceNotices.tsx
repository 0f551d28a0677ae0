import { sourceLabel } from '@internal/plugin-lexecon-common';
import { WarningPanel } from '@backstage/core-components';
import {
  DeploymentsOverview,
  Section,
  SourceState,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Fragment } from 'react';
import { RelativeTime } from '../shared/RelativeTime';
import { formatAbsolute, formatRelative } from '../shared/format';

function when(iso: string): string {
  return `${formatAbsolute(iso)} (${formatRelative(iso)})`;
}

function joinLabels(sources: SourceState[]): string {
  return sources.map(s => sourceLabel(s.source)).join(' and ');
}

/** One line per source saying how fresh its data is, e.g. "GitHub data as of 2 minutes ago". */
export function SourceFreshness(props: { sources: SourceState[] }) {
  return (
    <Typography variant="caption" color="textSecondary" component="p">
      {props.sources.map((source, index) => (
        <Fragment key={source.source}>
          {index > 0 && ' · '}
          {sourceLabel(source.source)}
          {source.fetchedAt ? (
            <>
              {' data as of '}
              <RelativeTime value={source.fetchedAt} />
            </>
          ) : (
            `: ${
              source.status === 'not-configured'
                ? 'not configured'
                : 'not fetched yet'
            }`
          )}
        </Fragment>
      ))}
    </Typography>
  );
}

/**
 * Warnings for data that is shown but incomplete: the whole section is stale or failed to
 * refresh, or one source failed while the others still answer.
 */
export function SourceWarnings(props: {
  section: Section<DeploymentsOverview>;
}) {
  const { section } = props;
  const healthy = section.sources.filter(s => s.status === 'ok');
  const warnings: Array<{
    key: string;
    title: string;
    severity: 'warning' | 'error';
    message?: string;
  }> = [];

  if (section.status === 'stale') {
    warnings.push({
      key: 'section-stale',
      severity: 'warning',
      title: `Showing data from ${
        section.fetchedAt ? when(section.fetchedAt) : 'an earlier fetch'
      }${section.message ? `: ${section.message}` : ''}`,
    });
  } else if (section.status === 'error') {
    warnings.push({
      key: 'section-error',
      severity: 'error',
      title: `Could not refresh deployments${
        section.message ? `: ${section.message}` : ''
      }${
        section.fetchedAt
          ? `. Showing data from ${when(section.fetchedAt)}`
          : ''
      }`,
    });
  }

  for (const source of section.sources) {
    const label = sourceLabel(source.source);
    const others = healthy.filter(s => s.source !== source.source);
    if (source.status === 'error') {
      if (section.status === 'error' && source.message === section.message) {
        continue;
      }
      warnings.push({
        key: `source-${source.source}`,
        severity: 'warning',
        title: `${label} unavailable${
          source.message ? `: ${source.message}` : ''
        }${others.length ? ` — showing ${joinLabels(others)} data only` : ''}`,
        message: source.fetchedAt
          ? `The last ${label} data we have is from ${when(source.fetchedAt)}.`
          : undefined,
      });
    } else if (source.status === 'stale' && section.status !== 'stale') {
      warnings.push({
        key: `source-${source.source}`,
        severity: 'warning',
        title: `${label} data is from ${
          source.fetchedAt ? when(source.fetchedAt) : 'an earlier fetch'
        }${source.message ? `: ${source.message}` : ''}`,
      });
    }
  }

  if (warnings.length === 0) return null;
  return (
    <Box display="flex" flexDirection="column" gridGap={8} mb={2}>
      {warnings.map(warning => (
        <WarningPanel
          key={warning.key}
          severity={warning.severity}
          title={warning.title}
          message={warning.message}
        />
      ))}
    </Box>
  );
}
