import { css } from 'lit'

export const statusPanelStyles = css`
  :host {
    position: relative;
  }
  .bar {
    display: flex;
    align-items: center;
    gap: 0.875rem;
    min-height: 3.25rem;
  }
  .state {
    display: flex;
    align-items: center;
    gap: 0.75rem;
    min-width: 0;
    flex: 1;
  }
  .pill {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.45rem 0.9rem;
    border-radius: 999px;
    font-weight: 850;
    font-size: 0.95rem;
    letter-spacing: 0.08em;
    flex: none;
  }
  .pill .dot {
    width: 0.65rem;
    height: 0.65rem;
  }
  .pill-live {
    background: rgba(74, 222, 128, 0.16);
    color: var(--gb-good);
  }
  .pill-paused {
    background: var(--gb-warn);
    color: #2a1a00;
  }
  .pill-ended {
    background: var(--gb-surface-2);
    color: var(--gb-muted);
  }
  .said {
    min-width: 0;
    display: grid;
  }
  .said .what {
    font-weight: 650;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .said .how {
    font-size: 0.78rem;
    color: var(--gb-muted);
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .confirm {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    padding: 0.3rem 0.7rem;
    border-radius: 999px;
    font-size: 0.8125rem;
    font-weight: 700;
    white-space: nowrap;
  }
  .confirm-ok {
    background: rgba(74, 222, 128, 0.16);
    color: var(--gb-good);
    animation: gb-pop 0.35s ease-out;
  }
  .confirm-wait {
    background: rgba(255, 255, 255, 0.08);
    color: var(--gb-muted);
  }
  .confirm-late {
    background: rgba(248, 113, 113, 0.16);
    color: var(--gb-bad);
  }
  @keyframes gb-pop {
    from {
      transform: scale(0.85);
      opacity: 0;
    }
  }
  .actions {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    flex: none;
  }
  .btn-pause {
    min-width: 9.5rem;
    font-size: 1rem;
  }
  .backdrop {
    position: fixed;
    inset: 0;
    z-index: 40;
    background: rgba(5, 5, 12, 0.45);
  }
  .sheet {
    position: absolute;
    z-index: 41;
    right: 0;
    top: calc(100% + 0.6rem);
    width: min(30rem, calc(100vw - 1.5rem));
    padding: 1.25rem;
    background: #1d1d31;
    border: 1px solid rgba(255, 255, 255, 0.14);
    border-radius: var(--gb-radius);
    box-shadow: 0 24px 60px rgba(0, 0, 0, 0.55);
  }
  .sheet h3 {
    font-size: 1.125rem;
    margin-bottom: 0.3rem;
  }
  .sheet > p {
    color: var(--gb-muted);
    font-size: 0.875rem;
    margin-bottom: 1rem;
  }
  .presets {
    display: grid;
    gap: 0.5rem;
  }
  .preset {
    justify-content: flex-start;
    text-align: left;
    white-space: normal;
    width: 100%;
  }
  .preset small {
    display: block;
    font-weight: 500;
    opacity: 0.8;
  }
  .emergency {
    min-height: 3.5rem;
    font-size: 1.05rem;
  }
  .custom {
    display: grid;
    gap: 0.5rem;
    margin-top: 1rem;
    padding-top: 1rem;
    border-top: 1px solid rgba(255, 255, 255, 0.1);
  }
  .custom-foot {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
  }
  .custom-actions {
    display: flex;
    gap: 0.5rem;
  }
  .counter {
    font-size: 0.75rem;
    color: var(--gb-muted);
    text-align: right;
  }
  .sheet-foot {
    display: flex;
    justify-content: flex-end;
    gap: 0.5rem;
    margin-top: 1rem;
  }
  @media (max-width: 760px) {
    .bar {
      flex-wrap: wrap;
      gap: 0.5rem;
    }
    .state {
      flex-basis: 100%;
      flex-wrap: wrap;
      gap: 0.35rem 0.6rem;
    }
    .said {
      flex: 1 1 12rem;
    }
    .said .how {
      display: none;
    }
    .said .what {
      white-space: normal;
      display: -webkit-box;
      -webkit-line-clamp: 2;
      -webkit-box-orient: vertical;
    }
    .confirm {
      order: 5;
    }
    .actions {
      flex: 1;
    }
    .actions .btn {
      flex: 1;
    }
    .btn-pause {
      min-width: 0;
    }
    .custom-foot {
      flex-direction: column;
      align-items: stretch;
    }
    .custom-actions {
      flex-direction: column-reverse;
    }
    .emergency {
      min-height: 4rem;
    }
    .sheet {
      position: fixed;
      left: 0.75rem;
      right: 0.75rem;
      top: auto;
      bottom: 0.75rem;
      width: auto;
      max-height: calc(100dvh - 1.5rem);
      overflow: auto;
    }
  }
`
