/** The outcome of one attempt to notify a channel, as the delivery log records it. */
export interface SendResult {
  ok: boolean;
  /** HTTP status, or the SMTP reply code. */
  statusCode: number | null;
  latencyMs: number;
  /** Why it failed, in words; never a secret (no URL with its token, no password). */
  error: string | null;
}

/** The codes Node's sockets and TLS report, in words a user understands. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the receiver',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'host not found (DNS, temporary)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timed out',
  EPIPE: 'connection closed by the receiver',
  CERT_HAS_EXPIRED: 'TLS: the certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: the certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: the certificate is for another host name',
};

/** A send error in words: the network or TLS reason when there is one, else the message. */
export function describeSendError(err: unknown): string {
  let e: unknown = err;
  // fetch wraps the socket error: TypeError("fetch failed", { cause }).
  for (let depth = 0; depth < 4 && e; depth++) {
    const { code, name, message } = e as {
      code?: string;
      name?: string;
      message?: string;
    };
    if (name === 'TimeoutError' || name === 'AbortError') return 'timed out';
    if (code && REASONS[code]) return REASONS[code];
    if (code && /^(ERR_SSL|ERR_TLS|CERT_|UNABLE_TO)/.test(code)) return `TLS: ${message ?? code}`;
    const cause = (e as { cause?: unknown }).cause;
    if (!cause) return code ? `${message ?? 'error'} (${code})` : (message ?? String(e));
    e = cause;
  }
  return String(err);
}
