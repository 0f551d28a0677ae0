import { APPROVERS, ON_CALL, PEOPLE } from '../world/people';

/** Someone with a company account: what the identity provider says about them. */
export interface Employee {
  /** The catalog User's name and the ID token's `sub` and `preferred_username`. */
  login: string;
  name: string;
  /** The catalog User's `spec.profile.email`: the portal signs people in by it. */
  email: string;
  role: 'engineer' | 'approver' | 'on-call' | 'auditor';
}

/** People with a company account and no GitHub account: SOC 2 evidence is read by them. */
const AUDITORS: ReadonlyArray<Omit<Employee, 'role'>> = [
  {
    login: 'casey-morgan',
    name: 'Casey Morgan',
    email: 'casey-morgan@lexecon.ai',
  },
];

function roleOf(login: string): Employee['role'] {
  if (APPROVERS.includes(login)) return 'approver';
  if (login === ON_CALL) return 'on-call';
  return 'engineer';
}

/**
 * Lexecon's company directory: everyone in the GitHub organisation (people, not bots or GitHub's
 * own `web-flow`) with the same email, and the auditors, who have no GitHub account.
 */
export const EMPLOYEES: readonly Employee[] = [
  ...PEOPLE.filter(p => p.type === 'User' && p.login !== 'web-flow').map(p => ({
    login: p.login,
    name: p.name,
    email: p.email,
    role: roleOf(p.login),
  })),
  ...AUDITORS.map(a => ({ ...a, role: 'auditor' as const })),
];
