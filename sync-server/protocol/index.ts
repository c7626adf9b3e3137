export * from './codec';
export * from './messages';
export * from './change-meta';
export * from './digest';
export * from './ticket-view';
