/**
 * Styles the guest components share: cards, big buttons, lists, visually hidden text;
 * and, for the components that add them, the text box form and the page backdrop.
 * Sizes are in rem so text zoom (and the browser's font size setting) scales everything;
 * every touch target is at least 3rem (48 px at the default size).
 */
import { css } from 'lit'
import { componentBaseStyles } from '../lib/component-base.styles.ts'

export const sharedStyles = css`
  ${componentBaseStyles}
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
  a.btn {
    text-decoration: none;
  }
  :focus-visible {
    outline: 3px solid var(--gb-accent);
    outline-offset: 3px;
  }
  /* A bullet-free column of rows (messages, actions waiting to send). */
  .item-list {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 0.5rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
`

/**
 * A form around one text box (the wristband code, a message): one column, a bold label,
 * the box's frame. Each component sets the spacing and the box's size and font.
 */
export const textBoxFormStyles = css`
  form {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
  }
  label {
    font-size: 1rem;
    font-weight: 700;
  }
  input {
    border-radius: 0.75rem;
    border: 2px solid #4a4a68;
    background: var(--gb-bg);
    color: var(--gb-text);
    font: inherit;
  }
  input:focus {
    border-color: var(--gb-accent);
    outline: none;
  }
  input[aria-invalid='true'] {
    border-color: var(--gb-bad);
  }
`

/** A full-height page host: a warm glow from the stage end of the screen (guest and home pages). */
export const stageGlowPageStyles = css`
  :host {
    min-height: 100vh;
    min-height: 100dvh;
    background:
      var(--gb-backdrop, none),
      radial-gradient(120% 55% at 50% -8%, rgba(255, 204, 51, 0.16), rgba(255, 150, 60, 0.05) 55%, transparent 75%),
      var(--gb-bg);
  }
`
