/**
 * Imported first by every page entry. Zod probes `Function('')` once to decide whether to
 * compile its validators; the pages' Content-Security-Policy allows no eval, so the probe
 * would be a reported policy violation. The few parses a page makes need no compiling.
 */
import { config } from 'zod'

config({ jitless: true })
