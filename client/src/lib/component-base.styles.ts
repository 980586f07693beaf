/**
 * The start of every guest and host component's styles. base.css does not reach into
 * shadow roots, so each component sets the page font, colour and box sizing again here,
 * with the text helpers and the reduced-motion switch both pages use.
 */
import { css } from 'lit'

export const componentBaseStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--gb-font);
    color: var(--gb-text);
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  /* Text people typed: long words and URLs wrap instead of widening the layout. */
  .wrap {
    overflow-wrap: anywhere;
    word-break: break-word;
  }
  /* Read by screen readers, not shown. */
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation-duration: 0.01ms !important;
      animation-iteration-count: 1 !important;
      transition-duration: 0.01ms !important;
    }
  }
`
