/** A clock that moves only when told: for the limiters' unit tests. */
export function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}
