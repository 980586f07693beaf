/** The counter-layer conformance suite against the embedded (in-process) backend. */
import { MemoryLiveStore } from '../../server/live/memory.ts'
import { describeLiveStore } from './store-suite.ts'

describeLiveStore('memory', async ({ retention, messagesKept }) => {
  const store = new MemoryLiveStore(retention, { messagesKept })
  return { store, cleanup: () => store.close() }
})
