/** Small line icons for the project navigation. */
const common = {
  width: 18,
  height: 18,
  viewBox: '0 0 20 20',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 1.6,
  strokeLinecap: 'round' as const,
  strokeLinejoin: 'round' as const,
  'aria-hidden': true,
};

export const navIcons = {
  dashboard: (
    <svg {...common}>
      <rect x="3" y="3" width="6" height="8" rx="1.2" />
      <rect x="11" y="3" width="6" height="5" rx="1.2" />
      <rect x="3" y="13" width="6" height="4" rx="1.2" />
      <rect x="11" y="10" width="6" height="7" rx="1.2" />
    </svg>
  ),
  hitmap: (
    <svg {...common}>
      <path d="M3 3v14h14" />
      <circle cx="7" cy="12" r="0.9" fill="currentColor" />
      <circle cx="9.5" cy="9" r="0.9" fill="currentColor" />
      <circle cx="12" cy="13" r="0.9" fill="currentColor" />
      <circle cx="14" cy="7" r="0.9" fill="currentColor" />
      <circle cx="15.5" cy="11" r="0.9" fill="currentColor" />
    </svg>
  ),
  agents: (
    <svg {...common}>
      <rect x="3" y="3.5" width="14" height="5" rx="1.2" />
      <rect x="3" y="11.5" width="14" height="5" rx="1.2" />
      <path d="M6 6h.01M6 14h.01" strokeWidth="2.2" />
    </svg>
  ),
  stats: (
    <svg {...common}>
      <path d="M4 16V9M8.5 16V4M13 16v-5M17 16V7" />
    </svg>
  ),
  alerts: (
    <svg {...common}>
      <path d="M5 14.5V9a5 5 0 0 1 10 0v5.5l1.5 1.5h-13z" />
      <path d="M8.5 17.5a1.6 1.6 0 0 0 3 0" />
    </svg>
  ),
  install: (
    <svg {...common}>
      <circle cx="7" cy="12.5" r="3.5" />
      <path d="M9.5 10l6.5-6.5M13.5 6l2 2M12 7.5l1.5 1.5" />
    </svg>
  ),
  settings: (
    <svg {...common}>
      <circle cx="10" cy="10" r="2.6" />
      <path d="M10 2.5v2M10 15.5v2M2.5 10h2M15.5 10h2M4.7 4.7l1.4 1.4M13.9 13.9l1.4 1.4M4.7 15.3l1.4-1.4M13.9 6.1l1.4-1.4" />
    </svg>
  ),
};
