/** One server-sent event as a browser sees it. */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * Takes the complete events (blocks ending in a blank line) off the front of a buffer of an event
 * stream; `rest` is what is left for the next chunk. Comments (heartbeats) and retry hints are not
 * events; several data lines are joined with newlines, as a browser does.
 */
export function takeSseEvents(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  let rest = buffer;
  let end: number;
  while ((end = rest.indexOf('\n\n')) >= 0) {
    const block = rest.slice(0, end);
    rest = rest.slice(end + 2);
    const event: SseEvent = { event: 'message', data: '' };
    let isEvent = false;
    for (const line of block.split('\n')) {
      const [field, ...parts] = line.split(': ');
      const value = parts.join(': ');
      if (field === 'id') event.id = value;
      if (field === 'event') event.event = value;
      if (field === 'data') {
        event.data = isEvent ? `${event.data}\n${value}` : value;
        isEvent = true;
      }
    }
    if (isEvent) events.push(event);
  }
  return { events, rest };
}
