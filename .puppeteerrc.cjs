/**
 * whatsapp-web.js depends on puppeteer, whose install step would download a browser.
 * Lotse never downloads one: it drives the system Chromium (Debian's `chromium`, CHROMIUM_PATH).
 */
module.exports = { skipDownload: true };
