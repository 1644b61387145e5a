// Mailroom's admin page: the Custom SMTP screens of the product, over the JSON API.
// Everything shown comes from the API; values are put into the page as text, never as HTML.

const KEY_STORAGE = 'mailroom.apiKey';
const OUTCOME_STORAGE = 'mailroom.authorizationOutcome';
const app = document.getElementById('app');

// ---------------------------------------------------------------- small helpers

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

// replaceChildren turns null, undefined and false into text ("null" under a title): leave them out, as h() does
function show(...nodes) {
  // conditional parts of a screen come as false or null: they are not shown
  app.replaceChildren(...nodes.flat().filter((node) => node !== undefined && node !== null && node !== false));
}

function when(instant) {
  return instant ? new Date(instant).toLocaleString() : '—';
}

function statusBadge(status) {
  return h('span', { class: `status ${status}` }, status.replaceAll('_', ' ').toLowerCase());
}

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok && response.status !== 202) {
    if (response.status === 401) {
      sessionStorage.removeItem(KEY_STORAGE);
    }
    throw new ApiError(response.status, data);
  }
  return { status: response.status, data, location: response.headers.get('Location') };
}

/** A Microsoft or SMTP error as an admin reads it: what happened, what to do, the codes and the link. */
function errorDetails(error, smtpReply) {
  if (!error && !smtpReply) return null;
  return h('div', {},
    error?.message && h('p', {}, error.message),
    error?.hint && h('p', {}, h('strong', {}, 'What to do: '), error.hint),
    smtpReply && h('p', { class: 'code' }, 'SMTP reply: ',
      `${smtpReply.code} ${smtpReply.enhancedCode ?? ''} ${smtpReply.text ?? ''}`.replace(/\s+/g, ' ').trim()),
    error?.code && h('p', { class: 'code' }, `Code: ${error.code}`),
    error?.helpUrl && h('p', {}, h('a', { href: error.helpUrl, target: '_blank', rel: 'noopener' },
      'Read about this error on Microsoft\'s site')));
}

function notice(kind, title, ...body) {
  return h('div', { class: `notice ${kind}`, role: kind === 'bad' ? 'alert' : 'status' }, h('p', {}, h('strong', {}, title)), ...body);
}

function problemNotice(error) {
  const problem = error.problem || {};
  return notice('bad', problem.title || 'Something went wrong', problem.detail && h('p', {}, problem.detail),
    errorDetails(problem.error));
}

// ---------------------------------------------------------------- connect

function connectScreen(message) {
  const input = h('input', { type: 'password', id: 'api-key', autocomplete: 'off', placeholder: 'mr_…' });
  const form = h('form', {
    onsubmit: (event) => {
      event.preventDefault();
      sessionStorage.setItem(KEY_STORAGE, input.value.trim());
      route();
    },
  },
  h('label', { for: 'api-key' }, 'API key'),
  input,
  h('p', { class: 'help' }, 'The key of your account. It stays in this browser tab only.'),
  h('p', {}, h('button', { type: 'submit' }, 'Connect')));
  show(h('h1', {}, 'Connect'), message && notice('bad', message), h('section', { class: 'card' }, form));
}

// ---------------------------------------------------------------- Custom SMTP (list)

async function listScreen() {
  const { data: services } = await api('/api/smtp-services');
  const rows = services.map((service) => h('tr', {},
    h('td', {}, h('a', { href: `#/services/${service.id}` }, service.name)),
    h('td', {}, `${service.host}:${service.port}`),
    h('td', {}, service.fromAddress),
    h('td', {}, service.authentication.type === 'OAUTH2' ? `OAuth2 (${providerName(service)})` : 'Basic'),
    h('td', {}, statusBadge(service.status)),
    h('td', {}, when(service.lastSuccessAt))));
  show(
    h('div', { class: 'row' }, h('h1', {}, 'Custom SMTP'), h('span', { class: 'spacer' }),
      h('button', { type: 'button', id: 'configure-new', onclick: () => { location.hash = '#/new'; } }, '+ Configure New Service')),
    h('section', { class: 'card' }, services.length === 0
      ? h('p', { class: 'muted' }, 'No SMTP services yet. Configure one to send mail from your own mailbox.')
      : h('table', {}, h('thead', {}, h('tr', {}, ['Name', 'Host', 'Send from', 'Authentication', 'Status', 'Last sent']
        .map((title) => h('th', {}, title)))), h('tbody', {}, rows))));
}

