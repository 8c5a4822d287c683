// What a user would run instead of the plugin: transformers.js reading, decoding and preprocessing each image with its own
// image processor (sharp), then embedding it with the same vision_model ONNX file through onnxruntime-node.
// Offline on purpose: remote models are off, and bench/ingest runs this in a network namespace with no network at all.
// Usage: node tjs-vision-bench.mjs --model DIR --images DIR [--limit N] [--batch B] [--dtype fp32|q8] [--threads T]
// Prints a few human lines, then one line `RESULT {json}`.
import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { env, AutoProcessor, CLIPVisionModelWithProjection, RawImage } from '@huggingface/transformers';

const { values: opts } = parseArgs({
  options: {
    model: { type: 'string' },
    images: { type: 'string' },
    limit: { type: 'string', default: '1000' },
    batch: { type: 'string', default: '8' },
    dtype: { type: 'string', default: 'fp32' },
    threads: { type: 'string', default: '0' },
  },
});
if (!opts.model || !opts.images) {
  throw new Error('--model and --images are required');
}
const modelDir = resolve(opts.model);
const limit = Number(opts.limit);
const batch = Number(opts.batch);
const threads = Number(opts.threads);

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = dirname(modelDir) + '/';
env.useFSCache = false;

const modelId = basename(modelDir);
// the shared model folders keep their ONNX files at the top level, not under onnx/
const sessionOptions = { interOpNumThreads: 1, ...(threads > 0 ? { intraOpNumThreads: threads } : {}) };
const loadStart = performance.now();
const processor = await AutoProcessor.from_pretrained(modelId);
const model = await CLIPVisionModelWithProjection.from_pretrained(modelId, {
  subfolder: '',
  dtype: opts.dtype,
  device: 'cpu',
  session_options: sessionOptions,
});
const loadMs = performance.now() - loadStart;

const files = readdirSync(opts.images)
  .filter((f) => f.endsWith('.jpg'))
  .sort()
  .slice(0, limit)
  .map((f) => join(opts.images, f));

const times = { decode: 0, preprocess: 0, inference: 0 };
async function embed(paths, clock) {
  let t = performance.now();
  const images = await Promise.all(paths.map((p) => RawImage.read(p)));
  let now = performance.now();
  clock.decode += now - t;
  t = now;
  const { pixel_values } = await processor(images);
  now = performance.now();
  clock.preprocess += now - t;
  t = now;
  const { image_embeds } = await model({ pixel_values });
  now = performance.now();
  clock.inference += now - t;
  const [n, dim] = image_embeds.dims;
  if (n !== paths.length) {
    throw new Error(`expected ${paths.length} embeddings, got ${n}`);
  }
  return dim;
}

// warm-up: the first run at a batch shape plans memory
await embed(files.slice(0, batch), { decode: 0, preprocess: 0, inference: 0 });
const start = performance.now();
const cpuStart = process.cpuUsage();
let dimension = 0;
for (let i = 0; i < files.length; i += batch) {
  dimension = await embed(files.slice(i, i + batch), times);
}
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
// on a busy machine CPU time per image moves less than images/s
const cpuMsPerImage = Number(((cpu.user + cpu.system) / 1000 / files.length).toFixed(2));
const rate = files.length / seconds;
const perImage = (ms) => Number((ms / files.length).toFixed(2));
console.log(
  `  ${files.length} images, batch ${batch}, ${opts.dtype}: ${rate.toFixed(1)} img/s, ${cpuMsPerImage} CPU ms/img ` +
    `(read+decode ${perImage(times.decode)} ms/img, preprocess ${perImage(times.preprocess)}, inference ${perImage(times.inference)}; load ${loadMs.toFixed(0)} ms)`,
);
console.log(
  'RESULT ' +
    JSON.stringify({
      images: files.length,
      batch,
      dtype: opts.dtype,
      dimension,
      images_per_s: Number(rate.toFixed(2)),
      cpu_ms_per_image: cpuMsPerImage,
      ms_per_image: { decode: perImage(times.decode), preprocess: perImage(times.preprocess), inference: perImage(times.inference) },
      allow_remote_models: env.allowRemoteModels,
    }),
);
