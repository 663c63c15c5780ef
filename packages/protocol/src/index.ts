export * from './actions';
export * from './codec';
export * from './envelope';
export * from './errors';
export * from './client';
export * from './messages/system';
export * from './messages/accounts';
export * from './messages/contacts';
