import { css } from 'lit'

export const pollManagerStyles = css`
  @container (min-width: 52rem) {
    .layout {
      grid-template-columns: minmax(19rem, 22rem) 1fr;
    }
    .create {
      position: sticky;
      top: 0.5rem;
    }
  }
  .options {
    display: grid;
    gap: 0.5rem;
  }
  .option {
    display: grid;
    grid-template-columns: 1.6rem 1fr auto;
    align-items: center;
    gap: 0.4rem;
  }
  .option .n {
    color: var(--gb-muted);
    font-weight: 700;
    font-size: 0.8rem;
    text-align: center;
  }
  .remove {
    width: 2.25rem;
    min-height: 2.25rem;
    padding: 0;
    font-size: 1.1rem;
  }
  .form-actions {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 0.5rem;
  }
  .group + .group {
    margin-top: 1.5rem;
  }
  .group-title {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    margin-bottom: 0.6rem;
  }
  .polls {
    display: grid;
    gap: 0.75rem;
  }
  .poll {
    padding: 1rem 1.1rem 1.1rem;
  }
  .poll.is-open {
    border-color: rgba(74, 222, 128, 0.35);
    box-shadow: 0 0 0 1px rgba(74, 222, 128, 0.12) inset;
  }
  .poll-head {
    display: flex;
    align-items: flex-start;
    gap: 0.75rem;
    margin-bottom: 0.8rem;
  }
  .poll-head h3 {
    font-size: 1.0625rem;
    line-height: 1.3;
    flex: 1;
    min-width: 0;
  }
  .poll-head .meta {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    flex: none;
  }
  .total {
    font-size: 0.8125rem;
    color: var(--gb-muted);
    white-space: nowrap;
  }
  .bars {
    display: grid;
    gap: 0.45rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .bar {
    position: relative;
    display: flex;
    align-items: center;
    gap: 0.75rem;
    min-height: 2.35rem;
    padding: 0.35rem 0.75rem;
    border-radius: 0.5rem;
    background: var(--gb-bg);
    overflow: hidden;
  }
  .bar .fill {
    position: absolute;
    inset: 0 auto 0 0;
    background: rgba(255, 255, 255, 0.1);
    border-radius: inherit;
    transition: width 0.45s cubic-bezier(0.2, 0.8, 0.2, 1);
  }
  .bar.lead .fill {
    background: linear-gradient(90deg, rgba(255, 176, 32, 0.45), rgba(255, 204, 51, 0.55));
  }
  .bar > span {
    position: relative;
  }
  .bar .label {
    flex: 1;
    min-width: 0;
    font-weight: 600;
  }
  .bar .votes {
    font-weight: 800;
    font-size: 1.05rem;
  }
  .bar .pct {
    width: 3rem;
    text-align: right;
    color: var(--gb-muted);
    font-size: 0.85rem;
  }
  .poll-actions {
    display: flex;
    gap: 0.5rem;
    margin-top: 0.9rem;
    flex-wrap: wrap;
  }
  .past .poll {
    padding: 0.8rem 1rem;
  }
  .past .bar {
    min-height: 1.9rem;
  }
  details summary {
    cursor: pointer;
    list-style: none;
  }
  details summary::-webkit-details-marker {
    display: none;
  }
`
