// Entry of the telemetry writer thread. Plain JavaScript, so that it starts the same under
// node, tsx and vitest: it registers the TypeScript loader for this thread only, then runs
// the host (telemetry-writer-host.ts).
import { register } from 'tsx/esm/api';

register();
await import('./telemetry-writer-host.ts');
