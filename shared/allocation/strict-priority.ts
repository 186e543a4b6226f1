/**
 * Strict prioritised distribution (`distribution: "priorityStrict"`, the TotalEnergies reading of "prioritised"):
 * each class, from VIPs down, is chosen and filled up to its maximum as if lower classes were absent; the next class
 * shares what is left, and its cars are paused when nothing is left for their minimum.
 */
import type { Policy } from '../policy/policy-schema';
import { classGroups, type FillResult } from './class-fill';
import { chooseAndFill, type ChosenFill } from './choose-and-fill';
import { Role, VIP_CLASS, type ConnectorDemand } from './connector-demand';
import type { ConstraintLayout, ConstraintSet } from './constraint-set';
import type { PauseReason } from './pause-selection';
import { BOUND_BY_NONE } from './fill-run';
import type { FillWorkspace } from './fill-workspace';
import { f64, i32, u8 } from './typed-access';

/**
 * One class at a time, highest first: the classes above are held at what they got (as reserved load), the classes
 * below take no part.
 */
export function chooseAndFillStrict(
  ws: FillWorkspace,
  demand: ConnectorDemand,
  set: ConstraintSet,
  layout: ConstraintLayout,
  capacity: Float64Array,
  policy: Policy,
  now: number,
): ChosenFill {
  const { n } = demand;
  const classes = [
    ...new Set(
      Array.from({ length: n }, (_, i) => i)
        .filter((i) => demand.role[i] === Role.Candidate)
        .map((i) => i32(demand.klass, i)),
    ),
  ].sort((a, b) => b - a);
  const active = new Uint8Array(n);
  const steps = new Int32Array(n);
  const boundBy = new Int32Array(n).fill(BOUND_BY_NONE);
  const levels = new Float64Array(n);
  const limited = new Uint8Array(n);
  const pauseReason = new Array<PauseReason | undefined>(n);
  const imbalanceCaps = capacity.slice(layout.imbalanceBase, layout.imbalanceBase + 3);
  // Classes above are held as reserved load: no later class's balancing may cut or pause them.
  const role = demand.role.slice();
  const reservedSteps = demand.reservedSteps.slice();
  const view: ConnectorDemand = { ...demand, role, reservedSteps };
  let last: ChosenFill | undefined;
  for (const klass of classes.length > 0 ? classes : [VIP_CLASS]) {
    const excluded = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const k = i32(demand.klass, i);
      if (demand.role[i] !== Role.Candidate) continue;
      if (k < klass || (k > klass && !active[i])) excluded[i] = 1;
      else if (k > klass) {
        role[i] = Role.Unresponsive;
        reservedSteps[i] = i32(steps, i);
      }
    }
    capacity.set(imbalanceCaps, layout.imbalanceBase);
    last = chooseAndFill(ws, view, set, layout, capacity, policy, now, excluded);
    for (let i = 0; i < n; i++) {
      if (demand.klass[i] !== klass || demand.role[i] !== Role.Candidate) continue;
      active[i] = u8(last.selection.active, i);
      steps[i] = i32(last.fill.steps, i);
      boundBy[i] = i32(last.fill.boundBy, i);
      levels[i] = f64(last.fill.levels, i);
      limited[i] = u8(last.limited, i);
      pauseReason[i] = last.selection.pauseReason[i];
    }
  }
  const fill: FillResult = { steps, boundBy, levels, used: last!.fill.used };
  return {
    selection: { active, pauseReason, used: last!.selection.used },
    fill,
    limited,
    groups: classGroups(demand, active),
  };
}
