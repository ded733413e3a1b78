#!/usr/bin/env node
// ics_validate.js -- check vdsched's calendars with ical.js, the parser
// behind Thunderbird.
//
// Usage: node ics_validate.js [--tz ZONE] DIR
//
// Parses every *.ics beneath DIR and fails (exit 1, naming the file and the
// problem) on a parse error or warning, a missing required property, a
// floating DTSTART/DTEND, a duplicate UID within a file, a TZID other than
// the program zone (default Asia/Shanghai), or a VTIMEZONE whose offsets
// disagree with the system's (ICU) tz data.  Prints "N files ok".
// ical.js is looked up beside this script (npm install --prefix tests
// ical.js), in ./tests, ./ and $ICALJS_DIR; exit 77 when it is missing.
'use strict';
const fs = require('fs');
const path = require('path');

function loadIcal() {
  const paths = [process.env.ICALJS_DIR, __dirname, path.join(process.cwd(), 'tests'),
    process.cwd()].filter(Boolean);
  try {
    return require(require.resolve('ical.js', { paths }));
  } catch (e) {
    console.error('ics_validate.js: ical.js not found (npm install --prefix tests ical.js): ' + e.message);
    process.exit(77);
  }
}

const CAL_REQUIRED = ['prodid', 'version', 'calscale', 'name', 'x-wr-calname'];
// a cancellation of an earlier plan's event keeps only what identifies it
const CANCELLED_REQUIRED = ['uid', 'dtstamp', 'dtstart', 'dtend', 'summary', 'sequence', 'last-modified'];
const EVENT_REQUIRED = ['uid', 'dtstamp', 'dtstart', 'dtend', 'summary', 'sequence', 'last-modified',
  'location', 'description', 'categories'];
const ALARM_REQUIRED = ['action', 'trigger', 'description'];

// UTC offset in seconds of local wall time (y, m, d, h, mi) in zone, by Intl.
function tzdataOffset(zone, y, mo, d, h, mi) {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
    hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  let guess = asUtc;
  for (let i = 0; i < 3; i++) {   // fixed point: local(guess) == wall time
    const p = Object.fromEntries(fmt.formatToParts(new Date(guess)).map((x) => [x.type, x.value]));
    const local = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
    guess = asUtc - (local - guess);
  }
  return (asUtc - guess) / 1000;
}

function walkDir(dir, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walkDir(p, out);
    else if (e.name.endsWith('.ics')) out.push(p);
  }
  return out;
}

