#!/usr/bin/env node
'use strict';
// Batched TFLite oracle: runs one model of the TFLite WebAssembly build (npm
// @tensorflow/tfjs-tflite, installed by ../shared/oracles/install.sh) over many
// inputs read from one file, loading the model once. Used by bench/accuracy.py;
// run_tflite.js of the oracle folder starts a process per input, far too slow
// for 10,000 images.
//
// usage: node tflite_oracle_batch.js MODEL.tflite INPUTS.bin OUTPUTS.bin [--fresh]
//   INPUTS.bin   N samples of input 0, raw little-endian, back to back (the
//                model must have one input; N = file size / input bytes)
//   OUTPUTS.bin  N samples of output 0, back to back
//   --fresh      a new interpreter per sample: models with variable tensors
//                (LSTM state) then start every sample from the initial state
//                (the runner has no reset of variables)
// The oracle folder is $EDGELITE_ORACLES, default ~/.cache/edgelite-oracles.
// Progress goes to stderr.

const fs = require('fs');
const os = require('os');
const path = require('path');

const home = process.env.EDGELITE_ORACLES || path.join(os.homedir(), '.cache', 'edgelite-oracles');
const { load } = require(path.join(home, 'tfjs-tflite', 'tflite_node'));

async function main() {
  const args = process.argv.slice(2).filter((a) => a !== '--fresh');
  const fresh = process.argv.includes('--fresh');
  if (args.length !== 3) {
    console.error('usage: node tflite_oracle_batch.js MODEL.tflite INPUTS.bin OUTPUTS.bin [--fresh]');
    process.exit(2);
  }
  const [modelPath, inPath, outPath] = args;
  const tfweb = load('simd');
  const bytes = fs.readFileSync(modelPath);
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const create = () => tfweb.TFLiteWebModelRunner.create(ab, { numThreads: 1 });

  let runner = await create();
  if (runner.getInputs().length !== 1) throw new Error('model must have exactly one input');
  const inBytes = runner.getInputs()[0].data().byteLength;
  const outBytes = runner.getOutputs()[0].data().byteLength;
  const inputs = fs.readFileSync(inPath);
  if (inputs.length % inBytes !== 0) {
    throw new Error(`${inPath}: ${inputs.length} bytes is not a multiple of the input's ${inBytes}`);
  }
  const n = inputs.length / inBytes;
  const outputs = Buffer.alloc(n * outBytes);
  const t0 = Date.now();
  for (let i = 0; i < n; i++) {
    if (fresh && i > 0) {
      runner.cleanUp();
      runner = await create();
    }
    const inp = runner.getInputs()[0].data();
    new Uint8Array(inp.buffer, inp.byteOffset, inBytes).set(inputs.subarray(i * inBytes, (i + 1) * inBytes));
    if (!runner.infer()) throw new Error(`infer() failed on sample ${i}`);
    const out = runner.getOutputs()[0].data();
    Buffer.from(out.buffer, out.byteOffset, outBytes).copy(outputs, i * outBytes);
    if ((i + 1) % 1000 === 0 || i + 1 === n) {
      process.stderr.write(`  tflite oracle: ${i + 1}/${n} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    }
  }
  fs.writeFileSync(outPath, outputs);
  runner.cleanUp();
  if (typeof globalThis.__tfliteNodeShutdown === 'function') globalThis.__tfliteNodeShutdown();
}

main().then(() => process.exit(0), (e) => { console.error(e && e.stack || e); process.exit(1); });
