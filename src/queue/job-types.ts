/** Asks the channel to show "typing…" while the answer is prepared. */
export interface TypingJob {
  typing: { channel: string; userId: string };
}
