import { css } from 'lit'

export const moderationPanelStyles = css`
  @container (min-width: 52rem) {
    .layout {
      grid-template-columns: 1.2fr 1fr;
    }
    .feed-card {
      grid-column: 1;
      grid-row: 1 / span 3;
    }
    .held-card,
    .rules-card {
      grid-column: 2;
    }
  }
  .held-card {
    order: -1;
  }
  .count {
    font-size: 0.8125rem;
    color: var(--gb-muted);
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.4rem;
  }
  .msg {
    display: grid;
    grid-template-columns: auto 1fr auto;
    align-items: start;
    column-gap: 0.65rem;
    padding: 0.55rem 0.6rem 0.55rem 0.7rem;
    border-radius: 0.6rem;
    background: var(--gb-bg);
    border: 1px solid rgba(255, 255, 255, 0.05);
  }
  .msg.fresh {
    animation: gb-in 0.5s ease-out;
  }
  @keyframes gb-in {
    from {
      background: rgba(255, 204, 51, 0.18);
    }
  }
  .msg.hiding {
    opacity: 0.45;
  }
  .who {
    font-weight: 800;
    font-size: 0.8125rem;
    color: var(--gb-accent);
    padding-top: 0.15rem;
    min-width: 2.75rem;
  }
  .text {
    line-height: 1.35;
    padding-top: 0.1rem;
  }
  .text small {
    display: block;
    color: var(--gb-muted);
    font-size: 0.75rem;
    margin-top: 0.15rem;
  }
  .btns {
    display: flex;
    gap: 0.35rem;
  }
  .feed {
    max-height: min(36rem, 62vh);
    overflow: auto;
    padding-right: 0.15rem;
  }
  .held-card {
    border-color: rgba(251, 191, 36, 0.35);
  }
  .held-card .msg {
    border-color: rgba(251, 191, 36, 0.18);
  }
  .msg-fb {
    grid-column: 1 / -1;
  }
  .msg-fb:empty {
    display: none;
  }
  .msg-fb .fb {
    margin-top: 0.2rem;
  }
  .switch {
    display: flex;
    align-items: flex-start;
    gap: 0.75rem;
    cursor: pointer;
  }
  .switch input {
    appearance: none;
    flex: none;
    width: 2.6rem;
    height: 1.5rem;
    margin: 0.1rem 0 0;
    border-radius: 999px;
    background: var(--gb-surface-2);
    border: 1px solid rgba(255, 255, 255, 0.2);
    position: relative;
    cursor: pointer;
    transition: background 0.15s;
  }
  .switch input::after {
    content: '';
    position: absolute;
    top: 0.15rem;
    left: 0.15rem;
    width: 1.1rem;
    height: 1.1rem;
    border-radius: 50%;
    background: var(--gb-text);
    transition: transform 0.15s;
  }
  .switch input:checked {
    background: var(--gb-accent);
    border-color: var(--gb-accent);
  }
  .switch input:checked::after {
    transform: translateX(1.1rem);
    background: var(--gb-accent-text);
  }
  .switch b {
    display: block;
    font-weight: 650;
  }
  .switch span span {
    color: var(--gb-muted);
    font-size: 0.8125rem;
  }
  .pair {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 0.75rem;
  }
  .rate {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    font-size: 0.875rem;
    color: var(--gb-muted);
  }
  .rate input {
    width: 5rem;
  }
  .save {
    display: flex;
    align-items: center;
    gap: 0.75rem;
  }
`
