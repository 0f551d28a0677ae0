import { sourceLabel } from '@internal/plugin-lexecon-common';
import {
  EmptyState,
  MissingAnnotationEmptyState,
  WarningPanel,
} from '@backstage/core-components';
import { Section } from '@internal/plugin-lexecon-common';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { RelativeTime } from './RelativeTime';

/**
 * Renders a section's data, or says why there is none (not configured, failed), with a warning
 * above stale data and the source and age of what is shown.
 */
export function SectionState<T>(props: {
  section: Section<T>;
  title: string;
  children: (data: T) => ReactNode;
}) {
  const { section, title, children } = props;
  if (section.status === 'not-configured') {
    return section.missingAnnotations?.length ? (
      <MissingAnnotationEmptyState annotation={section.missingAnnotations} />
    ) : (
      <EmptyState
        missing="info"
        title={`${title} is not configured`}
        description={section.message}
      />
    );
  }
  if (!section.data) {
    return (
      <WarningPanel
        severity="error"
        title={`${title} unavailable`}
        message={section.message}
      />
    );
  }
  return (
    <>
      {section.status === 'stale' && (
        <WarningPanel
          severity="warning"
          title={`${title} may be out of date`}
          message={section.message}
        />
      )}
      {children(section.data)}
      <Typography variant="caption" color="textSecondary" component="p">
        {section.sources.map(s => sourceLabel(s.source)).join(', ')}
        {section.fetchedAt && (
          <>
            {' data as of '}
            <RelativeTime value={section.fetchedAt} />
          </>
        )}
      </Typography>
    </>
  );
}
