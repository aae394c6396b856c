import type { MetaStore, AgentHello } from '../meta-store';
import type { CounterRecord, TelemetryStore } from '../telemetry-store';

/**
 * Shared fixtures of the storage conformance suite. An engine provides "locations" (a fresh
 * database, file or directory) that can be opened more than once: reopening shows what is
 * durable, opening twice at once is what several collectors do.
 */
export interface StoreLocation<S> {
  open(): Promise<S>;
}


export interface MetaEngine {
  name: string;
  /** A fresh, empty location; `now` is the clock of writes whose method takes no time. */
  create(now: () => number): Promise<StoreLocation<MetaStore>>;
  /** Several stores may share one location at once (scale-out engines). */
  shared: boolean;
}

export interface TelemetryEngine {
  name: string;
  create(): Promise<StoreLocation<TelemetryStore>>;
  shared: boolean;
}

/** A fixed time, far from any day boundary, so partitions and minutes are predictable. */
export const T0 = Date.UTC(2025, 10, 25, 8, 0, 0);
export const MIN = 60_000;
export const DAY = 86_400_000;
export const P = 'aaaaaaaa';

export const hello = (objectName: string, extra: Partial<AgentHello> = {}): AgentHello => ({
  objectName,
  appName: 'shop',
  processName: 'gunicorn',
  hostname: 'web-1',
  ip: '10.0.0.12',
  pid: 4242,
  agentVersion: '0.1.0',
  pythonVersion: '3.11.2',
  ...extra,
});

/** A 5-second counter sample with defaults. */
export function makeCounter(over: Partial<CounterRecord> & { time: number }): CounterRecord {
  return {
    pcode: P,
    agentId: 1,
    pid: 10,
    tps: 2,
    txCount: 10,
    txError: 0,
    respTime: 100,
    activeBands: [1, 0, 0],
    cpu: 10,
    mem: 1000,
    apdex: 1,
    dropped: 0,
    ...over,
  };
}
