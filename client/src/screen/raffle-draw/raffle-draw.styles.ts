import { css } from 'lit'

export const raffleDrawStyles = css`
  :host {
    --u: var(--gb-u, 1vw);
  }
  .overlay {
    position: fixed;
    inset: 0;
    z-index: 30;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: calc(var(--u) * 1.6);
    padding: calc(var(--u) * 3);
    box-sizing: border-box;
    text-align: center;
    background:
      radial-gradient(ellipse at 50% 45%, rgb(255 204 51 / 0.18), transparent 60%),
      rgb(8 8 16 / 0.94);
    animation: appear 0.35s ease-out both;
  }
  .kicker {
    font-size: max(14px, calc(var(--u) * 1.6));
    font-weight: 800;
    letter-spacing: 0.18em;
    text-transform: uppercase;
    color: var(--gb-accent);
  }
  h2 {
    margin: 0;
    font-size: max(24px, calc(var(--u) * 4.2));
    line-height: 1.1;
    font-weight: 900;
    max-width: 90%;
    overflow-wrap: anywhere;
  }
  .reels {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: calc(var(--u) * 1.4);
    margin: calc(var(--u) * 1.2) 0;
    --size: min(calc(var(--u) * 8), calc(var(--u) * 44 / var(--count) / var(--digits) * 2));
  }
  .reel {
    min-width: calc((var(--digits) + 1) * 0.62em);
    padding: 0.18em 0.35em;
    border-radius: 0.18em;
    font-size: max(28px, var(--size));
    font-weight: 900;
    font-variant-numeric: tabular-nums;
    line-height: 1.1;
    background: linear-gradient(180deg, #1f1f33, #2c2c48 50%, #1f1f33);
    box-shadow:
      inset 0 0.08em 0.2em rgb(0 0 0 / 0.6),
      0 0 0 0.04em rgb(255 255 255 / 0.1);
    color: rgb(255 255 255 / 0.75);
    filter: blur(0.6px);
  }
  .reel.landed {
    color: var(--gb-accent-text);
    background: linear-gradient(180deg, #ffe07a, var(--gb-accent));
    box-shadow: 0 0 calc(var(--u) * 2.5) rgb(255 204 51 / 0.6);
    filter: none;
    animation: land 0.45s cubic-bezier(0.2, 1.6, 0.4, 1) both;
  }
  .hash {
    font-size: 0.55em;
    opacity: 0.6;
    margin-right: 0.05em;
    vertical-align: 0.3em;
  }
  .panel {
    list-style: none;
    margin: calc(var(--u) * 1.2) 0;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: calc(var(--u) * 1.2);
    max-width: 92%;
  }
  .winner {
    padding: 0.15em 0.5em;
    border-radius: 0.22em;
    font-size: max(28px, calc(var(--u) * 6));
    font-weight: 900;
    font-variant-numeric: tabular-nums;
    color: var(--gb-accent-text);
    background: linear-gradient(180deg, #ffe07a, var(--gb-accent));
    box-shadow: 0 0 calc(var(--u) * 2) rgb(255 204 51 / 0.45);
    animation: land 0.5s cubic-bezier(0.2, 1.6, 0.4, 1) both;
  }
  .panel.dense {
    gap: calc(var(--u) * 0.6);
  }
  .panel.dense .winner {
    font-size: max(16px, calc(var(--u) * 2.4));
  }
  .hint,
  .more {
    font-size: max(14px, calc(var(--u) * 1.7));
    font-weight: 700;
    color: var(--gb-muted);
  }
  @keyframes appear {
    from {
      opacity: 0;
    }
  }
  @keyframes land {
    from {
      transform: scale(1.35);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .overlay,
    .reel.landed,
    .winner {
      animation: none;
    }
  }
  .proof {
    margin-top: 1.5rem;
    font-family: ui-monospace, monospace;
    font-size: 1rem;
    opacity: 0.6;
  }
`
