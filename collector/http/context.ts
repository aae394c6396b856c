import type { FastifyRequest } from 'fastify';
import type { CollectorConfig } from '../config';
import type { AuditAction } from '../audit/audit';
import type { SignInGuard } from '../auth/sign-in-guard';
import type { AgentStore, AuditStore, LicenseStore, ProjectStore, UserStore } from '../store/meta-store';
import type { TelemetryMaintenance, TelemetryReader } from '../store/telemetry-store';

/** What the console API routes share; built once per app in app.ts. */
export interface ApiContext {
  config: CollectorConfig;
  /** Every part of the meta store but close(): the collector owns the stores' lifetime. */
  meta: UserStore & ProjectStore & LicenseStore & AgentStore & AuditStore;
  /** Read (traces, the alert preview) and a deleted project's data removed: the console writes no telemetry. */
  telemetry: TelemetryReader & TelemetryMaintenance;
  now: () => number;
  /** The one-time token POST /setup requires (printed by server.ts at start). */
  setupToken: string;
  passwords: {
    hash(password: string): Promise<string>;
    verify(password: string, stored: string): Promise<boolean>;
    /** A hash of a random password, verified against when the username is unknown so timing does not tell. */
    dummyHash(): Promise<string>;
  };
  signIn: {
    /** The attempt limits, counted before the password is verified. */
    guard: SignInGuard;
    /** Added to a failed sign-in's answer per recent failure, to slow guessing down. */
    failureDelayMs: number;
  };
  audit(request: FastifyRequest, action: AuditAction, target: string, detail?: string, actor?: string): Promise<void>;
}
