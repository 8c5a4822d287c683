// Drives the search page in a real headless Chromium through playwright-core; run by SearchPageIT.
// usage: node search-page.cjs <cluster URL> <output folder>. Exits non-zero, with the reason, on the first failed check.
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const [base, outDir] = process.argv.slice(2);
const QUERY = 'a dog running on grass';
const WAIT = { timeout: 60000 };

function check(condition, message) {
  if (!condition) throw new Error('check failed: ' + message);
}

async function waitForResults(page, what) {
  await page.waitForFunction((w) => {
    const s = document.getElementById('status').textContent;
    return !document.body.classList.contains('busy') && (s.includes(w) || s.startsWith('Search failed'));
  }, what, WAIT);
  const status = await page.textContent('#status');
  check(!status.startsWith('Search failed'), status);
  return status;
}

/** Waits until the thumbnails of the first n cards have loaded, and returns how many have pixels. */
async function loadedThumbnails(page, n) {
  await page.waitForFunction((n) => {
    const imgs = [...document.querySelectorAll('.card img')].slice(0, n);
    return imgs.length > 0 && imgs.every((img) => img.complete);
  }, n, WAIT);
  return page.$$eval('.card img', (imgs, n) => imgs.slice(0, n).filter((img) => img.naturalWidth > 0).length, n);
}

/** The page itself came back (not the JSON of an error), for a URL that carries the page's state. */
function checkIsThePage(response, what) {
  check(response && response.status() === 200, `${what} answers 200, got ${response && response.status()}`);
  const type = response.headers()['content-type'] || '';
  check(type.startsWith('text/html'), `${what} answers the page, got ${type}`);
}

const cardIds = (page) => page.$$eval('.card', (cards) => cards.map((c) => c.dataset.id));

