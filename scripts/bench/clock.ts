/** The one clock every benchmark process uses: epoch milliseconds with sub-ms precision. */
export const now = () => performance.timeOrigin + performance.now()
