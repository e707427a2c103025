// Pure helpers of the Review workbench (no DOM, no Dexie): highlighting, word diff,
// queue ordering and filters, agreement (Cohen's kappa), run comparison, Markdown.
export * from './tokens';
export * from './highlight';
export * from './diff';
export * from './kappa';
export * from './queue';
export * from './agreement';
export * from './compare';
export * from './markdown';
