import { hitmapSearchParams, parseHitmapSearch } from './hitmap-search';

describe('hitmap URL state', () => {
  const now = 1_764_057_600_000;

  it('round-trips a range view with filters, selection and sort', () => {
    const params = new URLSearchParams(
      'mode=range&from=1764050000000&to=1764053600000&agent=2&url=%2Fcart&err=1&y=3000&sf=1764051000000&st=1764052000000&smin=200&smax=1500&sort=elapsed&dir=asc',
    );
    const s = parseHitmapSearch(params, now);
    expect(s).toMatchObject({
      mode: 'range',
      from: 1_764_050_000_000,
      to: 1_764_053_600_000,
      agentId: 2,
      url: '/cart',
      errorsOnly: true,
      yMax: 3000,
      selection: { from: 1_764_051_000_000, to: 1_764_052_000_000, minElapsed: 200, maxElapsed: 1500 },
      sort: 'elapsed',
      dir: 'asc',
    });
    expect(hitmapSearchParams(s).toString()).toBe(params.toString());
  });

  it('falls back to defaults for anything invalid, instead of failing', () => {
    const s = parseHitmapSearch(new URLSearchParams('mode=weird&win=7m&agent=x&y=123&sf=5&sort=nope&smax=-1'), now);
    expect(s).toMatchObject({ mode: 'live', win: '10m', agentId: undefined, yMax: 'auto', selection: null, sort: 'time' });
    expect(hitmapSearchParams(s).toString()).toBe('');
  });

  it('gives a range without bounds the last hour, and caps it at 31 days', () => {
    expect(parseHitmapSearch(new URLSearchParams('mode=range'), now)).toMatchObject({ from: now - 3_600_000, to: now });
    const long = parseHitmapSearch(new URLSearchParams(`mode=range&from=0&to=${now}`), now);
    expect(long.to - long.from).toBe(31 * 86_400_000);
  });

  it('keeps an open-topped selection open', () => {
    const s = parseHitmapSearch(new URLSearchParams('sf=10&st=20&smin=300'), now);
    expect(s.selection).toEqual({ from: 10, to: 20, minElapsed: 300 });
  });

  it('remembers a log Y axis in the URL, linear by default', () => {
    const log = parseHitmapSearch(new URLSearchParams('ys=log&y=5000'));
    expect(log.yScale).toBe('log');
    expect(hitmapSearchParams(log).get('ys')).toBe('log');
    const linear = parseHitmapSearch(new URLSearchParams('ys=cubic'));
    expect(linear.yScale).toBe('linear');
    expect(hitmapSearchParams(linear).has('ys')).toBe(false);
  });
});
