/**
 * The range of a JavaScript time value: ±8.64e15 ms, 100,000,000 days either side of 1970
 * (ECMA-262, "Time Values and Time Range"). A Date outside it is invalid, and its toISOString throws.
 */
export const MAX_TIME_VALUE_MS = 8.64e15;

/** Whether `ms` is a time a Date can hold. */
export const isTimeValue = (ms: number): boolean => Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME_VALUE_MS;

/**
 * `ms` as an ISO 8601 date, for exports; a number outside the range (stored by a build that did not
 * refuse it) is written as it is, with a word, rather than throwing halfway through an export.
 */
export const isoTime = (ms: number): string =>
  isTimeValue(ms) ? new Date(ms).toISOString() : `${ms} (not a date)`;
