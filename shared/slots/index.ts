export * from './availability';
export * from './intervals';
export * from './slots';
export * from './time';
