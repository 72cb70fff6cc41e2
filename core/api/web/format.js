// Wording for the values the API reports: times, durations, auth types.

const AUTH_TYPE_NAMES = {
  oauth: 'OAuth',
  jwt: 'JWT',
  bearer: 'Bearer token',
  api_key: 'API key',
  none: 'No authentication',
};

export const authTypeName = (type) => AUTH_TYPE_NAMES[type] ?? String(type ?? 'unknown');

// A Unix time in seconds, in the reader's own locale and time zone.
export const formatTime = (unixSeconds) =>
  new Date(unixSeconds * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

// 3 d 4 h, 2 h 5 min, 7 min, under a minute: two units at most, enough to act on.
export function formatDuration(seconds) {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return 'under a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  return `${rest} min`;
}

// "Mar 3, 2026, 10:00 AM (in 2 h 5 min)", "expired Mar 3, 2026, 10:00 AM", or null when unknown.
// time_until_expiry comes with the status; without it, the clock of this browser decides.
export function describeExpiry(expiresAt, secondsLeft, expired) {
  if (typeof expiresAt !== 'number') return null;
  const left = typeof secondsLeft === 'number' ? secondsLeft : expiresAt - Date.now() / 1000;
  if (expired || left <= 0) return `expired ${formatTime(expiresAt)}`;
  return `${formatTime(expiresAt)} (in ${formatDuration(left)})`;
}

export const yesNo = (value) => (value ? 'yes' : 'no');
