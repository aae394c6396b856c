import { createContext, useContext, type ReactNode } from 'react';
import type { Project } from '../api/projects';

/**
 * The project whose pages are open. The project shell (src/app) loads it once and
 * provides it here, so feature pages read its name, region and time zone without
 * fetching it again or importing another feature.
 */
const CurrentProjectContext = createContext<Project | null>(null);

export function CurrentProjectProvider({ project, children }: { project: Project; children: ReactNode }) {
  return <CurrentProjectContext.Provider value={project}>{children}</CurrentProjectContext.Provider>;
}

/** The open project; only valid inside `/projects/:pcode/*` pages. */
export function useCurrentProject(): Project {
  const project = useContext(CurrentProjectContext);
  if (!project) throw new Error('useCurrentProject() used outside a project page');
  return project;
}
