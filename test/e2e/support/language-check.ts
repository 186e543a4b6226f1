/**
 * Whether a page speaks one language only: the page's text (text nodes, accessible names, placeholders and the
 * document title; text marked with another `lang` left out, see browser/ui/i18n/untranslated.ts) searched for the
 * other catalogue's messages. Each message of the other language that differs from this language's message for the
 * same key is split at its placeholders; every fragment of three letters or more that this language's message does
 * not also contain must not appear on the page as a whole word.
 */
import type { Page } from 'playwright-core';
import type { Locale } from '../../../browser/ui/i18n/locale';
import { CATALOGUES } from '../../../browser/ui/i18n/messages/catalogue';

/**
 * Fragments that are words of both languages (German "Last" is load, "Start", "Link", "Version" and "Firmware" are German too) or names:
 * never taken for the other language.
 */
const SAME_IN_BOTH = new Set([
  'OCPP',
  'CSMS',
  'VIP',
  'JWT',
  'KiB',
  'kWh',
  'Ampshare',
  'Budget',
  'Last',
  'Start',
  'Link',
  'Version',
  'Firmware',
]);

function flatten(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]: [string, unknown]) =>
    typeof value === 'string'
      ? [[`${prefix}${key}`, value] as [string, string]]
      : flatten(value as object, `${prefix}${key}.`),
  );
}

/** What would give `other`'s messages away on a page in `locale`. */
export function giveaways(locale: Locale, other: Locale): string[] {
  const own = new Map(flatten(CATALOGUES[locale]));
  const fragments = flatten(CATALOGUES[other]).flatMap(([key, text]) => {
    const mine = own.get(key) ?? '';
    if (mine === text) return [];
    return text
      .split(/\{\{\w+\}\}/)
      .map((part) => part.trim().replace(/^[\s.,:;·()–#/]+|[\s.,:;·()–#/]+$/g, ''))
      .filter((part) => (part.match(/\p{L}/gu) ?? []).length >= 3 && !mine.includes(part) && !SAME_IN_BOTH.has(part));
  });
  return [...new Set(fragments)];
}

/** Everything the page shows or announces, text marked with another language left out. */
export function pageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const lang = document.documentElement.lang;
    const clone = document.body.cloneNode(true) as HTMLElement;
    for (const node of clone.querySelectorAll('[lang], noscript, script'))
      if (node.getAttribute('lang') !== lang) node.remove();
    const texts: string[] = [document.title];
    const walker = document.createTreeWalker(clone, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node.textContent ?? '');
    for (const element of clone.querySelectorAll('[aria-label], [placeholder], [title]'))
      for (const name of ['aria-label', 'placeholder', 'title']) texts.push(element.getAttribute(name) ?? '');
    return texts.join('\n');
  });
}

/** The fragments of `other` found in `text`. */
export function foundIn(text: string, fragments: readonly string[]): string[] {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return fragments.filter((fragment) => new RegExp(`(?<!\\p{L})${escape(fragment)}(?!\\p{L})`, 'u').test(text));
}

/** The other language's fragments on the page now. */
export async function otherLanguageOn(page: Page, locale: Locale): Promise<string[]> {
  const other: Locale = locale === 'de' ? 'en' : 'de';
  return foundIn(await pageText(page), giveaways(locale, other));
}

/**
 * The other language's fragments on the page now and, on a German page, any text marked English: the check above
 * leaves marked text out (it is what a server said without a reason the page knows), so a German page that must have
 * none is checked with this, or the check would pass with English back on it, marked. A protocol's identifier marked
 * not to translate (`translate="no"`: an OCPP status, a profile's purpose) is no English text.
 */
export async function otherLanguageOrMarkedOn(page: Page, locale: Locale): Promise<string[]> {
  const marked = locale === 'de' ? await page.locator('main [lang="en"]:not([translate="no"])').allTextContents() : [];
  return [...(await otherLanguageOn(page, locale)), ...marked.map((text) => `marked English: ${text}`)];
}
