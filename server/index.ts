/**
 * Starts one Glowband instance: `bun server/index.ts [--demo]`.
 * With --demo it makes sure a demo event exists and prints its three URLs.
 */
import { availableParallelism } from 'node:os'
import { createApp } from './app.ts'
import { type Config, ConfigError, loadConfig } from './config.ts'
import { ensureDemoEvent } from './events/demo.ts'
import { serveOptions } from './listen.ts'
import { claimDataDir, localUrl } from './operator/data-dir.ts'
import { instanceArgs, instancesRefusal, instancesWanted, superviseInstances } from './operator/instances.ts'
import { createRuntime } from './runtime.ts'

let config: Config
try {
  config = loadConfig()
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message)
    process.exit(2)
  }
  throw err
}

// --instances auto|N: this process supervises one instance per core on the same port.
const instances = (() => {
  try {
    return instancesWanted(process.argv.slice(2), availableParallelism())
  } catch (err) {
    console.error((err as Error).message)
    process.exit(2)
  }
})()
if (instances !== null) {
  const refusal = instancesRefusal(config, instances)
  if (refusal) {
    console.error(refusal)
    process.exit(2)
  }
  process.exit(
    await superviseInstances({
      count: instances,
      script: process.argv[1],
      args: instanceArgs(process.argv.slice(2)),
      config,
      say: (line) => console.error(line),
    }),
  )
}

// Embedded mode: the database files are this process's alone; the CLI goes through the API.
const owner =
  config.mode === 'embedded' && config.dataDir !== ':memory:'
    ? await claimDataDir(config.dataDir, (m) => console.error(m)).catch((err: Error) => {
        console.error(err.message)
        process.exit(1)
      })
    : null
const rt = await createRuntime(config)
// The demo event exists before the first request: /healthz answering means it is there.
const demo = process.argv.includes('--demo') ? await ensureDemoEvent(rt) : null
const app = createApp(rt)
app.listen(serveOptions(config))
rt.start()
owner?.publish(rt, localUrl(config.HOST, app.server!.port!))
rt.log.info('listening', { port: app.server?.port, mode: config.mode, publicUrl: config.publicUrl })

if (demo) {
  console.log(
    [
      '',
      `  Glowband is running (${config.mode} mode) with the demo event "${demo.name}".`,
      '',
      `  Guest page:  ${demo.guestUrl}`,
      `  Big screen:  ${demo.screenUrl}`,
      `  Host admin:  ${demo.adminUrl}`,
      '',
      `  Try a wristband: ${demo.sampleWristbandUrl}`,
      '',
    ].join('\n'),
  )
}

let stopping = false
const shutdown = async (signal: string) => {
  if (stopping) return
  stopping = true
  rt.log.info('shutting down', { signal })
  // Stop taking new connections first, then drain what is open.
  app.server?.stop(false)
  await rt.stop()
  owner?.release()
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
