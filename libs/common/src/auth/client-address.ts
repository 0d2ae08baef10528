import { isIPv6 } from 'node:net';

/**
 * The throttling key of a client address: an IPv4 address as is (also when IPv4-mapped), an
 * IPv6 address by its /64 network, since one host commonly holds a whole /64.
 */
export function clientAddressKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const zoneless = ip.split('%')[0].toLowerCase();
  const [head, tail = ''] = zoneless.split('::');
  const h = head ? head.split(':') : [];
  const t = zoneless.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = zoneless.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}
