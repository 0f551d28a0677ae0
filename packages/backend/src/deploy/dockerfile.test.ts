import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../../../..');
// The command `npm run start:production` and the production suite run (scripts/productionCommand.js).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const command = require('../../../../scripts/productionCommand.js') as {
  PRODUCTION_ENTRY: string[];
  productionArgs(extra?: string[]): string[];
};

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions, continuation lines joined, comments dropped, by stage. */
function stages(text: string): Instruction[][] {
  const joined = text
    .split('\n')
    .filter(line => !line.trim().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const result: Instruction[][] = [];
  for (const line of joined.split('\n')) {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, keyword, args] = match;
    if (keyword === 'FROM') result.push([]);
    result[result.length - 1]?.push({ keyword, args: args.trim() });
  }
  return result;
}

const dockerfile = stages(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const runtime = dockerfile[dockerfile.length - 1];
const find = (stage: Instruction[], keyword: string) =>
  stage.filter(i => i.keyword === keyword);
const exec = (instruction: Instruction) => JSON.parse(instruction.args);

describe('Dockerfile', () => {
  it('builds in one stage and runs on Node 22 in another', () => {
    expect(dockerfile.length).toBe(2);
    for (const stage of dockerfile) {
      expect(stage[0].args).toMatch(/^node:22[-.\w]*( AS \w+)?$/);
    }
    expect(find(dockerfile[0], 'RUN')[0].args).toContain('npm run build');
  });

  it('copies only the production workspace that CI builds and starts', () => {
    const copies = find(runtime, 'COPY');
    expect(copies).toHaveLength(1);
    expect(copies[0].args).toMatch(
      /^--from=build --chown=node:node \/src\/dist-production\/ \/app\/$/,
    );
    expect(find(runtime, 'WORKDIR')[0].args).toBe('/app');
    expect(find(runtime, 'ENV').map(e => e.args)).toContain(
      'NODE_ENV=production',
    );
  });

  it('runs as the non-root node user', () => {
    expect(find(runtime, 'USER').map(u => u.args)).toEqual(['node']);
  });

  it('starts the backend as npm run start:production and the replica suite do', () => {
    const [entrypoint] = find(runtime, 'ENTRYPOINT');
    const [cmd] = find(runtime, 'CMD');
    expect([...exec(entrypoint), ...exec(cmd)]).toEqual([
      'node',
      ...command.productionArgs(),
    ]);
  });

  it('checks health on the readiness endpoint of the listening port', () => {
    const [healthcheck] = find(runtime, 'HEALTHCHECK');
    expect(healthcheck.args).toContain(
      'http://127.0.0.1:7007/.backstage/health/v1/readiness',
    );
    expect(find(runtime, 'EXPOSE').map(e => e.args)).toEqual(['7007']);
  });

  it('and the Kubernetes Deployment runs the same entry point in the image', () => {
    const deployment = parse(
      readFileSync(
        path.join(ROOT, 'deploy/kubernetes/deployment.yaml'),
        'utf8',
      ),
    );
    const [container] = deployment.spec.template.spec.containers;
    expect(container.command).toEqual(['node', ...command.PRODUCTION_ENTRY]);
    expect(
      container.securityContext.runAsNonRoot ??
        deployment.spec.template.spec.securityContext?.runAsNonRoot,
    ).toBe(true);
  });
});
