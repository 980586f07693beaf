/**
 * What the guest page loads just after it is shown rather than with it (the first load's
 * size budget): the server clock, and the quiz card, registered here so a quiz in the
 * stream renders as soon as this has arrived.
 */
import './quiz-card/quiz-card.ts'

export { ServerClock } from '../lib/clock.ts'
