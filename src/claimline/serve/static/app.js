// The claimline map page: events from the API on an offline Natural Earth basemap, a timeline
// histogram with a draggable range, filters, the evidence panel and the territorial-claims view.
// Everything it loads comes from the serving process; nothing leaves the machine.
import * as maplibregl from '/vendor/maplibre-gl/maplibre-gl.mjs';

const KINDS = ['territory', 'clash', 'strike', 'interception', 'casualties', 'statement',
  'diplomacy', 'sanctions', 'aid', 'policy', 'other'];
const ATTRIBUTIONS = ['asserted', 'claimed', 'hedged', 'unverified', 'disputed', 'denied'];
const KIND_COLOURS = {
  territory: '#d62728', clash: '#ff7f0e', strike: '#8c1c13', interception: '#1f77b4', casualties: '#7b3294',
  statement: '#7f7f7f', diplomacy: '#2ca02c', sanctions: '#bcbd22', aid: '#17becf', policy: '#9467bd',
  other: '#b0b0b0',
};
// co-located events never separate, so past this zoom a cluster is listed instead of expanded
const CLUSTER_MAX_ZOOM = 12;
const DAY_MS = 86400000;
// applied in the page to the points already fetched: choosing one costs no new download of every
// point (17 MB at 100,000 events); the other filters need the server (text search, regions)
const PAGE_FILTERS = ['kind', 'attribution'];

const $ = (id) => document.getElementById(id);
const state = {
  features: [],          // the located events the server filters allow, as GeoJSON features
  featuresQuery: null,   // the query string they were fetched with
  bars: [],              // [{date, count}] per day, for the histogram
  range: null,           // [firstDay, lastDay] as ISO strings, or null for all dates
  selected: null,        // event_id shown in the evidence panel
  control: null,         // the control-timeline GeoJSON, fetched when the territory view opens
};

// ---- small helpers -------------------------------------------------------------------------

let pending = 1;  // the map itself, until its load handler has run (see the end)
function busy(delta) {
  pending += delta;
  document.body.dataset.pending = String(pending);
}

async function getJSON(url) {
  busy(1);
  try {
    const response = await fetch(url);
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(`${url}: ${response.status} ${JSON.stringify(problem.detail ?? '')}`);
    }
    return await response.json();
  } finally {
    busy(-1);
  }
}

function element(tag, attributes = {}, ...children) {
  const made = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'style') made.style.cssText = value;
    else if (key.startsWith('data-')) made.setAttribute(key, value);
    else made[key] = value;
  }
  for (const child of children) {
    if (child !== null && child !== undefined) made.append(child);
  }
  return made;
}

const dayNumber = (iso) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const isoDay = (number) => new Date(number * DAY_MS).toISOString().slice(0, 10);

function holderColour(holder) {
  if (/russia|russian|moscow|kremlin/i.test(holder ?? '')) return '#c0392b';
  if (/ukrain|kyiv/i.test(holder ?? '')) return '#2e6fd8';
  return '#8a8a8a';
}

// ---- filters -------------------------------------------------------------------------------

function serverParams() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData($('filters'))) {
    if (String(value).trim()) params.set(name, String(value).trim());
  }
  return params;
}

function pointParams() {
  const params = serverParams();
  for (const name of PAGE_FILTERS) params.delete(name);
  return params;
}

function shownFilter() {
  const kind = $('filter-kind').value;
  const attribution = $('filter-attribution').value;
  const range = state.range;
  return (feature) => {
    const { properties } = feature;
    if (kind && properties.kind !== kind) return false;
    if (attribution && properties.attribution !== attribution) return false;
    if (!range) return true;
    return Boolean(properties.date) && properties.end >= range[0] && properties.date <= range[1];
  };
}

function fillFilterChoices() {
  for (const kind of KINDS) $('filter-kind').append(element('option', { value: kind, textContent: kind }));
  for (const a of ATTRIBUTIONS) $('filter-attribution').append(element('option', { value: a, textContent: a }));
  for (const kind of KINDS) {
    $('legend').append(element('li', { textContent: kind, style: `--swatch: ${KIND_COLOURS[kind]}` }));
  }
}

// ---- the map -------------------------------------------------------------------------------

const map = new maplibregl.Map({
  container: 'map',
  style: {
    version: 8,
    sources: {},
    layers: [{ id: 'sea', type: 'background', paint: { 'background-color': '#dce8f1' } }],
  },
  center: [34, 48.6],
  zoom: 4.4,
  maxZoom: 15,
  attributionControl: { compact: true, customAttribution: 'Boundaries: Natural Earth (public domain), via world-atlas' },
});
map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
window.claimlineMap = map;

