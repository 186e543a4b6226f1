/** Small status badges with text (never colour alone). */
import { el } from './element';
import { t } from './i18n/i18n';

export type Tone = 'ok' | 'warn' | 'bad' | 'muted';

export const badge = (text: string, tone: Tone) => el('span', { class: `badge badge-${tone}` }, text);

const CONNECTIVITY_TONE = { online: 'ok', offline: 'bad', unknown: 'muted' } as const;
export const connectivityBadge = (state: keyof typeof CONNECTIVITY_TONE) =>
  badge(t(`common.connectivity.${state}`), CONNECTIVITY_TONE[state]);

const SEVERITY_TONE = { info: 'muted', warning: 'warn', error: 'bad' } as const;
export const severityBadge = (severity: keyof typeof SEVERITY_TONE) =>
  badge(t(`common.severity.${severity === 'error' ? 'critical' : severity}`), SEVERITY_TONE[severity]);
