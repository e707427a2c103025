export * from './logistic';
export * from './auc';
export * from './interval';
export * from './calibration';
export * from './estimate';
export * from './tune-fusion';
export * from './features';
export * from './review-model';
