// The search page of the clip-hybrid-search plugin. It talks only to the cluster it was served by (same origin) and
// builds every element with DOM calls, never from HTML strings, since titles and labels come from the documents.
'use strict';

const UI = '/_plugins/clip/ui';
const DEMO_INDEX = 'clip-images-flickr8k';
const PAGE_SIZE = 24;
const CANDIDATES = 100; // nearest vectors and lexical hits taken per query (clip_hybrid k, clip_knn k)
const FACET_SIZE = 12;
const MAX_FACETS = 8;
// _source fields that may name a picture, best first: a URL, a data: URI, or a file under plugins.clip.images.path
const IMAGE_FIELDS = ['thumbnail', 'thumbnail_url', 'image_url', 'url', 'image', 'file', 'path'];
const TITLE_FIELDS = ['title', 'caption', 'name', 'file'];
const SOURCE_FIELDS = ['source_page', 'source_url', 'page', 'url'];
const TEXT_BOOSTS = new Map([['title', 2]]);

const $ = (id) => document.getElementById(id);

// Names that come from the URL or from a mapping (filter fields, index names, agg names) are kept in Maps or in objects
// without a prototype: as a key of a plain object, "__proto__" replaces the prototype and "constructor" reads as a function.
const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
const dict = () => Object.create(null);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

// ---------- talking to the cluster ----------

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    const reason = json && json.error ? (json.error.root_cause && json.error.root_cause[0] ? json.error.root_cause[0].reason : json.error.reason || JSON.stringify(json.error)) : text;
    throw new Error(`${response.status}: ${reason}`);
  }
  return json;
}

// ---------- what the mapping says ----------

/** Every field of a mapping as {path, type}, multi-fields (title.raw) included. */
function fieldsOf(properties, prefix = '') {
  const out = [];
  for (const [name, def] of Object.entries(properties || {})) {
    const path = prefix + name;
    if (def.type) out.push({ path, type: def.type });
    if (def.properties) out.push(...fieldsOf(def.properties, path + '.'));
    if (def.fields) out.push(...fieldsOf(def.fields, path + '.'));
  }
  return out;
}

/** Indices that hold image vectors, with the fields the page uses. */
function searchableIndices(mappings) {
  const indices = new Map();
  for (const [index, body] of Object.entries(mappings)) {
    if (index.startsWith('.')) continue;
    const fields = fieldsOf(body.mappings && body.mappings.properties);
    const vectors = fields.filter((f) => f.type === 'knn_vector').map((f) => f.path);
    if (vectors.length === 0) continue;
    indices.set(index, {
      vectorField: vectors.includes('image_vector') ? 'image_vector' : vectors[0],
      textFields: fields.filter((f) => f.type === 'text').map((f) => (TEXT_BOOSTS.has(f.path) ? `${f.path}^${TEXT_BOOSTS.get(f.path)}` : f.path)),
      keywordFields: fields.filter((f) => f.type === 'keyword').map((f) => f.path),
    });
  }
  return indices;
}

// ---------- page state, kept in the URL so that a link or a reload shows the same page ----------

// filters: field -> selected values
const state = { index: '', q: '', from: 0, filters: new Map(), like: null, fusion: '' };
let indices = new Map();
let facetFields = null; // keyword fields worth filtering on, found once per index

function readUrl() {
  const params = new URLSearchParams(location.search);
  state.index = params.get('index') || '';
  state.q = params.get('q') || '';
  state.from = Math.max(0, parseInt(params.get('from') || '0', 10) || 0);
  state.fusion = params.get('fusion') || '';
  state.filters = new Map();
  for (const [k, v] of params) {
    const field = k.startsWith('f.') ? k.slice(2) : '';
    if (!field || UNSAFE_NAMES.has(field)) continue;
    if (!state.filters.has(field)) state.filters.set(field, []);
    state.filters.get(field).push(v);
  }
  state.like = params.get('like') ? { id: params.get('like') } : null;
}

function writeUrl() {
  const params = new URLSearchParams();
  params.set('index', state.index);
  if (state.q) params.set('q', state.q);
  if (state.like) params.set('like', state.like.id);
  if (state.from) params.set('from', String(state.from));
  if (state.fusion) params.set('fusion', state.fusion);
  for (const [field, values] of state.filters) values.forEach((v) => params.append('f.' + field, v));
  history.replaceState(null, '', `${UI}?${params}`);
}

// ---------- the query ----------

