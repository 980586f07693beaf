/// <reference types="vite/client" />
/**
 * The pages' languages, with `@lit/localize` in runtime mode: one bundle per page, English
 * built in, every other language a lazily loaded chunk, switched without a reload (transform
 * mode would build one bundle per language and need a reload and a server-side pick to switch).
 *
 * Adding a language is one file: `client/src/locales/<locale>.ts`, whose default export maps
 * each English string, exactly as the code passes it to `msg()`, to its translation; in a
 * `str` template `${0}`, `${1}`... stand for its values in order. The build picks the file
 * up (`import.meta.glob`), the language switch lists it and the browser's languages find it.
 *
 * Which language a page speaks: the event's fixed language if the host set one, else the
 * guest's own pick (remembered on this device), else the first of `navigator.languages`
 * that we have, else English. Guest-written text is never passed through `msg()`.
 */
import { configureLocalization, LOCALE_STATUS_EVENT, msg, str, type TemplateMap } from '@lit/localize'
import { generateMsgId } from '@lit/localize/internal/id-generation.js'
import { ReactiveElement } from 'lit'

export { msg, str }

/** A locale module: English source string -> translation. */
export type Strings = Record<string, string>

/** The locale modules, found by the build (Vite's glob). Under `bun test` there is no Vite: English only. */
function localeModules(): Record<string, () => Promise<{ default: Strings }>> {
  try {
    return import.meta.glob<{ default: Strings }>('../locales/*.ts')
  } catch {
    return {}
  }
}
const modules = localeModules()
const byLocale = new Map(Object.entries(modules).map(([path, load]) => [path.replace(/^.*\/|\.ts$/g, ''), load]))

export const SOURCE_LOCALE = 'en'
/** Every language a page can speak, English first. */
export const LOCALES: string[] = [SOURCE_LOCALE, ...byLocale.keys()]
/** Where the guest's (or host's) own pick is kept. */
export const LANGUAGE_KEY = 'gb-language'

const PLACEHOLDER = /\$\{(\d+)\}/g

/** Turns a locale module into lit-localize's templates, keyed by the id `msg()` computes from the English. */
export function toTemplates(strings: Strings) {
  const templates: Record<string, string | { strTag: true; strings: string[]; values: number[] }> = {}
  for (const [en, tr] of Object.entries(strings)) {
    if (!en.includes('${')) {
      templates[generateMsgId(en, false)] = tr
      continue
    }
    const parts = tr.split(PLACEHOLDER)
    templates[
      generateMsgId(
        en.split(PLACEHOLDER).filter((_, i) => i % 2 === 0),
        false,
      )
    ] = {
      strTag: true,
      strings: parts.filter((_, i) => i % 2 === 0),
      values: parts.filter((_, i) => i % 2 === 1).map(Number),
    }
  }
  // lit-localize's str results carry a TemplateStringsArray; joinStringsAndValues only indexes it.
  return templates as unknown as TemplateMap
}

const { getLocale, setLocale } = configureLocalization({
  sourceLocale: SOURCE_LOCALE,
  targetLocales: [...byLocale.keys()],
  loadLocale: async (locale) => ({ templates: toTemplates((await byLocale.get(locale)!()).default) }),
})

export { getLocale }

/** The supported locale that best matches a language tag ('zh-Hans-CN' -> 'zh-CN'), or null. */
export function matchLocale(tag: string | null | undefined): string | null {
  if (!tag) return null
  const lower = tag.toLowerCase()
  const exact = LOCALES.find((l) => l.toLowerCase() === lower)
  if (exact) return exact
  const lang = lower.split('-')[0]
  return LOCALES.find((l) => l.toLowerCase().split('-')[0] === lang) ?? null
}

/** The guest's own pick on this device, if any. */
export function storedLocale(): string | null {
  try {
    return matchLocale(localStorage.getItem(LANGUAGE_KEY))
  } catch {
    return null
  }
}

/** The event's fixed language ('auto' or unknown: none), else the stored pick, else the browser's. */
export function chooseLocale(fixed?: string | null): string {
  const f = fixed && fixed !== 'auto' ? matchLocale(fixed) : null
  if (f) return f
  const stored = storedLocale()
  if (stored) return stored
  for (const tag of navigator.languages ?? [navigator.language]) {
    const m = matchLocale(tag)
    if (m) return m
  }
  return SOURCE_LOCALE
}

/** Whether an event fixes the pages' language (then the guest's switch is hidden). */
export const fixedLanguage = (event: { language?: string } | null | undefined) =>
  !!event?.language && event.language !== 'auto' && matchLocale(event.language) !== null

/** Switches the page (and `<html lang>`) to a locale; resolves once its strings are in. */
export async function useLocale(locale: string): Promise<void> {
  if (typeof document !== 'undefined') document.documentElement.lang = locale
  // setLocale itself skips a switch to the locale it is already in or loading, and a later call wins a race.
  await setLocale(locale)
}

/** Remembers the guest's pick on this device and switches to it. */
export function pickLocale(locale: string): Promise<void> {
  try {
    localStorage.setItem(LANGUAGE_KEY, locale)
  } catch {
    // private mode: the pick lasts this page
  }
  return useLocale(locale)
}

/** A language's own name ('简体中文' for zh-CN), for the switch. */
export function languageName(locale: string): string {
  try {
    const tag = locale === 'zh-CN' ? 'zh-Hans' : locale
    return new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? locale
  } catch {
    return locale
  }
}

// Every Lit element on the page re-renders when the strings change: one walk here instead of a
// controller in each component (lit-localize's updateWhenLocaleChanges).
function rerender(root: Document | ShadowRoot) {
  for (const el of Array.from(root.querySelectorAll('*'))) {
    if (el instanceof ReactiveElement) el.requestUpdate()
    if (el.shadowRoot) rerender(el.shadowRoot)
  }
}
// Not in a page (the unit tests of modules that use msg()): nothing to re-render.
if (typeof window !== 'undefined') {
  window.addEventListener(LOCALE_STATUS_EVENT, (e) => {
    if (e.detail.status === 'ready') rerender(document)
  })
}

/** Numbers in the page's language. */
export const formatNumber = (n: number, options?: Intl.NumberFormatOptions) =>
  new Intl.NumberFormat(getLocale(), options).format(n)
/** A clock time (hours and minutes, seconds if asked) in the page's language. */
export const formatTime = (ms: number, seconds = false) =>
  new Date(ms).toLocaleTimeString(getLocale(), {
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds && { second: '2-digit' }),
  })
/** A date in the page's language. */
export const formatDate = (ms: number) => new Date(ms).toLocaleDateString(getLocale())

// The page starts in the best language it knows now; an event's fixed language follows from its info.
void useLocale(chooseLocale())
