// Shelf's photo worker: runs the imaging wasm off the main thread.
//
// Messages in:  {id, file}    a File or Blob to process
// Messages out: {id, type: "progress", stage}
//               {id, type: "done", result, memory}   result.display/thumb.bytes are transferred
//               {id, type: "error", code, message, memory}
// `memory` is the size of the wasm's memory in bytes: what the worker has ever needed at once
// (wasm memory grows and never shrinks).
//
// Photos are processed one at a time, in the order they arrive: a chain of promises keeps a
// second file from being read into memory while the first is still being worked on.
import init, { max_file_bytes, process_photo } from "./photo_worker.js";

const ready = init();
let queue = Promise.resolve();

self.onmessage = (event) => {
  const { id, file } = event.data;
  queue = queue.then(() => handle(id, file));
};

async function handle(id, file) {
  let wasm;
  try {
    wasm = await ready;
    const most = max_file_bytes();
    if (file.size > most) {
      const mib = Math.floor(most / (1024 * 1024));
      throw { code: "file-too-large", message: `The file is larger than Shelf opens (${mib} MiB).` };
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const result = process_photo(bytes, (stage) => self.postMessage({ id, type: "progress", stage }));
    const memory = wasm.memory.buffer.byteLength;
    self.postMessage({ id, type: "done", result, memory }, [result.display.bytes.buffer, result.thumb.bytes.buffer]);
  } catch (error) {
    const code = error && error.code ? error.code : "internal";
    const message = error && error.message ? error.message : "The photo could not be processed.";
    const memory = wasm ? wasm.memory.buffer.byteLength : 0;
    self.postMessage({ id, type: "error", code, message, memory });
  }
}
