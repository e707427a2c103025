// Pure helpers of the Review workbench (no DOM, no Dexie): highlighting, word overlap,
// queue ordering and filters, agreement (Cohen's kappa), run comparison, Markdown.
export * from './tokens';
export * from './highlight';
export * from './overlap';
export * from './kappa';
export * from './queue';
export * from './agreement';
export * from './compare';
export * from './markdown';
