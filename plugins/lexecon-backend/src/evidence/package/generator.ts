import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { readFileSync } from 'node:fs';

/** `<package> <version>` of this backend plugin, for bag-info.txt's Bag-Software-Agent. */
export function evidencePackageGenerator(): string {
  const { name, version } = JSON.parse(
    readFileSync(
      resolvePackagePath('@internal/plugin-lexecon-backend', 'package.json'),
      'utf8',
    ),
  );
  return `${name} ${version}`;
}
