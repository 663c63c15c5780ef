export { connectTcp, LineConnection, onLines } from './lines';
export { listeningPort } from './listening';
export { mulberry32 } from './random';
export { clock } from './clock';
