// A small Markdown subset for review guidelines, parsed to a tree that the UI renders
// as React elements. It never produces HTML strings, so guideline text (typed by any
// project member, or imported) cannot inject markup: `<b>` stays the literal text `<b>`.
//
// Supported: ATX headings (#..######), paragraphs, bullet (- * +) and numbered lists,
// block quotes (>), fenced code (```), horizontal rules (---), and inline **strong**,
// *emphasis* / _emphasis_, `code`, [links](https://…). Links are kept only for
// http(s), mailto and in-page (#) targets; anything else renders as plain text.

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: Inline[] };

export type Block =
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: Inline[] }
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'list'; ordered: boolean; items: Inline[][] }
  | { type: 'quote'; children: Block[] }
  | { type: 'code'; text: string }
  | { type: 'hr' };

const SAFE_HREF = /^(https?:\/\/|mailto:|#)/i;

export function parseMarkdown(src: string): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    if (/^\s*```/.test(line)) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !/^\s*```/.test(lines[i])) body.push(lines[i++]);
      i++; // closing fence (or end of text)
      blocks.push({ type: 'code', text: body.join('\n') });
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      blocks.push({ type: 'heading', level: h[1].length as 1, children: parseInline(h[2]) });
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      blocks.push({ type: 'hr' });
      i++;
      continue;
    }
    if (/^\s*>/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i])) body.push(lines[i++].replace(/^\s*>\s?/, ''));
      blocks.push({ type: 'quote', children: parseMarkdown(body.join('\n')) });
      continue;
    }
    const bullet = /^\s*([-*+]|\d+[.)])\s+/;
    const lm = bullet.exec(line);
    if (lm) {
      const ordered = /\d/.test(lm[1]);
      const items: string[] = [];
      while (i < lines.length && lines[i].trim()) {
        const m = bullet.exec(lines[i]);
        if (m && /\d/.test(m[1]) === ordered) items.push(lines[i].slice(m[0].length));
        else if (m) break; // a different list kind starts
        else items[items.length - 1] += ' ' + lines[i].trim(); // lazy continuation line
        i++;
      }
      blocks.push({ type: 'list', ordered, items: items.map(parseInline) });
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      lines[i].trim() &&
      !/^(#{1,6})\s/.test(lines[i]) &&
      !/^\s*(```|>)/.test(lines[i]) &&
      !bullet.test(lines[i])
    ) {
      para.push(lines[i++].trim());
    }
    blocks.push({ type: 'paragraph', children: parseInline(para.join(' ')) });
  }
  return blocks;
}

export function parseInline(src: string): Inline[] {
  const out: Inline[] = [];
  const text = (t: string) => {
    if (!t) return;
    const prev = out[out.length - 1];
    if (prev?.type === 'text') prev.text += t;
    else out.push({ type: 'text', text: t });
  };
  let i = 0;
  while (i < src.length) {
    const rest = src.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^`([^`]+)`/.exec(rest))) {
      out.push({ type: 'code', text: m[1] });
    } else if ((m = /^\*\*(?=\S)([\s\S]*?\S)\*\*/.exec(rest)) || (m = /^__(?=\S)([\s\S]*?\S)__/.exec(rest))) {
      out.push({ type: 'strong', children: parseInline(m[1]) });
    } else if ((m = /^\*(?=\S)([^*]*?\S)\*/.exec(rest)) || (!/[\p{L}\p{N}]/u.test(src[i - 1] ?? '') && (m = /^_(?=\S)([^_]*?\S)_(?![\p{L}\p{N}])/u.exec(rest)))) {
      out.push({ type: 'em', children: parseInline(m[1]) });
    } else if ((m = /^\[([^\]]+)\]\(([^)\s]+)\)/.exec(rest))) {
      if (SAFE_HREF.test(m[2])) out.push({ type: 'link', href: m[2], children: parseInline(m[1]) });
      else text(m[1]);
    } else if (rest[0] === '\\' && rest.length > 1) {
      text(rest[1]);
      i += 2;
      continue;
    } else {
      text(rest[0]);
      i++;
      continue;
    }
    i += m[0].length;
  }
  return out;
}
