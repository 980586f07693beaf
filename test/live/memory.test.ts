/** The counter-layer conformance suite against the embedded (in-process) backend. */
import { MemoryLiveStore } from '../../server/live/memory.ts'
import { describeLiveStore } from './store-suite.ts'

describeLiveStore('memory', async ({ retention }) => {
  const store = new MemoryLiveStore(retention)
  return { store, cleanup: () => store.close() }
})
