/** Amounts in the facts' own currency: the analysis never converts, so neither does the card. */
export function moneyFormat(currency: string | undefined) {
  const format = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: currency ?? 'USD',
  });
  const money = (value: number | undefined) =>
    value === undefined ? '—' : format.format(value);
  return {
    money,
    /** "+$230.00 (+76.7%)": a rise reads as a rise without colour. */
    delta(value: number | undefined, percent?: number) {
      if (value === undefined) return '—';
      const sign = value > 0 ? '+' : '';
      const share =
        percent === undefined
          ? ''
          : ` (${percent > 0 ? '+' : ''}${percent.toFixed(1)}%)`;
      return `${sign}${money(value)}${share}`;
    },
    range(band: { low: number; high: number } | undefined) {
      return band ? `${money(band.low)}–${money(band.high)}` : '';
    },
  };
}

export type MoneyFormat = ReturnType<typeof moneyFormat>;
