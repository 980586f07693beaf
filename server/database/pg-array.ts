/**
 * Postgres array literals, for inserting many rows in one statement with one parameter
 * per column (`insert ... select from unnest($1::int[], $2::text[])`): Postgres parses
 * and binds a few long parameters far faster than thousands of short ones.
 */

/** `{1,2,3}` */
export const intArray = (values: number[]) => `{${values.map((v) => Math.trunc(v)).join(',')}}`

/**
 * Every element quoted, `"` and `\` escaped, so any text (even "NULL" or braces) is taken
 * as is; a JavaScript null is the bare NULL.
 */
export const textArray = (values: (string | null)[]) =>
  `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`

/** Timestamps from epoch milliseconds, as ISO 8601 (exact to the millisecond). */
export const timeArray = (ms: number[]) => `{${ms.map((t) => new Date(t).toISOString()).join(',')}}`
