import { z } from 'zod';

export const agentSchema = z.object({
  id: z.number().int(),
  objectName: z.string(),
  appName: z.string(),
  processName: z.string(),
  hostname: z.string(),
  ip: z.string(),
  /** The agent process (whatap_python). */
  pid: z.number().int(),
  /** The app processes (e.g. gunicorn's workers) the agent reports for, from their counters. */
  appPids: z.array(z.number().int()).default([]),
  agentVersion: z.string(),
  pythonVersion: z.string(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  /** active while heartbeats arrive; inactive after missed ones. */
  status: z.enum(['active', 'inactive']),
  /** Since when the agent is in its current status. */
  statusSince: z.string(),
  /** Latest 5-second counter values, null when none yet. */
  tps: z.number().nullable(),
  respTime: z.number().nullable(),
  /**
   * Transactions the agent served but could not send (its buffer full during a collector
   * outage), summed from the counters' `dropped` over the last hour and the last day.
   */
  dropped: z.object({ hour: z.number().nonnegative(), day: z.number().nonnegative() }),
});
export type Agent = z.infer<typeof agentSchema>;

/** GET /api/v1/projects/:pcode/agents */
export const agentListSchema = z.object({ agents: z.array(agentSchema) });
