import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WIRE_LIMITS } from '../src/api/wire';
import { renderWireModel, WIRE_MODEL_PATH } from './gen-wire-model';

describe('the agent wire model', () => {
  it('is what scripts/gen-wire-model.ts generates from src/api/wire.ts (if not: npm run gen:wire)', () => {
    expect(readFileSync(WIRE_MODEL_PATH, 'utf8')).toBe(renderWireModel());
  });

  it('carries every limit under its Python name', () => {
    const text = renderWireModel();
    expect(text).toContain(`MAX_STEPS = ${WIRE_LIMITS.maxSteps}\n`);
    expect(text).toContain(`MAX_USER_AGENT = ${WIRE_LIMITS.maxUserAgent}\n`);
    expect(text).toContain('STEP_KINDS = ("sql", "httpc", "method", "message", "error", "dbc", "truncated")\n');
  });
});
