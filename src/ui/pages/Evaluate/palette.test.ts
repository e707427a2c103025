import { describe, expect, it } from 'vitest';
import { PALETTES, memberColor } from './palette';

// CIE L*a*b* (D65) and the ΔE76 distance: how far apart two colours look, roughly.
function lab(hex: string): [number, number, number] {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const xyz = [
    (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
    0.2126 * r + 0.7152 * g + 0.0722 * b,
    (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
  ].map((t) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116));
  return [116 * xyz[1] - 16, 500 * (xyz[0] - xyz[1]), 200 * (xyz[1] - xyz[2])];
}
const deltaE = (a: string, b: string) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]));

describe('Evaluate chart palette', () => {
  for (const [scheme, p] of Object.entries(PALETTES)) {
    it(`${scheme}: member colours are apart from the positive, negative and review-state colours`, () => {
      const reserved = { positive: p.positive, negative: p.negative, ensemble: p.ensemble, ...p.status };
      for (const m of p.members) {
        for (const [name, c] of Object.entries(reserved)) expect(deltaE(m, c), `member ${m} vs ${name} ${c}`).toBeGreaterThanOrEqual(20);
      }
    });
    it(`${scheme}: members differ from each other, and cycle past the last`, () => {
      p.members.forEach((a, i) => p.members.slice(i + 1).forEach((b) => expect(deltaE(a, b), `${a} vs ${b}`).toBeGreaterThanOrEqual(15)));
      expect(memberColor(p, 0)).toBe(p.members[0]);
      expect(memberColor(p, p.members.length)).toBe(p.members[0]);
    });
    it(`${scheme}: positive vs negative, and the unreviewed state is visible on the page`, () => {
      expect(deltaE(p.positive, p.negative)).toBeGreaterThanOrEqual(30);
      const panel = scheme === 'light' ? '#ffffff' : '#1b1f24';
      for (const [name, c] of Object.entries(p.status)) expect(deltaE(c, panel), `${name} ${c} on ${panel}`).toBeGreaterThanOrEqual(25);
      // the review states differ from each other
      const s = Object.entries(p.status);
      s.forEach(([an, a], i) => s.slice(i + 1).forEach(([bn, b]) => expect(deltaE(a, b), `${an} vs ${bn}`).toBeGreaterThanOrEqual(8)));
    });
  }
});
