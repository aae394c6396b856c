import { http, HttpResponse } from 'msw';
import { agentPackagePath, type AgentPackageInfo } from '../../src/api/agent-package';

export const agentPackageHandlers = [
  http.get(agentPackagePath, () =>
    HttpResponse.json<AgentPackageInfo>({
      version: '0.1.0',
      url: '/agent/whatap-python-0.1.0.tar.gz',
      latestUrl: '/agent/whatap-python.tar.gz',
    }),
  ),
];
