import { z } from 'zod';
import { API } from './paths';

/** GET: the agent package the collector serves (no sign-in: it holds no secret). */
export const agentPackagePath = `${API}/agent-package`;

/** Where app hosts download the agent: `url` is a path on the collector, e.g. /agent/whatap-python-0.1.0.tar.gz. */
export const agentPackageSchema = z.object({
  version: z.string(),
  url: z.string().startsWith('/agent/'),
  /** Always the current version. */
  latestUrl: z.string().startsWith('/agent/'),
});
export type AgentPackageInfo = z.infer<typeof agentPackageSchema>;
