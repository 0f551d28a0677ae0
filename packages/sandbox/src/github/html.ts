import { SandboxWorld } from '../world/types';

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function htmlPage(
  title: string,
  body: string,
  product = 'GitHub',
): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(
    title,
  )}</title><style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}code{background:#f3f3f3;padding:0 .2em}</style></head><body><p><em>Lexecon sandbox (fake ${escapeHtml(
    product,
  )})</em></p>${body}</body></html>`;
}

/** Renders a small HTML page for the web URLs the API hands out (html_url). */
export function renderHtml(
  world: SandboxWorld,
  path: string,
  webUrl: string,
): string {
  const prefix = `/${world.owner}/${world.repo}`;
  const repoLink = `<a href="${webUrl}${prefix}">${world.owner}/${world.repo}</a>`;
  const rest = path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
  if (rest !== undefined) {
    const runMatch = /^\/actions\/runs\/(\d+)(?:\/job\/(\d+))?/.exec(rest);
    if (runMatch) {
      const run = world.runs.find(r => String(r.id) === runMatch[1]);
      if (run) {
        const jobs = run.jobs
          .map(
            j =>
              `<li>${escapeHtml(j.name)}: ${j.status}${
                j.conclusion ? ` / ${j.conclusion}` : ''
              }</li>`,
          )
          .join('');
        return htmlPage(
          `${run.name} #${run.runNumber}`,
          `<h1>${escapeHtml(run.name)} #${run.runNumber}: ${escapeHtml(
            run.displayTitle,
          )}</h1><p>${repoLink} · run <code>${run.id}</code> · ${
            run.event
          } by ${escapeHtml(run.actor)} · ${run.status}${
            run.conclusion ? ` / ${run.conclusion}` : ''
          }</p><p>Commit <code>${run.headSha}</code> on ${escapeHtml(
            run.headBranch,
          )}, created ${run.createdAt}</p><ul>${jobs}</ul>`,
        );
      }
    }
    const commitMatch = /^\/commit\/([0-9a-f]+)/.exec(rest);
    if (commitMatch) {
      const c = world.commits.find(x => x.sha.startsWith(commitMatch[1]));
      if (c) {
        return htmlPage(
          c.message.split('\n')[0],
          `<h1>${escapeHtml(
            c.message.split('\n')[0],
          )}</h1><p>${repoLink} · <code>${c.sha}</code> by ${escapeHtml(
            c.authorLogin,
          )} on ${c.date}</p><pre>${escapeHtml(c.message)}</pre>`,
        );
      }
    }
    const compareMatch = /^\/compare\/(.+)$/.exec(rest);
    if (compareMatch) {
      return htmlPage(
        `Comparing ${compareMatch[1]}`,
        `<h1>Comparing <code>${escapeHtml(
          decodeURIComponent(compareMatch[1]),
        )}</code></h1><p>${repoLink}</p>`,
      );
    }
  }
  return htmlPage(
    `${world.owner}/${world.repo}`,
    `<h1>${repoLink}</h1><p>No page for <code>${escapeHtml(path)}</code>.</p>`,
  );
}
