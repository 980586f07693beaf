/**
 * The built-in light show: a 60 s trip round the colour wheel, one colour every 5 s,
 * every third one breathing. No `flash` at all, so it is safe to start without a
 * second look (photosensitivity: see client/src/lib/cues.ts).
 */
import type { CueSheet } from '../../../../protocol/index.ts'

const COLOURS = [
  '#ff3b30', // red
  '#ff6a00', // orange
  '#ffcc00', // yellow
  '#a4e400', // lime
  '#34c759', // green
  '#00d5b0', // teal
  '#00b7ff', // sky
  '#0a5cff', // blue
  '#6e3bff', // indigo
  '#bf5af2', // violet
  '#ff2d9a', // pink
  '#ff375f', // rose
]

export const EXAMPLE_STEP_MS = 5000

export const EXAMPLE_CUE_SHEET: CueSheet = {
  name: 'Colour cycle (60 s)',
  cues: COLOURS.map((color, i) => ({
    at: i * EXAMPLE_STEP_MS,
    color,
    effect: i % 3 === 2 ? 'pulse' : 'solid',
    durationMs: EXAMPLE_STEP_MS,
  })),
}

/**
 * A short sheet that shows off every optional effect (fades, a turning gradient, particles,
 * text) and one gentle flash: pasted into the editor for the host to preview and edit.
 */
export const EFFECTS_EXAMPLE: CueSheet = {
  name: 'Encore (effects, 24 s)',
  cues: [
    { at: 0, color: '#0a5cff', effect: 'solid', fadeMs: 1500, text: 'Get ready' },
    {
      at: 4000,
      color: '#ff2d9a',
      effect: 'solid',
      fadeMs: 1000,
      gradient: { colors: ['#ff2d9a', '#6e3bff', '#00b7ff'], angle: 160, turnMs: 8000 },
      particles: { count: 14 },
      text: 'Hands up!',
    },
    { at: 12_000, color: '#ffcc00', effect: 'pulse', fadeMs: 1500, particles: { count: 10, direction: 'down' } },
    { at: 18_000, color: '#ffffff', effect: 'flash', durationMs: 2000 },
    { at: 21_000, color: '#ff375f', effect: 'solid', fadeMs: 2000, text: 'Thank you!', durationMs: 3000 },
  ],
}
