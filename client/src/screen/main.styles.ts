import { css } from 'lit'

/**
 * One layout from 1280x720 to 3840x2160: every size is a multiple of --gb-u, 1% of the
 * width of the largest 16:9 box that fits, so the screen scales as a picture does.
 */
export const screenStyles = css`
  :host {
    --gb-u: min(1vw, 1.7778vh);
    --u: var(--gb-u);
    --gb-danmaku-size: max(16px, calc(var(--u) * 2.3));
    position: fixed;
    inset: 0;
    overflow: hidden;
    display: block;
    background:
      var(--gb-backdrop, none),
      radial-gradient(ellipse at 15% 0%, rgb(107 107 214 / 0.22), transparent 55%),
      radial-gradient(ellipse at 100% 100%, rgb(255 204 51 / 0.08), transparent 50%),
      var(--gb-bg);
    color: var(--gb-text);
    font-family: var(--gb-font);
    cursor: none;
  }
  .frame {
    position: relative;
    z-index: 1;
    height: 100%;
    box-sizing: border-box;
    padding: calc(var(--u) * 1.4) calc(var(--u) * 2) calc(var(--u) * 1.8);
    display: grid;
    grid-template-rows: auto minmax(0, 19fr) minmax(0, 31fr);
    /* One column as wide as the screen: a wide header (the connection badge up) shortens the
       event name instead of widening the column and pushing the right column off screen. */
    grid-template-columns: minmax(0, 1fr);
    gap: calc(var(--u) * 0.8);
  }
  .frame[hidden] {
    display: none;
  }
  .frame.no-poll {
    grid-template-rows: auto minmax(0, 26fr) minmax(0, 24fr);
  }
  /* Seven to twelve options: the poll takes most of the height, so each row stays readable. */
  .frame.many {
    grid-template-rows: auto minmax(0, 6fr) minmax(0, 44fr);
  }
  header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: calc(var(--u) * 2);
    min-height: calc(var(--u) * 4.4);
  }
  .brand {
    flex: 1;
    display: flex;
    align-items: center;
    gap: calc(var(--u) * 1);
    min-width: 0;
  }
  .logo {
    flex: none;
    height: max(28px, calc(var(--u) * 3.4));
    max-width: calc(var(--u) * 18);
    object-fit: contain;
  }
  h1 {
    margin: 0;
    font-size: max(20px, calc(var(--u) * 2.6));
    font-weight: 900;
    letter-spacing: -0.01em;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .onair {
    flex: none;
    width: calc(var(--u) * 1.1);
    height: calc(var(--u) * 1.1);
    border-radius: 50%;
    background: var(--gb-bad);
    box-shadow: 0 0 calc(var(--u) * 1) var(--gb-bad);
    animation: onair 2s ease-in-out infinite;
  }
  .onair.paused {
    background: var(--gb-warn);
    box-shadow: none;
    animation: none;
  }
  .onair.offline {
    background: var(--gb-muted);
    box-shadow: none;
    animation: none;
  }
  .onair.ended {
    background: var(--gb-muted);
    box-shadow: none;
    animation: none;
  }
  .checkins {
    display: flex;
    align-items: baseline;
    gap: calc(var(--u) * 0.7);
    padding: calc(var(--u) * 0.5) calc(var(--u) * 1.4);
    border-radius: 999px;
    background: rgb(255 255 255 / 0.06);
    box-shadow: inset 0 0 0 1px rgb(255 255 255 / 0.08);
    white-space: nowrap;
  }
  .checkins .count {
    font-size: max(20px, calc(var(--u) * 2.9));
    font-weight: 900;
    color: var(--gb-accent);
    line-height: 1;
  }
  .checkins .unit {
    font-size: max(12px, calc(var(--u) * 1.4));
    font-weight: 700;
    color: var(--gb-muted);
  }
  .sky {
    margin: 0 calc(var(--u) * -2);
    border-top: 1px solid rgb(255 255 255 / 0.06);
    border-bottom: 1px solid rgb(255 255 255 / 0.06);
    background: linear-gradient(180deg, rgb(255 255 255 / 0.025), rgb(255 255 255 / 0.045));
  }
  main {
    min-height: 0;
    display: grid;
    grid-template-columns: minmax(0, 1fr) calc(var(--u) * 22);
    gap: calc(var(--u) * 1.6);
  }
  aside {
    min-height: 0;
    display: flex;
    flex-direction: column;
    gap: calc(var(--u) * 1);
  }
  .card {
    min-height: 0;
    box-sizing: border-box;
    padding: calc(var(--u) * 1.6) calc(var(--u) * 2);
    border-radius: calc(var(--u) * 1.2);
    background: rgb(23 23 38 / 0.82);
    box-shadow:
      inset 0 0 0 1px rgb(255 255 255 / 0.07),
      0 calc(var(--u) * 0.6) calc(var(--u) * 2.4) rgb(0 0 0 / 0.35);
  }
  .join {
    flex: 1;
    display: flex;
    align-items: center;
    justify-content: center;
    padding: calc(var(--u) * 1.2);
    /* The QR code takes the room the card has (a winners card may share the column). */
    container-type: size;
    --gb-qr-size: calc(var(--u) * 15);
  }
  @supports (height: 1cqh) {
    .join {
      --gb-qr-size: min(calc(var(--u) * 17), calc(100cqh - var(--u) * 6.4), 100cqw);
    }
  }
  .join gb-join-qr {
    width: 100%;
  }
  .latest {
    flex: none;
    display: flex;
    flex-direction: column;
    gap: calc(var(--u) * 0.6);
    padding: calc(var(--u) * 1) calc(var(--u) * 1.4);
    background: rgb(255 204 51 / 0.1);
    box-shadow: inset 0 0 0 1px rgb(255 204 51 / 0.35);
  }
  .latest-title {
    font-size: max(12px, calc(var(--u) * 1.15));
    font-weight: 800;
    letter-spacing: 0.06em;
    text-transform: uppercase;
    color: var(--gb-accent);
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .latest-numbers {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--u) * 0.5);
    font-size: max(13px, calc(var(--u) * 1.5));
    font-weight: 800;
  }
  .latest b {
    padding: 0.05em 0.45em;
    border-radius: 0.35em;
    background: var(--gb-accent);
    color: var(--gb-accent-text);
    font-variant-numeric: tabular-nums;
  }
  .latest i {
    font-style: normal;
    color: var(--gb-muted);
    align-self: center;
  }
  .welcome {
    display: flex;
    flex-direction: column;
    justify-content: center;
    gap: calc(var(--u) * 1);
  }
  .welcome .kicker {
    font-size: max(12px, calc(var(--u) * 1.2));
    font-weight: 800;
    letter-spacing: 0.16em;
    text-transform: uppercase;
    color: var(--gb-accent);
  }
  .welcome h2 {
    margin: 0;
    font-size: max(24px, calc(var(--u) * 3.6));
    line-height: 1.1;
    font-weight: 900;
  }
  .welcome p {
    margin: 0;
    max-width: 34em;
    font-size: max(14px, calc(var(--u) * 1.6));
    line-height: 1.35;
    color: var(--gb-muted);
  }
  .splash {
    position: relative;
    z-index: 1;
    height: 100%;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: calc(var(--u) * 1);
    text-align: center;
  }
  .splash h1 {
    font-size: max(24px, calc(var(--u) * 4));
  }
  .splash p {
    margin: 0;
    font-size: max(14px, calc(var(--u) * 1.8));
    color: var(--gb-muted);
  }
  .spinner {
    width: calc(var(--u) * 4);
    height: calc(var(--u) * 4);
    border-radius: 50%;
    border: calc(var(--u) * 0.45) solid rgb(255 255 255 / 0.12);
    border-top-color: var(--gb-accent);
    animation: spin 1s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  @keyframes onair {
    50% {
      opacity: 0.45;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .onair,
    .spinner {
      animation: none;
    }
  }
`
