import { Config } from '@backstage/config';
import {
  Control,
  EVIDENCE_CADENCES,
  FRAMEWORKS,
} from '@internal/plugin-lexecon-common';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CatalogControl } from './catalogData';
import { GDPR_CONTROLS } from './gdpr';
import { SOC2_CONTROLS } from './soc2';

const text = z.string().trim().min(1, 'must not be empty');

const itemSchema = z
  .object({
    id: text,
    title: text,
    source: text,
    cadence: z.enum(EVIDENCE_CADENCES as [string, ...string[]]),
    owner: text.regex(
      /^[a-z]+:[^/]+\/.+$/i,
      'must be an entity ref such as group:default/lexecon-engineering',
    ),
    rule: text,
  })
  .strict();

const controlSchema = z
  .object({
    id: text,
    framework: z.enum(FRAMEWORKS as [string, ...string[]]),
    title: text,
    description: text,
    items: z.array(itemSchema).min(1, 'must list at least one evidence item'),
  })
  .strict();

const catalogSchema = z
  .array(controlSchema)
  .min(1, 'must list at least one control');

/** The catalog Lexecon ships: SOC 2 then GDPR. */
export const LEXECON_CATALOG: Control[] = [
  ...SOC2_CONTROLS,
  ...GDPR_CONTROLS,
].map(withControlIds);

function withControlIds({ items, ...control }: CatalogControl): Control {
  return {
    ...control,
    items: items.map(i => ({ ...i, controlId: control.id })),
  };
}

/** A catalog that is not one; names where it came from and every problem with its path. */
export class CatalogError extends Error {
  constructor(origin: string, problems: string[]) {
    super(`Invalid evidence catalog (${origin}): ${problems.join('; ')}`);
    this.name = 'CatalogError';
  }
}

/**
 * Validates a catalog: its shape, then ids unique across it (an item is found by its id alone,
 * and two controls of one id would hide each other).
 */
export function parseCatalog(input: unknown, origin: string): Control[] {
  const parsed = catalogSchema.safeParse(input);
  if (!parsed.success) {
    throw new CatalogError(
      origin,
      parsed.error.issues.map(
        issue => `${pathOf(issue.path)} ${lowerFirst(issue.message)}`,
      ),
    );
  }
  // zod's enums widen to string; the schema holds them to the shared unions.
  const controls = (parsed.data as CatalogControl[]).map(withControlIds);
  const problems = [
    ...duplicates(controls.map(c => c.id)).map(
      id => `control id '${id}' is used more than once`,
    ),
    ...duplicates(controls.flatMap(c => c.items.map(i => i.id))).map(
      id => `evidence item id '${id}' is used more than once`,
    ),
  ];
  if (problems.length) throw new CatalogError(origin, problems);
  return controls;
}

/**
 * The catalog in force: `lexecon.evidence.catalog` inline, else the JSON file at
 * `lexecon.evidence.catalogFile`, else the shipped one. Either replaces the shipped catalog
 * whole, so that a control nobody claims cannot linger.
 */
export function readEvidenceCatalog(config: Config): Control[] {
  const inline = config.getOptional('lexecon.evidence.catalog');
  if (inline !== undefined) {
    return parseCatalog(inline, 'lexecon.evidence.catalog');
  }
  const file = config.getOptionalString('lexecon.evidence.catalogFile');
  if (file === undefined) return LEXECON_CATALOG;
  const origin = `lexecon.evidence.catalogFile ${file}`;
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CatalogError(origin, [
      `cannot be read as JSON: ${(error as Error).message}`,
    ]);
  }
  return parseCatalog(content, origin);
}

function pathOf(path: Array<string | number>): string {
  if (!path.length) return 'the catalog';
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index ? '.' : ''}${part}`,
    )
    .join('');
}

function duplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(ids.filter(id => seen.has(id) || !seen.add(id)))];
}

function lowerFirst(message: string) {
  return message.charAt(0).toLowerCase() + message.slice(1);
}
