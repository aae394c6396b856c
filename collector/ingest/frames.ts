/** Frame types of docs/protocol.md. */
export const FrameType = {
  HELLO: 0x01,
  WELCOME: 0x02,
  REFUSE: 0x03,
  TX_BATCH: 0x10,
  COUNTERS: 0x11,
  HEARTBEAT: 0x12,
  ACK: 0x20,
  BUSY: 0x21,
  ERROR: 0x22,
  REJECT: 0x23,
} as const;
export type FrameTypeValue = (typeof FrameType)[keyof typeof FrameType];

const HEADER = 4;

export interface Frame {
  type: number;
  body: Buffer;
}

/** Encodes one frame: uint32 BE length (type + body), uint8 type, JSON body. */
export function encodeFrame(type: number, body?: unknown): Buffer {
  const json = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), 'utf8');
  const out = Buffer.allocUnsafe(HEADER + 1 + json.length);
  out.writeUInt32BE(1 + json.length, 0);
  out.writeUInt8(type, 4);
  json.copy(out, 5);
  return out;
}

export class FrameTooLargeError extends Error {
  constructor(readonly length: number, readonly limit: number) {
    super(`frame of ${length} bytes exceeds the limit of ${limit} bytes`);
  }
}

export class EmptyFrameError extends Error {
  constructor() {
    super('frame length 0: every frame carries at least its type byte');
  }
}

/**
 * Incremental frame decoder. It checks a frame's declared length before buffering its
 * body, so a peer can never make the collector hold more than `maxFrame` bytes for it.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(public maxFrame: number) {}

  /** Bytes received but not yet returned as frames. */
  get pending(): number {
    return this.buffered;
  }

  /** Bytes this decoder will hold before its next frame is complete: the partial frame's full size. */
  get needed(): number {
    if (this.buffered < HEADER) return this.buffered;
    return Math.max(this.buffered, HEADER + this.peekLength());
  }

  /** Feeds bytes; returns every complete frame. Throws FrameTooLargeError / EmptyFrameError. */
  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      if (this.buffered < HEADER) break;
      const length = this.peekLength();
      if (length === 0) throw new EmptyFrameError();
      if (length > this.maxFrame) throw new FrameTooLargeError(length, this.maxFrame);
      if (this.buffered < HEADER + length) break;
      const bytes = this.take(HEADER + length);
      frames.push({ type: bytes[HEADER]!, body: bytes.subarray(HEADER + 1) });
    }
    return frames;
  }

  private peekLength(): number {
    const first = this.chunks[0]!;
    if (first.length >= HEADER) return first.readUInt32BE(0);
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!.readUInt32BE(0);
  }

  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) {
      // Common case: the frame sits inside one chunk; slice without copying.
      this.buffered -= n;
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const all = Buffer.concat(this.chunks, this.buffered);
    this.buffered -= n;
    this.chunks = this.buffered > 0 ? [all.subarray(n)] : [];
    return all.subarray(0, n);
  }
}

/** Parses a frame body as a JSON object; null when it is not one. */
export function parseJsonObject(body: Buffer): Record<string, unknown> | null {
  if (body.length === 0) return null;
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
