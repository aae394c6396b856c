import type { Project } from '../../../api/projects';

export interface ProjectGroup {
  /** '' for projects without a group. */
  name: string;
  projects: Project[];
}

/** Projects by group name (A→Z, ungrouped last), each group sorted by project name. */
export function groupProjects(projects: readonly Project[]): ProjectGroup[] {
  const map = new Map<string, Project[]>();
  for (const p of projects) {
    const list = map.get(p.group) ?? [];
    list.push(p);
    map.set(p.group, list);
  }
  return [...map.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
    .map(([name, list]) => ({ name, projects: list.sort((x, y) => x.name.localeCompare(y.name)) }));
}
