import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The collector's layering, checked on its imports: no import cycle between files, and none
 * between folders (a folder is the first path segment under collector/: `store`, `ingest`,
 * …; a file directly in collector/ counts as its own). Checked on the code that ships: tests
 * (*.test.ts) and their helpers (testing/, store/conformance/) are left out, and no shipped
 * file may import a helper.
 */

const ROOT = dirname(fileURLToPath(import.meta.url));
const TEST_HELPERS = [`testing${sep}`, `store${sep}conformance${sep}`];
const isTestHelper = (path: string) => TEST_HELPERS.some((dir) => path.startsWith(dir));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|mts|mjs)$/.test(name) && !/\.test\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The collector files a file imports (static, dynamic and type-only imports, re-exports). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => {
      const base = resolve(dirname(file), spec);
      const found = [base, `${base}.ts`, `${base}.mts`, join(base, 'index.ts')].find((p) => existsSync(p) && statSync(p).isFile());
      return found ?? base;
    })
    .filter((target) => !relative(ROOT, target).startsWith('..'));
}

type Graph = Map<string, Set<string>>;

/** One cycle per strongly connected component of more than one node (or a node importing itself). */
function findCycles(graph: Graph): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];

  const visit = (v: string) => {
    order.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) !== order.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.has(v)) cycles.push(cycleIn(graph, new Set(component), v));
  };
  for (const v of [...graph.keys()].sort()) if (!order.has(v)) visit(v);
  return cycles;
}

/** A shortest path from `start` back to itself inside the component, e.g. [a, b, a]. */
function cycleIn(graph: Graph, component: Set<string>, start: string): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (!component.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let at = v; at !== start; at = previous.get(at)!) path.unshift(at);
        return [start, ...path];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

const folderOf = (file: string) => relative(ROOT, file).split(sep)[0]!;

function collectorGraphs(): { files: Graph; folders: Graph; edges: Map<string, string>; helperImports: string[] } {
  const files: Graph = new Map();
  const folders: Graph = new Map();
  /** "from → to" of folders → one file import that makes the edge, for the message. */
  const edges = new Map<string, string>();
  const helperImports: string[] = [];
  for (const file of sourceFiles(ROOT)) {
    const from = relative(ROOT, file);
    if (isTestHelper(from)) continue;
    const targets = importsOf(file);
    for (const target of targets.filter((t) => isTestHelper(relative(ROOT, t))))
      helperImports.push(`${from} imports ${relative(ROOT, target)}`);
    files.set(from, new Set(targets.map((t) => relative(ROOT, t))));
    for (const target of targets) {
      const [a, b] = [folderOf(file), folderOf(target)];
      if (a === b) continue;
      if (!folders.has(a)) folders.set(a, new Set());
      folders.get(a)!.add(b);
      if (!edges.has(`${a} → ${b}`)) edges.set(`${a} → ${b}`, `${from} imports ${relative(ROOT, target)}`);
    }
  }
  return { files, folders, edges, helperImports };
}

describe('collector architecture', () => {
  const { files, folders, edges, helperImports } = collectorGraphs();

  it('finds the imports it checks', () => {
    // The graph is read from the sources: a parser that found nothing would pass everything.
    expect(files.get('app.ts')).toContain('http/context.ts');
    expect(folders.get('http')).toContain('store');
  });

  it('keeps test helpers out of the shipped code', () => {
    expect(helperImports).toEqual([]);
  });

  it('has no import cycle between folders', () => {
    const explained = findCycles(folders).map((cycle) =>
      cycle
        .slice(1)
        .map((to, i) => `${cycle[i]} → ${to} (${edges.get(`${cycle[i]} → ${to}`)})`)
        .join('\n  '),
    );
    expect(explained, `folder cycles:\n  ${explained.join('\n\n  ')}`).toEqual([]);
  });

  it('has no import cycle between files', () => {
    const cycles = findCycles(files).map((cycle) => cycle.join(' → '));
    expect(cycles, `file cycles:\n  ${cycles.join('\n  ')}`).toEqual([]);
  });

  it('names the cycle it finds', () => {
    const graph: Graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a', 'd'])],
      ['d', new Set<string>()],
    ]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
    expect(findCycles(new Map([['a', new Set(['b'])], ['b', new Set<string>()]]))).toEqual([]);
  });
});