// ---------------------------------------------------------------- Create / Edit SMTP Service (form)

const PROVIDER_HOSTS = { MICROSOFT: 'smtp.office365.com', GOOGLE: 'smtp.gmail.com' };

const providerName = (service) => service?.authentication?.provider === 'GOOGLE' ? 'Google' : 'Microsoft';

/** The Google Cloud console and Admin console steps, in the order an admin takes them. */
function googleSetupHelp() {
  const redirectUri = `${location.origin}/oauth2/custom-smtp-token`;
  return h('details', { id: 'google-setup-help', class: 'help' }, h('summary', {}, 'Google Workspace admin steps'),
    h('p', {}, 'You\'ll need your Google Workspace administrator for this. In the Google Cloud console '
      + '(console.cloud.google.com), in a project of your organization:'),
    h('ol', {},
      h('li', {}, h('strong', {}, 'APIs & Services > OAuth consent screen'), ' (Google Auth Platform > Branding and '
        + 'Audience): choose the user type. ', h('strong', {}, 'Internal'), ' lets only the accounts of your Workspace '
        + 'sign in, needs no verification by Google and is what we recommend. ', h('strong', {}, 'External'),
        ' lets any Google account sign in; while its ', h('strong', {}, 'publishing status'), ' is Testing only the test '
        + 'users you add may sign in, and Google ends their authorization after 7 days, so publish the app (In '
        + 'production) before you rely on it.'),
      h('li', {}, h('strong', {}, 'Data access'), ': add the scope ', h('code', {}, 'https://mail.google.com/'),
        ' (Gmail\'s SMTP accepts no other).'),
      h('li', {}, h('strong', {}, 'APIs & Services > Credentials > Create credentials > OAuth client ID'),
        ', application type ', h('strong', {}, 'Web application'), '. Under Authorized redirect URIs add Mailroom\'s '
        + 'redirect URI (the service\'s page shows it after you create it):', h('pre', {}, redirectUri)),
      h('li', {}, 'Copy the ', h('strong', {}, 'Client ID'), ' and the ', h('strong', {}, 'Client secret'),
        ' into the fields below.')),
    h('p', {}, h('strong', {}, 'Service account'), ' (no one signs in; for Workspace admins): IAM & Admin > Service '
      + 'accounts > Create service account, then Keys > Add key > Create new key > JSON, and upload that file below. '
      + 'A super admin then allows the account\'s client ID for ', h('code', {}, 'https://mail.google.com/'),
      ' in the Admin console (admin.google.com): Security > Access and data control > API controls > Manage Domain '
      + 'Wide Delegation. The service\'s page shows both values after you create it.'));
}

function field(id, label, { type = 'text', value = '', optional = false, help, placeholder, required = !optional } = {}) {
  return h('div', { class: 'field', 'data-field': id },
    h('label', { for: id }, label, optional && h('span', { class: 'optional' }, ' (optional)')),
    h('input', { id, name: id, type, value: value ?? '', placeholder, required, autocomplete: 'off' }),
    help && h('p', { class: 'help' }, help));
}

