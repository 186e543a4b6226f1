/** A fuse rating as typed (a decimal comma is read as a point): `63` (every phase) or `63 / 63 / 40` (L1, L2, L3); anything else goes to the schema as typed. */
import { textField, type FormField } from '../../../ui/form-fields';

export function readFuse(text: string): unknown {
  const parts = text.split(/[\s/;]+/).filter((p) => p !== '');
  const numbers = parts.map((p) => Number(p.replace(',', '.')));
  if (parts.length === 0 || numbers.some((n) => !Number.isFinite(n))) return text;
  return numbers.length === 1 ? numbers[0] : numbers;
}

export function writeFuse(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map((v) => String(v)).join(' / ');
  return typeof value === 'string' ? value : '';
}

export function fuseField(path: string, label: string, hint: string): FormField {
  const field = textField({ path, label, hint });
  const input = field.control as HTMLInputElement;
  return {
    ...field,
    read: () => readFuse(input.value),
    write: (value) => (input.value = writeFuse(value)),
  };
}