function filterClauses() {
  return [...state.filters]
    .filter(([, values]) => values.length)
    .map(([field, values]) => ({ terms: { [field]: values } }));
}

function buildQuery(schema) {
  const filters = filterClauses();
  const filter = filters.length ? { bool: { filter: filters } } : undefined;
  if (state.like && state.like.vector) {
    return { clip_knn: { vector_field: schema.vectorField, query_vector: state.like.vector, k: CANDIDATES, filter } };
  }
  if (state.q) {
    const query = { query_text: state.q, vector_field: schema.vectorField, k: CANDIDATES, filter };
    if (schema.textFields.length) query.text_fields = schema.textFields;
    if (state.fusion) query.fusion = state.fusion;
    return { clip_hybrid: query };
  }
  return filter || { match_all: {} };
}

function buildSearch(schema, aggFields) {
  const aggs = dict();
  aggFields.forEach((f) => (aggs[f] = { terms: { field: f, size: FACET_SIZE } }));
  return {
    from: state.from,
    size: PAGE_SIZE,
    track_total_hits: true,
    explain: Boolean(state.q && !state.like),
    _source: { excludes: [schema.vectorField] },
    query: buildQuery(schema),
    aggs,
  };
}

/** Keyword fields whose values repeat across documents: a field with one document per value filters nothing. */
async function findFacetFields(index, schema) {
  const candidates = schema.keywordFields.slice(0, 20);
  if (!candidates.length) return [];
  const aggs = dict();
  candidates.forEach((f) => (aggs[f] = { terms: { field: f, size: 2 } }));
  const r = await call('POST', `/${encodeURIComponent(index)}/_search`, { size: 0, aggs });
  return candidates.filter((f) => (r.aggregations[f].buckets || []).some((b) => b.doc_count > 1)).slice(0, MAX_FACETS);
}

// ---------- reading a hit's explanation (robust to the fusion mode: rank modes name ranks, calibrated mode cosines) ----------

function findNode(expl, test) {
  if (!expl) return null;
  if (test(expl)) return expl;
  for (const d of expl.details || []) {
    const found = findNode(d, test);
    if (found) return found;
  }
  return null;
}

const NUMBER = '(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)';

/** {vector: {rank, raw, rawName, value, found}, text: {...}} from a clip_hybrid explanation; {} when there is none. */
function sidesOf(explanation) {
  const node = findNode(explanation, (n) => /^clip_hybrid/.test(n.description || '')) || explanation;
  const sides = {};
  for (const d of (node && node.details) || []) {
    const desc = d.description || '';
    const side = /^(vector|text)\b/.exec(desc);
    if (!side) continue;
    const grab = (name) => {
      const m = new RegExp(name + '[ :=]*\\(?' + NUMBER).exec(desc);
      return m ? parseFloat(m[1]) : null;
    };
    const rank = grab('rank');
    let raw = grab('raw score');
    let rawName = 'raw';
    if (raw === null && (raw = grab('cosine')) !== null) rawName = 'cos';
    if (raw === null && (raw = grab('bm25')) !== null) rawName = 'bm25';
    const missing = /not in its top list|no match|do not match|no text in|has no vector|contributes 0/.test(desc) && !rank;
    // calibrated mode adds up evidence: what each side gave for or against the hit is why it ranked where it did
    const evidence = /evidence/.test(desc) ? d.value : null;
    sides[side[1]] = { rank, raw, rawName, value: d.value, evidence, why: desc, found: !missing && (rank !== null || raw !== null) };
  }
  return sides;
}

// ---------- rendering ----------

function firstString(source, names) {
  for (const n of names) {
    const v = source[n];
    if (typeof v === 'string' && v.trim()) return v;
    if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  }
  return null;
}

function imageUrl(source) {
  const ref = firstString(source, IMAGE_FIELDS);
  if (!ref) return null;
  if (/^(https?:|data:image\/)/i.test(ref)) return ref;
  return `${UI}/image/${encodeURIComponent(ref)}`;
}

function sourceUrl(source, image) {
  const page = firstString(source, SOURCE_FIELDS);
  if (page && /^https?:/i.test(page)) return page;
  return image && !image.startsWith('data:') ? image : null;
}

const fmt = (x, digits = 3) => (x === null || x === undefined || Number.isNaN(x) ? '–' : Number(x).toPrecision(digits));

const signed = (x) => (x > 0 ? '+' : '') + fmt(x, 2);