function serviceForm(service, onSaved) {
  const auth = service?.authentication ?? { type: 'OAUTH2', provider: 'MICROSOFT' };
  const secretHelp = (state) => state?.set
    ? `Set${state.changedAt ? ` on ${when(state.changedAt)}` : ''}. Leave empty to keep it.`
    : undefined;
  const select = (id, label, current, options, help) => h('div', { class: 'field', 'data-field': id },
    h('label', { for: id }, label),
    h('select', { id, name: id }, options.map(([value, text]) => h('option', { value, selected: value === current }, text))),
    help && h('p', { class: 'help' }, help));
  const certificate = auth.certificate;
  const legend = h('legend', {}, 'Microsoft OAuth2');
  const accessHelp = h('p', { class: 'help' });
  const oauth = h('fieldset', { id: 'oauth2-fields' }, legend,
    h('label', { for: 'provider' }, 'Provider'),
    h('select', { id: 'provider', name: 'provider', disabled: Boolean(service) },
      h('option', { value: 'MICROSOFT', selected: auth.provider !== 'GOOGLE' }, 'Microsoft'),
      h('option', { value: 'GOOGLE', selected: auth.provider === 'GOOGLE' }, 'Google')),
    googleSetupHelp(),
    h('div', { class: 'field', 'data-field': 'access' },
      h('label', { for: 'access' }, 'Access'),
      h('select', { id: 'access', name: 'access' },
        h('option', { value: 'DELEGATED', selected: (auth.access ?? 'DELEGATED') === 'DELEGATED' }, 'Signed-in user (delegated)'),
        h('option', { value: 'APPLICATION', selected: auth.access === 'APPLICATION' }, 'Application (app-only)')),
      accessHelp),
    select('credential', 'Credential', auth.credential ?? 'SECRET', [['SECRET', 'Client secret'], ['CERTIFICATE', 'Certificate']],
      'How the app proves itself to Microsoft: a client secret, or a certificate uploaded to the app registration (Certificates & secrets).'),
    select('transport', 'Transport', auth.transport ?? 'SMTP', [['SMTP', 'SMTP (smtp.office365.com)'],
      ['GRAPH', 'Microsoft Graph'], ['SMTP_WITH_GRAPH_FALLBACK', 'SMTP, falling back to Microsoft Graph']],
    'Use Microsoft Graph where your organization has turned SMTP AUTH off. The fallback sends through Graph whenever '
      + 'Exchange answers that SMTP AUTH is disabled (535 5.7.139).'),
    field('loginEmail', 'Login Email', { type: 'email', value: auth.loginEmail,
      help: 'The account that authorizes and sends. It needs permission to send email (Authenticated SMTP).' }),
    field('clientId', 'Client ID', { value: auth.clientId, placeholder: '00000000-0000-0000-0000-000000000000',
      help: 'In Azure Portal: the Application (client) ID on the app registration\'s Overview page.' }),
    field('clientSecret', 'Client Secret', { type: 'password', value: '', required: !auth.clientSecret?.set,
      help: secretHelp(auth.clientSecret) ?? 'The secret\'s Value (not its Secret ID), from Certificates & secrets.' }),
    h('div', { class: 'field', 'data-field': 'serviceAccountKey' },
      h('label', { for: 'serviceAccountKey' }, 'Service account key (JSON)'),
      h('textarea', { id: 'serviceAccountKey', name: 'serviceAccountKey', rows: 6, autocomplete: 'off',
        placeholder: '{ "type": "service_account", "client_email": "…", "private_key": "…" }' }),
      h('input', { id: 'serviceAccountKeyFile', type: 'file', accept: '.json,application/json' }),
      h('p', { class: 'help' }, auth.serviceAccount
        ? `${auth.serviceAccount.clientEmail} (client ID ${auth.serviceAccount.clientId}). Leave empty to keep it.`
        : 'The JSON key file of the service account (IAM & Admin > Service accounts > Keys > Add key > JSON): paste it or '
          + 'choose the file. Mailroom keeps it encrypted and never shows it again.')),
    h('div', { class: 'field', 'data-field': 'certificatePem' },
      h('label', { for: 'certificatePem' }, 'Certificate (PEM)'),
      h('textarea', { id: 'certificatePem', name: 'certificatePem', rows: 6, autocomplete: 'off',
        placeholder: '-----BEGIN CERTIFICATE-----\n…\n-----BEGIN PRIVATE KEY-----\n…' }),
      h('p', { class: 'help' }, certificate
        ? `Thumbprint ${certificate.thumbprint}, expires ${when(certificate.expiresAt)}. Leave empty to keep it.`
        : 'The certificate you uploaded to the app registration and its private key (unencrypted PKCS#8), both in PEM; '
          + 'or choose a .pfx file below.')),
    h('div', { class: 'field', 'data-field': 'certificatePfx' },
      h('label', { for: 'certificatePfxFile' }, 'Or a PFX file', h('span', { class: 'optional' }, ' (optional)')),
      h('input', { id: 'certificatePfxFile', type: 'file', accept: '.pfx,.p12' }),
      h('input', { id: 'certificatePassword', type: 'password', placeholder: 'PFX password', autocomplete: 'off' })),
    field('tenantId', 'Tenant ID', { value: auth.tenantId, optional: true,
      help: 'Only for a single-tenant app: the Directory (tenant) ID on the app registration\'s Overview page.' }),
    h('p', { class: 'warning-box' }, 'DO NOT ENTER A TENANT ID IF YOU ARE USING A MULTI-TENANT APP.'),
    field('clientSecretExpiresOn', 'Client secret expires on', { type: 'date', value: auth.clientSecretExpiresOn, optional: true,
      help: 'Mailroom warns you before it lapses: an expired secret stops all mail (AADSTS7000222).' }));
  const basic = h('fieldset', { id: 'basic-fields' }, h('legend', {}, 'Basic authentication'),
    field('username', 'Username', { value: auth.username }),
    field('password', 'Password', { type: 'password', required: !auth.password?.set,
      help: secretHelp(auth.password) }));
  const typeChoice = (value, label) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name: 'authType', id: `auth-${value.toLowerCase()}`, value, checked: auth.type === value }), label);
  const errors = h('div', {});
  const submit = h('button', { type: 'submit', id: 'save-service' }, service ? 'Save' : 'Create');
  const form = h('form', { id: 'service-form', novalidate: true },
    errors,
    field('name', 'Friendly Name', { value: service?.name,
      help: 'Shown in the SMTP dropdowns of your features, so describe the service.' }),
    field('host', 'SMTP Host', { value: service?.host ?? 'smtp.office365.com',
      help: 'For Microsoft, use smtp.office365.com unless your IT admin tells you otherwise.' }),
    field('port', 'Port', { type: 'number', value: service?.port ?? 587, help: 'Unless your IT admin tells you otherwise, use 587.' }),
    field('fromAddress', 'Send From Address', { type: 'email', value: service?.fromAddress,
      help: 'The address in the From field of every email; a valid address in your Microsoft organization.' }),
    field('replyTo', 'Reply To Address', { type: 'email', value: service?.replyTo, optional: true }),
    field('fromName', 'Send From Name', { value: service?.fromName, optional: true,
      help: 'The name shown in the From field.' }),
    h('fieldset', {}, h('legend', {}, 'Authentication'), typeChoice('OAUTH2', 'OAuth2'), typeChoice('BASIC', 'Basic')),
    oauth, basic,
    h('p', {}, submit));

  // Microsoft's and Google's words for the same fields, where they differ
  const texts = {
    MICROSOFT: { legend: 'Microsoft OAuth2', application: 'Application (app-only)',
      access: 'Signed-in user: the login email signs in once and authorizes. Application: the app sends by itself, nobody '
        + 'signs in; your Exchange admin gives it access to the mailbox once (Mailroom shows the PowerShell), and the '
        + 'Tenant ID is required.',
      loginEmail: 'The account that authorizes and sends. It needs permission to send email (Authenticated SMTP).',
      clientId: 'In Azure Portal: the Application (client) ID on the app registration\'s Overview page.',
      clientSecret: 'The secret\'s Value (not its Secret ID), from Certificates & secrets.',
      clientIdPlaceholder: '00000000-0000-0000-0000-000000000000',
      host: 'For Microsoft, use smtp.office365.com unless your IT admin tells you otherwise.',
      from: 'The address in the From field of every email; a valid address in your Microsoft organization.' },
    GOOGLE: { legend: 'Google OAuth2', application: 'Service account (domain-wide delegation)',
      access: 'Signed-in user: the login email signs in with Google once and allows Mailroom to send mail. Service account: '
        + 'nobody signs in; a Workspace super admin allows the service account to act as the mailbox (domain-wide '
        + 'delegation) once.',
      loginEmail: 'The Google Workspace account that sends (and, for a signed-in user, signs in with Google).',
      clientId: 'In the Google Cloud console: APIs & Services > Credentials > your OAuth 2.0 Client ID (type Web '
        + 'application), ending in .apps.googleusercontent.com.',
      clientSecret: 'The Client secret of that OAuth client (shown when it is created, or under its Client secrets).',
      clientIdPlaceholder: '123456789012-abc123.apps.googleusercontent.com',
      host: 'For Google Workspace, use smtp.gmail.com with port 587 (STARTTLS).',
      from: 'The address in the From field of every email: the login email, or an alias Gmail lets it send as.' } };
  const setHelp = (id, text) => {
    const help = form.querySelector(`[data-field=${id}] .help`);
    if (help && !help.dataset.kept) help.textContent = text;
  };
  // the help of a stored secret ("Set on …") stays as it is
  form.querySelectorAll('[data-field=clientSecret] .help').forEach((help) => { help.dataset.kept = auth.clientSecret?.set ? 'true' : ''; });
  const showField = (id, visible) => {
    const wrapper = form.querySelector(`[data-field=${id}]`);
    wrapper.hidden = !visible;
    wrapper.querySelectorAll('input, textarea, select').forEach((input) => { input.disabled = oauth.hidden || !visible; });
  };
  let shownProvider = auth.provider === 'GOOGLE' ? 'GOOGLE' : 'MICROSOFT';
  const showAuthFields = () => {
    const type = form.querySelector('input[name=authType]:checked')?.value ?? 'OAUTH2';
    oauth.hidden = type !== 'OAUTH2';
    basic.hidden = type !== 'BASIC';
    oauth.querySelectorAll('input, select, textarea').forEach((input) => { input.disabled = oauth.hidden; });
    form.querySelector('#provider').disabled = oauth.hidden || Boolean(service);
    basic.querySelectorAll('input').forEach((input) => { input.disabled = basic.hidden; });
    const provider = form.querySelector('#provider').value;
    const google = provider === 'GOOGLE';
    const words = texts[provider];
    const host = form.querySelector('#host');
    if (provider !== shownProvider && host.value.trim() === PROVIDER_HOSTS[shownProvider]) host.value = PROVIDER_HOSTS[provider];
    shownProvider = provider;
    legend.textContent = words.legend;
    accessHelp.textContent = words.access;
    form.querySelector('#access option[value=APPLICATION]').textContent = words.application;
    form.querySelector('#clientId').placeholder = words.clientIdPlaceholder;
    for (const id of ['loginEmail', 'clientId', 'clientSecret']) setHelp(id, words[id]);
    setHelp('host', words.host);
    setHelp('fromAddress', words.from);
    const serviceAccount = google && form.querySelector('#access').value === 'APPLICATION';
    const usesCertificate = !google && form.querySelector('#credential')?.value === 'CERTIFICATE';
    form.querySelector('#google-setup-help').hidden = !google;
    for (const id of ['credential', 'transport', 'tenantId']) showField(id, !google);
    oauth.querySelector('.warning-box').hidden = google;
    showField('clientId', !serviceAccount);
    showField('clientSecret', !serviceAccount && !usesCertificate);
    showField('clientSecretExpiresOn', !google && !usesCertificate);
    for (const id of ['certificatePem', 'certificatePfx']) showField(id, usesCertificate);
    showField('serviceAccountKey', serviceAccount);
  };
  form.addEventListener('change', showAuthFields);
  showAuthFields();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = (id) => form.querySelector(`#${id}`)?.value.trim() || null;
    const type = form.querySelector('input[name=authType]:checked').value;
    const pfxFile = form.querySelector('#certificatePfxFile')?.files?.[0];
    const pfx = pfxFile ? btoa(String.fromCharCode(...new Uint8Array(await pfxFile.arrayBuffer()))) : null;
    const certificateChosen = value('credential') === 'CERTIFICATE';
    const keyFile = form.querySelector('#serviceAccountKeyFile')?.files?.[0];
    const keyText = keyFile ? (await keyFile.text()).trim() : value('serviceAccountKey');
    const authentication = type === 'OAUTH2' && value('provider') === 'GOOGLE'
      ? { type, provider: 'GOOGLE', access: value('access'), loginEmail: value('loginEmail'),
        clientId: value('clientId'), clientSecret: value('clientSecret'), serviceAccountKey: keyText }
      : type === 'OAUTH2'
      ? { type, provider: value('provider'), access: value('access'), credential: value('credential'),
        transport: value('transport'), loginEmail: value('loginEmail'), clientId: value('clientId'),
        clientSecret: certificateChosen ? null : value('clientSecret'), tenantId: value('tenantId'),
        clientSecretExpiresOn: certificateChosen ? null : value('clientSecretExpiresOn'),
        certificatePem: certificateChosen ? value('certificatePem') : null,
        certificatePfx: certificateChosen ? pfx : null,
        certificatePassword: certificateChosen && pfx ? form.querySelector('#certificatePassword').value : null }
      : { type, username: value('username'), password: value('password') };
    const body = { name: value('name'), host: value('host'), port: Number(value('port')), fromAddress: value('fromAddress'),
      replyTo: value('replyTo'), fromName: value('fromName'), authentication };
    if (service?.limits) body.limits = service.limits;
    form.querySelectorAll('.field-error').forEach((element) => element.remove());
    form.querySelectorAll('[aria-invalid]').forEach((element) => element.removeAttribute('aria-invalid'));
    errors.replaceChildren();
    submit.disabled = true;
    try {
      const { data } = service
        ? await api(`/api/smtp-services/${service.id}`, { method: 'PUT', body })
        : await api('/api/smtp-services', { method: 'POST', body });
      onSaved(data);
    }
    catch (error) {
      if (!(error instanceof ApiError)) throw error;
      errors.replaceChildren(problemNotice(error));
      for (const fieldError of error.problem.errors ?? []) {
        const id = fieldError.field.split('.').pop().replace('certificatePfx', 'certificatePfxFile')
          .replace('messagesPerDay', 'host');
        const input = form.querySelector(`#${CSS.escape(id)}`);
        if (input) {
          input.setAttribute('aria-invalid', 'true');
          input.closest('.field')?.append(h('p', { class: 'field-error' }, fieldError.message));
        }
      }
    }
    finally {
      submit.disabled = false;
    }
  });
  return form;
}

