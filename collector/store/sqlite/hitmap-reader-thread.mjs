// Entry of a hitmap reader thread. Plain JavaScript, so that it starts the same under node,
// tsx and vitest: it registers the TypeScript loader for this thread only, then runs the host
// (hitmap-reader-host.ts).
import { register } from 'tsx/esm/api';

register();
await import('./hitmap-reader-host.ts');