function sideBadge(name, side) {
  const against = side && side.evidence !== null && side.evidence !== undefined ? ` ${signed(side.evidence)}` : '';
  if (!side || !side.found) {
    return el('span', { class: `side ${name} none`, title: side ? side.why : `${name}: not found by this side` }, `${name} –${against}`);
  }
  const parts = [name];
  if (side.rank) parts.push(`#${side.rank}`);
  if (side.raw !== null) parts.push(`${side.rawName === 'raw' ? '' : side.rawName + ' '}${fmt(side.raw)}`);
  const title = side.evidence !== null ? side.why
    : `${name} side: ${side.rank ? 'rank ' + side.rank + ', ' : ''}${side.rawName} score ${side.raw}, contributes ${side.value}`;
  return el('span', { class: `side ${name}`, title }, parts.join(' ') + against);
}

function card(hit) {
  const s = hit._source || {};
  const image = imageUrl(s);
  const title = firstString(s, TITLE_FIELDS) || hit._id;
  const link = sourceUrl(s, image);
  const sides = state.q && !state.like ? sidesOf(hit._explanation) : {};
  const scores = el('div', { class: 'scores' }, el('span', { class: 'fused', title: 'score' }, fmt(hit._score, 4)));
  if (state.q && !state.like) scores.append(sideBadge('vector', sides.vector), sideBadge('text', sides.text));
  // clip_knn scores a cosine-space field (1 + cosine) / 2; the cosine itself reads better
  if (state.like) scores.append(el('span', { class: 'side vector', title: 'cosine with the picture matched' }, `cos ${fmt(2 * hit._score - 1)}`));
  const labels = Array.isArray(s.labels) ? s.labels : typeof s.labels === 'string' ? [s.labels] : [];
  const labelsField = facetFields && facetFields.includes('labels') ? 'labels' : null;
  return el(
    'figure',
    { class: 'card', 'data-id': hit._id },
    el(
      'a',
      { class: 'thumb', href: link || undefined, target: '_blank', rel: 'noopener noreferrer' },
      image ? el('img', { src: image, alt: title, loading: 'lazy', onerror: (e) => e.target.classList.add('broken') }) : el('span', { class: 'noimage' }, 'no image')
    ),
    el(
      'figcaption',
      {},
      el('div', { class: 'title', title }, title),
      scores,
      labels.length
        ? el('div', { class: 'labels' }, labels.map((l) => el('button', { class: 'chip', type: 'button', disabled: !labelsField, onclick: () => toggleFilter('labels', l) }, l)))
        : null,
      el(
        'div',
        { class: 'actions' },
        link ? el('a', { href: link, target: '_blank', rel: 'noopener noreferrer', class: 'source' }, link === image ? 'image ↗' : 'source ↗') : el('span'),
        el('button', { class: 'more', type: 'button', onclick: () => moreLikeThis(hit, title, image) }, 'More like this')
      )
    )
  );
}

function renderFacets(aggregations) {
  const box = $('facets');
  box.replaceChildren();
  for (const field of facetFields || []) {
    const agg = aggregations && aggregations[field];
    const selected = state.filters.get(field) || [];
    const buckets = (agg ? agg.buckets : []).slice();
    selected.filter((v) => !buckets.some((b) => b.key === v)).forEach((v) => buckets.push({ key: v, doc_count: 0 }));
    if (!buckets.length) continue;
    box.append(
      el(
        'section',
        { class: 'facet', 'data-field': field },
        el('h3', { text: field }),
        buckets.map((b) => {
          const value = String(b.key_as_string || b.key);
          return el(
            'label',
            { class: 'bucket' },
            el('input', { type: 'checkbox', value, checked: selected.includes(value), onchange: () => toggleFilter(field, value) }),
            el('span', { class: 'value', text: value }),
            el('span', { class: 'count', text: String(b.doc_count) })
          );
        })
      )
    );
  }
  if ([...state.filters.values()].some((v) => v.length)) {
    box.append(el('button', { class: 'clear', type: 'button', onclick: () => ((state.filters = new Map()), (state.from = 0), search()) }, 'Clear filters'));
  }
}

function renderPager(total) {
  const pager = $('pager');
  pager.replaceChildren();
  if (!total) return;
  const last = Math.min(state.from + PAGE_SIZE, total);
  pager.append(
    el('button', { type: 'button', class: 'prev', disabled: state.from === 0, onclick: () => page(-1) }, '‹ Previous'),
    el('span', { class: 'range' }, `${state.from + 1}–${last} of ${total}`),
    el('button', { type: 'button', class: 'next', disabled: last >= total, onclick: () => page(1) }, 'Next ›')
  );
}

