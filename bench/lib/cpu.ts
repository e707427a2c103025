// CPU seconds used by this process's descendants (Chromium, vite preview), from /proc.
// On a shared, busy machine wall time says more about the neighbours than about us;
// CPU time is what the work itself cost. Linux only (returns NaN elsewhere).
import { readdirSync, readFileSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux

function stat(pid: string): { ppid: number; ticks: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" of the command name: state ppid ... utime(14) stime(15) cutime(16) cstime(17)
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

export function descendantCpuSeconds(root = process.pid): number {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return NaN;
  }
  const info = new Map<number, { ppid: number; ticks: number }>();
  for (const p of pids) {
    const s = stat(p);
    if (s) info.set(Number(p), s);
  }
  const children = new Map<number, number[]>();
  for (const [pid, s] of info) {
    if (!children.has(s.ppid)) children.set(s.ppid, []);
    children.get(s.ppid)!.push(pid);
  }
  let ticks = 0;
  const stack = [...(children.get(root) ?? [])];
  while (stack.length) {
    const pid = stack.pop()!;
    ticks += info.get(pid)?.ticks ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return ticks / TICKS;
}
