/**
 * Caps on what a file can make the parser do. Each is far above what real DLLs hold (node.exe
 * has ~9,300 exports; Windows' largest import tables a few thousand) and keeps hostile files
 * bounded, in the spirit of pefile's and LIEF's caps.
 */
export const LIMITS = {
  sections: 2048,
  dataDirectories: 16,
  exports: 65536,
  importDescriptors: 4096,
  importsPerDescriptor: 16384,
  totalImports: 131072,
  delayDescriptors: 4096,
  boundDescriptors: 4096,
  nameLength: 4096,
  forwarderLength: 1024,
  resourceDepth: 8,
  resourceEntries: 8192,
  resourceDataBytes: 4 * 1024 * 1024,
  debugEntries: 64,
  tlsCallbacks: 1024,
  certificates: 64,
  richEntries: 512,
  richSearchBytes: 64 * 1024,
  resourceNameLength: 1024,
  versionInfoNodes: 2048,
  manifestChars: 64 * 1024,
  certificateBlobBytes: 8 * 1024 * 1024,
  certificatesPerBlob: 512,
  checksumChunkBytes: 64 * 1024,
  entropyBytes: 64 * 1024 * 1024,
} as const;