function createScreen() {
  show(h('h1', {}, 'Create SMTP Service'),
    h('section', { class: 'card' }, serviceForm(null, (created) => {
      sessionStorage.setItem(OUTCOME_STORAGE, JSON.stringify({ created: true, serviceId: created.id,
        provider: providerName(created) }));
      location.hash = `#/services/${created.id}`;
    })));
}

// ---------------------------------------------------------------- Edit SMTP Service (status, authorize, test)

function outcomeNotice(serviceId) {
  const stored = sessionStorage.getItem(OUTCOME_STORAGE);
  if (!stored) return null;
  const outcome = JSON.parse(stored);
  if (outcome.serviceId !== serviceId) return null;
  sessionStorage.removeItem(OUTCOME_STORAGE);
  if (outcome.created) {
    return notice('ok', 'Service created.', h('p', {}, `Next: authorize it with ${outcome.provider ?? 'Microsoft'}, then send a test email.`));
  }
  if (outcome.authorization === 'succeeded') {
    return notice('ok', 'Authorization successful.', h('p', {}, 'Mailroom can now send as this service. Send a test email to check.'));
  }
  return notice('bad', 'Authorization failed.', errorDetails({ code: outcome.code, message: outcome.message,
    hint: outcome.hint, helpUrl: outcome.helpUrl }),
  h('p', { class: 'help' }, 'Review the error code with your IT admin, then select Authorize again.'));
}

