import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { settingsSchema, type Settings, type TriageSettings } from '../../contract/api-contract.ts';

export const RECENT_LIMIT = 10;

export const DEFAULT_SETTINGS: Settings = {
  triage: { hosts: ['x86', 'x64'], windowsDir: null, applicationDir: null, searchDirs: [], realLoader: false },
  recentFiles: [],
};

/** Where settings live: THUNK_CONFIG_DIR, else the platform's per-user config folder. */
export function defaultConfigDir(): string {
  if (process.env.THUNK_CONFIG_DIR) return process.env.THUNK_CONFIG_DIR;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Thunk');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'thunk');
}

/** Settings and recent files in one JSON file; a damaged file is replaced by the defaults. */
export class SettingsStore {
  private current: Settings;

  constructor(private readonly file: string | null) {
    this.current = file ? readSettings(file) : structuredClone(DEFAULT_SETTINGS);
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  updateTriage(change: Partial<TriageSettings>): Settings {
    return this.save({ ...this.current, triage: { ...this.current.triage, ...change } });
  }

  addRecent(paths: string[], now = new Date()): Settings {
    const fresh = paths.map((path) => ({ path, openedAt: now.toISOString() }));
    const kept = this.current.recentFiles.filter((r) => !paths.includes(r.path));
    return this.save({ ...this.current, recentFiles: [...fresh, ...kept].slice(0, RECENT_LIMIT) });
  }

  clearRecent(): Settings {
    return this.save({ ...this.current, recentFiles: [] });
  }

  private save(next: Settings): Settings {
    this.current = settingsSchema.parse(next);
    if (this.file) {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(`${this.file}.tmp`, JSON.stringify(this.current, null, 2));
      renameSync(`${this.file}.tmp`, this.file);
    }
    return this.get();
  }
}

function readSettings(file: string): Settings {
  try {
    const parsed = settingsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : structuredClone(DEFAULT_SETTINGS);
  } catch {
    return structuredClone(DEFAULT_SETTINGS);
  }
}
