// Sluice console: vanilla JS, no framework, no network fetch but to the worker that served it.
// Every URL is relative ("../connectors" from /ui/), so the page works over HTTP or HTTPS, behind a path prefix, and
// with REST basic auth (the browser sends the credentials it prompted for: credentials 'same-origin').
// The DOM is built with textContent only (never innerHTML with data), so connector names and traces cannot inject markup.
'use strict';

const REFRESH_MS = 2000;
const HISTORY_MS = 5 * 60 * 1000;
const SECRET_KEY = /(password|secret|token|credential|api[._-]?key|private[._-]?key|sasl\.jaas\.config|keystore\.key)/i;
const HIDDEN = '[hidden]';

const state = {
  history: [],          // [{t, c: {connector: {metric: total}}}] from successive /metrics scrapes
  passwordKeys: {},     // connector class -> Set of keys whose ConfigDef type is PASSWORD
  openDetails: new Set(),
  confirm: null,        // the action awaiting confirmation on the connector page
  editOriginal: null,   // the config an edit started from (to carry hidden secrets over)
  timer: null,
  firstRender: null,
};

// ---------- helpers ----------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  return el;
}

function badge(st) { return h('span', { class: 'state ' + (st || 'UNKNOWN') }, st || 'UNKNOWN'); }
function enc(name) { return encodeURIComponent(name); }
function link(name) { return h('a', { href: '#/connector/' + enc(name) }, name); }
function shortClass(c) { return (c || '').split('.').pop(); }
function fmtRate(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (v >= 1e6) return (v / 1e6).toFixed(1) + 'M';
  if (v >= 1e4) return (v / 1e3).toFixed(1) + 'k';
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}
function fmtCount(v) { return v === undefined || v === null ? '—' : String(Math.round(v)); }
function json(v) { return typeof v === 'string' ? v : JSON.stringify(v); }

function flash(msg, isError) {
  const f = document.getElementById('flash');
  f.textContent = msg;
  f.className = isError ? 'error' : '';
  f.hidden = !msg;
}

class ApiError extends Error {
  constructor(status, message, body) { super(message); this.status = status; this.body = body; }
}

// All REST calls: relative URL, same-origin credentials, Kafka's {"error_code","message"} turned into an Error.
async function api(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch('../' + path, init);
  const text = await res.text();
  let data = null;
  if (text) { try { data = JSON.parse(text); } catch (_) { data = text; } }
  if (!res.ok) {
    const msg = data && data.message ? data.message : `HTTP ${res.status} ${res.statusText}`;
    throw new ApiError(res.status, msg, data);
  }
  return data;
}

// ---------- metrics: Prometheus text, rates from successive scrapes ----------

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

// Sums every sample per connector and metric name (tasks add up); gauges named *lag* are kept as sums too.
function parseMetrics(text) {
  const out = {};
  for (const line of text.split('\n')) {
    if (!line || line[0] === '#') continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels = {};
    let l;
    LABEL.lastIndex = 0;
    while ((l = LABEL.exec(m[2] || '')) !== null) labels[l[1]] = l[2].replace(/\\(.)/g, '$1');
    if (!labels.connector || labels.state !== undefined || labels.le !== undefined) continue;
    const v = Number(m[3]);
    if (!Number.isFinite(v)) continue;
    const c = out[labels.connector] || (out[labels.connector] = {});
    c[m[1]] = (c[m[1]] || 0) + v;
  }
  return out;
}

async function scrape() {
  try {
    const res = await fetch('../metrics', { credentials: 'same-origin' });
    if (!res.ok) return;
    const now = Date.now();
    state.history.push({ t: now, c: parseMetrics(await res.text()) });
    while (state.history.length > 2 && now - state.history[0].t > HISTORY_MS) state.history.shift();
  } catch (_) { /* metrics are optional: the tables show dashes */ }
}

const IN = { source: 'sluice_source_records_polled_total', sink: 'sluice_sink_records_read_total' };
const OUT = { source: 'sluice_source_records_written_total', sink: 'sluice_sink_records_put_total' };

