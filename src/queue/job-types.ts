/** Asks the channel to show "typing…" while the answer is prepared; `at`: when it was asked (ms), so that a late one is dropped. */
export interface TypingJob {
  typing: { channel: string; userId: string; at?: number };
}
