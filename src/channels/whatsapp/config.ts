import path from 'node:path';
import { DEFAULT_CHROMIUM, type Config } from '../../config/config.js';
import type { SendLimits } from '../../core/channel.js';

/** The official Cloud API: webhook in, Graph API out. */
export interface WhatsAppCloudSettings {
  token: string;
  phoneNumberId: string;
  /** Signs every webhook POST (X-Hub-Signature-256). */
  appSecret: string;
  /** Echoed challenge on GET /whatsapp/webhook only when hub.verify_token equals it. */
  verifyToken: string;
  /** Graph API base, e.g. https://graph.facebook.com/v21.0 (a test server in tests). */
  graphApiUrl: string;
  /** The approved template sent once the 24-hour window has closed; none: nothing is sent then (the reply waits for the user). */
  template?: { name: string; language: string };
  /** The customer-service window (24 h; tests shorten it) and how long before its end an advisor is warned. */
  windowMs: number;
  warnBeforeMs: number;
  limits: SendLimits;
}

/** whatsapp-web.js: a linked phone number driven through the system Chromium. */
export interface WhatsAppWebSettings {
  chromiumPath: string;
  /** `local`: the Chromium profile under `sessionDir`; `redis`: the zipped session in Redis, shared by replicas. */
  session: 'local' | 'redis';
  /** Where LocalAuth keeps the profile (DATA_DIR/whatsapp-web). */
  sessionDir: string;
  limits: SendLimits;
}

export type WhatsAppConfig = { transport: 'cloud'; cloud: WhatsAppCloudSettings } | { transport: 'web'; web: WhatsAppWebSettings };

export const DEFAULT_GRAPH_API_URL = 'https://graph.facebook.com/v21.0';
const DAY_MS = 24 * 60 * 60 * 1000;

/** WhatsApp's settings, or undefined when neither transport is configured (the channel stays off). loadConfig has checked they are complete and exclusive. */
export function whatsappConfig(config: Pick<Config, 'env' | 'dataDir'>): WhatsAppConfig | undefined {
  const env = config.env;
  if (env.WHATSAPP_WEB_ENABLED) {
    return {
      transport: 'web',
      web: {
        chromiumPath: env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM,
        session: env.WHATSAPP_WEB_SESSION,
        sessionDir: path.join(config.dataDir, 'whatsapp-web'),
        // An ordinary number: gentle, to stay clear of WhatsApp's spam detection.
        limits: { perSecond: 5, perChatIntervalMs: 1000 },
      },
    };
  }
  if (env.WHATSAPP_CLOUD_TOKEN && env.WHATSAPP_CLOUD_PHONE_NUMBER_ID && env.WHATSAPP_CLOUD_APP_SECRET && env.WHATSAPP_CLOUD_VERIFY_TOKEN) {
    return {
      transport: 'cloud',
      cloud: {
        token: env.WHATSAPP_CLOUD_TOKEN,
        phoneNumberId: env.WHATSAPP_CLOUD_PHONE_NUMBER_ID,
        appSecret: env.WHATSAPP_CLOUD_APP_SECRET,
        verifyToken: env.WHATSAPP_CLOUD_VERIFY_TOKEN,
        graphApiUrl: (env.WHATSAPP_GRAPH_API_URL ?? DEFAULT_GRAPH_API_URL).replace(/\/+$/, ''),
        template: env.WHATSAPP_CLOUD_TEMPLATE_NAME ? { name: env.WHATSAPP_CLOUD_TEMPLATE_NAME, language: env.WHATSAPP_CLOUD_TEMPLATE_LANGUAGE } : undefined,
        windowMs: DAY_MS,
        warnBeforeMs: env.WHATSAPP_WINDOW_WARNING_MINUTES * 60_000,
        // Meta's default throughput is 80 messages a second per number (WHATSAPP_CLOUD_RATE_LIMIT, default 50); one a second to one person.
        limits: { perSecond: env.WHATSAPP_CLOUD_RATE_LIMIT, perChatIntervalMs: 1000 },
      },
    };
  }
  return undefined;
}
