/** Amounts in the facts' own currency: the analysis never converts, so neither does the card. */
export function moneyFormat(currency: string | undefined) {
  const format = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: currency ?? 'USD',
  });
  const fine = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: currency ?? 'USD',
    maximumFractionDigits: 4,
  });
  const money = (value: number | undefined) =>
    value === undefined ? '—' : format.format(value);
  return {
    money,
    /** A unit price: under 1, to four decimals, so $0.0031 does not read as $0.00. */
    unitPrice(value: number | undefined) {
      if (value === undefined) return '—';
      return Math.abs(value) < 1 ? fine.format(value) : format.format(value);
    },
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
