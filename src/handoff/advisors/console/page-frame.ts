/** Escapes text for HTML content and attribute values. */
export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The console's frame around a page of its own: same styles, a way back to the queue, the script when there is one. */
export function frame(title: string, body: string, script?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} – Lotse advisors</title>
<link rel="stylesheet" href="/advisor/console.css">
${script ? `<script src="${script}" defer></script>\n` : ''}</head>
<body>
<header class="bar">
  <h1>Lotse advisors</h1>
  <a href="/advisor">Back to the console</a>
</header>
<main id="main" class="panel page">
${body}
</main>
</body>
</html>
`;
}

/** A refusal as a page (403, 404), for a person who followed a link rather than a script. */
export function messagePage(title: string, message: string): string {
  return frame(title, `<h2>${escapeHtml(title)}</h2>\n<p>${escapeHtml(message)}</p>`);
}