async function refreshStatus(serviceId) {
  const target = document.getElementById('status-card');
  if (!target) return;
  const { data } = await api(`/api/smtp-services/${serviceId}`);
  target.replaceWith(statusCard(data));
}

function statusCard(service) {
  const facts = h('dl', { class: 'facts' },
    h('dt', {}, 'Status'), h('dd', { id: 'service-status' }, statusBadge(service.status)),
    service.authorizedAccount && [h('dt', {}, 'Authorized as'), h('dd', {}, `${service.authorizedAccount} on ${when(service.authorizedAt)}`)],
    h('dt', {}, 'Last sent'), h('dd', {}, when(service.lastSuccessAt)),
    h('dt', {}, 'Last failure'), h('dd', {}, service.lastFailureAt ? `${when(service.lastFailureAt)}: ${service.lastFailure?.message ?? ''}` : '—'),
    h('dt', {}, 'Held mail'), h('dd', {}, String(service.heldMail ?? 0)),
    service.authentication.type === 'OAUTH2' && [h('dt', {}, 'Redirect URI'), h('dd', {}, h('code', {}, service.authentication.redirectUri ?? ''))],
    service.lastFallback && [h('dt', {}, 'Sent through Graph'), h('dd', { id: 'last-fallback' },
      `${when(service.lastFallback.at)}: SMTP answered ${service.lastFallback.reason?.code ?? ''} (SMTP AUTH disabled)`)]);
  return h('section', { class: 'card', id: 'status-card' }, h('h2', {}, 'Status'),
    service.statusReason && service.status !== 'AUTHORIZED'
      && notice('bad', 'Why', errorDetails(service.statusReason)),
    ...(service.warnings ?? []).map((warning) => notice('warn', warning.message)),
    facts);
}

