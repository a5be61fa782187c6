#!/usr/bin/python3
"""Times pefile reading exports, imports and delay imports, for Thunk's bench:parse comparison.

Run with Debian's /usr/bin/python3 (python3-pefile). One process does all the work, as a script would.
Usage: bench-pefile.py RUNS LISTFILE   (LISTFILE: one path per line; each file is parsed RUNS times)
Prints JSON: {"files", "totalMs", "runMs": [per run, all files], "counts": {path: {...}}, "maxRssMb"}.
"""
import json
import resource
import sys
import time

import pefile

DIRECTORIES = [
    pefile.DIRECTORY_ENTRY['IMAGE_DIRECTORY_ENTRY_EXPORT'],
    pefile.DIRECTORY_ENTRY['IMAGE_DIRECTORY_ENTRY_IMPORT'],
    pefile.DIRECTORY_ENTRY['IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT'],
]


def functions(pe, attribute):
    return sum(len(entry.imports) for entry in getattr(pe, attribute, []))


def read(path):
    pe = pefile.PE(path, fast_load=True)
    try:
        pe.parse_data_directories(directories=DIRECTORIES)
        exports = pe.DIRECTORY_ENTRY_EXPORT.symbols if hasattr(pe, 'DIRECTORY_ENTRY_EXPORT') else []
        return {
            'exports': len(exports),
            'imports': functions(pe, 'DIRECTORY_ENTRY_IMPORT'),
            'delayImports': functions(pe, 'DIRECTORY_ENTRY_DELAY_IMPORT'),
        }
    finally:
        pe.close()


def main():
    runs = int(sys.argv[1])
    with open(sys.argv[2], encoding='utf-8') as listing:
        paths = [line.strip() for line in listing if line.strip()]
    counts = {}
    run_ms = []
    for _ in range(runs):
        started = time.perf_counter()
        for path in paths:
            try:
                counts[path] = read(path)
            except pefile.PEFormatError as error:
                counts[path] = {'error': str(error)}
        run_ms.append((time.perf_counter() - started) * 1000)
    print(json.dumps({
        'files': len(paths),
        'totalMs': sum(run_ms),
        'runMs': run_ms,
        'counts': counts,
        'maxRssMb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == '__main__':
    main()
