import { Config } from '@backstage/config';
import { EntityTarget } from '../EntityTarget';
import { NotConfigured, SnapshotSource, UpstreamError } from './types';

/**
 * A configured list of what a source may read (organisations, namespaces, projects, hosts).
 * Annotations are written by whoever registers an entity; the list is written by whoever runs
 * the portal, and an entity asking for anything outside it is not configured: the backend
 * makes no request for it.
 */
export interface AllowListRule {
  /** The config key of the list, e.g. `lexecon.github.allowedOrganizations`. */
  key: string;
  /**
   * Without the key: `all` reads every entity (the upstream credentials are then the only
   * bound), `none` reads none. An empty list allows nothing either way.
   */
  whenUnset: 'all' | 'none';
  /** Whether refusals show the list (not for host names of internal networks). */
  showList: boolean;
  /**
   * What the entity asks the source to read: the value the list is matched against, and how a
   * person names it (`github.com/project-slug acme/x`).
   */
  requested(target: EntityTarget): Array<{ value: string; named: string }>;
  /** Compiles the list once; throws, naming the key, on an entry it cannot read. */
  matcher(list: readonly string[]): (value: string) => boolean;
}

/** The source, held to the rule: outside the list it is not configured and never fetches. */
export function restrictToAllowList<T>(
  source: SnapshotSource<T>,
  rule: AllowListRule,
  config: Config,
): SnapshotSource<T> {
  const list = config.getOptionalStringArray(rule.key);
  const allows =
    list === undefined ? () => rule.whenUnset === 'all' : rule.matcher(list);
  const outside = (target: EntityTarget): NotConfigured | undefined => {
    const refused = rule.requested(target).find(r => !allows(r.value));
    if (!refused) return undefined;
    let listed = '';
    if (!list?.length) listed = ', which lists nothing';
    else if (rule.showList) listed = ` (${list.join(', ')})`;
    return {
      message: `${refused.named} is outside ${rule.key}${listed}`,
      missingAnnotations: [],
    };
  };
  return {
    id: source.id,
    scheduledOnly: source.scheduledOnly,
    notConfiguredReason: target =>
      source.notConfiguredReason(target) ?? outside(target),
    fetch: async (target, previous) => {
      // The refresher asks notConfiguredReason first; this keeps any other caller honest.
      const refused = outside(target);
      if (refused) throw new UpstreamError(source.id, refused.message);
      return source.fetch(target, previous);
    },
  };
}

/**
 * Matches list entries with `*` standing for any run of characters (`lexecon-*`); GitHub
 * names are case-insensitive, Kubernetes namespaces and Unleash projects are not.
 */
export function globMatcher(options: { ignoreCase: boolean }) {
  return (list: readonly string[]) => {
    const patterns = list.map(
      entry =>
        new RegExp(
          `^${entry
            .trim()
            .split('*')
            .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
          options.ignoreCase ? 'i' : '',
        ),
    );
    return (value: string) => patterns.some(p => p.test(value));
  };
}
