/** The counter-layer conformance suites against the embedded (in-process) backend. */
import { openMemoryLive } from '../../server/live/index.ts'
import { describeCounters } from './counters.suite.ts'
import { describeEngagement } from './engagement.suite.ts'
import { describeLeases } from './leases.suite.ts'
import { describeLog } from './log.suite.ts'
import { describeQueue } from './queue.suite.ts'
import type { MakeLayer } from './suite-support.ts'

const make: MakeLayer = async ({ retention, messagesKept }) => {
  const live = await openMemoryLive({ retention, messagesKept, queueFile: null })
  return { live, cleanup: () => live.close() }
}

describeCounters('memory', make)
describeEngagement('memory', make)
describeQueue('memory', make)
describeLog('memory', make)
describeLeases('memory', make)
