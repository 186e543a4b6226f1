/**
 * Labelled form fields with an error slot each, addressed by a value path (`budget.max`): the forms of the fleet
 * console and of the edge dashboard are built from these and show each validation issue next to its field.
 */
import { el, uniqueId } from './element';

export interface FormField {
  readonly path: string;
  readonly node: HTMLElement;
  /** The control that gets focus when the field is the first with an error. */
  readonly control: HTMLElement;
  read(): unknown;
  write(value: unknown): void;
  setError(message: string | null): void;
}

interface Common {
  readonly path: string;
  readonly label: string;
  readonly hint?: string;
}

/** Wraps a control with its label, hint and error slot, wired with `aria-describedby` and `aria-invalid`. */
function fieldShell(
  common: Common,
  control: HTMLInputElement | HTMLSelectElement,
  read: () => unknown,
  write: (value: unknown) => void,
): FormField {
  const id = uniqueId('f');
  control.id = id;
  control.name = common.path;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const error = el('p', { id: errorId, class: 'field-error', 'data-error-for': common.path, hidden: true });
  control.setAttribute('aria-describedby', common.hint ? `${hintId} ${errorId}` : errorId);
  const isCheck = control instanceof HTMLInputElement && control.type === 'checkbox';
  const label = el('label', { for: id }, common.label);
  const node = el(
    'div',
    { class: isCheck ? 'field field-check' : 'field', 'data-field': common.path },
    ...(isCheck ? [control, label] : [label, control]),
    common.hint ? el('p', { id: hintId, class: 'field-hint' }, common.hint) : null,
    error,
  );
  return {
    path: common.path,
    node,
    control,
    read,
    write,
    setError: (message) => {
      error.textContent = message ?? '';
      error.hidden = message === null;
      if (message === null) control.removeAttribute('aria-invalid');
      else control.setAttribute('aria-invalid', 'true');
    },
  };
}

/** A number; empty is `undefined` (the schema's default applies) or `null` when `emptyIsNull`. */
export function numberField(common: Common & { step?: number; min?: number; emptyIsNull?: boolean }): FormField {
  const input = el('input', { type: 'number', inputmode: 'decimal', step: common.step ?? 'any', min: common.min });
  return fieldShell(
    common,
    input,
    () => (input.value.trim() === '' ? (common.emptyIsNull ? null : undefined) : Number(input.value)),
    (value) => (input.value = typeof value === 'number' ? String(value) : ''),
  );
}

export function textField(common: Common & { placeholder?: string; autocomplete?: string }): FormField {
  const input = el('input', {
    type: 'text',
    placeholder: common.placeholder,
    autocomplete: common.autocomplete ?? 'off',
  });
  return fieldShell(
    common,
    input,
    () => (input.value.trim() === '' ? undefined : input.value.trim()),
    (value) => (input.value = typeof value === 'string' ? value : ''),
  );
}

/** A password; `autocomplete` tells password managers whether it is the current one or a new one. */
export function passwordField(common: Common & { autocomplete: 'current-password' | 'new-password' }): FormField {
  const input = el('input', { type: 'password', autocomplete: common.autocomplete, spellcheck: 'false' });
  return fieldShell(
    common,
    input,
    () => input.value,
    (value) => (input.value = typeof value === 'string' ? value : ''),
  );
}

/** Comma- or space-separated values read as a string array. */
export function listField(common: Common & { placeholder?: string }): FormField {
  const input = el('input', { type: 'text', placeholder: common.placeholder, autocomplete: 'off' });
  return fieldShell(
    common,
    input,
    () => input.value.split(/[\s,]+/).filter((item) => item !== ''),
    (value) => (input.value = Array.isArray(value) ? value.join(', ') : ''),
  );
}

export interface Choice {
  readonly value: string;
  readonly label: string;
}

/** A select; `numeric` reads the value back as a number. */
export function selectField(common: Common & { choices: readonly Choice[]; numeric?: boolean }): FormField {
  const select = el('select', {}, ...common.choices.map((c) => el('option', { value: c.value }, c.label)));
  return fieldShell(
    common,
    select,
    () => (common.numeric ? Number(select.value) : select.value),
    (value) =>
      (select.value =
        typeof value === 'string' || typeof value === 'number' ? String(value) : (common.choices[0]?.value ?? '')),
  );
}

export function checkboxField(common: Common): FormField {
  const input = el('input', { type: 'checkbox' });
  return fieldShell(
    common,
    input,
    () => input.checked,
    (value) => (input.checked = value === true),
  );
}

/** Several checkboxes in a fieldset, read as the array of checked values (e.g. the days of a schedule). */
export function choiceGroupField(common: Common & { choices: readonly Choice[] }): FormField {
  const id = uniqueId('g');
  const boxes = common.choices.map((choice) => {
    const box = el('input', { type: 'checkbox', id: `${id}-${choice.value}`, value: choice.value, name: common.path });
    return { box, node: el('span', { class: 'choice' }, box, el('label', { for: box.id }, choice.label)) };
  });
  const error = el('p', { id: `${id}-error`, class: 'field-error', 'data-error-for': common.path, hidden: true });
  const node = el(
    'fieldset',
    { class: 'field choice-group', 'data-field': common.path, 'aria-describedby': error.id },
    el('legend', {}, common.label),
    ...boxes.map((b) => b.node),
    error,
  );
  return {
    path: common.path,
    node,
    control: boxes[0]?.box ?? node,
    read: () => boxes.filter((b) => b.box.checked).map((b) => b.box.value),
    write: (value) => boxes.forEach((b) => (b.box.checked = Array.isArray(value) && value.includes(b.box.value))),
    setError: (message) => {
      error.textContent = message ?? '';
      error.hidden = message === null;
    },
  };
}