async function main() {
  const profile = path.join(outDir, 'chromium-profile');
  fs.rmSync(profile, { recursive: true, force: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push('console error: ' + m.text()));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} for ${r.url()}`));
  const result = {};
  try {
    await page.goto(base + '/_plugins/clip/ui', WAIT);
    await waitForResults(page, 'pictures');
    result.index = await page.inputValue('#index');
    check(result.index === 'clip-images-flickr8k', 'the demo index is chosen by default, got ' + result.index);

    // the explanation formats of clip_hybrid's fusion modes all give each side's rank and score
    const CALIBRATED_VECTOR = 'vector: cosine 0.83, evidence 2 * (cosine - 0.55) / (0.8 - 0.3) = 1.12, weight 1.0, among the k nearest';
    const CALIBRATED_TEXT = 'text: has text but the words do not match: bm25 0.0, evidence bm25 - text_floor 0.5 * best bm25 5.0 = -2.5, weight 1.0';
    const parsed = await page.evaluate(([vectorDesc, textDesc]) => [
      sidesOf({ value: 0.03, description: 'clip_hybrid reciprocal rank fusion, rank_constant=60', details: [
        { value: 0.015, description: 'vector: rank 6 (raw score 0.82669723), 1/(60 + 6)' },
        { value: 0, description: 'text: not in its top list, contributes 0' }] }),
      sidesOf({ value: 0.5, description: 'clip_hybrid linear: weighted mean', details: [
        { value: 0.9, description: 'vector: rank 2, raw score 0.81, min_max normalized 0.9, weight 0.5' },
        { value: 0.2, description: 'text: rank 11, raw score 4.5E-1, min_max normalized 0.2, weight 0.5' }] }),
      sidesOf({ value: 0.4, description: 'bool', details: [{ value: 0.4, description: 'clip_hybrid calibrated: 1 / (1 + exp(-evidence))', details: [
        { value: 1.12, description: vectorDesc },
        { value: -2.5, description: textDesc }] }] }),
    ], [CALIBRATED_VECTOR, CALIBRATED_TEXT]);
    const side = (rank, raw, rawName, value, found, why, evidence = null) => ({ rank, raw, rawName, value, evidence, why, found });
    const expected = [
      { vector: side(6, 0.82669723, 'raw', 0.015, true, 'vector: rank 6 (raw score 0.82669723), 1/(60 + 6)'),
        text: side(null, null, 'raw', 0, false, 'text: not in its top list, contributes 0') },
      { vector: side(2, 0.81, 'raw', 0.9, true, 'vector: rank 2, raw score 0.81, min_max normalized 0.9, weight 0.5'),
        text: side(11, 0.45, 'raw', 0.2, true, 'text: rank 11, raw score 4.5E-1, min_max normalized 0.2, weight 0.5') },
      // calibrated mode: what each side gave for or against the hit
      { vector: side(null, 0.83, 'cos', 1.12, true, CALIBRATED_VECTOR, 1.12), text: side(null, 0, 'bm25', -2.5, false, CALIBRATED_TEXT, -2.5) },
    ];
    check(JSON.stringify(parsed) === JSON.stringify(expected), 'explanations parsed: ' + JSON.stringify(parsed));

    // a query typed as a user types it
    await page.fill('#q', QUERY);
    await page.press('#q', 'Enter');
    result.queryStatus = await waitForResults(page, 'results for');
    const ids = await cardIds(page);
    check(ids.length === 24, 'a full first page of 24 hits, got ' + ids.length);
    result.thumbnails = await loadedThumbnails(page, 12);
    check(result.thumbnails === 12, `the first 12 thumbnails have pixels, got ${result.thumbnails}`);
    const scores = await page.$$eval('.card .scores', (all) => all.map((s) => ({
      fused: s.querySelector('.fused').textContent,
      vector: s.querySelector('.side.vector') && s.querySelector('.side.vector').textContent,
      vectorFound: Boolean(s.querySelector('.side.vector:not(.none)')),
      textFound: Boolean(s.querySelector('.side.text:not(.none)')),
    })));
    check(scores.every((s) => Number.parseFloat(s.fused) > 0), 'every hit shows its fused score: ' + JSON.stringify(scores[0]));
    check(scores.filter((s) => s.vectorFound && /\d/.test(s.vector)).length >= 12, 'most hits show a vector rank or score');
    check(scores.some((s) => s.textFound), 'some hits were found by the text side as well');
    result.firstHitScores = scores[0];
    const titles = await page.$$eval('.card .title', (t) => t.map((x) => x.textContent.toLowerCase()));
    result.dogTitles = titles.filter((t) => t.includes('dog')).length;
    check(result.dogTitles >= 6, 'titles of the first page mention dogs: ' + result.dogTitles);
    await page.screenshot({ path: path.join(outDir, 'search-page.png') });

    // a facet: the labels that clip_zero_shot gave the demo images
    const facet = page.locator('#facets .facet[data-field="labels"]');
    await facet.waitFor(WAIT);
    const dogBucket = facet.locator('label.bucket', { hasText: /^dog/ });
    check((await dogBucket.count()) === 1, 'the labels facet offers "dog"');
    const before = Number((result.queryStatus.match(/^\d+/) || ['0'])[0]);
    await dogBucket.locator('input').check();
    result.facetStatus = await waitForResults(page, 'results for');
    const after = Number((result.facetStatus.match(/^\d+/) || ['0'])[0]);
    check(after > 0 && after < before, `the filter narrows the hits: ${before} -> ${after}`);
    const labelsOfHits = await page.$$eval('.card', (cards) => cards.map((c) => [...c.querySelectorAll('.chip')].map((x) => x.textContent)));
    check(labelsOfHits.every((l) => l.includes('dog')), 'every filtered hit carries the label dog: ' + JSON.stringify(labelsOfHits));

    // more like the third picture: its own vector finds itself first
    const liked = (await cardIds(page))[2];
    await page.locator('.card').nth(2).locator('button.more').click();
    result.likeStatus = await waitForResults(page, 'similar pictures');
    check(await page.isVisible('#like'), 'the page says which picture it matches');
    const likeIds = await cardIds(page);
    check(likeIds[0] === liked, `the picture itself comes first, got ${likeIds[0]} for ${liked}`);
    check(await loadedThumbnails(page, 8) === 8, 'thumbnails of similar pictures load');

    // the next page
    await page.click('.pager .next');
    await page.waitForFunction(() => document.querySelector('.pager .range') &&
      document.querySelector('.pager .range').textContent.startsWith('25–'), null, WAIT);
    const page2 = await cardIds(page);
    check(page2.length > 0 && page2.every((id) => !likeIds.includes(id)), 'page 2 shows other pictures');
    check(new URL(page.url()).searchParams.get('from') === '24', 'the page is in the URL: ' + page.url());
    result.page2 = page2.length;
    await page.screenshot({ path: path.join(outDir, 'more-like-this-page-2.png') });

    // a reload shows the same page: the server serves the page whatever state the script wrote into the URL
    checkIsThePage(await page.reload(WAIT), 'a reload');
    await waitForResults(page, 'similar pictures');
    check((await page.textContent('.pager .range')).startsWith('25–'), 'the reload is on page 2 again');
    check(JSON.stringify(await cardIds(page)) === JSON.stringify(page2), 'the reload shows the same pictures');

    // a shared link with an index, a query and a filter
    const shared = new URLSearchParams({ index: 'clip-images-flickr8k', q: QUERY, 'f.labels': 'dog' });
    checkIsThePage(await page.goto(`${base}/_plugins/clip/ui?${shared}`, WAIT), 'a shared link');
    result.sharedStatus = await waitForResults(page, 'results for');
    check((await page.inputValue('#q')) === QUERY, 'the shared link fills in the query');
    const sharedBucket = page.locator('#facets .facet[data-field="labels"] label.bucket', { hasText: /^dog/ }).locator('input');
    check(await sharedBucket.isChecked(), 'the shared filter is checked');
    const sharedLabels = await page.$$eval('.card', (cards) => cards.map((c) => [...c.querySelectorAll('.chip')].map((x) => x.textContent)));
    check(sharedLabels.length > 0 && sharedLabels.every((l) => l.includes('dog')), 'the shared link filters: ' + JSON.stringify(sharedLabels));

    // filter names that are also names of Object.prototype's members are no filters and break nothing
    checkIsThePage(await page.goto(`${base}/_plugins/clip/ui?f.__proto__=x&f.constructor=y&f.prototype=z`, WAIT), 'odd filter names');
    result.oddNamesStatus = await waitForResults(page, 'pictures');
    check((await cardIds(page)).length === 24, 'odd filter names still show a full page of pictures');
    check(!/f\.(__proto__|constructor|prototype)/.test(page.url()), 'odd filter names are dropped from the URL: ' + page.url());
    check(problems.length === 0, 'no errors in the page: ' + problems.join('; '));
  } catch (e) {
    // a wait that times out is often explained by what the page threw meanwhile
    if (problems.length) console.error('errors in the page so far: ' + problems.join('; '));
    throw e;
  } finally {
    await context.close();
  }
  console.log('SEARCH-PAGE-RESULT ' + JSON.stringify(result));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
