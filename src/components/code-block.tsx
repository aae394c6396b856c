import { CopyButton } from './copy-button';
import './code-block.css';

/** Shell commands or config text, shown as text (never HTML), with its own Copy button. */
export function CodeBlock({ code, label, title }: { code: string; label: string; title?: string }) {
  return (
    <figure className="code-block" aria-label={label}>
      <div className="code-block-bar">
        <span className="code-block-title">{title ?? ''}</span>
        <CopyButton text={code} ariaLabel={`Copy ${label}`} variant="ghost" />
      </div>
      <pre className="code-block-pre">
        <code>{code}</code>
      </pre>
    </figure>
  );
}
