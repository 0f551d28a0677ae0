import { Person, TeamRecord } from './types';

function person(login: string, id: number, name: string): Person {
  return { login, id, name, email: `${login}@lexecon.ai`, type: 'User' };
}

/** Everyone in the `lexecon-ai` organisation: every repository of the sandbox shares them. */
export const PEOPLE: readonly Person[] = [
  person('maya-chen', 40213881, 'Maya Chen'),
  person('dev-patel', 51877204, 'Dev Patel'),
  person('sam-okafor', 38810927, 'Sam Okafor'),
  person('lena-fischer', 62044315, 'Lena Fischer'),
  person('tom-ruiz', 47731950, 'Tom Ruiz'),
  person('priya-nair', 70388412, 'Priya Nair'),
  person('alex-kim', 33109876, 'Alex Kim'),
  person('jordan-lee', 45520193, 'Jordan Lee'),
  {
    login: 'github-actions[bot]',
    id: 41898282,
    name: 'github-actions[bot]',
    email: '41898282+github-actions[bot]@users.noreply.github.com',
    type: 'Bot',
  },
  {
    login: 'lexecon-portal[bot]',
    id: 187220431,
    name: 'lexecon-portal[bot]',
    email: '187220431+lexecon-portal[bot]@users.noreply.github.com',
    type: 'Bot',
  },
  {
    login: 'web-flow',
    id: 19864447,
    name: 'GitHub',
    email: 'noreply@github.com',
    type: 'User',
  },
];

export const ENGINEERS: readonly string[] = [
  'maya-chen',
  'dev-patel',
  'sam-okafor',
  'lena-fischer',
  'tom-ruiz',
  'priya-nair',
];
export const APPROVERS: readonly string[] = ['alex-kim', 'jordan-lee'];
export const ON_CALL = 'sam-okafor';

export function releaseApproversTeam(): TeamRecord {
  return {
    id: 9123456,
    slug: 'release-approvers',
    name: 'Release Approvers',
    description: 'Can approve production deployments of Lexecon',
    members: [...APPROVERS],
  };
}

export const APPROVAL_COMMENTS: readonly string[] = [
  'Checked staging health, LGTM',
  'Staging smoke tests green, error rate flat. Approved.',
  'Changelog reviewed, no migrations. Ship it.',
  'Readiness score above threshold, approving.',
  'Verified on staging with the escalation flow. LGTM',
  'Dashboards look healthy on staging. Approved for prod.',
];
