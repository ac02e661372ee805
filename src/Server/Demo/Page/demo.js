// Edge's demo page: a live price grid on the TypeScript SDK (edge-client.js is the SDK bundled by esbuild).
// Settings come from the JSON block Edge writes into index.html at start; `?symbols=A,B` picks other symbols,
// `#token=<jwt>` supplies a token when Edge does not hand out development tokens (outside demo mode).
import { FrameBatcher, MarketDataClient } from '/demo/edge-client.js';

const STALE_MS = 5000;
const config = readConfig();
const params = new URLSearchParams(location.search);
const symbols = params.has('symbols')
  ? params.get('symbols').split(',').map((s) => s.trim()).filter(Boolean)
  : config.symbols.map((s) => s.symbol);
const decimals = new Map(config.symbols.filter((s) => s.decimals != null).map((s) => [s.symbol, s.decimals]));
const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${config.wsPath}`;

const stateEl = document.getElementById('state');
const messageEl = document.getElementById('message');
const rows = new Map(symbols.map((symbol) => [symbol, createRow(symbol)]));
document.getElementById('endpoint').textContent = url;
document.getElementById('symbol-count').textContent = String(symbols.length);

let connects = 0;
let pricesThisSecond = 0;

if (symbols.length === 0) {
  showMessage('No symbols to show: open this page with ?symbols=EUR/USD,GBP/USD');
} else if (!config.tokenPath && !tokenFromHash()) {
  setState('offline', 'no token');
  showMessage('This Edge does not hand out development tokens (not in demo mode): open this page with #token=<jwt>');
} else {
  start();
}

function start() {
  // sseFallback: behind a proxy that strips WebSocket upgrades the page still streams, over Server-Sent Events.
  const client = new MarketDataClient({ url, getToken, reconnectionDelay: 250, reconnectionDelayMax: 5000, sseFallback: true });
  client.on('connected', () => {
    connects++;
    stateEl.dataset.connects = String(connects);
    setState('live', client.transport === 'sse' ? 'live · SSE' : 'live');
    showMessage('');
  });
  client.on('disconnected', (e) => setState(e.willReconnect ? 'reconnecting' : 'offline', e.willReconnect ? 'reconnecting' : `closed (${e.code})`));
  client.on('reconnecting', (e) => setState('reconnecting', `reconnecting · attempt ${e.attempt}`));
  client.on('status', (s) => showMessage(s.feed === 'down' ? `Upstream feed down: ${s.reason}` : ''));
  client.on('error', (err) => {
    if (err.code === 'RECONNECT_FAILED' || err.closeCode) setState('offline', 'offline');
    if (err.code !== 'DISCONNECTED' && err.code !== 'TIMEOUT') showMessage(`${err.code}: ${err.message}`);
  });
  client.on('price', () => pricesThisSecond++);

  // The SDK's frame batcher: any number of updates between two frames cost one paint.
  const batcher = new FrameBatcher(render);
  client.subscribe(symbols, (price) => batcher.push(price)).catch(() => {
    // Not connected in time: the symbols stay wanted and are subscribed on the next connection.
  });

  setInterval(tickAges, 250);
  setInterval(() => {
    document.getElementById('rate').textContent = String(pricesThisSecond);
    pricesThisSecond = 0;
  }, 1000);
  window.edgeDemo = { client };
}

async function getToken() {
  const fromHash = tokenFromHash();
  if (fromHash) return fromHash;
  const response = await fetch(config.tokenPath, { cache: 'no-store' });
  if (!response.ok) throw new Error(`GET ${config.tokenPath}: HTTP ${response.status}`);
  return (await response.json()).token;
}

function tokenFromHash() {
  return new URLSearchParams(location.hash.slice(1)).get('token');
}

/** Called at most once per animation frame with the latest price of every symbol seen. */
function render(latest) {
  const now = performance.now();
  for (const symbol in latest) {
    const row = rows.get(symbol);
    const price = latest[symbol];
    if (!row || row.price === price) continue;
    const previous = row.price;
    row.price = price;
    row.receivedAt = now;
    row.tr.classList.remove('waiting');
    row.tr.dataset.updates = String(Number(row.tr.dataset.updates) + 1);
    const places = decimals.get(symbol) ?? guessDecimals(price.mid);
    setPrice(row.bid, price.bid.price, previous?.bid.price, places);
    setPrice(row.ask, price.ask.price, previous?.ask.price, places);
    setPrice(row.mid, price.mid, previous?.mid, places + 1);
    row.spread.textContent = price.spreadBps.toFixed(2);
    row.age.textContent = formatAge(0);
    row.age.classList.remove('stale');
  }
}

function setPrice(cell, value, before, places) {
  cell.textContent = value.toFixed(places);
  if (before === undefined || value === before) return;
  const up = value > before;
  cell.classList.toggle('up', up);
  cell.classList.toggle('down', !up);
  cell.animate(
    [{ backgroundColor: up ? 'rgba(53, 212, 154, 0.22)' : 'rgba(255, 107, 107, 0.22)' }, { backgroundColor: 'transparent' }],
    { duration: 450, easing: 'ease-out' },
  );
}

function tickAges() {
  const now = performance.now();
  for (const row of rows.values()) {
    if (row.price === undefined) continue;
    const age = now - row.receivedAt;
    row.age.textContent = formatAge(age);
    row.age.classList.toggle('stale', age > STALE_MS);
  }
}

function formatAge(ms) {
  if (ms < 950) return `${Math.round(ms / 100) * 100} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60000)} min`;
}

function guessDecimals(value) {
  return value >= 100 ? 2 : value >= 1 ? 4 : 5;
}

function createRow(symbol) {
  const tr = document.createElement('tr');
  tr.className = 'waiting';
  tr.dataset.symbol = symbol;
  tr.dataset.updates = '0';
  const cell = (cls, text = '—') => {
    const td = document.createElement('td');
    td.className = cls;
    td.textContent = text;
    tr.appendChild(td);
    return td;
  };
  cell('sym', symbol);
  const row = { tr, bid: cell('bid'), ask: cell('ask'), mid: cell('mid'), spread: cell('spread'), age: cell('age'), price: undefined, receivedAt: 0 };
  document.querySelector('#grid tbody').appendChild(tr);
  return row;
}

function setState(state, text) {
  stateEl.dataset.state = state;
  stateEl.querySelector('span').textContent = text;
}

function showMessage(text) {
  messageEl.textContent = text;
  messageEl.hidden = !text;
}

function readConfig() {
  const defaults = { wsPath: '/market-data', tokenPath: '/demo/token', symbols: [] };
  try {
    return { ...defaults, ...JSON.parse(document.getElementById('edge-config').textContent) };
  } catch {
    return defaults; // the file opened as it is in the repository, not served by Edge
  }
}
