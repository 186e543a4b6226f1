/** Assertions the closed-loop regression tests share. */
import { expect } from 'vitest';
import type { QualityReport } from '../../sim/closed-loop/control-quality';

/** Nothing in force was ever beyond a fuse, and no current ever over one, whoever caused it. */
export function expectNoOverload(quality: QualityReport): void {
  expect(quality.inForceExcessPeakAmps).toBe(0);
  expect(quality.totalOverloadAmpSeconds).toBe(0);
}