function renderLike() {
  const box = $('like');
  if (!state.like) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  box.replaceChildren(
    state.like.image ? el('img', { src: state.like.image, alt: '' }) : null,
    el('span', {}, 'Pictures like ', el('strong', { text: state.like.title || state.like.id })),
    el('button', { type: 'button', class: 'back', onclick: () => ((state.like = null), (state.from = 0), search()) }, '✕ back to search')
  );
}

function setStatus(text, isError) {
  $('status').textContent = text;
  $('status').classList.toggle('error', Boolean(isError));
}

// ---------- actions ----------

let searchSeq = 0;

async function search() {
  const seq = ++searchSeq;
  const schema = indices.get(state.index);
  writeUrl();
  renderLike();
  document.body.classList.add('busy');
  try {
    if (facetFields === null) facetFields = await findFacetFields(state.index, schema);
    if (state.like && !state.like.vector) await loadLike(schema);
    const started = performance.now();
    const r = await call('POST', `/${encodeURIComponent(state.index)}/_search`, buildSearch(schema, facetFields));
    if (seq !== searchSeq) return;
    const total = r.hits.total && typeof r.hits.total === 'object' ? r.hits.total.value : r.hits.total;
    const what = state.like ? 'similar pictures' : state.q ? `results for “${state.q}”` : 'pictures';
    setStatus(`${total} ${what} · ${Math.round(performance.now() - started)} ms`);
    renderLike();
    $('grid').replaceChildren(...r.hits.hits.map((h) => card(h)));
    renderFacets(r.aggregations);
    renderPager(total);
    document.body.dataset.loaded = String(seq);
  } catch (e) {
    if (seq !== searchSeq) return;
    setStatus(`Search failed: ${e.message}`, true);
    $('grid').replaceChildren();
    $('pager').replaceChildren();
  } finally {
    if (seq === searchSeq) document.body.classList.remove('busy');
  }
}

/** The stored vector of the picture to match, fetched only now: search responses leave vectors out. */
async function loadLike(schema) {
  const doc = await call('GET', `/${encodeURIComponent(state.index)}/_doc/${encodeURIComponent(state.like.id)}`);
  const vector = doc._source && doc._source[schema.vectorField];
  if (!Array.isArray(vector)) throw new Error(`document ${state.like.id} has no vector in [${schema.vectorField}]`);
  state.like.vector = vector;
  state.like.title = state.like.title || firstString(doc._source, TITLE_FIELDS) || state.like.id;
  state.like.image = state.like.image || imageUrl(doc._source);
}

function moreLikeThis(hit, title, image) {
  state.like = { id: hit._id, title, image };
  state.from = 0;
  window.scrollTo(0, 0);
  search();
}

function toggleFilter(field, value) {
  const values = state.filters.get(field) || [];
  state.filters.set(field, values.includes(value) ? values.filter((v) => v !== value) : values.concat([value]));
  state.from = 0;
  search();
}

function page(direction) {
  state.from = Math.max(0, state.from + direction * PAGE_SIZE);
  window.scrollTo(0, 0);
  search();
}

async function start() {
  readUrl();
  $('q').value = state.q;
  try {
    indices = searchableIndices(await call('GET', '/_mapping'));
  } catch (e) {
    setStatus(`Cannot read the mappings: ${e.message}`, true);
    return;
  }
  const names = [...indices.keys()].sort();
  if (!names.length) {
    setStatus('No index has a knn_vector field yet: index some images with the clip_embedding processor first.', true);
    return;
  }
  if (!indices.has(state.index)) state.index = names.includes(DEMO_INDEX) ? DEMO_INDEX : names[0];
  $('index').replaceChildren(...names.map((n) => el('option', { value: n, selected: n === state.index }, n)));
  $('index').addEventListener('change', () => {
    state.index = $('index').value;
    state.filters = new Map();
    state.like = null;
    state.from = 0;
    facetFields = null;
    search();
  });
  $('search').addEventListener('submit', (e) => {
    e.preventDefault();
    state.q = $('q').value.trim();
    state.like = null;
    state.from = 0;
    search();
  });
  search();
}

document.addEventListener('DOMContentLoaded', start);
