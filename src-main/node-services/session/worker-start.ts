// Starts a worker thread of the session (triage, headers) from the same place in every setting.
import { Worker } from 'node:worker_threads';

/** In the packaged app the worker script is unpacked beside app.asar (electron-builder.yml asarUnpack). */
export function unpacked(url: URL): URL {
  return new URL(url.href.replace('/app.asar/', '/app.asar.unpacked/'));
}

/**
 * From a bundle the worker is dist/<name>.js beside it. From the TypeScript sources (tests, tsx)
 * it is the .ts file in this folder, started through tsx's loader: workers do not inherit --import hooks.
 */
export function startWorker(name: 'triage-worker' | 'headers-worker'): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(unpacked(new URL(`./${name}.js`, import.meta.url)));
  const source = new URL(`./${name}.ts`, import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, { eval: true });
}
