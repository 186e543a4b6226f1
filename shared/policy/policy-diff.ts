/** Field-by-field differences between two policies, as text an operator can read before a push. */
import type { Policy } from './policy-schema';

/** One field that differs; values are display text (`on`/`off`, lists joined with commas, `none` for null). */
export interface PolicyChange {
  /** Dotted path, with row indexes for lists of objects: `budget.max`, `schedules[0].from`. */
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isRowList = (value: unknown): value is unknown[] => Array.isArray(value) && value.some(isRecord);

function display(value: unknown): string {
  if (value === undefined) return 'not set';
  if (value === null) return 'none';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (Array.isArray(value)) return value.length ? value.map(display).join(', ') : 'none';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

function collect(path: string, before: unknown, after: unknown, out: PolicyChange[]): void {
  if (isRecord(before) || isRecord(after)) {
    const a = isRecord(before) ? before : {};
    const b = isRecord(after) ? after : {};
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      collect(path ? `${path}.${key}` : key, a[key], b[key], out);
    return;
  }
  if (isRowList(before) || isRowList(after)) {
    const a = Array.isArray(before) ? before : [];
    const b = Array.isArray(after) ? after : [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) collect(`${path}[${i}]`, a[i] ?? {}, b[i] ?? {}, out);
    return;
  }
  const [was, is] = [display(before), display(after)];
  if (was !== is) out.push({ path, before: was, after: is });
}

/** Every field whose value differs between `before` and `after`, in the order of the policy's fields. Pure. */
export function policyChanges(before: Policy, after: Policy): PolicyChange[] {
  const out: PolicyChange[] = [];
  collect('', before, after, out);
  return out;
}
