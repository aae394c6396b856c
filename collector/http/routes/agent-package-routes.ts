import type { FastifyInstance } from 'fastify';
import { agentPackagePath, type AgentPackageInfo } from '../../../src/api/agent-package';
import { buildAgentSdist, DISTRIBUTION, type AgentPackage } from '../../agent-package/sdist';
import { sendError } from '../errors';

const LATEST = `/agent/${DISTRIBUTION}.tar.gz`;

/**
 * The agent's sdist for app hosts (`pip install http://<collector>/agent/whatap-python-<version>.tar.gz`),
 * built from agent/ on first use and kept in memory. No sign-in: the package holds no secret.
 */
export function registerAgentPackageRoutes(app: FastifyInstance, agentDir?: string): void {
  let built: AgentPackage | undefined;
  const pkg = () => (built ??= buildAgentSdist(agentDir));

  app.get('/agent/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const current = pkg();
    if (file !== current.fileName && `/agent/${file}` !== LATEST)
      return reply.code(404).type('text/plain; charset=utf-8').send(`No such agent package; this collector serves ${current.fileName}\n`);
    return reply
      .header('cache-control', file === current.fileName ? 'public, max-age=3600' : 'no-cache')
      .header('content-disposition', `attachment; filename="${current.fileName}"`)
      .type('application/gzip')
      .send(current.tarball);
  });

  app.get(agentPackagePath, async (_request, reply) => {
    let current: AgentPackage;
    try {
      current = pkg();
    } catch (err) {
      app.log.error({ err }, 'building the agent package failed');
      return sendError(reply, 503, 'agent_package_unavailable', 'The agent package could not be built on this collector');
    }
    const info: AgentPackageInfo = { version: current.version, url: `/agent/${current.fileName}`, latestUrl: LATEST };
    return reply.header('cache-control', 'no-store').send(info);
  });
}
