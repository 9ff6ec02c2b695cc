// Builds frontend/dist/okienko.css from govuk-frontend's compiled CSS, rebranded for a
// municipality: GOV.UK's crown and its reserved GDS Transport font are left out, and the
// font stack is a system one. dist/ is committed, so `okienko serve` never needs Node.
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';

const src = readFileSync('node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css', 'utf8');
// drop the @font-face rules that load GDS Transport
const noFont = src.replace(/@font-face\{[^}]*\}/g, '');
const brand = readFileSync('src/okienko.css', 'utf8');
mkdirSync('dist', { recursive: true });
writeFileSync('dist/okienko.css', `${noFont}\n${brand}`);
copyFileSync('src/session.js', 'dist/session.js');
copyFileSync('src/council-screen.js', 'dist/council-screen.js');
console.log(`dist/okienko.css: ${noFont.length + brand.length} bytes`);
