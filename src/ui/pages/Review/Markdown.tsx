// Renders the Markdown subset of core/review/markdown as React elements: text is
// always a text node, never HTML.
import { Fragment, type ReactNode } from 'react';
import { parseMarkdown, type Block, type Inline } from '../../../core/review/markdown';

function inlines(xs: Inline[]): ReactNode[] {
  return xs.map((x, i) => {
    switch (x.type) {
      case 'text':
        return <Fragment key={i}>{x.text}</Fragment>;
      case 'strong':
        return <strong key={i}>{inlines(x.children)}</strong>;
      case 'em':
        return <em key={i}>{inlines(x.children)}</em>;
      case 'code':
        return <code key={i}>{x.text}</code>;
      case 'link':
        return (
          <a key={i} href={x.href} target={x.href.startsWith('#') ? undefined : '_blank'} rel="noopener noreferrer">
            {inlines(x.children)}
          </a>
        );
    }
  });
}

function blocks(bs: Block[]): ReactNode[] {
  return bs.map((b, i) => {
    switch (b.type) {
      case 'heading': {
        const H = `h${Math.min(6, b.level + 1)}` as 'h2';
        return <H key={i}>{inlines(b.children)}</H>;
      }
      case 'paragraph':
        return <p key={i}>{inlines(b.children)}</p>;
      case 'list': {
        const L = b.ordered ? 'ol' : 'ul';
        return (
          <L key={i}>
            {b.items.map((it, j) => (
              <li key={j}>{inlines(it)}</li>
            ))}
          </L>
        );
      }
      case 'quote':
        return <blockquote key={i}>{blocks(b.children)}</blockquote>;
      case 'code':
        return (
          <pre key={i}>
            <code>{b.text}</code>
          </pre>
        );
      case 'hr':
        return <hr key={i} />;
    }
  });
}

export function Markdown({ source }: { source: string }) {
  return <div className="rv-markdown">{blocks(parseMarkdown(source))}</div>;
}
