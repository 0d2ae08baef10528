/**
 * Money and prices arrive as exact decimal strings ("15001.50"); they are formatted as strings,
 * never through floats: grouping the integer part by thousands and keeping every decimal.
 */
export function formatMoney(value: string | null | undefined, opts: { currency?: boolean } = {}): string {
  if (value === null || value === undefined || value === '') return '—';
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return value;
  const [, sign, int, frac] = m;
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = `${sign}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
  return opts.currency ? `¥${text}` : text;
}

/** An integer quantity with thousands grouping. */
export function formatQty(n: number | string | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return formatMoney(String(n));
}

/** The user's time zone, shown beside every time. */
export const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** An ISO-8601 instant in the user's time zone, e.g. "2026-11-30 19:45". */
export function formatTime(iso: string | null | undefined, locale = 'zh-CN'): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone,
  })
    .format(d)
    .replace(/\//g, '-')
    .replace(',', '');
}

/** A countdown such as "2天 3小时" / "2d 3h"; null once the instant has passed. */
export function countdown(iso: string | null | undefined, now: number, zh: boolean): string | null {
  if (!iso) return null;
  const ms = new Date(iso).getTime() - now;
  if (!(ms > 0)) return null;
  const min = Math.floor(ms / 60000);
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  if (zh) return d > 0 ? `${d}天 ${h}小时` : h > 0 ? `${h}小时 ${m}分` : `${m}分钟`;
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m`;
}
