// A duration in words, for logs, messages and summaries: one spelling wherever the action says how long.

/** Milliseconds the way a person reads them: 45 s, 3 min 5 s, 1 h 2 min. */
export function describeDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
