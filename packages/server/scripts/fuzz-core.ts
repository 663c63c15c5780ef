/**
 * The fuzzer shared by packages/server/test/fuzz.test.ts (short, in the suite) and
 * packages/server/scripts/fuzz.ts (long, `pnpm fuzz`): fast-check generators of hostile
 * frames and a runner that sends them to a real server over TCP and checks every reply.
 *
 * A frame is the bytes of one line, without its "\n". The server answers every line that
 * is not blank with exactly one reply, in order, so the k-th reply belongs to the k-th
 * non-blank frame: the runner checks that each reply is a schema-valid Response, that it
 * carries the request's id whenever the request had a readable one, and that no reply is
 * an internal_error (a bug, however politely reported). A connection may also be closed
 * by the server (a frame over the size limit, a rate limit): that is a clean close only
 * if a goodbye event came first.
 */
export { expectsReply, paramKeys, requestId, wrongValueJson, type Frame } from './fuzzer/values';
export { frameArbitrary } from './fuzzer/generators';
export { LineSocket, rawRequest, readHello } from './fuzzer/line-socket';
export { newStats, oversizeLine, sendAndCheck, splitAtEveryByte, type FuzzStats } from './fuzzer/checker';
export { prepareWorld, startBystander, type FuzzWorld } from './fuzzer/world';
