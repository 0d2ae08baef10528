export * from './cells';
export * from './xlsx-reader';
export * from './import-runner';
export * as parsers from './parsers';
export * from './template';
export * from './export';
export * from './http';
