/** REDIS_URL for a Redis Cluster (redis+cluster://host:port,...) next to the one-Redis URLs of before. */
import { expect, test } from 'bun:test'
import { ConfigError, loadConfig } from '../../server/config.ts'
import { parseClusterUrl } from '../../server/live/redis-url.ts'

const cluster = (REDIS_URL: string) => loadConfig({ DATABASE_URL: 'postgres://db/x', REDIS_URL })

test('a cluster URL names its nodes and credentials; any other URL is not one', () => {
  expect(parseClusterUrl('redis+cluster://127.0.0.1:7001,10.0.0.2:7002,[::1]:7003/')).toEqual({
    nodes: [
      { host: '127.0.0.1', port: 7001 },
      { host: '10.0.0.2', port: 7002 },
      { host: '::1', port: 7003 },
    ],
    username: undefined,
    password: undefined,
  })
  expect(parseClusterUrl('redis+cluster://default:p%40ss@redis-a:6379')).toEqual({
    nodes: [{ host: 'redis-a', port: 6379 }],
    username: 'default',
    password: 'p@ss',
  })
  expect(parseClusterUrl('redis://127.0.0.1:6379')).toBeNull()
  for (const bad of ['redis+cluster://', 'redis+cluster://a', 'redis+cluster://a:1,,b:2', 'redis+cluster://a:70000'])
    expect(() => parseClusterUrl(bad)).toThrow()
})

test('cluster mode takes one Redis as before, or a Redis Cluster; a wrong URL is refused by name', () => {
  expect(cluster('redis://127.0.0.1:6379')).toMatchObject({ mode: 'cluster', REDIS_URL: 'redis://127.0.0.1:6379' })
  expect(cluster('rediss://r.example:6380')).toMatchObject({ mode: 'cluster' })
  expect(cluster('redis+cluster://a:7001,b:7002')).toMatchObject({
    mode: 'cluster',
    REDIS_URL: 'redis+cluster://a:7001,b:7002',
  })
  for (const bad of ['http://a:1', 'redis+cluster://a', 'a:7001,b:7002'])
    expect(() => cluster(bad)).toThrow(ConfigError)
  expect(() => cluster('redis+cluster://')).toThrow(/REDIS_URL: must be a URL starting with redis:\/\//)
})
