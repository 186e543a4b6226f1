/**
 * Load management: the policy in force as a form (VIP, distribution, budget, static or dynamic, limits, fail-safe,
 * closed loop, schedules), validated with the shared schema as you type; saving puts it in force at once.
 */
import { el } from '../../ui/element';
import { firstInvalid } from '../../ui/field-issues';
import { ApiError, describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import { policyForm } from '../../ui/policy/policy-form';
import { policyCheck } from '../../ui/policy/policy-validation';
import { PolicyAnswerSchema, type PolicyAnswer } from '../../../shared/dashboard/api-answers';
import type { Page, PageContext } from '../page-context';

const SOURCE_TEXT = {
  config: 'the configuration file',
  local: 'this dashboard',
  cloud: 'the fleet console (cloud)',
} as const;

export function loadPage(ctx: PageContext): Page {
  const status = liveRegion('policy-status');
  const origin = el('p', { class: 'muted', 'data-testid': 'policy-origin' });
  const form = policyForm(() => validate());
  const check = policyCheck(form);
  const save = el('button', { type: 'submit', class: 'primary' }, 'Save and apply');
  const validate = () => check.run();
  const showAnswer = (answer: PolicyAnswer) => {
    form.write(answer.policy);
    validate();
    origin.textContent = `In force since it came from ${SOURCE_TEXT[answer.source]}.${answer.cloudLinked ? ' Changes saved here are reported to the cloud.' : ''}`;
  };

  const submit = async () => {
    const { policy, issues } = validate();
    if (!policy) {
      status.say(`The settings have ${issues.length} error(s); fix the fields marked below.`, 'error');
      firstInvalid(form.targets(), issues)?.focus();
      return;
    }
    save.disabled = true;
    try {
      showAnswer(await ctx.api.send('PUT', '/policy', policy, PolicyAnswerSchema));
      status.say('Saved: the new settings are in force.', 'ok');
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        check.show(error.details);
        firstInvalid(form.targets(), error.details)?.focus();
      }
      status.say(`Not saved: ${describeError(error)}`, 'error');
    } finally {
      save.disabled = false;
    }
  };

  void ctx.api
    .get('/policy', PolicyAnswerSchema)
    .then(showAnswer, (error: unknown) => status.say(`Could not read the settings: ${describeError(error)}`, 'error'));
  const node = el(
    'form',
    {
      class: 'card',
      'aria-labelledby': 'policy-heading',
      novalidate: true,
      onsubmit: (e: Event) => (e.preventDefault(), void submit()),
    },
    el('h2', { id: 'policy-heading' }, 'Load management settings'),
    origin,
    check.node,
    form.node,
    el('div', { class: 'actions' }, save),
    status.node,
  );
  return { title: 'Load management', node };
}
