/**
 * A button that downloads a CSV export of the API: the API wants the bearer token, which a plain link cannot send,
 * so the file is fetched and handed to the browser as a download of a Blob.
 */
import { el } from '../../ui/element';
import { t } from '../../ui/i18n/i18n';
import { describeError } from '../../ui/json-api';
import type { PageContext } from '../page-context';

/** `path()` is read at each click: a page whose range changes downloads what it shows then. */
export function csvDownload(ctx: PageContext, path: () => string, fileName: string, label: string): HTMLElement {
  const button = el('button', { type: 'button' }, label);
  const status = el('span', { class: 'field-error', role: 'status' });
  button.addEventListener('click', () => {
    button.disabled = true;
    status.textContent = '';
    ctx.api
      .download(path())
      .then((blob) => {
        const url = URL.createObjectURL(blob);
        const link = el('a', { href: url, download: fileName, hidden: true });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 0);
      })
      .catch((error: unknown) => {
        status.textContent = t('console.site.cannotDownload', { error: describeError(error) });
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  return el('span', {}, button, status);
}
