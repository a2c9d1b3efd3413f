// The handful of line icons the navigation and timelines use (24px grid,
// currentColor), decorative: the text beside each carries the meaning.
const PATHS: Record<string, string> = {
  events: "M4 6h16M4 12h16M4 18h10",
  automations:
    "M12 3v3m0 12v3m9-9h-3M6 12H3m15.4-6.4-2.1 2.1M7.7 16.3l-2.1 2.1m12.8 0-2.1-2.1M7.7 7.7 5.6 5.6M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z",
  dashboards: "M4 20V10m6 10V4m6 16v-7m4 7H2",
  integrity: "M12 3l8 3v6c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V6l8-3zm-3.5 9 2.5 2.5 4.5-5",
  reports: "M6 3h9l4 4v14H6zM14 3v5h5M9 12h7m-7 4h7",
  admin:
    "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm7.4-3a7.4 7.4 0 0 0-.1-1.2l2-1.6-2-3.4-2.4 1a7.5 7.5 0 0 0-2-1.2L14.5 3h-4l-.4 2.6a7.5 7.5 0 0 0-2 1.2l-2.4-1-2 3.4 2 1.6a7.4 7.4 0 0 0 0 2.4l-2 1.6 2 3.4 2.4-1a7.5 7.5 0 0 0 2 1.2l.4 2.6h4l.4-2.6a7.5 7.5 0 0 0 2-1.2l2.4 1 2-3.4-2-1.6c.1-.4.1-.8.1-1.2z",
  governance: "M12 3v18M5 21h14M4 7h16M7 7l-3 7a3 3 0 0 0 6 0L7 7zm10 0-3 7a3 3 0 0 0 6 0l-3-7z",
  rules: "M9 6h11M9 12h11M9 18h11M4 5.5l1 1 2-2M4 11.5l1 1 2-2M4 17.5l1 1 2-2",
  alerts: "M6 16V11a6 6 0 0 1 12 0v5l2 2H4l2-2zm4 4a2 2 0 0 0 4 0",
  person: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 9a7 7 0 0 1 14 0",
  automation: "M13 2 4 14h7l-1 8 9-12h-7l1-8z",
  system: "M4 5h16v10H4zM8 19h8m-4-4v4",
  record: "M5 4h14v16H5zM9 8h6m-6 4h6m-6 4h4",
  signout: "M15 4h4v16h-4M10 8l-4 4 4 4m-4-4h10",
  search: "M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zm9 16-4-4",
  check: "M5 12.5 10 17l9-10",
  cross: "M6 6l12 12M18 6 6 18",
  channels: "M4 12a8 8 0 0 1 16 0M7.5 12a4.5 4.5 0 0 1 9 0M12 12v8",
  deliveries: "M3 7l9 6 9-6M3 7v10h18V7",
  streams: "M3 8h13l-3-3m3 3-3 3M21 16H8l3-3m-3 3 3 3",
};

export function Icon({ name, size = 18 }: { name: keyof typeof PATHS | string; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name] ?? PATHS.record} />
    </svg>
  );
}