function rate(a, b, name, metric) {
  const x = a.c[name], y = b.c[name];
  if (!x || !y || x[metric] === undefined || y[metric] === undefined) return null;
  const dt = (b.t - a.t) / 1000;
  return dt > 0 ? Math.max(0, (y[metric] - x[metric]) / dt) : null;
}

// Latest records/s in and out, totals and lag for one connector.
function stats(name, type) {
  const hst = state.history;
  const last = hst[hst.length - 1];
  const cur = (last && last.c[name]) || {};
  const r = { in: null, out: null, errors: cur.sluice_task_errors_total, dlq: cur.sluice_dlq_records_total,
    lost: cur.sluice_sink_records_lost_total, lag: null };
  for (const k of Object.keys(cur)) if (/lag/.test(k)) r.lag = (r.lag || 0) + cur[k];
  if (hst.length >= 2 && (type === 'source' || type === 'sink')) {
    r.in = rate(hst[hst.length - 2], last, name, IN[type]);
    r.out = rate(hst[hst.length - 2], last, name, OUT[type]);
  }
  return r;
}

function series(name, type) {
  const pts = [];
  for (let i = 1; i < state.history.length; i++) {
    const a = state.history[i - 1], b = state.history[i];
    pts.push({ t: b.t, in: rate(a, b, name, IN[type]), out: rate(a, b, name, OUT[type]) });
  }
  return pts;
}

function sparkline(pts) {
  const W = 600, H = 90, P = 14;
  const svg = s('svg', { class: 'spark', viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img',
    'aria-label': 'records per second' });
  svg.append(s('line', { class: 'axis', x1: 0, y1: H - P, x2: W, y2: H - P }));
  if (pts.length < 2) {
    const t = s('text', { x: 4, y: H / 2 });
    t.textContent = 'collecting samples…';
    svg.append(t);
    return svg;
  }
  const t0 = pts[0].t, t1 = pts[pts.length - 1].t;
  const max = Math.max(1, ...pts.map(p => Math.max(p.in || 0, p.out || 0)));
  for (const key of ['in', 'out']) {
    const d = pts.map(p => {
      const x = ((p.t - t0) / Math.max(1, t1 - t0)) * W;
      const y = (H - P) - ((p[key] || 0) / max) * (H - P - 16);
      return x.toFixed(1) + ',' + y.toFixed(1);
    }).join(' ');
    svg.append(s('polyline', { class: key, points: d }));
  }
  const label = s('text', { x: 4, y: 10 });
  label.textContent = 'max ' + fmtRate(max) + '/s';
  const span = s('text', { x: 4, y: H - 2 });
  span.textContent = 'last ' + Math.round((t1 - t0) / 1000) + ' s';
  svg.append(label, span);
  return svg;
}

// ---------- secrets ----------

async function passwordKeys(cls) {
  if (!cls) return new Set();
  if (!state.passwordKeys[cls]) {
    try {
      const defs = await api('GET', 'connector-plugins/' + enc(cls) + '/config');
      state.passwordKeys[cls] = new Set((defs || []).filter(d => d.type === 'PASSWORD').map(d => d.name));
    } catch (_) { state.passwordKeys[cls] = new Set(); }
  }
  return state.passwordKeys[cls];
}

function isSecret(key, value, pw) {
  return value === HIDDEN || (pw && pw.has(key)) || SECRET_KEY.test(key);
}

function maskConfig(cfg, pw) {
  const out = {};
  for (const [k, v] of Object.entries(cfg || {})) out[k] = isSecret(k, v, pw) ? HIDDEN : v;
  return out;
}

// ---------- views ----------

function countStates(tasks) {
  const n = {};
  for (const t of tasks || []) n[t.state] = (n[t.state] || 0) + 1;
  return n;
}

