import { css } from 'lit'

export const danmakuLayerStyles = css`
  :host {
    display: block;
    position: relative;
    overflow: hidden;
    contain: strict;
  }
  .sky {
    position: absolute;
    inset: 0;
  }
  .dm {
    color: var(--c, #fff);
    position: absolute;
    left: 0;
    top: 0;
    white-space: nowrap;
    will-change: transform;
    font-size: var(--gb-danmaku-size, 2.4vw);
    font-weight: 700;
    line-height: 1.25;
    letter-spacing: 0.01em;
    /* A dark halo keeps light text readable over any light-show colour. */
    text-shadow:
      0 0 0.08em rgb(0 0 0 / 0.95),
      0 0.04em 0.16em rgb(0 0 0 / 0.8);
    font-family: var(--gb-font);
    pointer-events: none;
  }
  .num {
    display: inline-block;
    margin-right: 0.4em;
    padding: 0.08em 0.42em;
    border-radius: 0.5em;
    font-size: 0.48em;
    font-weight: 800;
    vertical-align: 0.38em;
    color: #0b0b14;
    background: var(--c, #fff);
    text-shadow: none;
    font-variant-numeric: tabular-nums;
  }
  .hint {
    position: absolute;
    inset: 0;
    display: flex;
    align-items: center;
    justify-content: center;
    font-size: calc(var(--gb-danmaku-size, 2.4vw) * 0.8);
    font-weight: 600;
    color: rgb(255 255 255 / 0.28);
    opacity: 0;
    transition: opacity 1.2s ease;
  }
  .sky.idle .hint {
    opacity: 1;
    transition-delay: 2s;
  }
  .measure {
    visibility: hidden;
    transform: translate3d(-200vw, 0, 0);
    will-change: auto;
  }
`
