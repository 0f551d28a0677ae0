import type { Locator } from 'playwright-core';

/**
 * The cells of one column, in every row of `rows`, found by the column's header in `table`: the
 * tests read a value where a person reads it, not anywhere in the row.
 */
export async function columnCells(
  table: Locator,
  rows: Locator,
  header: string,
): Promise<Locator> {
  // textContent, not innerText: the theme may show headers in capitals.
  const headers = (await table.locator('thead th').allTextContents()).map(h =>
    h.trim(),
  );
  const index = headers.indexOf(header);
  if (index < 0) {
    throw new Error(
      `The table has no "${header}" column (columns: ${headers.join(', ')})`,
    );
  }
  return rows.locator(`:scope > td:nth-child(${index + 1})`);
}
