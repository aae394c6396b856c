import { describeSendError, type SendResult } from './send-result';

/**
 * POSTs a JSON body; a 2xx answer is success. Redirects are not followed (a webhook answers
 * itself), the answer body is not read beyond its status, and a slow receiver times out.
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<SendResult> {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Tapscope-Alerts/1',
        ...headers,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel().catch(() => {});
    const ok = res.status >= 200 && res.status < 300;
    return {
      ok,
      statusCode: res.status,
      latencyMs: latency(),
      error: ok ? null : `the receiver answered HTTP ${res.status}`,
    };
  } catch (err) {
    return {
      ok: false,
      statusCode: null,
      latencyMs: latency(),
      error: describeSendError(err),
    };
  }
}
