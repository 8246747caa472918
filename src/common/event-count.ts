/** A recording's number of events in words, as the lab UI and the command line say it: "1 event", "2 events". */
export const eventCountInWords = (count: number): string => (count === 1 ? '1 event' : `${count} events`);
