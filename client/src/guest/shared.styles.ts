/**
 * Styles the guest components share: cards, big buttons, visually hidden text.
 * Sizes are in rem so text zoom (and the browser's font size setting) scales everything;
 * every touch target is at least 3rem (48 px at the default size).
 */
import { css } from 'lit'

export const sharedStyles = css`
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
  .card {
    background: var(--gb-surface);
    border: 1px solid rgba(255, 255, 255, 0.08);
    border-radius: var(--gb-radius);
    padding: 16px;
  }
  .eyebrow {
    margin: 0 0 0.5rem;
    font-size: 0.8125rem;
    font-weight: 700;
    letter-spacing: 0.08em;
    text-transform: uppercase;
    color: var(--gb-muted);
  }
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5rem;
    min-height: 3rem;
    min-width: 3rem;
    padding: 0.625rem 1.25rem;
    border: 0;
    border-radius: 0.75rem;
    font: inherit;
    font-size: 1.0625rem;
    font-weight: 700;
    line-height: 1.2;
    cursor: pointer;
    touch-action: manipulation;
    -webkit-tap-highlight-color: transparent;
  }
  .btn-primary {
    background: var(--gb-accent);
    color: var(--gb-accent-text);
  }
  .btn-primary:active {
    filter: brightness(0.9);
  }
  .btn-quiet {
    background: var(--gb-surface-2);
    color: var(--gb-text);
  }
  .btn[disabled] {
    cursor: default;
    background: var(--gb-surface-2);
    color: var(--gb-muted);
    filter: none;
  }
  :focus-visible {
    outline: 3px solid var(--gb-accent);
    outline-offset: 3px;
  }
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
  .wrap {
    overflow-wrap: anywhere;
    word-break: break-word;
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
