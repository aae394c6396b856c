import { renderHook, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { server } from '../../../../mock-server/node';
import { encodeHitmap, HITMAP_CONTENT_TYPE } from '../../../api/hitmap';
import { routePatterns } from '../../../api/paths';
import { useHitmapStream, type HitmapStreamOptions } from './use-hitmap-stream';

const FROM = Date.parse('2026-12-03T10:00:00Z');

/**
 * A hitmap API that holds each request open until it is aborted, except for ranges starting at
 * `answerFrom`, which get one point. It records every request it was sent.
 */
function holdingHitmap(answerFrom?: number) {
  const requests: Request[] = [];
  server.use(
    http.get(routePatterns.hitmap, async ({ request }) => {
      requests.push(request);
      const from = Number(new URL(request.url).searchParams.get('from'));
      if (from === answerFrom) {
        const body = encodeHitmap([{ end: from + 1_000, elapsed: 120, agentId: 1, error: false }], from + 2_000);
        return new HttpResponse(body.buffer as ArrayBuffer, { headers: { 'content-type': HITMAP_CONTENT_TYPE } });
      }
      await new Promise<void>((resolve) => {
        request.signal.addEventListener('abort', () => resolve());
        setTimeout(resolve, 60_000);
      });
      return HttpResponse.error();
    }),
  );
  return requests;
}

const range = (from: number): HitmapStreamOptions => ({ pcode: 'demoshop', live: false, from, to: from + 60_000 });

describe('useHitmapStream', () => {
  it('aborts the request in flight when the view unmounts', async () => {
    const requests = holdingHitmap();
    const { result, unmount } = renderHook(() => useHitmapStream(range(FROM)));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(result.current.status).toBe('loading');
    expect(requests[0]!.signal.aborted).toBe(false);
    unmount();
    await waitFor(() => expect(requests[0]!.signal.aborted).toBe(true));
  });

  it('aborts the old range’s request when the range changes, and shows the new range’s points', async () => {
    const next = FROM + 3_600_000;
    const requests = holdingHitmap(next);
    const { result, rerender } = renderHook((opts: HitmapStreamOptions) => useHitmapStream(opts), {
      initialProps: range(FROM),
    });
    await waitFor(() => expect(requests).toHaveLength(1));
    rerender(range(next));
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(requests).toHaveLength(2);
    expect(requests[0]!.signal.aborted).toBe(true);
    expect(new URL(requests[1]!.url).searchParams.get('from')).toBe(String(next));
    expect(result.current.buffer.size).toBe(1);
    expect([result.current.from, result.current.to]).toEqual([next, next + 60_000]);
  });
});
