import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** Parses request input with zod; a bad value is a 400 naming the field and what is wrong. */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
  where: 'path' | 'query' | 'body',
): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map(issue => {
    if (issue.code === 'unrecognized_keys') {
      return `unknown ${where} parameter${
        issue.keys.length > 1 ? 's' : ''
      } ${issue.keys.map(k => `'${k}'`).join(', ')}`;
    }
    const field = issue.path.join('.') || '(root)';
    return `${where} parameter '${field}' ${lowerFirst(issue.message)}`;
  });
  throw new InputError(`Invalid request: ${problems.join('; ')}`);
}

function lowerFirst(text: string) {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Cursors are opaque to clients; inside they are a base64url offset. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const match = /^o:(\d{1,9})$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!match) {
    throw new InputError(
      "Invalid request: query parameter 'cursor' is not a cursor this API returned",
    );
  }
  return Number(match[1]);
}
