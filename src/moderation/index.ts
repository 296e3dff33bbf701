export * from './built-in-rules.ts';
export * from './http-moderator.ts';
export * from './moderator.ts';
export * from './personal-data.ts';
export * from './moderation-queue.ts';
