/**
 * Styles every host component shares: cards, buttons, fields, badges and the inline
 * feedback line under a control; and, for the tab panels, their layout. Desktop-first
 * (a laptop beside the stage) with touch targets that still work on a phone in an
 * emergency: every button is at least 2.5rem, 2.75rem on coarse pointers.
 */
import { css } from 'lit'
import { componentBaseStyles } from '../../lib/component-base.styles.ts'

export const adminStyles = css`
  ${componentBaseStyles}
  :host {
    font-size: 0.9375rem;
    line-height: 1.45;
  }
  [hidden] {
    display: none !important;
  }
  h2,
  h3,
  h4,
  p {
    margin: 0;
  }
  .card {
    background: var(--gb-surface);
    border: 1px solid rgba(255, 255, 255, 0.07);
    border-radius: var(--gb-radius);
    padding: 1.125rem 1.25rem 1.25rem;
  }
  .card-head {
    display: flex;
    align-items: center;
    gap: 0.75rem;
    margin-bottom: 0.875rem;
    min-height: 2rem;
  }
  .card-head h2,
  .card-head h3 {
    font-size: 1.0625rem;
    font-weight: 700;
    letter-spacing: -0.005em;
  }
  .card-head .eyebrow {
    font-size: 0.75rem;
  }
  .card-head .spacer {
    flex: 1;
  }
  .eyebrow {
    font-size: 0.75rem;
    font-weight: 700;
    letter-spacing: 0.09em;
    text-transform: uppercase;
    color: var(--gb-muted);
  }
  .muted {
    color: var(--gb-muted);
  }
  .small {
    font-size: 0.8125rem;
  }
  .num {
    font-variant-numeric: tabular-nums;
  }

  /* ---- buttons ---- */
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.45rem;
    min-height: 2.5rem;
    padding: 0.5rem 1rem;
    border: 1px solid transparent;
    border-radius: 0.625rem;
    font: inherit;
    font-weight: 650;
    line-height: 1.2;
    white-space: nowrap;
    cursor: pointer;
    touch-action: manipulation;
    -webkit-tap-highlight-color: transparent;
    background: var(--gb-surface-2);
    color: var(--gb-text);
    transition:
      filter 0.12s,
      background-color 0.12s,
      border-color 0.12s;
  }
  .btn:hover:not([disabled]) {
    filter: brightness(1.15);
  }
  .btn:active:not([disabled]) {
    filter: brightness(0.92);
  }
  .btn[disabled] {
    cursor: default;
    opacity: 0.55;
  }
  .btn-primary {
    background: var(--gb-accent);
    color: var(--gb-accent-text);
  }
  .btn-good {
    background: var(--gb-good);
    color: #04240f;
  }
  .btn-warn {
    background: var(--gb-warn);
    color: #2a1a00;
  }
  .btn-danger {
    background: var(--gb-bad);
    color: #2b0505;
  }
  .btn-outline {
    background: transparent;
    border-color: rgba(255, 255, 255, 0.18);
  }
  .btn-ghost {
    background: transparent;
    color: var(--gb-muted);
  }
  .btn-ghost:hover:not([disabled]) {
    color: var(--gb-text);
    background: var(--gb-surface-2);
  }
  .btn-sm {
    min-height: 2rem;
    padding: 0.3rem 0.7rem;
    font-size: 0.8125rem;
    border-radius: 0.5rem;
  }
  .btn-lg {
    min-height: 3rem;
    padding: 0.7rem 1.3rem;
    font-size: 1.0625rem;
  }
  .btn-block {
    width: 100%;
  }
  a.btn {
    text-decoration: none;
  }
  @media (pointer: coarse) {
    .btn {
      min-height: 2.75rem;
    }
    .btn-sm {
      min-height: 2.5rem;
    }
  }
  :focus-visible {
    outline: 3px solid var(--gb-accent);
    outline-offset: 2px;
  }
  .row {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    flex-wrap: wrap;
  }

  /* ---- fields ---- */
  .field {
    display: grid;
    gap: 0.35rem;
    font-size: 0.8125rem;
    font-weight: 600;
    color: var(--gb-muted);
  }
  input[type='text'],
  input[type='number'],
  input[type='password'],
  textarea,
  select {
    width: 100%;
    min-height: 2.5rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid rgba(255, 255, 255, 0.14);
    border-radius: 0.5rem;
    background: var(--gb-bg);
    color: var(--gb-text);
    font: inherit;
    font-size: 0.9375rem;
  }
  textarea {
    resize: vertical;
    line-height: 1.4;
  }
  input:focus,
  textarea:focus,
  select:focus {
    outline: none;
    border-color: var(--gb-accent);
    box-shadow: 0 0 0 3px rgba(255, 204, 51, 0.22);
  }
  input[aria-invalid='true'],
  textarea[aria-invalid='true'] {
    border-color: var(--gb-bad);
  }
  input::placeholder,
  textarea::placeholder {
    color: #7c7c93;
  }
  .check {
    display: inline-flex;
    align-items: center;
    gap: 0.55rem;
    cursor: pointer;
    font-size: 0.9rem;
  }
  .check input {
    width: 1.15rem;
    height: 1.15rem;
    accent-color: var(--gb-accent);
  }

  /* ---- badges ---- */
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    padding: 0.15rem 0.55rem;
    border-radius: 999px;
    font-size: 0.72rem;
    font-weight: 800;
    letter-spacing: 0.06em;
    text-transform: uppercase;
    background: var(--gb-surface-2);
    color: var(--gb-muted);
    white-space: nowrap;
  }
  .badge-live {
    background: rgba(74, 222, 128, 0.15);
    color: var(--gb-good);
  }
  .badge-warn {
    background: rgba(251, 191, 36, 0.16);
    color: var(--gb-warn);
  }
  .badge-bad {
    background: rgba(248, 113, 113, 0.16);
    color: var(--gb-bad);
  }
  .badge-accent {
    background: rgba(255, 204, 51, 0.16);
    color: var(--gb-accent);
  }
  .dot {
    width: 0.5rem;
    height: 0.5rem;
    border-radius: 50%;
    background: currentColor;
    flex: none;
  }
  .dot-pulse {
    animation: gb-pulse 1.6s ease-in-out infinite;
  }
  @keyframes gb-pulse {
    50% {
      opacity: 0.35;
    }
  }

  /* ---- inline feedback under the control that caused it ---- */
  .fb {
    display: flex;
    gap: 0.5rem;
    align-items: flex-start;
    margin-top: 0.5rem;
    padding: 0.5rem 0.7rem;
    border-radius: 0.5rem;
    font-size: 0.875rem;
    line-height: 1.35;
  }
  .fb-error {
    background: rgba(248, 113, 113, 0.12);
    border: 1px solid rgba(248, 113, 113, 0.35);
    color: #fecaca;
  }
  .fb-done {
    background: rgba(74, 222, 128, 0.1);
    border: 1px solid rgba(74, 222, 128, 0.3);
    color: #bbf7d0;
  }
  .fb-info {
    background: rgba(255, 255, 255, 0.05);
    border: 1px solid rgba(255, 255, 255, 0.1);
    color: var(--gb-muted);
  }
  .fb ul {
    margin: 0.25rem 0 0;
    padding-left: 1.1rem;
  }
  .fb b {
    color: inherit;
  }
  .field-error {
    color: #fca5a5;
    font-size: 0.8rem;
    font-weight: 500;
  }

  .empty {
    padding: 1.25rem 1rem;
    text-align: center;
    color: var(--gb-muted);
    border: 1px dashed rgba(255, 255, 255, 0.12);
    border-radius: 0.75rem;
    font-size: 0.875rem;
  }
`

/**
 * What the tab panels share: they lay out by their own width, not the window's (each
 * sets its columns in an `@container (min-width: 52rem)` rule), as a grid of cards,
 * and their forms are a stack of fields.
 */
export const panelStyles = css`
  :host {
    container-type: inline-size;
  }
  .layout {
    display: grid;
    gap: 1rem;
    align-items: start;
  }
  form {
    display: grid;
    gap: 0.9rem;
  }
`
