// tests/citejs/check.js - read dconv's RIS or CSL-JSON with citation-js, as a
// reference manager would, and compare every record with the tree.
//
// Usage: node check.js ris|csljson OUTPUT TREE.json [csl-data.json]
//   OUTPUT     what `dconv --to ris|csljson` wrote
//   TREE.json  what `dconv --to json` wrote for the same input
//   csl-data.json  (csljson only) the CSL schema to validate OUTPUT against
//
// The expectation is derived from the tree here, independently of the C
// code: one record per arXiv id (the first wins) in document order, the
// title as it is, the DOI 10.48550/arXiv.ID, and the authors before the
// '+' gap (all of them if the gap comes first). A name is compared as the
// words it is made of - given, family, suffix joined by a space - so a
// split that loses, adds or reorders text fails, whatever the split is.
// Exits 1 listing every mismatch.
'use strict';
const fs = require('fs');
const { Cite } = require('@citation-js/core');
require('@citation-js/plugin-ris');
require('@citation-js/plugin-csl');

const [kind, outFile, treeFile, schemaFile] = process.argv.slice(2);
const fails = [];
const fail = (msg) => fails.push(msg);

function expected(tree) {
  const seen = new Set();
  const out = [];
  for (const d of tree.digests) {
    for (const p of d.papers) {
      if (p.arxiv_id) {
        if (seen.has(p.arxiv_id)) continue;
        seen.add(p.arxiv_id);
      }
      let names = p.authors;
      if (p.authors_elided && p.authors_elided_at > 0)
        names = names.slice(0, p.authors_elided_at);
      out.push({
        title: p.title,
        doi: p.arxiv_id ? '10.48550/arXiv.' + p.arxiv_id : undefined,
        authors: names.filter((n) => n !== '').map(words),
      });
    }
  }
  return out;
}

// "Family, Given" in the digest is the same person as "Given Family".
function words(name) {
  const parts = name.split(',');
  if (parts.length === 2 && parts[0].trim() && parts[1].trim())
    name = parts[1] + ' ' + parts[0];
  return name.split(/\s+/).filter(Boolean).join(' ');
}

function nameOf(a) {
  if (a.literal !== undefined) return words(a.literal);
  return [a.given, a['non-dropping-particle'], a.family, a.suffix]
    .filter((x) => x !== undefined && x !== '')
    .join(' ')
    .split(/\s+/)
    .join(' ');
}

const tree = JSON.parse(fs.readFileSync(treeFile, 'utf8'));
const want = expected(tree);
const text = fs.readFileSync(outFile, 'utf8');

let items;
if (kind === 'ris') {
  items = new Cite(text, { forceType: '@ris/file' }).data;
} else if (kind === 'csljson') {
  const raw = JSON.parse(text);
  const Ajv = require('ajv');
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (!validate(raw))
    for (const e of validate.errors.slice(0, 20))
      fail(`schema: ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  const ids = new Set();
  for (const it of raw) {
    if (ids.has(it.id)) fail(`duplicate id ${it.id}`);
    ids.add(it.id);
  }
  items = new Cite(raw, { forceType: '@csl/list+object' }).data;
} else {
  console.error('usage: check.js ris|csljson OUTPUT TREE.json [schema]');
  process.exit(2);
}

if (items.length !== want.length)
  fail(`${items.length} records read, ${want.length} distinct papers in the tree`);
const n = Math.min(items.length, want.length);
for (let i = 0; i < n; i++) {
  const got = items[i], exp = want[i];
  const where = `record ${i + 1} (${exp.doi || exp.title})`;
  if (got.title !== exp.title)
    fail(`${where}: title ${JSON.stringify(got.title)} != ${JSON.stringify(exp.title)}`);
  if (got.DOI !== exp.doi)
    fail(`${where}: DOI ${got.DOI} != ${exp.doi}`);
  const names = (got.author || []).map(nameOf);
  if (JSON.stringify(names) !== JSON.stringify(exp.authors))
    fail(`${where}: authors ${JSON.stringify(names)} != ${JSON.stringify(exp.authors)}`);
}

if (fails.length) {
  for (const f of fails) console.error('FAIL: ' + f);
  process.exit(1);
}
console.log(`ok: ${kind}: ${items.length} records match the tree`);
