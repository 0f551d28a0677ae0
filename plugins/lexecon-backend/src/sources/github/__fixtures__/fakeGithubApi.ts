import { Octokit } from '@octokit/rest';

const API = 'https://api.github.test';

/**
 * A GitHub REST API that serves long lists the way GitHub pages them: `per_page` (at most 100)
 * and `page` query parameters, and a Link header naming the next and last pages.
 */
export function fakeGithubApi(lists: {
  tags?: number;
  /** Commits between the compared refs. */
  compareCommits?: number;
}) {
  const requested: string[] = [];
  const fetch = async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    requested.push(`${url.pathname}${url.search}`);
    const perPage = Math.min(
      Number(url.searchParams.get('per_page') ?? 30),
      100,
    );
    const page = Number(url.searchParams.get('page') ?? 1);
    const window = (total: number) => {
      const start = (page - 1) * perPage;
      const indices = Array.from(
        { length: Math.max(0, Math.min(perPage, total - start)) },
        (_, i) => start + i,
      );
      const last = Math.max(1, Math.ceil(total / perPage));
      const link = (p: number, rel: string) => {
        const next = new URL(url);
        next.searchParams.set('page', String(p));
        return `<${next}>; rel="${rel}"`;
      };
      const links =
        page < last ? [link(page + 1, 'next'), link(last, 'last')] : [];
      return { indices, link: links.join(', ') };
    };
    let body: unknown;
    let link = '';
    if (url.pathname === '/repos/acme/shop/tags') {
      const { indices, link: l } = window(lists.tags ?? 0);
      link = l;
      // Newest first, as GitHub lists them.
      body = indices.map(i => ({
        name: `v1.${(lists.tags ?? 0) - i}`,
        commit: {
          sha: sha(i),
          url: `${API}/repos/acme/shop/commits/${sha(i)}`,
        },
        zipball_url: '',
        tarball_url: '',
        node_id: `tag${i}`,
      }));
    } else if (url.pathname.startsWith('/repos/acme/shop/compare/')) {
      const total = lists.compareCommits ?? 0;
      const { indices, link: l } = window(total);
      link = l;
      body = {
        url: `${API}${url.pathname}`,
        html_url: 'https://github.test/acme/shop/compare/base...head',
        status: 'ahead',
        ahead_by: total,
        behind_by: 0,
        total_commits: total,
        commits: indices.map(i => ({
          sha: sha(i),
          html_url: `https://github.test/acme/shop/commit/${sha(i)}`,
          author: { login: `dev-${i}` },
          commit: {
            message: `Change ${i}\n\nDetails`,
            author: { name: `Dev ${i}`, date: '2026-01-01T00:00:00Z' },
          },
        })),
        files: [],
      };
    } else {
      return new Response('{"message":"Not Found"}', {
        status: 404,
        headers: { 'content-type': 'application/json' },
      });
    }
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: {
        'content-type': 'application/json',
        ...(link ? { link } : {}),
      },
    });
  };
  const octokit = new Octokit({ baseUrl: API, request: { fetch } });
  return { octokit, requested };
}

/** A 40-hex sha unique to the index. */
export function sha(i: number) {
  return i.toString(16).padStart(40, '0');
}
