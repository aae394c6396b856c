/** The Tapscope mark and word. */
export function Logo({ tone = 'dark' }: { tone?: 'dark' | 'light' }) {
  return (
    <span className={`logo logo-${tone}`}>
      <svg className="logo-mark" viewBox="0 0 28 28" aria-hidden="true">
        <rect width="28" height="28" rx="7" fill="#3056d3" />
        <circle cx="14" cy="14" r="7.5" fill="none" stroke="#fff" strokeWidth="2" opacity="0.55" />
        <path d="M6.5 17.5l4-5 3.5 3 4-6 3.5 4" fill="none" stroke="#fff" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span className="logo-word">Tapscope</span>
    </span>
  );
}
