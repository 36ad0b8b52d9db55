/** Tiny HTML helpers: every value goes through escapeHtml(). */

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A trusted HTML fragment (already escaped). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Tagged template that escapes interpolations unless they are Html (or arrays of Html). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const render = (v: unknown): string =>
      v instanceof Html ? v.text : Array.isArray(v) ? v.map(render).join('') : escapeHtml(v);
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

export function page(title: string, body: Html, user?: string | null): string {
  return html`<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Gesimuleerd netbeheerdersportaal</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
header { display: flex; justify-content: space-between; border-bottom: 2px solid #6b2c91; margin-bottom: 1rem; }
.sim { background: #fff3cd; padding: .3rem .6rem; font-size: .85rem; }
.error { background: #fde2e1; border-left: 4px solid #c0392b; padding: .5rem; }
.ok { background: #e3f6e5; border-left: 4px solid #2e7d32; padding: .5rem; }
.dot { display: inline-block; width: 1rem; height: 1rem; border-radius: 50%; vertical-align: middle; }
.dot.orange { background: #f39c12; } .dot.green { background: #27ae60; }
table { border-collapse: collapse; width: 100%; } td, th { padding: .4rem; border-bottom: 1px solid #ddd; text-align: left; }
.split { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
label { display: block; margin: .4rem 0; }
</style>
</head>
<body>
<header><h1>${title}</h1><span>${user ? html`${user} · <form method="post" action="/uitloggen" style="display:inline"><button>Uitloggen</button></form>` : html`<a href="/inloggen">Inloggen</a>`}</span></header>
<p class="sim">Simulatie voor testen: geen echte gegevens, geen echte netbeheerder. <a href="/mailbox">Mailbox</a> · <a href="/activatiecode">Activatiecode ingeven</a></p>
${body}
</body>
</html>`.text;
}
