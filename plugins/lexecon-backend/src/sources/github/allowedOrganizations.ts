import { GITHUB_PROJECT_SLUG_ANNOTATION } from '@internal/plugin-lexecon-common';
import { AllowListRule, globMatcher } from '../allowLists';

/** The GitHub organisations (or users) whose repositories the portal reads and approves in. */
export const allowedOrganizations: AllowListRule = {
  key: 'lexecon.github.allowedOrganizations',
  whenUnset: 'all',
  showList: true,
  requested: ({ github }) =>
    github
      ? [
          {
            value: github.owner,
            named: `${GITHUB_PROJECT_SLUG_ANNOTATION} ${github.owner}/${github.repo}`,
          },
        ]
      : [],
  matcher: globMatcher({ ignoreCase: true }),
};
