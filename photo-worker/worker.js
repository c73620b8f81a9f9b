// Shelf's photo worker: runs the imaging wasm off the main thread.
//
// Messages in:  {id, file}    a File or Blob to process
// Messages out: {id, type: "progress", stage}
//               {id, type: "done", result}      result.display/thumb.bytes are transferred
//               {id, type: "error", code, message}
//
// Photos are processed one at a time, in the order they arrive: a chain of promises keeps a
// second file from being read into memory while the first is still being worked on.
import init, { process_photo } from "./photo_worker.js";

const ready = init();
let queue = Promise.resolve();

self.onmessage = (event) => {
  const { id, file } = event.data;
  queue = queue.then(() => handle(id, file));
};

async function handle(id, file) {
  try {
    await ready;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const result = process_photo(bytes, (stage) => self.postMessage({ id, type: "progress", stage }));
    self.postMessage({ id, type: "done", result }, [result.display.bytes.buffer, result.thumb.bytes.buffer]);
  } catch (error) {
    const code = error && error.code ? error.code : "internal";
    const message = error && error.message ? error.message : "The photo could not be processed.";
    self.postMessage({ id, type: "error", code, message });
  }
}
