/**
 * Progressive filling (water-filling) of one priority class: every member rises at the same rate from its
 * minimum; a member stops at its own maximum, or when any constraint it is under fills up, which freezes every
 * member still rising under it. The result is max-min fair in amps per phase. Event-driven (`FillRun`): O(k log m)
 * for k entries and m constraint groups.
 */
import type { ConnectorDemand } from './connector-demand';
import { addUsage, ALL_PHASES, type ConstraintSet } from './constraint-set';
import { BOUND_BY_OWN_MAX, FILL_EPSILON, FillRun, type FillResume, type FillTarget } from './fill-run';
import type { FillWorkspace } from './fill-workspace';
import { addAt, f64, i32, u8 } from './typed-access';

/**
 * Raises `members` from their minimum as far as `capacity` allows. `used` must already hold every constraint's
 * usage with all members at their minimum; it is updated with the members' final steps.
 */
export function waterFill(
  ws: FillWorkspace,
  demand: ConnectorDemand,
  set: ConstraintSet,
  capacity: Float64Array,
  used: Float64Array,
  members: readonly number[],
  target: FillTarget,
  resume?: FillResume,
): void {
  // Resuming the workspace's own last fill: its end state is still there, so only what happened at or above the
  // resume level is undone, rather than everything below it rebuilt.
  const reopen = resume !== undefined && ws.holdsFill(members, resume.levels);
  if (reopen) ws.heap.clear();
  else ws.reset(used, members);
  setPotentials(ws, demand, set, used, members, resume !== undefined);
  const run = new FillRun(ws, demand, set, capacity, target, members);
  const reopened = resume ? run.resumeAt(resume, reopen) : [];
  run.run();
  writeResult(ws, demand, set, used, members, target, reopen ? { resume, reopened } : undefined);
}

/**
 * What each limit would carry with every member at its maximum: a limit that holds even then never fills, so it
 * never enters the event queue (most chargers' own limits and many circuits, on a typical site). A resumed fill
 * has few members left rising and skips this.
 */
function setPotentials(
  ws: FillWorkspace,
  demand: ConnectorDemand,
  set: ConstraintSet,
  used: Float64Array,
  members: readonly number[],
  resumed: boolean,
): void {
  const { potential, potentialAll } = ws;
  const { start, group, phase, weight } = set;
  potentialAll.fill(0);
  if (resumed) {
    potential.fill(Infinity);
    return;
  }
  potential.set(used);
  for (const i of members) {
    const rise = i32(demand.maxSteps, i) - i32(demand.minSteps, i);
    for (let j = i32(start, i), end = i32(start, i + 1); j < end; j++) {
      const p = u8(phase, j);
      if (p === ALL_PHASES) addAt(potentialAll, i32(group, j), i32(weight, j) * rise);
      else addAt(potential, i32(group, j) * 3 + p, i32(weight, j) * rise);
    }
  }
}

/**
 * Rounds each member's level down to whole steps and adds them to `used`. A reopened fill starts from the last
 * fill's usage and changes only what the members that rose again changed. The workspace remembers this fill.
 */
function writeResult(
  ws: FillWorkspace,
  demand: ConnectorDemand,
  set: ConstraintSet,
  used: Float64Array,
  members: readonly number[],
  target: FillTarget,
  reopened: { readonly resume: FillResume; readonly reopened: readonly number[] } | undefined,
): void {
  const { minSteps, maxSteps } = demand;
  const stepsOf = (i: number, at: number, bound: number) =>
    // A member stopped at its own maximum stopped at exactly that whole step: the others are rounded down.
    bound === BOUND_BY_OWN_MAX
      ? i32(maxSteps, i)
      : Math.min(i32(maxSteps, i), Math.max(i32(minSteps, i), Math.floor(at - FILL_EPSILON)));
  for (const i of members) {
    target.steps[i] = stepsOf(i, f64(ws.level, i), i32(target.boundBy, i));
    target.levels[i] = f64(ws.level, i);
  }
  if (reopened) {
    const { resume } = reopened;
    used.set(ws.usedAfter);
    for (const i of reopened.reopened)
      addUsage(set, used, i, i32(target.steps, i) - stepsOf(i, f64(resume.levels, i), i32(resume.boundBy, i)));
  } else {
    for (const i of members)
      if (target.steps[i] !== minSteps[i]) addUsage(set, used, i, i32(target.steps, i) - i32(minSteps, i));
  }
  ws.usedAfter.set(used);
  ws.lastMembers = members;
  ws.lastLevels = target.levels;
}
