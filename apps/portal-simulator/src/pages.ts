/** The HTML pages a person clicks through; same portal, same rules as the JSON API. */
import { formatEan } from '@p1/activation';
import { type Request, type Response, Router } from 'express';
import { type Html, html, page } from './html';
import type { Account, EanView, Failure, Portal } from './portal';

const COOKIE = 'portal_session';

function sessionOf(req: Request): string | undefined {
  const cookies = req.get('cookie') ?? '';
  for (const part of cookies.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

const errorBox = (failure: Failure | null): Html =>
  failure ? html`<p class="error" role="alert">${failure.message}</p>` : html``;

const PORT_LABEL: Record<EanView['port'], string> = { closed: 'Gesloten', 'in-aanvraag': 'In aanvraag', open: 'Open' };

function eanRow(view: EanView): Html {
  let action: Html;
  if (view.dot === 'green') {
    action = html`<a href="/poort/${view.ean}" title="Groen: goedgekeurd"><span class="dot green"></span></a> ${PORT_LABEL[view.port]}${view.overdue ? ' — langer dan 72 uur, bel 078 35 35 34' : ''}`;
  } else if (view.dot === 'orange') {
    action = html`<span class="dot orange" title="Oranje: wacht op goedkeuring"></span> wacht op goedkeuring van de contracthouder`;
  } else {
    action = html`<form method="post" action="/overzicht/${view.ean}/aanvragen">
<label><input type="checkbox" name="consent" value="yes"> Als aanvrager ga ik akkoord dat mijn naam aan de contracthouder wordt meegedeeld.</label>
<button>Aanvragen</button></form>`;
  }
  return html`<tr><td>⚡ ${formatEan(view.ean)}</td><td>${action}</td></tr>`;
}

export function pagesRouter(portal: Portal): Router {
  const pages = Router();
  const user = (req: Request): Account | null => {
    portal.settle();
    return portal.accountFor(sessionOf(req));
  };
  const requireUser = (req: Request, res: Response): Account | null => {
    const a = user(req);
    if (!a) res.redirect(303, '/inloggen');
    return a;
  };
  const overview = (res: Response, a: Account, failure: Failure | null = null, status = 200) => {
    const rows = [...a.eans.values()].map((r) => eanRow(portal.view(r)));
    res.status(status).send(
      page(
        'Gebruikerspoorten van je digitale meter',
        html`${errorBox(failure)}
<h2>Je EAN-codes</h2>
<table>${rows.length ? rows : html`<tr><td>Nog geen EAN-codes.</td></tr>`}</table>
<h2>EAN-code toevoegen</h2>
<form method="post" action="/overzicht/ean">
<label>EAN-code elektriciteit (18 cijfers, begint met 54) <input name="ean" inputmode="numeric" required></label>
<button>Toevoegen aan overzicht</button></form>`,
        a.email,
      ),
    );
  };

  pages.get('/', (req, res) => {
    if (user(req)) return res.redirect(303, '/overzicht');
    res.send(
      page(
        'Activeer je gebruikerspoorten',
        html`<p>Beheer de P1-poort van je digitale meter.</p><p><a href="/registreer">Registreer je</a> of <a href="/inloggen">log in</a>.</p>`,
      ),
    );
  });

  pages.get('/registreer', (_req, res) => {
    res.send(
      page(
        'Registreer je',
        html`<p>Bevestig wie je bent:</p>
<form method="post" action="/registreer/identiteit"><input type="hidden" name="method" value="eid"><button>Met eID en kaartlezer</button></form>
<form method="post" action="/registreer/identiteit"><input type="hidden" name="method" value="itsme"><button>Met itsme</button></form>`,
      ),
    );
  });

  // The eID or itsme step is simulated: the "government" hands over the name typed here.
  pages.post('/registreer/identiteit', (req, res) => {
    const method = req.body?.method === 'itsme' ? 'itsme' : 'eid';
    res.send(
      page(
        'Je gegevens',
        html`<form method="post" action="/registreer"><input type="hidden" name="method" value="${method}">
<div class="split"><fieldset><legend>Officiële gegevens (${method === 'eid' ? 'eID' : 'itsme'}, gesimuleerd)</legend>
<label>Naam <input name="name" value="Jan Peeters"></label></fieldset>
<fieldset><legend>Contact</legend>
<label>Telefoon <input name="phone" required></label>
<label>E-mail <input name="email" type="email" required></label>
<label>Wachtwoord <input name="password" type="password" minlength="8" required></label></fieldset></div>
<button>Registreren</button></form>`,
      ),
    );
  });

  pages.post('/registreer', (req, res) => {
    const result = portal.register(req.body ?? {});
    if (!result.ok) {
      res
        .status(result.status)
        .send(page('Registreren mislukt', html`${errorBox(result)}<p><a href="/registreer">Opnieuw</a></p>`));
      return;
    }
    res.send(
      page(
        'Bevestig je e-mailadres',
        html`<p class="ok">We stuurden een mail naar ${result.value.email}. Klik op de link in die mail om je account te activeren.</p>`,
      ),
    );
  });

  pages.get('/bevestig/:token', (req, res) => {
    const result = portal.confirmEmail(req.params.token);
    if (!result.ok) {
      res.status(result.status).send(page('Bevestiging mislukt', errorBox(result)));
      return;
    }
    res.send(
      page(
        'E-mailadres bevestigd',
        html`<p class="ok">Je account is actief.</p><p><a href="/inloggen">Inloggen</a></p>`,
      ),
    );
  });

  const loginForm = (failure: Failure | null = null) =>
    page(
      'Inloggen',
      html`${errorBox(failure)}<form method="post" action="/inloggen">
<label>E-mail <input name="email" type="email" required></label>
<label>Wachtwoord <input name="password" type="password" required></label>
<button>Inloggen</button></form>`,
    );

  pages.get('/inloggen', (_req, res) => {
    res.send(loginForm());
  });

  pages.post('/inloggen', (req, res) => {
    const result = portal.login(req.body?.email, req.body?.password);
    if (!result.ok) {
      res.status(result.status).send(loginForm(result));
      return;
    }
    res.cookie(COOKIE, result.value.token, { httpOnly: true, sameSite: 'strict', path: '/' });
    res.redirect(303, '/overzicht');
  });

  pages.post('/uitloggen', (req, res) => {
    const session = sessionOf(req);
    if (session) portal.logout(session);
    res.clearCookie(COOKIE, { path: '/' });
    res.redirect(303, '/');
  });

  pages.get('/overzicht', (req, res) => {
    const a = requireUser(req, res);
    if (a) overview(res, a);
  });

  pages.post('/overzicht/ean', (req, res) => {
    const a = requireUser(req, res);
    if (!a) return;
    const result = portal.addEan(a, req.body?.ean);
    if (result.ok) res.redirect(303, '/overzicht');
    else overview(res, a, result, result.status);
  });

  pages.post('/overzicht/:ean/aanvragen', (req, res) => {
    const a = requireUser(req, res);
    if (!a) return;
    const found = portal.ean(a, req.params.ean);
    const result = found.ok ? portal.request(a, found.value, req.body?.consent === 'yes') : found;
    if (result.ok) res.redirect(303, '/overzicht');
    else overview(res, a, result, result.status);
  });

  const portPage = (res: Response, a: Account, ean: string, failure: Failure | null = null, status = 200) => {
    const found = portal.ean(a, ean);
    if (!found.ok) return overview(res, a, found, found.status);
    const view = portal.view(found.value);
    const body =
      view.port === 'closed'
        ? html`<p>De P1-poort is <strong>gesloten</strong>.</p><form method="post" action="/poort/${view.ean}/aan"><button>Aan/uit: poort aanzetten</button></form>`
        : view.port === 'in-aanvraag'
          ? html`<p>Status: <strong>In aanvraag</strong> sinds ${view.inAanvraagSince}.</p>${view.overdue ? html`<p class="error">Dit duurt langer dan 72 uur. Bel 078 35 35 34.</p>` : ''}`
          : html`<p class="ok">Status: <strong>Open</strong>. Op de meter staat een pijltje boven GP.</p>`;
    res
      .status(status)
      .send(
        page(
          `P1-poort ${formatEan(view.ean)}`,
          html`${errorBox(failure)}${body}<p><a href="/overzicht">Terug naar overzicht</a></p>`,
          a.email,
        ),
      );
  };

  pages.get('/poort/:ean', (req, res) => {
    const a = requireUser(req, res);
    if (a) portPage(res, a, req.params.ean);
  });

  pages.post('/poort/:ean/aan', (req, res) => {
    const a = requireUser(req, res);
    if (!a) return;
    const found = portal.ean(a, req.params.ean);
    const result = found.ok ? portal.switchOn(found.value) : found;
    if (result.ok) res.redirect(303, `/poort/${req.params.ean}`);
    else portPage(res, a, req.params.ean, result, result.status);
  });

  pages.get('/goedkeuren/:token', (req, res) => {
    res.send(
      page(
        'Aanvraag goedkeuren',
        html`<p>Iemand vraagt de P1-poort van jouw aansluiting te openen.</p><form method="post" action="/goedkeuren/${req.params.token}"><button>Ik keur goed</button></form>`,
      ),
    );
  });

  pages.post('/goedkeuren/:token', (req, res) => {
    const result = portal.approveByLink(req.params.token);
    if (!result.ok) res.status(result.status).send(page('Goedkeuren mislukt', errorBox(result)));
    else
      res.send(
        page(
          'Goedgekeurd',
          html`<p class="ok">De aanvraag voor EAN ${formatEan(result.value.ean)} is goedgekeurd.</p>`,
        ),
      );
  });

  const codeForm = (failure: Failure | null = null) =>
    page(
      'Activatiecode ingeven',
      html`${errorBox(failure)}<form method="post" action="/activatiecode">
<label>EAN-code <input name="ean" required></label>
<label>Activatiecode uit de brief <input name="code" required></label>
<button>Goedkeuren</button></form>`,
    );

  pages.get('/activatiecode', (_req, res) => {
    res.send(codeForm());
  });

  pages.post('/activatiecode', (req, res) => {
    const result = portal.approveByLetterCode(req.body?.ean, req.body?.code);
    if (!result.ok) res.status(result.status).send(codeForm(result));
    else
      res.send(
        page(
          'Goedgekeurd',
          html`<p class="ok">De aanvraag voor EAN ${formatEan(result.value.ean)} is goedgekeurd.</p>`,
        ),
      );
  });

  pages.get('/mailbox', (_req, res) => {
    const rows = portal
      .messages()
      .map(
        (m) =>
          html`<tr><td>${m.kind === 'letter' ? '✉ brief' : '@ mail'}</td><td>${m.to}</td><td><strong>${m.subject}</strong><br>${m.text}${m.link ? html`<br><a href="${m.link}">${m.link}</a>` : ''}${m.code ? html`<br>Code: <code>${m.code}</code>` : ''}</td></tr>`,
      );
    res.send(page('Mailbox (simulatie)', html`<table>${rows.length ? rows : html`<tr><td>Leeg.</td></tr>`}</table>`));
  });

  return pages;
}
