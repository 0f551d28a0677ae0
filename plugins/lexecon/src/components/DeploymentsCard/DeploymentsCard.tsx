import { useEntityDataChanged } from '../shared/EntityDataChanged';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  ErrorPanel,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import {
  DEFAULT_DEPLOY_WORKFLOWS,
  DeploymentsOverview,
  GITHUB_PROJECT_SLUG_ANNOTATION,
  LEXECON_DEPLOY_WORKFLOWS_ANNOTATION,
  Section,
} from '@internal/plugin-lexecon-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { ReactNode, useState } from 'react';
import { ChangelogDialog, ChangelogTarget } from '../ChangelogDialog';
import { DeploymentHistory } from './DeploymentHistory';
import { EnvironmentPanels } from './EnvironmentPanels';
import { SourceFreshness, SourceWarnings } from './SourceNotices';

/** The annotations the backend says are missing; the repository slug when it names none. */
export function missingAnnotations(
  section: Section<DeploymentsOverview>,
): string[] {
  return section.missingAnnotations?.length
    ? section.missingAnnotations
    : [GITHUB_PROJECT_SLUG_ANNOTATION];
}

export interface DeploymentsCardProps {
  entityRef: CompoundEntityRef;
  /** The overview's deployments section; absent while loading or after a failed request. */
  section?: Section<DeploymentsOverview>;
  loading?: boolean;
  /** The overview request failed. */
  error?: Error;
  onRetry?: () => void;
}

function RetryButton(props: { onRetry?: () => void }) {
  if (!props.onRetry) return null;
  return (
    <Box mt={2}>
      <Button variant="outlined" onClick={props.onRetry}>
        Retry
      </Button>
    </Box>
  );
}

function isEmpty(data: DeploymentsOverview): boolean {
  return (
    data.totalCount === 0 &&
    data.recent.length === 0 &&
    data.environments.every(e => !e.live)
  );
}

/** Deploys per environment, the deploy history and each deploy's changes. */
export function DeploymentsCard(props: DeploymentsCardProps) {
  const { entityRef, section, loading, error, onRetry } = props;
  // Something else (a decision, a refresh) changed the entity's data: load the history again.
  const { version } = useEntityDataChanged();
  const [changelogTarget, setChangelogTarget] = useState<ChangelogTarget>();

  let content: ReactNode;
  if (section?.data) {
    const { data } = section;
    content = (
      <>
        <SourceFreshness sources={section.sources} />
        <SourceWarnings section={section} />
        {isEmpty(data) ? (
          <EmptyState
            missing="data"
            title="No deploys yet"
            description={
              <>
                Deploys show up here once a deploy workflow (by default{' '}
                {Object.values(DEFAULT_DEPLOY_WORKFLOWS).join(' or ')}, see the{' '}
                <code>{LEXECON_DEPLOY_WORKFLOWS_ANNOTATION}</code> annotation)
                has run, or a Helm release for this service exists.
              </>
            }
          />
        ) : (
          <>
            <EnvironmentPanels
              environments={data.environments}
              onShowChanges={setChangelogTarget}
            />
            <Box mt={3}>
              <DeploymentHistory
                entityRef={entityRef}
                environments={data.environments.map(e => e.environment)}
                initial={{ items: data.recent, totalCount: data.totalCount }}
                reloadKey={`${section.fetchedAt}|${version}`}
                onShowChanges={setChangelogTarget}
              />
            </Box>
          </>
        )}
      </>
    );
  } else if (loading) {
    content = <Progress />;
  } else if (error) {
    content = (
      <>
        <ResponseErrorPanel error={error} title="Could not load deployments" />
        <RetryButton onRetry={onRetry} />
      </>
    );
  } else if (section?.status === 'not-configured') {
    content = (
      <MissingAnnotationEmptyState annotation={missingAnnotations(section)} />
    );
  } else if (section) {
    content = (
      <>
        <SourceFreshness sources={section.sources} />
        <ErrorPanel
          title="Could not load deployments"
          error={new Error(section.message ?? 'The backend returned no data.')}
        />
        <RetryButton onRetry={onRetry} />
      </>
    );
  } else {
    content = <Progress />;
  }

  const repository = section?.data?.repository;
  return (
    <InfoCard
      title="Deployments"
      subheader={
        repository ? (
          <Link to={repository.htmlUrl}>{repository.slug}</Link>
        ) : undefined
      }
    >
      {content}
      <ChangelogDialog
        entityRef={entityRef}
        target={changelogTarget}
        onClose={() => setChangelogTarget(undefined)}
      />
    </InfoCard>
  );
}