function verifyCard(service) {
  const result = h('div', { id: 'verify-result' });
  const button = h('button', { type: 'button', id: 'verify', onclick: async () => {
    button.disabled = true;
    result.replaceChildren(h('p', { class: 'muted' }, `Checking with ${providerName(service)}…`));
    try {
      const { data } = await api(`/api/smtp-services/${service.id}/verification`, { method: 'POST', body: {} });
      result.replaceChildren(
        notice(data.passed ? 'ok' : 'bad', data.passed ? 'Setup verified.' : 'Setup needs attention.',
          data.passed && data.status === 'AUTHORIZED' ? h('p', {}, 'Held mail, if any, is on its way.') : null),
        h('ul', { class: 'checks' }, data.checks.map((check) => h('li', { class: check.passed ? 'check ok' : 'check bad' },
          h('strong', {}, `${check.passed ? '✓' : '✗'} ${check.name}`), ' ', check.detail ?? '',
          check.fix && h('pre', { class: 'fix' }, check.fix)))));
      await Promise.all([refreshStatus(service.id), refreshDeliveries(service.id)]);
    }
    catch (error) {
      if (!(error instanceof ApiError)) throw error;
      result.replaceChildren(problemNotice(error));
    }
    finally {
      button.disabled = false;
    }
  } }, 'Verify setup');
  const auth = service.authentication;
  const google = auth.provider === 'GOOGLE';
  return h('section', { class: 'card' }, h('h2', {}, 'Verify setup'),
    h('p', { class: 'help' }, google
      ? 'Checks the token Google issues and signs in to Gmail\'s SMTP without sending. After your admin fixed what a '
        + 'hold names, Verify sends the held mail.'
      : 'Checks the token Microsoft issues and signs in to SMTP (or asks Graph) without sending. '
      + 'After your admin fixed what a hold names, Verify sends the held mail.'),
    auth.serviceAccount && h('p', { class: 'help', id: 'service-account' }, 'Service account ',
      h('code', {}, auth.serviceAccount.clientEmail), ', client ID ', h('code', {}, auth.serviceAccount.clientId)),
    auth.setupGuidance && h('details', { id: 'setup-guidance', open: google },
      h('summary', {}, google ? 'Domain-wide delegation for your Workspace admin' : 'PowerShell for your Exchange admin'),
      h('pre', {}, auth.setupGuidance)),
    auth.adminConsentUrl && h('p', { class: 'help' }, 'Admin consent for the app: ',
      h('a', { href: auth.adminConsentUrl, id: 'admin-consent', target: '_blank', rel: 'noopener' }, 'open as a Microsoft admin')),
    button, result);
}

