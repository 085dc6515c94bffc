// Drives the running archive with dicomweb-client (the DICOMweb client of OHIF), as DicomWebIT asks:
//   node client.js BASE_URL STUDY SERIES SOP FILE...
// Stores the files, then searches, retrieves metadata, a frame and an instance, and prints one JSON
// object with what it saw; the Java test checks it. Any failure exits with status 1.
global.XMLHttpRequest = require('xhr2');
const fs = require('fs');
const crypto = require('crypto');
const DICOMwebClient = require('dicomweb-client');

const [url, study, series, sop, ...files] = process.argv.slice(2);
const client = new DICOMwebClient.api.DICOMwebClient({ url });
const sha256 = buffer => crypto.createHash('sha256').update(Buffer.from(buffer)).digest('hex');
const value = (ds, tag) => (ds[tag] && ds[tag].Value ? ds[tag].Value[0] : undefined);

(async () => {
  const out = {};
  const datasets = files.map(f => { const b = fs.readFileSync(f); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength); });
  let stored = await client.storeInstances({ datasets });
  if (stored instanceof ArrayBuffer) stored = Buffer.from(stored).toString('utf8');
  if (typeof stored === 'string') stored = JSON.parse(stored);  // the client hands back the body as it came
  out.stored = (stored['00081199'] && stored['00081199'].Value ? stored['00081199'].Value.length : 0);
  const studies = await client.searchForStudies({ queryParams: { PatientName: 'WEB*', limit: 10 } });
  out.studies = studies.map(s => value(s, '0020000D'));
  out.patientName = value(studies[0], '00100010').Alphabetic;
  out.series = (await client.searchForSeries({ studyInstanceUID: study })).map(s => value(s, '0020000E'));
  out.instances = (await client.searchForInstances({ studyInstanceUID: study, seriesInstanceUID: series })).length;
  const metadata = await client.retrieveSeriesMetadata({ studyInstanceUID: study, seriesInstanceUID: series });
  out.metadata = metadata.length;
  out.rows = value(metadata.find(m => value(m, '00080018') === sop), '00280010');
  const frames = await client.retrieveInstanceFrames({ studyInstanceUID: study, seriesInstanceUID: series,
    sopInstanceUID: sop, frameNumbers: [1] });
  out.frameBytes = frames[0].byteLength;
  out.frameSha256 = sha256(frames[0]);
  const instance = await client.retrieveInstance({ studyInstanceUID: study, seriesInstanceUID: series, sopInstanceUID: sop });
  out.instanceSha256 = sha256(instance);
  console.log(JSON.stringify(out));
})().catch(e => { console.error('FAILED', e && (e.stack || e.message || JSON.stringify(e))); process.exit(1); });
