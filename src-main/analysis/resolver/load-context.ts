/** Bitness of the process that loads the DLL. */
export type HostArch = 'x86' | 'x64';

/**
 * How the host loads the DLL: plain LoadLibrary does not search the DLL's own folder for its
 * dependencies; LOAD_WITH_ALTERED_SEARCH_PATH and LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR do.
 */
export type LoadMethod = 'load-library' | 'altered-search-path' | 'search-flags';

/** LOAD_LIBRARY_SEARCH_* flags, for loadMethod 'search-flags'. */
export type SearchFlag = 'dll-load-dir' | 'application-dir' | 'user-dirs' | 'system32' | 'default-dirs';

/** Everything that decides where the loader looks; shown with every verdict. */
export interface LoadContext {
  hostArch: HostArch;
  /** The host executable's folder; by default the dropped DLL's own folder. */
  applicationDir: string;
  hostExecutable: string | null;
  loadMethod: LoadMethod;
  searchFlags: SearchFlag[];
  /** A Windows folder (C:\Windows copy, mount, or a Wine prefix's drive_c/windows); null = none known. */
  windowsDir: string | null;
  currentDir: string | null;
  pathDirs: string[];
  /** Folders added with AddDllDirectory/SetDllDirectory or --search-dir. */
  extraDirs: string[];
}
