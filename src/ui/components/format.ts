// Number and time formatting shared by pages.
const nf = new Intl.NumberFormat('en-US');
export const fmtInt = (n: number): string => nf.format(Math.round(n));
export function fmtMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
export function fmtDate(t: number): string {
  return new Date(t).toLocaleString();
}
/** "1 query", "2 queries": a count with its noun in the right number (English). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}
