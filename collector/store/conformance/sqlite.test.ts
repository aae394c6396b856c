import { afterAll } from 'vitest';
import { describeCounterStepConformance } from './counter-step-suite';
import { sqliteMetaEngine, sqliteTelemetryEngine } from './engines';
import { describeMetaConformance } from './meta-suite';
import { describeTelemetryConformance } from './telemetry-suite';
import { describeTraceConformance } from './trace-suite';

// The embedded engine needs no server: its run is always enabled.
const meta = sqliteMetaEngine();
const telemetry = sqliteTelemetryEngine();
afterAll(() => {
  meta.cleanup();
  telemetry.cleanup();
});

describeMetaConformance(meta.engine);
describeTelemetryConformance(telemetry.engine);
describeCounterStepConformance(telemetry.engine);
describeTraceConformance(telemetry.engine);
