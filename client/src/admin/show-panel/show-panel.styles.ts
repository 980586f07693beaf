import { css } from 'lit'

export const showPanelStyles = css`
  @container (min-width: 52rem) {
    .layout {
      grid-template-columns: 1fr 1fr;
    }
  }
  .now {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 1.25rem;
    align-items: center;
  }
  .swatch {
    width: 7.5rem;
    height: 7.5rem;
    border-radius: 1.25rem;
    background: #05050a;
    border: 1px solid rgba(255, 255, 255, 0.12);
    position: relative;
    overflow: hidden;
  }
  .swatch > span {
    position: absolute;
    inset: 0;
    transition: background-color 0.15s linear;
  }
  .swatch.on {
    box-shadow: 0 0 40px -6px var(--glow, transparent);
  }
  .now h3 {
    font-size: 1.125rem;
  }
  .facts {
    display: grid;
    gap: 0.2rem;
    font-size: 0.875rem;
    color: var(--gb-muted);
    margin: 0.35rem 0 0.9rem;
  }
  .facts b {
    color: var(--gb-text);
    font-weight: 650;
  }
  .timeline {
    position: relative;
    display: flex;
    height: 1.1rem;
    margin-top: 1.1rem;
    border-radius: 0.4rem;
    overflow: hidden;
    background: #05050a;
    grid-column: 1 / -1;
  }
  .timeline > i {
    display: block;
    height: 100%;
  }
  .playhead {
    position: absolute;
    top: -2px;
    bottom: -2px;
    width: 3px;
    margin-left: -1px;
    background: #fff;
    box-shadow: 0 0 6px #000;
    border-radius: 2px;
  }
  .example {
    display: grid;
    gap: 0.75rem;
    margin-top: 1rem;
    padding-top: 1rem;
    border-top: 1px solid rgba(255, 255, 255, 0.08);
  }
  .example .strip {
    display: flex;
    height: 0.6rem;
    border-radius: 0.3rem;
    overflow: hidden;
  }
  .example .strip i {
    flex: 1;
  }
  textarea {
    font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
    font-size: 0.8125rem;
    min-height: 11rem;
  }
  .tools {
    display: flex;
    gap: 0.5rem;
    flex-wrap: wrap;
    align-items: center;
    margin-bottom: 0.6rem;
  }
  .file {
    position: relative;
    overflow: hidden;
  }
  .file input {
    position: absolute;
    inset: 0;
    opacity: 0;
    cursor: pointer;
  }
  .start {
    display: flex;
    gap: 0.5rem;
    align-items: end;
    flex-wrap: wrap;
    margin-top: 0.9rem;
  }
  .start select {
    width: auto;
    min-width: 9rem;
  }
  .check-ok {
    color: var(--gb-good);
  }
  .preview {
    display: flex;
    gap: 1rem;
    align-items: center;
    margin: 0.9rem 0 0.2rem;
  }
  .preview-side {
    flex: 1;
    min-width: 0;
    display: grid;
    gap: 0.5rem;
  }
  .preview .timeline {
    margin-top: 0;
  }
`
