/** What Tab can reach inside a dialog. */
const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])'

/**
 * Keeps Tab and Shift+Tab inside a modal dialog: past the last control the focus wraps to the
 * first, and back (WAI-ARIA dialog pattern). Call it from a keydown handler while the dialog is up.
 * @example if (this.sheet) trapTab(e, this.renderRoot.querySelector('[role="dialog"]'))
 */
export function trapTab(e: KeyboardEvent, dialog: HTMLElement | null) {
  if (e.key !== 'Tab' || !dialog) return
  const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => !el.hasAttribute('disabled') && el.getClientRects().length > 0,
  )
  if (!items.length) return
  const active = (dialog.getRootNode() as Document | ShadowRoot).activeElement
  const first = items[0]
  const last = items[items.length - 1]
  const outside = !active || !dialog.contains(active)
  if (e.shiftKey ? outside || active === first : outside || active === last) {
    e.preventDefault()
    ;(e.shiftKey ? last : first).focus()
  }
}