function authorizeCard(service) {
  const result = h('div', { id: 'authorize-result' });
  const button = h('button', { type: 'button', id: 'authorize', onclick: async () => {
    button.disabled = true;
    result.replaceChildren();
    try {
      const returnUrl = `${location.origin}${location.pathname}`;
      const { data } = await api(`/api/smtp-services/${service.id}/authorization`, { method: 'POST', body: { returnUrl } });
      location.assign(data.authorizeUrl);
    }
    catch (error) {
      if (!(error instanceof ApiError)) throw error;
      result.replaceChildren(problemNotice(error));
      button.disabled = false;
    }
  } }, service.status === 'AUTHORIZED' ? 'Authorize again' : 'Authorize');
  return h('section', { class: 'card' }, h('h2', {}, 'Authorize'),
    h('p', { class: 'help' }, service.authentication.provider === 'GOOGLE'
      ? 'Sign in with Google as the login email and allow Mailroom to send mail. Google asks for consent every time, so '
        + 'Mailroom always gets a lasting grant.'
      : 'Sign in to Microsoft as the login email and accept the permissions. Your IT admin may need to be there.'),
    button, result);
}

function testEmailCard(service) {
  const recipient = h('input', { type: 'email', id: 'test-recipient', placeholder: 'someone@your-organization.com' });
  const result = h('div', { id: 'test-result' });
  const button = h('button', { type: 'submit', id: 'send-test' }, 'Send Test Email');
  const form = h('form', { onsubmit: async (event) => {
    event.preventDefault();
    button.disabled = true;
    result.replaceChildren(h('p', { class: 'muted' }, 'Sending through Mailroom…'));
    try {
      const { status, data } = await api(`/api/smtp-services/${service.id}/test-email`, { method: 'POST',
        body: { recipient: recipient.value.trim() } });
      if (status === 202) {
        result.replaceChildren(notice('warn', 'Still on its way.', h('p', {}, `Request ${data.requestId} is queued; see Recent deliveries below.`)));
      }
      else if (data.outcome === 'SENT') {
        result.replaceChildren(notice('ok', `Test email sent to ${data.recipient}.`, h('p', { class: 'code' }, `Message-ID: ${data.messageId}`)));
      }
      else {
        result.replaceChildren(notice('bad', `Test email ${data.outcome.toLowerCase()}.`, errorDetails(data.error, data.smtpReply)));
      }
      await Promise.all([refreshDeliveries(service.id), refreshStatus(service.id)]);
    }
    catch (error) {
      if (!(error instanceof ApiError)) throw error;
      result.replaceChildren(problemNotice(error));
    }
    finally {
      button.disabled = false;
    }
  } },
  h('label', { for: 'test-recipient' }, 'Test recipient email address'),
  recipient,
  h('p', { class: 'help' }, service.authentication.provider === 'GOOGLE'
    ? 'Any address works; Gmail counts every test against the mailbox\'s daily sending limit.'
    : 'Use an address inside your own Microsoft organization: tests to external addresses may fail.'),
  h('p', {}, button));
  return h('section', { class: 'card' }, h('h2', {}, 'Send Test Email'), form, result);
}