function checkFile(ICAL, file, zone) {
  const problems = [];
  const text = fs.readFileSync(file, 'utf8');
  // ical.js reports some problems through console.warn/error instead of
  // throwing: treat them as failures.
  const saved = { warn: console.warn, error: console.error, log: console.log };
  const noise = [];
  console.warn = console.error = console.log = (...a) => noise.push(a.join(' '));
  let jcal;
  try {
    jcal = ICAL.parse(text);
  } catch (e) {
    problems.push('ical.js cannot parse: ' + e.message);
  } finally {
    Object.assign(console, saved);
  }
  for (const n of noise) problems.push('ical.js warning: ' + n);
  if (!jcal) return problems;
  if (Array.isArray(jcal[0])) {
    problems.push(jcal.length + ' top-level components, want one VCALENDAR');
    return problems;
  }
  const cal = new ICAL.Component(jcal);
  if (cal.name !== 'vcalendar') return problems.concat(['not a VCALENDAR']);
  for (const p of CAL_REQUIRED)
    if (!cal.hasProperty(p)) problems.push('VCALENDAR lacks ' + p.toUpperCase());
  if (cal.getFirstPropertyValue('version') !== '2.0') problems.push('VERSION is not 2.0');
  const method = cal.getFirstPropertyValue('method');
  if (method !== null && method !== 'PUBLISH') problems.push('METHOD is ' + method + ', not PUBLISH');
  const tzs = cal.getAllSubcomponents('vtimezone');
  if (tzs.length !== 1) problems.push(tzs.length + ' VTIMEZONE components, want exactly 1');
  for (const t of tzs) {
    const id = t.getFirstPropertyValue('tzid');
    if (id !== zone) problems.push('VTIMEZONE TZID is ' + id + ', not ' + zone);
  }
  const tz = tzs.length ? new ICAL.Timezone(tzs[0]) : null;
  const uids = new Set();
  for (const ve of cal.getAllSubcomponents('vevent')) {
    const uid = ve.getFirstPropertyValue('uid');
    const where = 'event ' + (uid || '(no UID)');
    const cancelled = ve.getFirstPropertyValue('status') === 'CANCELLED';
    for (const p of cancelled ? CANCELLED_REQUIRED : EVENT_REQUIRED)
      if (!ve.hasProperty(p)) problems.push(where + ' lacks ' + p.toUpperCase());
    const lm = ve.getFirstPropertyValue('last-modified');
    if (lm && !(lm.zone && lm.zone.tzid === 'UTC')) problems.push(where + ': LAST-MODIFIED is not UTC');
    if (method !== null && !ve.hasProperty('organizer'))
      problems.push(where + ' lacks ORGANIZER (METHOD:PUBLISH)');
    if (uids.has(uid)) problems.push('duplicate UID ' + uid);
    uids.add(uid);
    const stamp = ve.getFirstPropertyValue('dtstamp');
    if (stamp && !(stamp.zone && stamp.zone.tzid === 'UTC')) problems.push(where + ': DTSTAMP is not UTC');
    let timesOk = true;
    for (const name of ['dtstart', 'dtend']) {
      const prop = ve.getFirstProperty(name);
      if (!prop) continue;
      const tzid = prop.getParameter('tzid');
      const t = prop.getFirstValue();
      if (tzid && tzid !== zone) {
        problems.push(where + ': ' + name.toUpperCase() + ' TZID is ' + tzid + ', not ' + zone);
        timesOk = false;
        continue;
      }
      if (!tzid || t.isDate || (t.zone && t.zone.tzid === 'floating')) {
        problems.push(where + ': ' + name.toUpperCase() + ' is floating (no TZID)');
        timesOk = false;
        continue;
      }
      if (tz) {
        const got = tz.utcOffset(t);
        const want = tzdataOffset(zone, t.year, t.month, t.day, t.hour, t.minute);
        if (got !== want)
          problems.push(where + ': ' + name.toUpperCase() + ' offset ' + got + 's from the VTIMEZONE, tz data says ' + want + 's');
      }
    }
    const ev = new ICAL.Event(ve);
    if (timesOk && ev.startDate && ev.endDate && ev.endDate.compare(ev.startDate) <= 0)
      problems.push(where + ' ends before it starts');
    for (const al of ve.getAllSubcomponents('valarm')) {
      for (const p of ALARM_REQUIRED)
        if (!al.hasProperty(p)) problems.push(where + ': VALARM lacks ' + p.toUpperCase());
      const trig = al.getFirstPropertyValue('trigger');
      if (trig && !(trig instanceof ICAL.Duration && trig.toSeconds() <= 0))
        problems.push(where + ': TRIGGER ' + String(trig) + ' is not a duration before the start');
    }
  }
  return problems;
}

function main(argv) {
  let zone = 'Asia/Shanghai';
  const args = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--tz') zone = argv[++i];
    else args.push(argv[i]);
  }
  if (args.length !== 1) {
    console.error('usage: ics_validate.js [--tz ZONE] DIR');
    return 2;
  }
  const ICAL = loadIcal();
  const files = walkDir(args[0], []).sort();
  if (!files.length) {
    console.error(args[0] + ': no .ics files');
    return 1;
  }
  let bad = 0;
  for (const f of files) {
    const problems = checkFile(ICAL, f, zone);
    for (const p of problems) console.error(f + ': ' + p);
    if (problems.length) bad++;
  }
  if (bad) {
    console.error(bad + ' of ' + files.length + ' files have problems');
    return 1;
  }
  console.log(files.length + ' files ok');
  return 0;
}

process.exitCode = main(process.argv.slice(2));