function addBasemap(world) {
  const countries = topojson.feature(world, world.objects.countries);
  const borders = topojson.mesh(world, world.objects.countries, (a, b) => a !== b);
  map.addSource('countries', { type: 'geojson', data: countries });
  map.addSource('borders', { type: 'geojson', data: borders });
  map.addLayer({ id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': '#f4f1ea' } });
  map.addLayer({ id: 'borders', type: 'line', source: 'borders',
    paint: { 'line-color': '#9a9184', 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.5, 8, 1.6] } });
}

function addEventLayers() {
  map.addSource('events', {
    type: 'geojson', data: { type: 'FeatureCollection', features: [] },
    cluster: true, clusterRadius: 42, clusterMaxZoom: CLUSTER_MAX_ZOOM,
  });
  map.addLayer({
    id: 'clusters', type: 'circle', source: 'events', filter: ['has', 'point_count'],
    paint: {
      'circle-color': '#44546a', 'circle-opacity': 0.78, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5,
      'circle-radius': ['step', ['get', 'point_count'], 11, 10, 15, 100, 20, 1000, 26, 10000, 32],
    },
  });
  const kindColour = ['match', ['get', 'kind'], ...KINDS.flatMap((k) => [k, KIND_COLOURS[k]]), '#b0b0b0'];
  map.addLayer({
    id: 'points', type: 'circle', source: 'events', filter: ['!', ['has', 'point_count']],
    paint: { 'circle-color': kindColour, 'circle-radius': 6.5, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.2 },
  });
  map.addLayer({
    id: 'selected', type: 'circle', source: 'events', filter: ['==', ['get', 'id'], ''],
    paint: { 'circle-color': 'rgba(0,0,0,0)', 'circle-radius': 11, 'circle-stroke-color': '#111', 'circle-stroke-width': 2.5 },
  });
  map.addSource('control', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({
    id: 'control-places', type: 'circle', source: 'control', layout: { visibility: 'none' },
    paint: { 'circle-color': ['get', 'colour'], 'circle-radius': 8, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5 },
  });

  for (const layer of ['clusters', 'points', 'control-places']) {
    map.on('mouseenter', layer, () => { map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', layer, () => { map.getCanvas().style.cursor = ''; });
  }
  map.on('click', 'points', (e) => showEvent(e.features[0].properties.id));
  map.on('click', 'clusters', (e) => openCluster(e.features[0]));
  map.on('click', 'control-places', (e) => showPlace(e.features[0].properties.key));
  map.on('moveend', updateClusterLabels);
  map.on('sourcedata', (e) => { if (e.sourceId === 'events' && e.isSourceLoaded) updateClusterLabels(); });
}

// cluster counts as HTML labels: the offline style has no glyphs for map text
const labels = new Map();
function updateClusterLabels() {
  const seen = new Set();
  if (map.getLayoutProperty('clusters', 'visibility') !== 'none') {
    for (const feature of map.querySourceFeatures('events', { filter: ['has', 'point_count'] })) {
      const id = feature.properties.cluster_id;
      if (seen.has(id)) continue;
      seen.add(id);
      if (!labels.has(id)) {
        const text = element('div', { className: 'cluster-label', textContent: feature.properties.point_count_abbreviated });
        labels.set(id, new maplibregl.Marker({ element: text }).setLngLat(feature.geometry.coordinates).addTo(map));
      }
    }
  }
  for (const [id, marker] of labels) {
    if (!seen.has(id)) {
      marker.remove();
      labels.delete(id);
    }
  }
}

function showOnMap() {
  const shown = state.features.filter(shownFilter());
  map.getSource('events').setData({ type: 'FeatureCollection', features: shown });
  // the page counts as busy until the worker has clustered the points and the map has drawn them
  busy(1);
  map.once('idle', () => busy(-1));
  $('shown-count').textContent = shown.length.toLocaleString('en');
  $('shown-count').dataset.count = String(shown.length);
  for (const marker of labels.values()) marker.remove();
  labels.clear();
}

async function openCluster(feature) {
  const source = map.getSource('events');
  const id = feature.properties.cluster_id;
  const [zoom, leaves] = await Promise.all([source.getClusterExpansionZoom(id), source.getClusterLeaves(id, 50, 0)]);
  const list = element('ol');
  for (const leaf of leaves) {
    const { id: eventId, kind, date } = leaf.properties;
    list.append(element('li', {}, element('button', {
      type: 'button', textContent: `${date ?? 'undated'} · ${kind}`, 'data-event-id': eventId,
      onclick: () => showEvent(eventId),
    })));
  }
  const more = feature.properties.point_count > leaves.length ? ` (first ${leaves.length})` : '';
  $('cluster-list').replaceChildren(element('h2', { textContent: `${feature.properties.point_count} events here${more}` }), list);
  $('cluster-list').hidden = false;
  if (zoom <= CLUSTER_MAX_ZOOM) map.easeTo({ center: feature.geometry.coordinates, zoom });
}

// ---- the evidence panel --------------------------------------------------------------------

function field(list, label, value, reason) {
  if (value === null || value === undefined || value === '') return;
  list.append(element('dt', { textContent: label }),
    element('dd', {}, String(value), reason ? element('div', { className: 'reason', textContent: reason }) : null));
}

function contextParagraph(context) {
  const [start, end] = context.highlight;
  const text = context.text;
  return element('p', { className: 'context' }, text.slice(0, start),
    element('mark', { textContent: text.slice(start, end) }), text.slice(end));
}

async function showEvent(eventId) {
  const detail = await getJSON(`/api/events/${encodeURIComponent(eventId)}`);
  const { event, document: doc, context } = detail;
  state.selected = eventId;
  map.setFilter('selected', ['==', ['get', 'id'], eventId]);
  const panel = $('evidence');
  const facts = element('dl');
  const when = event.date ? `${event.date}${event.date_end && event.date_end !== event.date ? ` – ${event.date_end}` : ''}` : 'unknown';
  field(facts, 'date', `${when}${event.time_precision ? ` (precise to the ${event.time_precision})` : ''}`,
    [event.date_text && `“${event.date_text}”`, event.date_reason].filter(Boolean).join(': '));
  const loc = event.location;
  if (loc) {
    field(facts, 'place', [loc.name, loc.admin1, loc.country_code].filter(Boolean).join(', '),
      `${loc.geo_precision}${loc.reason ? `: ${loc.reason}` : ''}`);
  }
  field(facts, 'claimant', event.claimant ?? 'the report itself');
  field(facts, 'attribution', event.attribution, event.attribution_cue ? `cue: “${event.attribution_cue}”` : null);
  field(facts, 'actors', [event.actor1, event.actor2].filter(Boolean).join(' → '));
  const numbers = Object.entries(event.quantities ?? {}).map(([k, v]) => `${k} ${v}`).join(', ');
  field(facts, 'numbers', numbers);
  if (doc) {
    field(facts, 'source', [doc.source, doc.title].filter(Boolean).join(' — ') || doc.doc_id);
    field(facts, 'published', doc.published ?? 'unknown', doc.published_reason);
    if (doc.url) {
      facts.append(element('dt', { textContent: 'link' }),
        element('dd', {}, element('a', { href: doc.url, textContent: doc.url, target: '_blank', rel: 'noopener noreferrer' })));
    }
    field(facts, 'document', doc.doc_id);
  }
  panel.replaceChildren(
    element('h2', {}, element('span', { className: 'badge', textContent: event.kind, style: `background: ${KIND_COLOURS[event.kind] ?? '#888'}` })),
    context ? contextParagraph(context) : element('p', { className: 'context' }, element('mark', { textContent: event.evidence.text })),
    facts,
  );
  panel.dataset.eventId = eventId;
  panel.hidden = false;
}

// ---- the timeline histogram ----------------------------------------------------------------

const histogram = { canvas: $('histogram'), first: 0, last: 0, drag: null };

function dayAtX(x) {
  const { canvas, first, last } = histogram;
  const share = Math.min(1, Math.max(0, x / canvas.clientWidth));
  return Math.round(first + share * (last - first));
}

function xAtDay(day) {
  const { canvas, first, last } = histogram;
  return last === first ? 0 : ((day - first) / (last - first)) * canvas.clientWidth;
}

function drawHistogram() {
  const { canvas } = histogram;
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  if (!state.bars.length) {
    g.fillStyle = '#8a97a5';
    g.fillText('no dated events', 8, height / 2);
    return;
  }
  // one column per few pixels: many days share a column when the span is long
  const columns = Math.max(1, Math.min(histogram.last - histogram.first + 1, Math.floor(width / 3)));
  const sums = new Array(columns).fill(0);
  const span = histogram.last - histogram.first + 1;
  for (const bar of state.bars) {
    const column = Math.min(columns - 1, Math.floor(((dayNumber(bar.date) - histogram.first) / span) * columns));
    sums[column] += bar.count;
  }
  const top = Math.max(...sums);
  const chosen = state.range ? state.range.map(dayNumber) : null;
  const columnWidth = width / columns;
  for (let i = 0; i < columns; i += 1) {
    if (!sums[i]) continue;
    const day = histogram.first + Math.floor((i / columns) * span);
    const inside = !chosen || (day + span / columns > chosen[0] && day <= chosen[1]);
    g.fillStyle = inside ? '#44546a' : '#c4ccd5';
    const barHeight = Math.max(1, (sums[i] / top) * (height - 14));
    g.fillRect(i * columnWidth, height - barHeight, Math.max(1, columnWidth - 0.5), barHeight);
  }
  if (chosen) {
    const x0 = xAtDay(chosen[0]);
    const x1 = xAtDay(chosen[1] + 1);
    g.fillStyle = 'rgba(46, 111, 216, 0.14)';
    g.fillRect(x0, 0, Math.max(2, x1 - x0), height);
    g.fillStyle = '#2e6fd8';
    g.fillRect(x0 - 1, 0, 2, height);
    g.fillRect(x1 - 1, 0, 2, height);
  }
  g.fillStyle = '#5c6b7a';
  g.font = '10px system-ui, sans-serif';
  g.fillText(isoDay(histogram.first), 3, 10);
  const lastLabel = isoDay(histogram.last);
  g.fillText(lastLabel, width - g.measureText(lastLabel).width - 3, 10);
}

function setRange(range) {
  state.range = range;
  $('date-from').value = range ? range[0] : '';
  $('date-to').value = range ? range[1] : '';
  drawHistogram();
  showOnMap();
}

function startDrag(e) {
  if (!state.bars.length) return;
  const x = e.offsetX;
  const chosen = state.range ? state.range.map((d) => xAtDay(dayNumber(d))) : null;
  let mode = 'new';
  if (chosen && Math.abs(x - chosen[0]) < 6) mode = 'start';
  else if (chosen && Math.abs(x - xAtDay(dayNumber(state.range[1]) + 1)) < 6) mode = 'end';
  else if (chosen && x > chosen[0] && x < chosen[1]) mode = 'move';
  histogram.drag = { mode, x, original: state.range ? state.range.map(dayNumber) : null, moved: false };
  histogram.canvas.setPointerCapture(e.pointerId);
}

function dragTo(e) {
  const drag = histogram.drag;
  if (!drag) return;
  if (Math.abs(e.offsetX - drag.x) >= 3) drag.moved = true;
  if (!drag.moved) return;
  let [first, last] = drag.original ?? [0, 0];
  const here = dayAtX(e.offsetX);
  if (drag.mode === 'new') [first, last] = [dayAtX(Math.min(drag.x, e.offsetX)), dayAtX(Math.max(drag.x, e.offsetX))];
  else if (drag.mode === 'start') first = Math.min(here, last);
  else if (drag.mode === 'end') last = Math.max(first, here - 1);
  else {
    const shift = here - dayAtX(drag.x);
    const room = [histogram.first - first, histogram.last - last];
    const clamped = Math.min(room[1], Math.max(room[0], shift));
    [first, last] = [first + clamped, last + clamped];
  }
  state.range = [isoDay(first), isoDay(last)];
  $('date-from').value = state.range[0];
  $('date-to').value = state.range[1];
  drawHistogram();
}

function endDrag() {
  const drag = histogram.drag;
  histogram.drag = null;
  if (!drag) return;
  // a click without a drag clears the range; the map is re-clustered only once the drag ends
  setRange(drag.moved ? state.range : null);
}

function rangeFromInputs() {
  const first = $('date-from').value || (state.bars[0]?.date ?? '');
  const last = $('date-to').value || (state.bars.at(-1)?.date ?? '');
  setRange(first && last ? [first <= last ? first : last, first <= last ? last : first] : null);
}

// ---- loading -------------------------------------------------------------------------------

let loads = 0;
async function loadEvents() {
  const params = serverParams();
  const pointsQuery = pointParams().toString();
  const ticket = ++loads;
  const [collection, bars] = await Promise.all([
    pointsQuery === state.featuresQuery ? null : getJSON(`/api/map.geojson?${pointsQuery}`),
    getJSON(`/api/histogram?bucket=day&${params}`),
    layersReady,
  ]);
  if (ticket !== loads) return;  // a later change of the filters has been fetched meanwhile
  if (collection) {
    state.features = collection.features;
    state.featuresQuery = pointsQuery;
  }
  state.bars = bars.counts;
  if (state.bars.length) {
    histogram.first = dayNumber(state.bars[0].date);
    histogram.last = dayNumber(state.bars.at(-1).date);
  }
  drawHistogram();
  showOnMap();
}

async function loadSummary() {
  const stats = await getJSON('/api/stats');
  const span = stats.first_date ? `, ${stats.first_date} to ${stats.last_date}` : '';
  $('summary').textContent = `${stats.events.toLocaleString('en')} events from ${stats.documents.toLocaleString('en')} ` +
    `documents; ${stats.located.toLocaleString('en')} located${span}.`;
}

// ---- the territory view --------------------------------------------------------------------

async function loadControl() {
  if (state.control) return;
  const collection = await getJSON('/api/control');
  collection.features.forEach((feature, index) => {
    feature.properties.key = String(index);
    feature.properties.colour = holderColour(feature.properties.last_claimed_holder);
  });
  state.control = collection;
  map.getSource('control').setData(collection);
  const places = $('places');
  places.replaceChildren();
  for (const feature of collection.features) {
    const { name, admin1_iso: region, last_claimed_holder: holder, timeline, key } = feature.properties;
    places.append(element('li', {},
      element('button', { type: 'button', textContent: `${name}${region ? ` (${region})` : ''}`, onclick: () => showPlace(key) }),
      element('span', { className: 'holder', textContent: ` ${timeline.length} claim${timeline.length === 1 ? '' : 's'}` +
        `${holder ? `; last said to be held by ${holder}` : ''}` })));
  }
  if (!collection.features.length) places.append(element('li', { textContent: 'No territorial claims stored.' }));
}

function showPlace(key) {
  const feature = state.control.features[Number(key)];
  const { name, timeline } = feature.properties;
  const rows = timeline.map((claim) => element('tr', {},
    element('td', { textContent: claim.date ?? 'undated' }),
    element('td', { textContent: claim.claimant ?? 'report' }),
    element('td', { textContent: claim.stance }),
    element('td', { textContent: claim.holder ?? '' }),
    element('td', { textContent: claim.attribution })));
  const head = element('tr', {}, ...['date', 'claimant', 'says', 'holder', 'attribution'].map((h) => element('th', { textContent: h })));
  $('place-timeline').replaceChildren(element('h2', { textContent: name }), element('table', {}, element('thead', {}, head), element('tbody', {}, ...rows)));
  $('place-timeline').hidden = false;
  map.easeTo({ center: feature.geometry.coordinates, zoom: Math.max(map.getZoom(), 8) });
}

function showView(territory) {
  $('tab-events').setAttribute('aria-pressed', String(!territory));
  $('tab-territory').setAttribute('aria-pressed', String(territory));
  $('events-view').hidden = territory;
  $('territory-view').hidden = !territory;
  for (const layer of ['clusters', 'points', 'selected']) map.setLayoutProperty(layer, 'visibility', territory ? 'none' : 'visible');
  map.setLayoutProperty('control-places', 'visibility', territory ? 'visible' : 'none');
  updateClusterLabels();
  if (territory) loadControl().catch(report);
}

// ---- wiring --------------------------------------------------------------------------------

function report(error) {
  console.error(error);
  $('summary').textContent = `Something went wrong: ${error.message}`;
}

// typing waits 250 ms for a pause before fetching, a choice from a list does not; the page counts as
// busy from the first keystroke
let refilter = null;
function onFilterChange(e) {
  if (refilter === null) busy(1);
  else clearTimeout(refilter);
  refilter = setTimeout(() => {
    refilter = null;
    loadEvents().catch(report).finally(() => busy(-1));
  }, e.target.tagName === 'SELECT' ? 0 : 250);
}

fillFilterChoices();
$('filters').addEventListener('input', onFilterChange);
$('filters').addEventListener('submit', (e) => e.preventDefault());
$('date-from').addEventListener('change', rangeFromInputs);
$('date-to').addEventListener('change', rangeFromInputs);
$('range-reset').addEventListener('click', () => setRange(null));
histogram.canvas.addEventListener('pointerdown', startDrag);
histogram.canvas.addEventListener('pointermove', dragTo);
histogram.canvas.addEventListener('pointerup', endDrag);
$('tab-events').addEventListener('click', () => showView(false));
$('tab-territory').addEventListener('click', () => showView(true));
window.addEventListener('resize', drawHistogram);

// the downloads start at once, while MapLibre sets itself up; the layers wait for both
const mapLoaded = new Promise((resolve) => map.once('load', resolve));
const layersReady = Promise.all([getJSON('/vendor/world-atlas/countries-50m.json'), mapLoaded])
  .then(([world]) => {
    addBasemap(world);
    addEventLayers();
  });
Promise.all([layersReady, loadSummary(), loadEvents()])
  .catch(report)
  .finally(() => busy(-1));  // the page started with one pending: the map itself