async function refreshDeliveries(serviceId) {
  const target = document.getElementById('deliveries');
  if (!target) return;
  const { data } = await api(`/api/smtp-services/${serviceId}/deliveries?size=10`);
  target.replaceChildren(data.items.length === 0 ? h('p', { class: 'muted' }, 'Nothing sent yet.')
    : h('table', {}, h('thead', {}, h('tr', {}, ['Accepted', 'Recipient', 'Subject', 'Status', 'Attempts', 'Why']
      .map((title) => h('th', {}, title)))),
    h('tbody', {}, data.items.map((delivery) => h('tr', {},
      h('td', {}, when(delivery.acceptedAt)), h('td', {}, delivery.recipient ?? ''), h('td', {}, delivery.subject ?? ''),
      h('td', {}, statusBadge(delivery.status)), h('td', {}, String(delivery.attempts)),
      h('td', {}, delivery.error ? `${delivery.error.code ?? ''} ${delivery.error.message ?? ''}` : ''))))));
}

async function serviceScreen(id) {
  const { data: service } = await api(`/api/smtp-services/${id}`);
  const deleteButton = h('button', { type: 'button', class: 'danger', id: 'delete-service', onclick: async () => {
    if (!confirm(`Delete ${service.name}? Its queued mail fails.`)) return;
    await api(`/api/smtp-services/${id}`, { method: 'DELETE' });
    location.hash = '#/';
  } }, 'Delete');
  show(
    h('div', { class: 'row' }, h('h1', {}, `Edit SMTP Service: ${service.name}`), h('span', { class: 'spacer' }),
      h('a', { href: '#/' }, '← Custom SMTP')),
    outcomeNotice(id),
    statusCard(service),
    service.authentication.type === 'OAUTH2' && service.authentication.access !== 'APPLICATION' && authorizeCard(service),
    service.authentication.type === 'OAUTH2' && verifyCard(service),
    testEmailCard(service),
    h('section', { class: 'card' }, h('h2', {}, 'Recent deliveries'), h('div', { id: 'deliveries' })),
    h('section', { class: 'card' }, h('h2', {}, 'Settings'), serviceForm(service, () => route()), h('p', {}, deleteButton)));
  await refreshDeliveries(id);
}

// ---------------------------------------------------------------- routing

function takeUrlHandoffs() {
  // a key handed over in the fragment (printed by the local runner) never reaches a server log
  const fragment = new URLSearchParams(location.hash.startsWith('#key=') ? location.hash.slice(1) : '');
  if (fragment.get('key')) {
    sessionStorage.setItem(KEY_STORAGE, fragment.get('key'));
    history.replaceState(null, '', `${location.pathname}#/`);
  }
  // Microsoft's redirect comes back through the api's callback with the outcome in the query
  const query = new URLSearchParams(location.search);
  if (query.get('authorization') && query.get('serviceId')) {
    sessionStorage.setItem(OUTCOME_STORAGE, JSON.stringify(Object.fromEntries(query)));
    history.replaceState(null, '', `${location.pathname}#/services/${query.get('serviceId')}`);
  }
}

async function route() {
  const connected = Boolean(sessionStorage.getItem(KEY_STORAGE));
  document.getElementById('disconnect').hidden = !connected;
  if (!connected) {
    connectScreen();
    return;
  }
  const path = location.hash.replace(/^#/, '') || '/';
  try {
    const service = path.match(/^\/services\/([0-9a-f-]{36})$/);
    if (path === '/new') createScreen();
    else if (service) await serviceScreen(service[1]);
    else await listScreen();
  }
  catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 401) connectScreen('That API key was not accepted. Check it and connect again.');
    else show(problemNotice(error), h('p', {}, h('a', { href: '#/' }, '← Custom SMTP')));
  }
}

document.getElementById('disconnect').addEventListener('click', () => {
  sessionStorage.removeItem(KEY_STORAGE);
  route();
});
window.addEventListener('hashchange', route);
takeUrlHandoffs();
route();
