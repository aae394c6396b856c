import { hitmapSelectionHref } from './live-hitmap-card';

describe('dashboard hitmap', () => {
  it('opens the full hitmap on the dragged rectangle, in range mode', () => {
    const href = hitmapSelectionHref('demo shop', { from: 1_000_100.4, to: 1_030_000.2, minElapsed: 250.7, maxElapsed: 3_000.2 }, 1_200_000);
    const url = new URL(href, 'http://x');
    expect(url.pathname).toBe('/projects/demo%20shop/hitmap');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      mode: 'range',
      from: String(1_200_000 - 300_000),
      to: '1200000',
      sf: '1000100',
      st: '1030001',
      smin: '250',
      smax: '3001',
    });
  });

  it('leaves the top open when the drag reached the top of the chart', () => {
    const href = hitmapSelectionHref('p', { from: 0, to: 10, minElapsed: 5 }, 20);
    expect(new URL(href, 'http://x').searchParams.has('smax')).toBe(false);
  });
});
