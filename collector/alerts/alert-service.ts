import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { CollectorConfig } from '../config';
import type { MetaStore } from '../store/meta-store';
import type { TelemetryReader } from '../store/telemetry-store';
import { dispatchDue, type DispatchDeps } from './channels/dispatcher';
import { type CycleResult, evaluateOnce } from './evaluate';
import { AlertReadCache } from './read-cache';
import type { AlertStore } from './store/alert-store';

export const EVALUATION_LEASE = 'evaluation';
/** Due notifications are looked for this often (and right after each evaluation). */
const DISPATCH_EVERY_MS = 1000;

export interface AlertLog {
  info(msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface AlertService {
  readonly holder: string;
  readonly dispatch: DispatchDeps;
  /** One cycle now, if this collector holds (or takes) the lease; null when another one does. */
  evaluateNow(): Promise<CycleResult | null>;
  /** Starts the timers. */
  start(): void;
  /** Stops the timers, waits for a running cycle, and gives the lease up. */
  stop(): Promise<void>;
}

/** The console's address in notifications: alerts.consoleUrl, else http://<publicHost>:<http.port>. */
export function consoleUrlOf(config: CollectorConfig): string {
  if (config.alerts.consoleUrl) return config.alerts.consoleUrl;
  const host = config.publicHost.includes(':') ? `[${config.publicHost}]` : config.publicHost;
  return `${config.http.tls ? 'https' : 'http'}://${host}:${config.http.port}`;
}

/**
 * Evaluation every `alerts.evaluateEveryMs` by whichever collector holds the lease (taken over
 * when its holder stops renewing it), and sending of due notifications by every collector
 * (each one claimed by one). A failing cycle is logged and the next one runs as usual.
 */
export function createAlertService(deps: {
  config: CollectorConfig;
  store: AlertStore;
  meta: MetaStore;
  telemetry: TelemetryReader;
  log: AlertLog;
  now?: () => number;
}): AlertService {
  const now = deps.now ?? Date.now;
  const { alerts } = deps.config;
  const holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const dispatch: DispatchDeps = {
    store: deps.store,
    meta: deps.meta,
    config: alerts,
    consoleUrl: consoleUrlOf(deps.config),
    holder,
    now,
  };
  let evalTimer: NodeJS.Timeout | undefined;
  let dispatchTimer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let dispatching: Promise<unknown> = Promise.resolve();
  let leader = false;
  let cache = new AlertReadCache();
  let stopped = false;

  const evaluateNow = async (): Promise<CycleResult | null> => {
    const t = now();
    const held = await deps.store.acquireLease(EVALUATION_LEASE, holder, t, t + alerts.leaseMs);
    if (held !== leader)
      deps.log.info(
        held ? `alerts: this collector evaluates the rules (${holder})` : 'alerts: another collector evaluates the rules',
      );
    leader = held;
    // A follower's cache would be stale when it takes over.
    if (!held) {
      cache = new AlertReadCache();
      return null;
    }
    return evaluateOnce(
      {
        store: deps.store,
        meta: deps.meta,
        telemetry: deps.telemetry,
        cache,
        onError: (pcode, err) =>
          deps.log.warn({ err: { message: err.message } }, `alerts: project ${pcode} not evaluated this cycle`),
      },
      t,
    );
  };

  let sending = false;
  const dispatchNow = () => {
    if (sending || stopped) return;
    sending = true;
    dispatching = Promise.resolve()
      .then(async () => {
        // Drain: a full batch means more may be due.
        while (!stopped && (await dispatchDue(dispatch)) === 50);
      })
      .catch((err: Error) => deps.log.warn({ err: { message: err.message } }, 'alerts: sending notifications failed; retrying'))
      .finally(() => (sending = false));
  };

  let busy = false;
  const cycle = () => {
    // A cycle slower than the interval is not queued behind itself: the next tick is skipped.
    if (busy || stopped) return;
    busy = true;
    running = evaluateNow()
      .then(() => dispatchNow())
      .catch((err: Error) =>
        deps.log.warn({ err: { message: err.message } }, 'alerts: evaluation cycle failed; the next one runs as usual'),
      )
      .finally(() => (busy = false));
  };

  return {
    holder,
    dispatch,
    evaluateNow,
    start() {
      if (evalTimer) return;
      evalTimer = setInterval(cycle, alerts.evaluateEveryMs);
      dispatchTimer = setInterval(dispatchNow, DISPATCH_EVERY_MS);
      evalTimer.unref();
      dispatchTimer.unref();
      cycle();
    },
    async stop() {
      stopped = true;
      clearInterval(evalTimer);
      clearInterval(dispatchTimer);
      await running;
      await dispatching;
      if (leader) await deps.store.releaseLease(EVALUATION_LEASE, holder).catch(() => {});
    },
  };
}
