import { css } from 'lit'

export const pollBarsStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    --u: var(--gb-u, 1vw);
  }
  header {
    display: flex;
    flex-direction: column;
    gap: calc(var(--u) * 0.5);
    margin-bottom: calc(var(--u) * 1.2);
  }
  .tag {
    align-self: flex-start;
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    padding: 0.25em 0.8em;
    border-radius: 999px;
    font-size: max(11px, calc(var(--u) * 0.95));
    font-weight: 800;
    letter-spacing: 0.12em;
    text-transform: uppercase;
    background: rgb(255 255 255 / 0.08);
    color: var(--gb-muted);
  }
  .tag.live {
    color: var(--gb-accent);
    background: rgb(255 204 51 / 0.12);
  }
  .tag.live::before {
    content: '';
    width: 0.6em;
    height: 0.6em;
    border-radius: 50%;
    background: currentColor;
    animation: blink 1.6s ease-in-out infinite;
  }
  h2 {
    margin: 0;
    font-size: max(18px, calc(var(--u) * var(--q-size, 2.7)));
    line-height: 1.15;
    font-weight: 800;
    letter-spacing: -0.01em;
    overflow-wrap: anywhere;
    display: -webkit-box;
    -webkit-line-clamp: 2;
    -webkit-box-orient: vertical;
    overflow: hidden;
  }
  .rows {
    flex: 1;
    min-height: 0;
    container-type: size;
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    height: 100%;
    display: grid;
    align-content: center;
    --gap: calc(var(--u) * 0.9);
    gap: var(--gap);
    /* Rows take the height there is, up to a comfortable maximum; twelve options still fit. */
    --row: calc(var(--u) * 5);
    grid-template-rows: repeat(var(--n), var(--row));
  }
  @supports (height: 1cqh) {
    ol {
      --row: min(calc(var(--u) * 6.2), calc((100cqh - (var(--rows) - 1) * var(--gap)) / var(--rows)));
    }
  }
  li {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    grid-template-rows: auto auto;
    align-content: center;
    column-gap: calc(var(--u) * 1.4);
    row-gap: calc(var(--row) * 0.09);
    min-height: 0;
  }
  .label {
    font-size: max(13px, calc(var(--row) * 0.36));
    line-height: 1.15;
    font-weight: 700;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .pct {
    grid-row: 1 / span 2;
    grid-column: 2;
    align-self: center;
    text-align: right;
    min-width: 4.2ch;
    font-size: max(16px, calc(var(--row) * 0.5));
    font-weight: 800;
    line-height: 1;
  }
  .pct small {
    display: block;
    margin-top: 0.2em;
    font-size: 0.4em;
    font-weight: 600;
    color: var(--gb-muted);
  }
  .track {
    position: relative;
    height: calc(var(--row) * 0.26);
    border-radius: 999px;
    background: rgb(255 255 255 / 0.07);
    overflow: hidden;
  }
  .fill {
    position: absolute;
    inset: 0;
    border-radius: inherit;
    background: linear-gradient(90deg, #6b6bd6, #8f8ff5);
    /* Bars glide to new values: transform only, so it never costs a layout; sliding
       (not scaling) keeps the rounded end round. */
    transform: translateX(calc((var(--share) - 1) * 100%));
    transition: transform 0.8s cubic-bezier(0.22, 1, 0.36, 1);
  }
  li.lead .fill {
    background: linear-gradient(90deg, #ffb300, var(--gb-accent));
  }
  li.lead .track {
    box-shadow: 0 0 calc(var(--u) * 1.2) rgb(255 204 51 / 0.3);
  }
  li.lead .label,
  li.lead .pct {
    color: var(--gb-accent);
  }
  /* Four options or more: one line per option (label, bar, numbers) so the type stays big. */
  ol.compact {
    --gap: calc(var(--u) * 0.5);
  }
  ol.compact li {
    grid-template-columns: minmax(0, 28%) minmax(0, 1fr) auto;
    grid-template-rows: auto;
    align-items: center;
  }
  ol.compact .label {
    font-size: max(13px, calc(var(--row) * 0.46));
  }
  ol.compact .pct {
    grid-row: auto;
    grid-column: 3;
    font-size: max(15px, calc(var(--row) * 0.5));
  }
  ol.compact .pct small {
    font-size: 0.42em;
  }
  ol.compact .track {
    grid-row: 1;
    grid-column: 2;
    height: calc(var(--row) * 0.34);
  }
  /* Long labels: two lines, smaller type, and in compact rows half the width. Never cut. */
  ol.long .label {
    white-space: normal;
    overflow-wrap: anywhere;
    text-overflow: clip;
    line-height: 1.08;
    font-size: max(13px, calc(var(--row) * 0.28));
  }
  ol.long.compact li {
    grid-template-columns: minmax(0, 50%) minmax(0, 1fr) auto;
  }
  ol.long.compact .label {
    font-size: max(12px, calc(var(--row) * 0.42));
  }
  /* Nine to twelve options: tighter gaps leave each row room for a two-line label. */
  ol.dense {
    --gap: calc(var(--u) * 0.3);
  }
  .crown {
    display: inline-block;
    margin-left: 0.35em;
    font-size: 0.8em;
  }
  footer {
    margin-top: calc(var(--u) * 1);
    font-size: max(12px, calc(var(--u) * 1.2));
    color: var(--gb-muted);
    font-weight: 600;
  }
  @keyframes blink {
    50% {
      opacity: 0.25;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .fill {
      transition: none;
    }
    .tag.live::before {
      animation: none;
    }
  }
`
