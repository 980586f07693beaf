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
    position: relative;
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
  .panel.one .winner {
    font-size: max(48px, calc(var(--u) * 11));
  }
  .panel.few .winner {
    font-size: max(36px, calc(var(--u) * 8));
  }
  /* A long list: 8 columns of 6, the numbers as big as their digits allow (WINNERS_PER_PAGE). */
  .panel.dense {
    display: grid;
    grid-template-columns: repeat(8, minmax(0, 1fr));
    gap: calc(var(--u) * 0.7) calc(var(--u) * 0.9);
    width: 92%;
    margin: calc(var(--u) * 0.4) 0;
  }
  .panel.dense .winner {
    padding: 0.12em 0.2em;
    font-size: max(16px, calc(var(--u) * min(3, 13 / (var(--digits) + 1))));
    line-height: 1.15;
    animation-duration: 0.35s;
  }
  .winners {
    gap: calc(var(--u) * 1);
  }
  .prize {
    font-size: max(20px, calc(var(--u) * 2.8));
    font-weight: 900;
    color: var(--gb-accent);
    max-width: 90%;
    overflow-wrap: anywhere;
  }
  .prize .count {
    font-weight: 700;
    color: var(--gb-muted);
  }
  .pager {
    display: flex;
    align-items: center;
    gap: calc(var(--u) * 0.5);
    font-size: max(13px, calc(var(--u) * 1.4));
    font-weight: 700;
    color: var(--gb-muted);
  }
  .pager i {
    width: calc(var(--u) * 0.8);
    height: calc(var(--u) * 0.8);
    border-radius: 50%;
    background: rgb(255 255 255 / 0.2);
  }
  .pager i.on {
    background: var(--gb-accent);
  }
  .pager span {
    margin-left: calc(var(--u) * 0.6);
  }
  .tiers {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: calc(var(--u) * 0.8);
    font-size: max(13px, calc(var(--u) * 1.4));
    font-weight: 800;
  }
  .tiers span {
    padding: 0.2em 0.8em;
    border-radius: 999px;
    background: rgb(255 255 255 / 0.08);
  }
  .tiers .next {
    color: var(--gb-muted);
    border: 1px dashed rgb(255 255 255 / 0.3);
    background: none;
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
