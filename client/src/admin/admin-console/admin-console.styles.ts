import { css } from 'lit'

export const consoleStyles = css`
  :host {
    display: block;
    min-height: 100vh;
    min-height: 100dvh;
  }
  .top {
    position: sticky;
    top: 0;
    z-index: 30;
    display: flex;
    align-items: center;
    gap: 1.25rem;
    padding: 0.6rem 1.5rem;
    /* Opaque, and no backdrop-filter: that would make the bar the containing block of
       the pause sheet (position: fixed) and trap it inside the bar. */
    background: rgba(11, 11, 20, 0.97);
    border-bottom: 1px solid rgba(255, 255, 255, 0.08);
  }
  .top.is-paused {
    background:
      repeating-linear-gradient(-45deg, rgba(251, 191, 36, 0.12) 0 14px, rgba(251, 191, 36, 0.05) 14px 28px),
      rgba(24, 18, 6, 0.94);
    border-bottom: 3px solid var(--gb-warn);
  }
  .top.is-ended {
    border-bottom: 3px solid #55556b;
  }
  .brand {
    display: flex;
    align-items: center;
    gap: 0.75rem;
    min-width: 0;
    flex: 0 1 auto;
    max-width: 22rem;
  }
  .mark {
    width: 1.9rem;
    height: 1.9rem;
    flex: none;
    border-radius: 50%;
    border: 3px solid var(--gb-accent);
    box-shadow:
      0 0 14px rgba(255, 204, 51, 0.5),
      inset 0 0 8px rgba(255, 204, 51, 0.35);
  }
  .brand .names {
    display: grid;
    min-width: 0;
  }
  .brand .app {
    font-size: 0.7rem;
    font-weight: 800;
    letter-spacing: 0.12em;
    text-transform: uppercase;
    color: var(--gb-muted);
  }
  .brand h1 {
    margin: 0;
    font-size: 1.0625rem;
    line-height: 1.2;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  gb-status-panel {
    flex: 1;
    min-width: 0;
  }
  .conn {
    display: inline-flex;
    align-items: center;
    gap: 0.45rem;
    padding: 0.35rem 0.7rem;
    border-radius: 999px;
    font-size: 0.8rem;
    font-weight: 650;
    white-space: nowrap;
    background: var(--gb-surface);
    border: 1px solid rgba(255, 255, 255, 0.08);
  }
  .conn-live {
    color: var(--gb-good);
  }
  .conn-wait {
    color: var(--gb-muted);
  }
  .conn-warn {
    color: var(--gb-warn);
  }
  .conn-bad {
    color: var(--gb-bad);
  }
  .top-tools {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    flex: none;
  }

  .layout {
    display: grid;
    gap: 1.25rem;
    padding: 1.25rem 1.5rem 2.5rem;
    grid-template-columns: 17.5rem minmax(0, 1fr);
    grid-template-rows: auto 1fr;
    grid-template-areas:
      'ov tabs'
      'ov main';
    max-width: 132rem;
    margin: 0 auto;
    align-items: start;
  }
  .layout.wide {
    grid-template-columns: 18.5rem minmax(0, 1fr) minmax(24rem, 28rem);
    grid-template-areas:
      'ov tabs mod'
      'ov main mod';
  }
  .overview {
    grid-area: ov;
    min-width: 0;
  }
  .layout:not(.phone) .overview,
  .layout.wide .side {
    position: sticky;
    top: 5.25rem;
    max-height: calc(100vh - 6.25rem);
    overflow: auto;
    scrollbar-width: thin;
  }
  .tabs {
    grid-area: tabs;
    display: flex;
    gap: 0.25rem;
    padding: 0.3rem;
    background: var(--gb-surface);
    border: 1px solid rgba(255, 255, 255, 0.07);
    border-radius: 0.85rem;
    overflow-x: auto;
    scrollbar-width: none;
  }
  .tab {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.55rem 1rem;
    min-height: 2.5rem;
    border: 0;
    border-radius: 0.6rem;
    background: transparent;
    color: var(--gb-muted);
    font: inherit;
    font-weight: 650;
    white-space: nowrap;
    cursor: pointer;
  }
  .tab:hover {
    color: var(--gb-text);
    background: rgba(255, 255, 255, 0.04);
  }
  .tab[aria-selected='true'] {
    background: var(--gb-surface-2);
    color: var(--gb-text);
    box-shadow: inset 0 -2px 0 var(--gb-accent);
  }
  .tab .badge {
    padding: 0.05rem 0.45rem;
  }
  .panel {
    grid-area: main;
    min-width: 0;
  }
  .layout.wide .side {
    grid-area: mod;
  }
  .side-title {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    margin: 0.2rem 0 0.75rem;
  }

  @media (max-width: 1100px) {
    /* A tablet: the status controls get a row of their own and the tabs wrap, so nothing is cut. */
    .top {
      flex-wrap: wrap;
      gap: 0.5rem 1rem;
    }
    .brand {
      flex: 1;
      max-width: none;
    }
    gb-status-panel {
      order: 3;
      flex-basis: 100%;
    }
    .tabs {
      flex-wrap: wrap;
    }
    .conn .conn-text {
      display: none;
    }
  }
  @media (max-width: 760px) {
    .top {
      flex-wrap: wrap;
      gap: 0.5rem 0.75rem;
      padding: 0.5rem 0.75rem 0.65rem;
    }
    .brand {
      flex: 1;
      max-width: none;
    }
    gb-status-panel {
      order: 3;
      flex-basis: 100%;
    }
    .layout,
    .layout.wide {
      grid-template-columns: minmax(0, 1fr);
      grid-template-areas:
        'tabs'
        'main';
      padding: 0.75rem 0.75rem 2rem;
      gap: 0.75rem;
    }
    .overview {
      grid-area: main;
    }
    .tab {
      padding: 0.5rem 0.8rem;
    }
  }
`
