import { parseEntityRef } from '@backstage/catalog-model';
import { GithubPendingRun } from '../sources/github/types';
import { LexeconNotification } from './LexeconNotifier';

/** Who an event is for, resolved to entity refs when it is sent. */
export type Audience =
  /** The people who may decide the run: required reviewers, less those segregation excludes. */
  | {
      type: 'approvers';
      run: GithubPendingRun;
      teams: Record<string, string[]>;
    }
  /** The team owning the entity. */
  | { type: 'owner' }
  /** The on-call group (`lexecon.notifications.onCallGroup`). */
  | { type: 'on-call' }
  /** Whoever was told of the event with this key. */
  | { type: 'told-of'; key: string }
  /** These users or groups (e.g. an evidence item's owner). */
  | { type: 'entities'; refs: string[] };

/** An event found in a new snapshot, before its audience is resolved. */
export type DetectedEvent = Omit<LexeconNotification, 'recipients'> & {
  audience: Audience;
};

/** Paths of the app where a person acts on an event. */
export const links = {
  inboxEntry: (run: Pick<GithubPendingRun, 'runId' | 'environment'>) =>
    `/lexecon/approvals?run=${run.runId}&environment=${encodeURIComponent(
      run.environment,
    )}`,
  entityTab(entityRef: string) {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    return `/catalog/${namespace}/${kind.toLowerCase()}/${name}/lexecon`;
  },
  onCallBoard: () => '/lexecon/oncall',
  evidenceControl: (controlId: string) =>
    `/lexecon/evidence?control=${encodeURIComponent(controlId)}`,
};

/** The entity's name for titles: `lexecon-api` of `component:default/lexecon-api`. */
export function entityName(entityRef: string): string {
  return parseEntityRef(entityRef).name;
}