async function overview(main) {
  const [list, root] = await Promise.all([api('GET', 'connectors?expand=status&expand=info'), api('GET', '').catch(() => null)]);
  if (root) document.getElementById('version').textContent = 'Kafka Connect ' + root.version + (root.kafka_cluster_id ? ' · cluster ' + root.kafka_cluster_id : '');
  const names = Object.keys(list || {}).sort();
  const workers = {};
  const rows = names.map(name => {
    const e = list[name] || {};
    const info = e.info || {}, st = e.status || {};
    const type = info.type || st.type || '';
    const tasks = st.tasks || [];
    const cs = st.connector || {};
    if (cs.worker_id) (workers[cs.worker_id] || (workers[cs.worker_id] = [])).push({ what: name, state: cs.state });
    for (const t of tasks) (workers[t.worker_id || '?'] || (workers[t.worker_id || '?'] = [])).push({ what: name + '-' + t.id, state: t.state });
    const counts = countStates(tasks);
    const r = stats(name, type);
    return h('tr', { 'data-connector': name },
      h('td', {}, link(name)),
      h('td', {}, type),
      h('td', { title: (info.config || {})['connector.class'] || '' }, shortClass((info.config || {})['connector.class'])),
      h('td', { class: 'cstate' }, badge(cs.state)),
      h('td', { class: 'tasks' }, Object.keys(counts).sort().map(k => h('span', {}, badge(k), ' ' + counts[k] + ' ')),
        tasks.length ? null : h('span', { class: 'muted' }, 'none')),
      h('td', { class: 'workers mono' }, [...new Set(tasks.map(t => t.worker_id))].join(', ')),
      h('td', { class: 'num rate-in' }, fmtRate(r.in)),
      h('td', { class: 'num rate-out' }, fmtRate(r.out)),
      h('td', { class: 'num lag' }, r.lag === null ? '—' : fmtCount(r.lag)),
      h('td', { class: 'num errors' + (r.errors ? ' err' : '') }, fmtCount(r.errors)),
      h('td', { class: 'num dlq' + (r.dlq ? ' err' : '') }, fmtCount(r.dlq)));
  });
  main.replaceChildren(
    h('h1', {}, 'Connectors ', h('span', { class: 'muted', id: 'connector-count' }, '(' + names.length + ')')),
    h('div', { class: 'card' }, names.length === 0 ? h('p', { class: 'muted' }, 'No connectors. ', h('a', { href: '#/new' }, 'Create one.')) :
      h('table', { id: 'connectors' },
        h('thead', {}, h('tr', {}, ['Name', 'Type', 'Class', 'State', 'Tasks', 'Worker'].map(x => h('th', {}, x)),
          ['In/s', 'Out/s', 'Lag', 'Errors', 'DLQ'].map(x => h('th', { class: 'num' }, x)))),
        h('tbody', {}, rows))),
    h('h2', {}, 'Workers'),
    h('div', { class: 'card' }, h('table', { id: 'workers' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Worker'), h('th', {}, 'Connectors and tasks'))),
      h('tbody', {}, Object.keys(workers).sort().map(w => h('tr', {},
        h('td', { class: 'mono' }, w),
        h('td', {}, workers[w].map(x => h('span', {}, badge(x.state), ' ' + x.what + '  ')))))))),
    h('p', { class: 'muted' }, 'In/Out: records/s between the last two /metrics scrapes (source: polled / acknowledged by Kafka; ' +
      'sink: read from Kafka / committed). Rates and counts come from this worker\'s /metrics: in a cluster, tasks on other ' +
      'workers count on their own worker\'s console. Lag is shown when the worker exports a lag metric.'));
}

async function connectorPage(main, name) {
  const [info, status, offsets, topics] = await Promise.all([
    api('GET', 'connectors/' + enc(name)),
    api('GET', 'connectors/' + enc(name) + '/status').catch(() => null),
    api('GET', 'connectors/' + enc(name) + '/offsets').catch(e => ({ error: e.message })),
    api('GET', 'connectors/' + enc(name) + '/topics').catch(() => null),
  ]);
  const cfg = info.config || {};
  const pw = await passwordKeys(cfg['connector.class']);
  const type = info.type || (status && status.type) || '';
  const cs = (status && status.connector) || {};
  const r = stats(name, type);

  const actions = h('div', { class: 'actions' },
    h('button', { id: 'act-pause', onclick: () => act(name, 'pause') }, 'Pause'),
    h('button', { id: 'act-resume', onclick: () => act(name, 'resume') }, 'Resume'),
    h('button', { id: 'act-stop', onclick: () => ask(name, 'stop') }, 'Stop'),
    h('button', { id: 'act-restart', onclick: () => act(name, 'restart') }, 'Restart'),
    h('label', {}, h('input', { type: 'checkbox', id: 'opt-include-tasks', checked: state.includeTasks }), ' includeTasks'),
    h('label', {}, h('input', { type: 'checkbox', id: 'opt-only-failed', checked: state.onlyFailed }), ' onlyFailed'),
    h('button', { id: 'act-edit', onclick: () => { location.hash = '#/edit/' + enc(name); } }, 'Edit config'),
    h('button', { id: 'act-delete', class: 'danger', onclick: () => ask(name, 'delete') }, 'Delete'));
  const confirm = state.confirm && state.confirm.name === name ? h('div', { class: 'confirm', id: 'confirm' },
    state.confirm.action === 'delete' ? `Delete connector ${name}? Its configuration is removed from this cluster.`
      : `Stop connector ${name}? Its tasks are shut down until it is resumed.`, ' ',
    h('button', { id: 'confirm-yes', class: 'danger primary', onclick: () => { const a = state.confirm.action; state.confirm = null; act(name, a); } },
      state.confirm.action === 'delete' ? 'Delete' : 'Stop'), ' ',
    h('button', { id: 'confirm-no', onclick: () => { state.confirm = null; render(); } }, 'Cancel')) : null;

  const tasks = (status && status.tasks) || [];
  const taskRows = tasks.map(t => {
    const key = name + '/' + t.id;
    const det = t.trace ? h('details', { 'data-key': key, open: state.openDetails.has(key),
      ontoggle: ev => { ev.target.open ? state.openDetails.add(key) : state.openDetails.delete(key); } },
    h('summary', { class: 'bad' }, (t.trace.split('\n')[0] || 'trace').slice(0, 160)), h('pre', { class: 'trace' }, t.trace)) : h('span', { class: 'muted' }, '—');
    return h('tr', { 'data-task': t.id }, h('td', {}, String(t.id)), h('td', { class: 'tstate' }, badge(t.state)),
      h('td', { class: 'mono' }, t.worker_id || ''), h('td', {}, det));
  });
  const connTrace = cs.trace ? h('details', {}, h('summary', { class: 'bad' }, 'Connector failure'), h('pre', {}, cs.trace)) : null;

  const masked = maskConfig(cfg, pw);
  const cfgRows = Object.keys(masked).sort().map(k => h('tr', { 'data-key': k }, h('td', {}, k),
    h('td', { class: masked[k] === HIDDEN ? 'hidden-value' : 'mono' }, masked[k])));

  let offsetBody;
  if (offsets && offsets.error) offsetBody = h('p', { class: 'muted' }, offsets.error);
  else if (!offsets || !(offsets.offsets || []).length) offsetBody = h('p', { class: 'muted' }, 'No committed offsets.');
  else offsetBody = h('table', { id: 'offsets' }, h('thead', {}, h('tr', {}, h('th', {}, type === 'sink' ? 'Topic-partition' : 'Source partition'), h('th', {}, 'Offset'))),
    h('tbody', {}, offsets.offsets.map(o => h('tr', {}, h('td', { class: 'mono' },
      type === 'sink' && o.partition ? `${o.partition.kafka_topic}-${o.partition.kafka_partition}` : json(o.partition)),
    h('td', { class: 'mono' }, type === 'sink' && o.offset && o.offset.kafka_offset !== undefined ? String(o.offset.kafka_offset) : json(o.offset))))));
  const topicList = topics && topics[name] ? topics[name].topics || [] : [];

  main.replaceChildren(...[
    h('h1', {}, name, ' ', h('span', { id: 'connector-state' }, badge(cs.state)), ' ', h('span', { class: 'muted' }, type + ' · ' + (cfg['connector.class'] || ''))),
    actions, confirm,
    h('div', { class: 'grid' },
      h('div', { class: 'card' }, h('h2', {}, 'Throughput ', h('span', { class: 'legend muted' }, h('span', { class: 'in' }, '■ in'), ' ', h('span', { class: 'out' }, '■ out'))),
        sparkline(series(name, type)),
        h('p', { class: 'muted', id: 'rates' }, `in ${fmtRate(r.in)}/s · out ${fmtRate(r.out)}/s · errors ${fmtCount(r.errors)} · DLQ ${fmtCount(r.dlq)}` +
          (r.lost ? ` · lost ${fmtCount(r.lost)}` : '') + (r.lag !== null ? ` · lag ${fmtCount(r.lag)}` : ''))),
      h('div', { class: 'card' }, h('h2', {}, 'Tasks'), connTrace,
        tasks.length ? h('table', { id: 'tasks' }, h('thead', {}, h('tr', {}, ['Task', 'State', 'Worker', 'Last failure'].map(x => h('th', {}, x)))), h('tbody', {}, taskRows))
          : h('p', { class: 'muted' }, 'No tasks.'))),
    h('div', { class: 'grid' },
      h('div', { class: 'card' }, h('h2', {}, 'Configuration'), h('table', { class: 'kv', id: 'config' }, h('tbody', {}, cfgRows))),
      h('div', { class: 'card' }, h('h2', {}, 'Offsets'), offsetBody, h('h2', {}, 'Topics'),
        topicList.length ? h('ul', { id: 'topics' }, topicList.map(t => h('li', { class: 'mono' }, t))) : h('p', { class: 'muted' }, 'No active topics.')))
  ].filter(Boolean));
}

function ask(name, action) { state.confirm = { name, action }; render(); }

async function act(name, action) {
  state.includeTasks = !!(document.getElementById('opt-include-tasks') || {}).checked;
  state.onlyFailed = !!(document.getElementById('opt-only-failed') || {}).checked;
  const base = 'connectors/' + enc(name);
  try {
    if (action === 'pause' || action === 'resume' || action === 'stop') await api('PUT', base + '/' + action);
    else if (action === 'restart') await api('POST', `${base}/restart?includeTasks=${state.includeTasks}&onlyFailed=${state.onlyFailed}`);
    else if (action === 'delete') {
      await api('DELETE', base);
      flash(`Deleted ${name}.`);
      location.hash = '#/';
      return;
    }
    flash(`${action} ${name}: accepted.`);
  } catch (e) {
    flash(`${action} ${name} failed: ${e.message}`, true);
  }
  render();
}

// ---------- create / edit ----------

async function editor(main, name) {
  let doc;
  state.editOriginal = null;
  if (name) {
    const info = await api('GET', 'connectors/' + enc(name));
    const pw = await passwordKeys((info.config || {})['connector.class']);
    state.editOriginal = info.config || {};
    const cfg = Object.assign({}, maskConfig(info.config, pw));
    delete cfg.name;
    doc = { name, config: cfg };
  } else {
    doc = { name: 'my-connector', config: { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: '/tmp/input.txt', topic: 'my-topic' } };
  }
  const plugins = await api('GET', 'connector-plugins').catch(() => []);
  const ta = h('textarea', { id: 'editor', spellcheck: 'false' });
  ta.value = JSON.stringify(doc, null, 2);
  const select = h('select', { id: 'plugin', onchange: ev => {
    try {
      const d = JSON.parse(ta.value);
      d.config = d.config || {};
      d.config['connector.class'] = ev.target.value;
      ta.value = JSON.stringify(d, null, 2);
    } catch (e) { flash('Fix the JSON first: ' + e.message, true); }
  } }, h('option', { value: '' }, 'Insert a connector class…'), (plugins || []).map(p => h('option', { value: p.class }, `${shortClass(p.class)} (${p.type})`)));
  main.replaceChildren(
    h('h1', {}, name ? 'Edit ' + name : 'New connector'),
    h('p', { class: 'muted' }, 'Paste or edit Kafka Connect connector JSON: {"name": ..., "config": {...}}. Values shown as ' + HIDDEN +
      ' keep the stored secret when updating.'),
    h('div', { class: 'actions' }, select,
      h('button', { id: 'validate', onclick: () => submit(name, false) }, 'Validate'),
      h('button', { id: 'save', class: 'primary', onclick: () => submit(name, true) }, name ? 'Update' : 'Create')),
    ta,
    h('div', { id: 'validation' }));
}

// Parses the editor, puts stored secrets back for values left as [hidden], validates, then creates or updates.
async function submit(name, save) {
  const out = document.getElementById('validation');
  out.replaceChildren();
  let doc;
  try { doc = JSON.parse(document.getElementById('editor').value); } catch (e) { flash('Not valid JSON: ' + e.message, true); return; }
  const cfg = Object.assign({}, doc && typeof doc.config === 'object' && doc.config ? doc.config : {});
  const connName = name || doc.name;
  if (!connName) { flash('"name" is missing.', true); return; }
  for (const [k, v] of Object.entries(cfg)) {
    if (v !== HIDDEN) continue;
    const orig = state.editOriginal && state.editOriginal[k];
    if (orig !== undefined && orig !== HIDDEN) cfg[k] = orig;
    else { flash(`Enter the value of ${k}: the worker did not reveal the stored secret.`, true); return; }
  }
  cfg.name = connName;
  const cls = cfg['connector.class'];
  if (!cls) { flash('"connector.class" is missing.', true); return; }
  let result;
  try {
    result = await api('PUT', 'connector-plugins/' + enc(cls) + '/config/validate', cfg);
  } catch (e) { flash('Validation failed: ' + e.message, true); return; }
  const pw = await passwordKeys(cls);
  const rows = (result.configs || []).filter(c => cfg[c.value.name] !== undefined || (c.value.errors || []).length)
    .map(c => {
      const k = c.value.name, errs = c.value.errors || [];
      const shown = cfg[k] === undefined ? '' : (isSecret(k, cfg[k], pw) || c.definition.type === 'PASSWORD' ? HIDDEN : String(cfg[k]));
      return h('tr', { 'data-key': k, class: errs.length ? 'has-error' : '' }, h('td', { class: 'mono' }, k), h('td', { class: 'mono' }, shown),
        h('td', { class: 'err' }, errs.join(' ')));
    });
  out.replaceChildren(h('h2', {}, `Validation: ${result.error_count} error(s)`),
    h('div', { class: 'card' }, h('table', { id: 'validation-table' }, h('thead', {}, h('tr', {}, h('th', {}, 'Key'), h('th', {}, 'Value'), h('th', {}, 'Errors'))), h('tbody', {}, rows))));
  if (result.error_count > 0) { flash(`${result.error_count} configuration error(s): see the keys marked below.`, true); return; }
  if (!save) { flash('Configuration is valid.'); return; }
  try {
    if (name) await api('PUT', 'connectors/' + enc(name) + '/config', cfg);
    else await api('POST', 'connectors', { name: connName, config: cfg });
    flash((name ? 'Updated ' : 'Created ') + connName + '.');
    location.hash = '#/connector/' + enc(connName);
  } catch (e) { flash('Saving failed: ' + e.message, true); }
}

// ---------- routing and refresh ----------

function route() {
  const parts = (location.hash || '#/').slice(2).split('/');
  return { view: parts[0] || 'overview', name: parts[1] ? decodeURIComponent(parts[1]) : null };
}

let rendering = false, again = false;
// One render at a time; a request during one (an action, a tick) runs once it finishes.
async function render() {
  if (rendering) { again = true; return; }
  rendering = true;
  const main = document.getElementById('main');
  const r = route();
  try {
    if (r.view === 'connector' && r.name) await connectorPage(main, r.name);
    else if (r.view === 'new') await editor(main, null);
    else if (r.view === 'edit' && r.name) await editor(main, r.name);
    else await overview(main);
    document.body.dataset.view = r.view;
    if (state.firstRender === null) state.firstRender = performance.now();
    document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) main.replaceChildren(h('p', { class: 'bad' }, 'Not authorised: reload the page to sign in.'));
    else main.replaceChildren(h('p', { class: 'bad', id: 'error' }, String(e.message || e)));
  } finally {
    rendering = false;
  }
  if (again) { again = false; await render(); }
}

async function tick() {
  await scrape();
  const v = route().view;
  // The editor is never redrawn under the user's cursor.
  if (document.getElementById('auto').checked && v !== 'new' && v !== 'edit') await render();
}

window.addEventListener('hashchange', () => { flash(''); state.confirm = null; render(); });
window.addEventListener('DOMContentLoaded', async () => {
  await scrape();
  await render();
  state.timer = setInterval(tick, REFRESH_MS);
});
window.sluiceConsole = { state, render, firstRender: () => state.firstRender };
