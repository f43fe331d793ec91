/**
 * The small page browser mode shows instead of the console (no token, not built). It has no script
 * and inline style only, which the console CSP allows. Arguments are trusted literals with markup.
 */
export function renderNoticePage(title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} · Pingdesk</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;color:#1f2933;background:#f5f7fa;margin:0;display:grid;place-items:center;min-height:100vh}
main{max-width:32rem;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:1.25rem;margin:0 0 .75rem}code{background:#eef2f7;padding:0 .25rem;border-radius:4px}</style></head>
<body><main><h1>${title}</h1><p>${bodyHtml}</p></main></body></html>
`;
}
