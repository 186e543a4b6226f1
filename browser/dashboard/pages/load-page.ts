/**
 * Load management: the policy in force as a form (VIP, distribution, budget, static or dynamic, limits, fail-safe,
 * closed loop, schedules), validated with the shared schema as you type; saving puts it in force at once.
 */
import { el } from '../../ui/element';
import { firstInvalid } from '../../ui/field-issues';
import { t } from '../../ui/i18n/i18n';
import { ApiError, describeError } from '../../ui/json-api';
import { liveRegion } from '../../ui/live-region';
import { policyForm } from '../../ui/policy/policy-form';
import { policyCheck } from '../../ui/policy/policy-validation';
import { PolicyAnswerSchema, type PolicyAnswer } from '../../../shared/dashboard/api-answers';
import type { Page, PageContext } from '../page-context';

export function loadPage(ctx: PageContext): Page {
  const status = liveRegion('policy-status');
  const origin = el('p', { class: 'muted', 'data-testid': 'policy-origin' });
  const form = policyForm(() => validate());
  const check = policyCheck(form);
  const save = el('button', { type: 'submit', class: 'primary' }, t('dashboard.load.save'));
  const validate = () => check.run();
  const showAnswer = (answer: PolicyAnswer) => {
    form.write(answer.policy);
    validate();
    origin.textContent = `${t('dashboard.load.inForce', { source: t(`dashboard.load.source.${answer.source}`) })}${answer.cloudLinked ? t('dashboard.load.reported') : ''}`;
  };

  const submit = async () => {
    const { policy, issues } = validate();
    if (!policy) {
      status.say(t('dashboard.load.errors', { count: issues.length }), 'error');
      firstInvalid(form.targets(), issues)?.focus();
      return;
    }
    save.disabled = true;
    try {
      showAnswer(await ctx.api.send('PUT', '/policy', policy, PolicyAnswerSchema));
      status.say(t('dashboard.load.saved'), 'ok');
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        check.show(error.details);
        firstInvalid(form.targets(), error.details)?.focus();
      }
      status.say(t('dashboard.load.notSaved', { error: describeError(error) }), 'error');
    } finally {
      save.disabled = false;
    }
  };

  void ctx.api
    .get('/policy', PolicyAnswerSchema)
    .then(showAnswer, (error: unknown) =>
      status.say(t('dashboard.load.cannotRead', { error: describeError(error) }), 'error'),
    );
  const node = el(
    'form',
    {
      class: 'card',
      'aria-labelledby': 'policy-heading',
      novalidate: true,
      onsubmit: (e: Event) => (e.preventDefault(), void submit()),
    },
    el('h2', { id: 'policy-heading' }, t('dashboard.load.heading')),
    origin,
    check.node,
    form.node,
    el('div', { class: 'actions' }, save),
    status.node,
  );
  return { title: t('dashboard.sections.load'), node };
}
