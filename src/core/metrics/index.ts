export { evaluate, perQueryMetrics, queryMetrics, qrelsFromList, summarize, trecOrder, METRIC_NAMES } from './evaluate';
export type { EvaluateOptions, MetricName, MetricValues, MetricSummary, Qrels } from './evaluate';
