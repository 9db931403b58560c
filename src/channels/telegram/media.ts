import type { Api } from 'grammy';
import type { MediaFetcher } from '../../core/ports.js';

/** Fetches a Telegram file (a voice note) by its file_id: getFile, then the file from the Bot API's file root. */
export class TelegramMediaFetcher implements MediaFetcher {
  readonly channel = 'telegram';

  constructor(
    private readonly api: Api,
    private readonly token: string,
    private readonly apiRoot = 'https://api.telegram.org',
  ) {}

  async fetch(ref: string): Promise<{ data: Uint8Array; fileName: string }> {
    const file = await this.api.getFile(ref);
    if (!file.file_path) throw new Error('Telegram gave no file_path for the voice note');
    const response = await fetch(`${this.apiRoot}/file/bot${this.token}/${file.file_path}`);
    if (!response.ok) throw new Error(`downloading the voice note failed: HTTP ${response.status}`);
    return { data: new Uint8Array(await response.arrayBuffer()), fileName: file.file_path.split('/').pop() ?? 'voice.ogg' };
  }
}
