// @vitest-environment node
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The console's layers are enforced by lint (eslint.config.js): app → features → shared.
 * These snippets are linted as if they sat at the given path; the rule must name each
 * forbidden import and let the allowed ones through.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function layerErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: `${root}${filePath}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

describe('console layers', () => {
  it('report a feature importing another feature or the app', async () => {
    const errors = await layerErrors(
      'src/features/agents/lib/probe.ts',
      [
        "import { parseHitmapSearch } from '../../hitmap/hitmap-search';",
        "import { appRoutes } from '../../../app/routes';",
        'export const probe = [parseHitmapSearch, appRoutes];',
      ].join('\n'),
    );
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain('../../hitmap/hitmap-search');
    expect(errors[0]).toContain('does not import another feature');
    expect(errors[1]).toContain('../../../app/routes');
  });

  it('report shared code and the mock server importing a feature or the app', async () => {
    const lib = await layerErrors('src/lib/probe.ts', "export { AgentTable } from '../features/agents/components/agent-table';\n");
    expect(lib).toEqual([expect.stringContaining('Shared code imports no feature')]);
    const component = await layerErrors('src/components/probe.ts', "export { appRoutes } from '../app/routes';\n");
    expect(component).toHaveLength(1);
    const mock = await layerErrors('mock-server/probe.ts', "export { parseHitmapSearch } from '../src/features/hitmap/hitmap-search';\n");
    expect(mock).toHaveLength(1);
  });

  it('let the app compose features, and features use their own files and shared code', async () => {
    expect(await layerErrors('src/app/probe.ts', "export { LiveHitmapCard } from '../features/hitmap/components/live-hitmap-card';\n")).toEqual([]);
    expect(
      await layerErrors(
        'src/features/hitmap/lib/probe.ts',
        "export { parseHitmapSearch } from '../hitmap-search';\nexport { paths } from '../../../lib/paths';\n",
      ),
    ).toEqual([]);
  });
});
